from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from oms.calculation_errors import CalculatorInputError
from oms.calculators import CALCULATORS, run
from oms.cases.management.commands._output import to_json


class Command(BaseCommand):
    help = (
        "A pure calculator: a JSON object on stdin gives a JSON object on stdout (an array gives an array)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", choices=sorted(CALCULATORS))
        parser.add_argument("--json", action="store_true", help="JSON in and out (the only format)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            payload = json.loads(sys.stdin.read())
        except json.JSONDecodeError as error:
            self.stdout.write(
                to_json(CalculatorInputError("INVALID_JSON", f"The input is not JSON: {error}", []).as_json())
            )
            sys.exit(2)
        result, valid = run(options["name"], payload)
        self.stdout.write(to_json(result))
        if not valid:
            sys.exit(2)
