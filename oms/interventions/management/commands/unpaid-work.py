"""`oms unpaid_work [--area A / --team T / --staff U] [--as-of DATE] --json`: the ledger of each current
unpaid work requirement, with completion due (12 months) and the hours offered in the last 7 days."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from oms.cases.management.commands._output import to_json, usage_error
from oms.cases.management.commands._scope import add_scope_arguments, scoped_cases
from oms.cases.models import Requirement
from oms.interventions.queries import ledger_record, unpaid_work_requirements


class Command(BaseCommand):
    help = "Unpaid work ledgers: ordered, offered, worked, stood down, skills for life, remaining, completion due."

    def add_arguments(self, parser: CommandParser) -> None:
        add_scope_arguments(parser)
        parser.add_argument("--as-of", help="Date (YYYY-MM-DD); today by default")
        parser.add_argument("--json", action="store_true", help="Print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            as_of = date.fromisoformat(options["as_of"]) if options["as_of"] else timezone.localdate()
        except ValueError as error:
            raise usage_error(f"--as-of: {options['as_of']!r} is not a date like 2026-11-27") from error
        cases = scoped_cases(options["area"], options["team"], options["staff"])
        requirements = Requirement.objects.filter(
            event__offender__in=cases.values("pk"), event__is_active=True
        )
        summaries = unpaid_work_requirements(requirements, as_of)
        rows = [{"crn": s.requirement.event.offender.crn, **ledger_record(s)} for s in summaries]
        if options["json"]:
            self.stdout.write(to_json({"as_of": as_of, "requirements": rows}))
            return
        for row in rows:
            self.stdout.write(
                f"{row['crn']}  ordered {row['hours_ordered']}  worked {row['worked']}  remaining {row['remaining']}  "
                f"complete by {row['completion_due']} ({row['completion_status']})"
            )
