"""`oms performance [--area A] [--unit U] --from D --to D --json`: the national measures against target.

`--national`: every area ranked on the weighted scorecard, England and Wales, and the regions.
`--store [--area A]`: recompute and store the area's (or every area's) figures that the performance
pages read, as the nightly sweep does. The measures printed are always computed from the records.
`--verify [--area A] --from D --to D`: check the stored figures equal the records' (exit 1 if not).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from oms.cases.management.commands._output import to_json, usage_error
from oms.organisation.models import Area, Unit
from oms.performance.measures import compute_measures
from oms.performance.national import national_report
from oms.performance.stored import store_area_figures, verify_area_figures


def _date(option: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise usage_error(f"{option}: {text!r} is not a date (use YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = "The performance measures of the report's criterion 4.2 against target, for an area and period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--area", help="Area name or code (needed when there is more than one area)")
        parser.add_argument("--unit", help="Unit name within the area (default: the whole area)")
        parser.add_argument("--from", dest="date_from", help="First day, YYYY-MM-DD (needed to report)")
        parser.add_argument("--to", dest="date_to", help="Last day, YYYY-MM-DD (needed to report)")
        parser.add_argument(
            "--national",
            action="store_true",
            help="Every area, England and Wales and the regions, with the weighted scorecard rank",
        )
        parser.add_argument(
            "--store",
            action="store_true",
            help="Recompute and store the figures the performance pages read (every area, or --area)",
        )
        parser.add_argument(
            "--verify",
            action="store_true",
            help="Check the stored figures equal the measures computed from the records over the "
            "period, for the area (or every area) and each unit; exit 1 on any difference",
        )
        parser.add_argument("--json", action="store_true", help="Print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["store"]:
            for option in ("date_from", "date_to", "unit", "national"):
                if options[option]:
                    name = {"date_from": "from", "date_to": "to"}.get(option, option)
                    raise usage_error(f"--{name}: not with --store (it stores every day's figures)")
            self._store(options["area"], as_json=options["json"])
            return
        for option, name in (("date_from", "--from"), ("date_to", "--to")):
            if not options[option]:
                raise usage_error(f"{name}: required (YYYY-MM-DD)")
        date_from = _date("--from", options["date_from"])
        date_to = _date("--to", options["date_to"])
        if date_from > date_to:
            raise usage_error(f"--from: {date_from} is after --to {date_to}")
        if options["verify"]:
            for option in ("unit", "national"):
                if options[option]:
                    raise usage_error(f"--{option}: not with --verify (it checks the area and every unit)")
            self._verify(options["area"], date_from, date_to)
            return
        if options["national"]:
            for option in ("area", "unit"):
                if options[option]:
                    raise usage_error(f"--{option}: not with --national (it reports every area)")
            self._national(date_from, date_to, as_json=options["json"])
            return
        area = self._area(options["area"])
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(area=area, name__iexact=options["unit"]).first()
            if unit is None:
                raise usage_error(f"--unit: no unit called {options['unit']!r} in {area.name}")
        results = compute_measures(area, date_from, date_to, unit)
        if options["json"]:
            self.stdout.write(
                to_json({"from": date_from, "to": date_to, "measures": [r.as_json() for r in results]})
            )
            return
        for result in results:
            value = "no data" if result.value is None else f"{result.value}{result.measure.unit.value}"
            self.stdout.write(
                f"{result.measure.label}: {value} (target {result.target}) {result.status.value}"
            )

    def _store(self, area_name: str | None, *, as_json: bool) -> None:
        areas = [self._area(area_name)] if area_name else list(Area.objects.order_by("name"))
        stored = []
        for area in areas:
            rows = store_area_figures(area.pk)
            stored.append({"area": area.name, "rows": rows})
            if not as_json:
                self.stdout.write(f"{area.name}: {rows} figure rows stored")
        if as_json:
            self.stdout.write(to_json({"areas": stored}))

    def _verify(self, area_name: str | None, date_from: date, date_to: date) -> None:
        areas = [self._area(area_name)] if area_name else list(Area.objects.order_by("name"))
        differences = [line for area in areas for line in verify_area_figures(area, date_from, date_to)]
        for line in differences:
            self.stdout.write(line)
        if differences:
            raise CommandError(
                f"{len(differences)} stored figures differ from the records over {date_from} to {date_to}",
                returncode=1,
            )
        self.stdout.write(
            f"The stored figures of {len(areas)} area(s) equal the records over {date_from} to {date_to}."
        )

    def _national(self, date_from: date, date_to: date, *, as_json: bool) -> None:
        report = national_report(date_from, date_to)
        if as_json:
            self.stdout.write(to_json(report.as_json()))
            return
        for line in report.areas:
            score = "no data" if line.weighted_score is None else f"{line.weighted_score}"
            movement = "" if line.movement is None else f" ({line.movement:+d})"
            self.stdout.write(
                f"{line.rank:>2}. {line.area.name} ({line.area.region.name}): {score}{movement}"
            )

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
