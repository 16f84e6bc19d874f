from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from oms.cases.management.commands._output import to_json
from oms.cases.management.commands._scope import add_scope_arguments, scoped_cases
from oms.cases.queries import CaseFilters, case_list, case_summary


class Command(BaseCommand):
    help = "List cases: CRN, name, offender manager, tier, RoH, current event types."

    def add_arguments(self, parser: CommandParser) -> None:
        add_scope_arguments(parser)
        parser.add_argument("--json", action="store_true", help="Print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        cases = case_list(
            scoped_cases(options["area"], options["team"], options["staff"]), CaseFilters(sort="crn")
        )
        rows = [case_summary(c) for c in cases.iterator(chunk_size=1000)]
        if options["json"]:
            self.stdout.write(to_json({"cases": rows}))
            return
        for row in rows:
            self.stdout.write(
                f"{row['crn']}  {row['name']:<30} {row['offender_manager'] or 'Unallocated':<25} {row['tier'] or '-':<3} {row['risk_of_harm_level'] or '-'}"
            )
