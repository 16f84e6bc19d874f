"""`oms outcomes [--area A] [--inspection ID] [--from D --to D] --json`: what came of the work.

Reconvictions and cautions, compliance at the end of the sentence, needs change between the first and the
latest likelihood-of-reoffending assessment, tier and MAPPA movement, restrictive measures, skills for life
awards, ETE outcomes by diversity group and the profile of factors linked to offending: for the area's
current caseload, or (``--inspection``) for an inspection's sample.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Q
from django.utils import timezone

from oms.cases.management.commands._output import to_json, usage_error
from oms.cases.models import Offender
from oms.inspection.models import Inspection
from oms.organisation.models import Area
from oms.outcomes.queries import Period, current_caseload, outcomes_of


def _date(option: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise usage_error(f"{option}: {text!r} is not a date (use YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = "Outcomes: reconvictions, compliance, needs change, de-escalation and the needs profile."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--area", help="Area name or code (needed when there is more than one area)")
        parser.add_argument("--inspection", type=int, help="An inspection's sample instead of the caseload")
        parser.add_argument(
            "--from", dest="date_from", help="First day, YYYY-MM-DD (default: each order's start)"
        )
        parser.add_argument("--to", dest="date_to", help="Last day, YYYY-MM-DD (default: today)")
        parser.add_argument("--json", action="store_true", help="Print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        start = _date("--from", options["date_from"])
        end = _date("--to", options["date_to"]) or timezone.localdate()
        if start is not None and start > end:
            raise usage_error(f"--from: {start} is after --to {end}")
        if options["inspection"] is not None:
            inspection = Inspection.objects.select_related("area").filter(pk=options["inspection"]).first()
            if inspection is None:
                raise usage_error(f"--inspection: no inspection {options['inspection']}")
            area = inspection.area
            cases = Offender.objects.filter(inspection_samples__inspection=inspection)
            scope: dict[str, Any] = {"inspection": inspection.pk, "sample": True}
        else:
            area = self._area(options["area"])
            cases = current_caseload(Offender.objects.filter(area=area))
            scope = {"inspection": None, "sample": False}
        figures = outcomes_of(cases, Period(start, end))
        result = {"area": area.name, **scope, **figures}
        if options["json"]:
            self.stdout.write(to_json(result))
            return
        self.stdout.write(f"{area.name}: {figures['cases']} cases")
        self.stdout.write(
            f"Reconvicted: {figures['reconvicted']['count']} ({figures['reconvicted']['percent']}%); "
            f"rescored: {figures['needs']['rescored']['percent']}%; "
            f"no improvement: {figures['needs']['no_improvement']['percent']}%; "
            f"progress on the highest-priority factor: {figures['needs']['highest_priority_progress']['percent']}%"
        )
        for row in figures["needs_profile"]:
            self.stdout.write(f"  {row['label']}: {row['cases']}")

    def _area(self, name: str | None) -> Area:
        if name:
            area = Area.objects.filter(Q(name__iexact=name) | Q(code__iexact=name)).first()
            if area is None:
                raise usage_error(f"--area: no area called {name!r}")
            return area
        areas = list(Area.objects.order_by("name")[:2])
        if len(areas) != 1:
            raise usage_error("--area: name the area (there is not exactly one)")
        return areas[0]
