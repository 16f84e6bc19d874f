from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from oms.cases.management.commands._output import to_json
from oms.cases.management.commands._scope import scoped_cases
from oms.cases.queries import caseload_context


class Command(BaseCommand):
    help = "The report's Appendix 1 contextual information, computed from the caseload."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--area", help="Area name or code (default: every area)")
        parser.add_argument("--json", action="store_true", help="Print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        figures = caseload_context(scoped_cases(options["area"], None, None))
        if options["json"]:
            self.stdout.write(to_json(figures))
            return
        for key, value in figures.items():
            self.stdout.write(f"{key.replace('_', ' ')}: {value}")
