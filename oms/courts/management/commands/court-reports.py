"""`oms court_reports [--area A / --team T / --staff U] [--outstanding] --json`: reports with due dates."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from oms.cases.management.commands._output import to_json
from oms.cases.management.commands._scope import add_scope_arguments, scoped_cases
from oms.courts.models import PreSentenceReport
from oms.courts.queries import report_record


class Command(BaseCommand):
    help = "Pre-sentence reports: requested, due, delivered (on time or late by N working days), proposal followed."

    def add_arguments(self, parser: CommandParser) -> None:
        add_scope_arguments(parser)
        parser.add_argument("--outstanding", action="store_true", help="Only reports not yet delivered")
        parser.add_argument("--json", action="store_true", help="Print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        cases = scoped_cases(options["area"], options["team"], options["staff"])
        reports = PreSentenceReport.objects.filter(offender__in=cases.values("pk")).select_related(
            "offender", "author"
        )
        if options["outstanding"]:
            reports = reports.filter(delivered_on__isnull=True)
        rows = [report_record(r) for r in reports.order_by("requested_on", "pk").iterator(chunk_size=1000)]
        delivered = [r for r in rows if r["delivered_on"]]
        on_time = sum(1 for r in delivered if r["working_days_late"] == 0)
        if options["json"]:
            self.stdout.write(to_json({"reports": rows, "delivered": len(delivered), "on_time": on_time}))
            return
        for row in rows:
            late = row["working_days_late"]
            state = "not delivered" if late is None else ("on time" if late == 0 else f"{late} WD late")
            self.stdout.write(
                f"{row['crn']}  {row['kind']:<4} requested {row['requested_on']} due {row['due_on']}  {state}"
            )
        self.stdout.write(f"{on_time} of {len(delivered)} delivered reports on time")
