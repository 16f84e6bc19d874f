"""The measures' figures stored per area: computed by the nightly sweep (or "Recalculate now"), read
by the performance pages with a few grouped queries (issue 13, "slow pages").

Computing the 18 measures reads every record they count (tens of thousands of contacts for one area,
every area's for the region and England and Wales columns). The figures a page needs are only, for
each measure, the number of its points in a period and the sum of their values
(`Measure.summarise_tally`), so they are stored once a night as those counts and sums per unit and day
(`MeasureFigure`), and a page sums the rows of its period with GROUP BY: a fixed number of queries,
and rows that grow with days and units, never with cases.

Same answers: the live computation judges a "within N days" point as known on the last day of the
period (`observe_area(..., as_of=date_to)`). Each point is stored with the day it became known
(`Point.known_on`), and the readers count only the points known by the period's last day, so a period
ending in the past gives what it gave then. The CLI and the API still compute live; the pages read
these. `tests/performance/test_stored_figures.py` proves stored equals live for every measure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import FieldError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from oms.cases.models import Offender
from oms.organisation.models import Area
from oms.organisation.national import region_position
from oms.performance.measures import (
    MEASURES,
    AreaObservations,
    Measure,
    MeasureResult,
    Observations,
    area_context,
    area_settings,
)
from oms.performance.models import MeasureFigure, StoredFigures
from oms.performance.national import NationalObservations, national_settings
from oms.read_replica import primary_reads

# The figures cover every record an area could hold: the measures read their records between these
# days, and every point is kept however late it is judged (its `known_on` says when it counts).
STORED_FROM = date(1900, 1, 1)
STORED_UNTIL = date(2999, 12, 31)
WRITE_BATCH = 2000

Tally = tuple[int, Decimal]  # the number of points and the sum of their values


# ---------------------------------------------------------------- writing


def _figure_rows(area: Area) -> tuple[list[MeasureFigure], list[str]]:
    """Every measure's points for the area, counted and summed by unit, day and day known."""
    ctx = area_context(area, as_of=STORED_UNTIL)
    rows: list[MeasureFigure] = []
    unavailable: list[str] = []
    for measure in MEASURES:
        try:
            found = measure.observe(ctx, STORED_FROM, STORED_UNTIL)
        except FieldError:
            # As observe_area: another app's model is mid-change and lacks a field this measure reads.
            found = Observations(available=False)
        if not found.available:
            unavailable.append(measure.key)
            continue
        sums: dict[tuple[int | None, date | None, date | None], list[Decimal]] = defaultdict(
            lambda: [Decimal(0), Decimal(0)]
        )
        for point in found.points:
            tally = sums[(point.unit_id, point.day, point.known_on)]
            tally[0] += 1
            tally[1] += point.value
        rows.extend(
            MeasureFigure(
                area=area,
                unit_id=unit_id,
                measure_key=measure.key,
                day=day,
                known_on=known_on,
                points=int(count),
                total=total,
            )
            for (unit_id, day, known_on), (count, total) in sums.items()
        )
        rows.extend(
            MeasureFigure(area=area, unit_id=unit_id, measure_key=measure.key, contracted_hours=hours)
            for unit_id, hours in found.hours_by_unit.items()
        )
    return rows, unavailable


def store_area_figures(area_id: int) -> int:
    """Recompute an area's figures from its records and replace the stored ones (one transaction: a
    reader sees the old figures or the new, never a mix). Returns the number of rows written."""
    with primary_reads():  # it writes from what it reads: never a lagging copy
        area = Area.objects.get(pk=area_id)
        rows, unavailable = _figure_rows(area)
        with transaction.atomic():
            # One writer at a time per area: a second recalculation waits, then replaces this one's rows.
            Area.objects.select_for_update().filter(pk=area_id).first()
            MeasureFigure.objects.filter(area_id=area_id).delete()
            MeasureFigure.objects.bulk_create(rows, batch_size=WRITE_BATCH)
            StoredFigures.objects.update_or_create(
                area_id=area_id, defaults={"computed_at": timezone.now(), "unavailable": unavailable}
            )
    return len(rows)


def store_missing_figures(area_ids: Iterable[int]) -> None:
    """Areas with no figures yet (a fresh install, a new area) get them now, so no page is blank."""
    for area_id in area_ids:
        store_area_figures(area_id)


# ---------------------------------------------------------------- reading an area


def _known_by(date_to: date) -> Q:
    return Q(known_on__isnull=True) | Q(known_on__lte=date_to)


@dataclass
class StoredAreaObservations(AreaObservations):
    """An area's figures over a period from the stored rows: the same results as `observe_area` for
    the whole period and for each month of it (the trend), for the area and each unit."""

    unavailable: frozenset[str] = frozenset()
    # measure key -> (unit id, month start or None for snapshot facts, points, sum of values)
    tallies: dict[str, list[tuple[int | None, date | None, int, Decimal]]] = field(default_factory=dict)
    hours: dict[tuple[str, int | None], Decimal] = field(default_factory=dict)

    def tally(self, measure: Measure, date_from: date, date_to: date, unit_id: int | None) -> Tally | None:
        if measure.key in self.unavailable:
            return None
        first_month = date_from.replace(day=1)
        count, total = 0, Decimal(0)
        for unit, month, points, values in self.tallies.get(measure.key, []):
            if unit_id is not None and unit != unit_id:
                continue
            # Rows are grouped by month, so a period is exact when it is the page's whole period or
            # one month of it (the only periods the page asks for).
            if month is None or first_month <= month <= date_to:
                count += points
                total += values
        return count, total

    def contracted_hours(self, measure: Measure, unit_id: int | None) -> Decimal | None:
        if unit_id is None:
            return sum((h for (key, _), h in self.hours.items() if key == measure.key), Decimal(0))
        return self.hours.get((measure.key, unit_id))


def stored_area(area: Area, date_from: date, date_to: date) -> StoredAreaObservations:
    """The area's stored figures over a period (stored first if it has none): five queries."""
    stored = StoredFigures.objects.filter(area=area).first()
    if stored is None:
        store_area_figures(area.pk)
        stored = StoredFigures.objects.get(area=area)
    rows = (
        MeasureFigure.objects.filter(area=area)
        .filter(Q(day__isnull=True) | Q(day__range=(date_from, date_to)), _known_by(date_to))
        .annotate(month=TruncMonth("day"))
        .values("measure_key", "unit_id", "month")
        .annotate(points_sum=Sum("points"), total_sum=Sum("total"), hours_sum=Sum("contracted_hours"))
        .order_by()
    )
    tallies: dict[str, list[tuple[int | None, date | None, int, Decimal]]] = defaultdict(list)
    hours: dict[tuple[str, int | None], Decimal] = {}
    for row in rows:
        key, unit_id, month = row["measure_key"], row["unit_id"], row["month"]
        tallies[key].append((unit_id, month, row["points_sum"] or 0, row["total_sum"] or Decimal(0)))
        if row["hours_sum"]:
            hours[(key, unit_id)] = hours.get((key, unit_id), Decimal(0)) + row["hours_sum"]
    current: dict[int | None, int] = dict(
        Offender.objects.filter(area=area, events__is_active=True)
        .values_list("offender_manager__team__unit_id")
        .annotate(cases=Count("pk", distinct=True))
        .values_list("offender_manager__team__unit_id", "cases")
    )
    return StoredAreaObservations(
        area=area,
        date_from=date_from,
        date_to=date_to,
        settings=area_settings(area),
        observed={},
        current_cases_by_unit=current,
        computed_at=stored.computed_at,
        unavailable=frozenset(stored.unavailable),
        tallies=dict(tallies),
        hours=hours,
    )


# ---------------------------------------------------------------- reading every area


@dataclass
class StoredNation(NationalObservations):
    """Every area's stored figures for a report's period and the one before (`national_report`)."""

    unavailable: frozenset[str] = frozenset()
    # (measure key, first day of the period asked for) -> area id -> (points, sum of values)
    tallies: dict[tuple[str, date], dict[int, Tally]] = field(default_factory=dict)
    hours: dict[str, dict[int, Decimal]] = field(default_factory=dict)

    def tally(
        self, measure: Measure, area_ids: Collection[int], date_from: date, date_to: date
    ) -> Tally | None:
        if measure.key in self.unavailable:
            return None
        by_area = self.tallies.get((measure.key, date_from), {})
        count, total = 0, Decimal(0)
        for area_id in area_ids:
            points, values = by_area.get(area_id, (0, Decimal(0)))
            count += points
            total += values
        return count, total

    def contracted_hours(self, measure: Measure, area_ids: Collection[int]) -> Decimal:
        by_area = self.hours.get(measure.key, {})
        return sum((by_area.get(area_id, Decimal(0)) for area_id in area_ids), Decimal(0))


def stored_nation(previous_from: date, previous_to: date, date_from: date, date_to: date) -> StoredNation:
    """Every area's figures for a period and the previous one, counted as known on the period's last
    day (as `national_report` computes them live): a fixed number of grouped queries."""
    areas = list(Area.objects.select_related("region"))
    areas.sort(key=lambda a: (region_position(a.region.name), a.region.name, a.name))
    headers = list(StoredFigures.objects.values_list("area_id", "computed_at", "unavailable"))
    missing = {a.pk for a in areas} - {area_id for area_id, _, _ in headers}
    if missing:
        store_missing_figures(sorted(missing))
        headers = list(StoredFigures.objects.values_list("area_id", "computed_at", "unavailable"))
    now = Q(day__isnull=True) | Q(day__range=(date_from, date_to))
    before = Q(day__isnull=True) | Q(day__range=(previous_from, previous_to))
    rows = (
        MeasureFigure.objects.filter(now | before, _known_by(date_to))
        .values("area_id", "measure_key")
        .annotate(
            points_now=Sum("points", filter=now),
            total_now=Sum("total", filter=now),
            points_before=Sum("points", filter=before),
            total_before=Sum("total", filter=before),
            hours_sum=Sum("contracted_hours"),
        )
        .order_by()
    )
    tallies: dict[tuple[str, date], dict[int, Tally]] = defaultdict(dict)
    hours: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for row in rows:
        key, area_id = row["measure_key"], row["area_id"]
        tallies[(key, date_from)][area_id] = (row["points_now"] or 0, row["total_now"] or Decimal(0))
        tallies[(key, previous_from)][area_id] = (
            row["points_before"] or 0,
            row["total_before"] or Decimal(0),
        )
        if row["hours_sum"]:
            hours[key][area_id] = row["hours_sum"]
    # A measure has no data nationally when no area has the records it reads.
    unavailable = frozenset.intersection(*(frozenset(u) for _, _, u in headers)) if headers else frozenset()
    return StoredNation(
        date_from=previous_from,
        date_to=date_to,
        areas=areas,
        settings=national_settings(),
        observed={},
        unavailable=unavailable,
        computed_at=min((at for _, at, _ in headers), default=None),
        tallies=dict(tallies),
        hours=dict(hours),
    )


# ---------------------------------------------------------------- verifying


def verify_area_figures(area: Area, date_from: date, date_to: date) -> list[str]:
    """Where the stored figures differ from computing the measures from the records over a period:
    the table and each month of the trend, for the area and each of its units (`oms performance
    --verify`). Empty when they agree; records changed since the last calculation show here."""
    # Imported here: queries imports this module's readers lazily in turn.
    from oms.organisation.models import Unit as OrganisationUnit
    from oms.performance.measures import observe_area
    from oms.performance.queries import trends

    live, stored = observe_area(area, date_from, date_to), stored_area(area, date_from, date_to)
    differences = []
    units = list(OrganisationUnit.objects.filter(area=area).order_by("name"))
    for unit in [None, *units]:
        where = area.name if unit is None else f"{area.name}, {unit.name}"
        unit_id = unit.pk if unit else None
        pairs = [
            ("the period", a, b) for a, b in zip(live.results(unit_id), stored.results(unit_id), strict=True)
        ]
        live_trends, stored_trends = trends(live, unit_id), trends(stored, unit_id)
        for key, months in live_trends.items():
            pairs += [
                (f"{start:%B %Y}", a, b)
                for (start, a), (_, b) in zip(months, stored_trends[key], strict=True)
            ]
        differences += [
            f"{where}, {a.measure.key}, {when}: stored {_counted(b)}, records {_counted(a)}"
            for when, a, b in pairs
            if a.as_json() != b.as_json()
        ]
    return differences


def _counted(result: MeasureResult) -> str:
    """ "4 of 5 (80.0)": the same text whichever database summed the figures (PostgreSQL keeps the
    column's decimal place in a sum, SQLite does not)."""

    def shown(number: Decimal | None) -> str:
        return "-" if number is None else f"{number:f}".removesuffix(".0")

    return f"{shown(result.numerator)} of {shown(result.denominator)} ({result.value})"
