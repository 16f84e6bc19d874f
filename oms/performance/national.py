"""The national performance report: every area's criterion 4.2 measures, England and Wales, the
regions and the weighted scorecard (spec/national.md).

Every measure observes the records of all areas once, each point tagged with its area (a fixed number
of queries, grouped by area, whatever the number of areas). An area's figures, its region's and
England and Wales's are then sums over the same points: the national figure is computed over all
areas' records, never as an average of the areas' percentages (as the report's 4.2 table).

The scorecard: each measure's status points (met 3, near miss 1, missed 0: queries.SCORECARD_POINTS)
times the measure's national weight (NationalWeight), as a share of the most the area could earn.
Areas rank 1..N by the unrounded score (ties by name); movement is against the previous report,
the period of the same length that ends the day before this one, read from the same observations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldError

from oms.cases.models import Offender
from oms.organisation.models import Area, Staff
from oms.organisation.national import region_position
from oms.performance.judgement import Status, judge
from oms.performance.measures import (
    MEASURES,
    AreaSettings,
    Context,
    Kind,
    Measure,
    MeasureResult,
    Observations,
    Point,
    fte_of,
)
from oms.performance.models import AreaTarget, NationalWeight
from oms.performance.queries import FULL_POINTS, SCORECARD_POINTS
from oms.read_replica import national_reads
from oms.standards.models import AreaStandards
from oms.standards.rules import load_rules

# Points are grouped by the case's area (cases) and the member of staff's area (sickness, staff).
AREA_GROUP = "area_id"
SCORE_PLACES = Decimal("0.1")
ENGLAND_AND_WALES = "England and Wales"


@dataclass(frozen=True)
class NationalSettings:
    """Every area's targets and target numbers, and the national scorecard weights."""

    by_area: dict[int, AreaSettings]
    weights: dict[str, Decimal]

    def area(self, area_id: int) -> AreaSettings:
        return self.by_area.get(area_id, AreaSettings({}, {}, {}))

    def weight(self, measure: Measure) -> Decimal:
        return self.weights.get(measure.key, Decimal(1))


def national_weights() -> dict[str, Decimal]:
    return {
        key: Decimal(weight) for key, weight in NationalWeight.objects.values_list("measure_key", "weight")
    }


def national_settings() -> NationalSettings:
    """Two queries: every area's targets, and the national weights."""
    targets: dict[int, dict[str, Decimal]] = defaultdict(dict)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for area_id, key, target, count in AreaTarget.objects.values_list(
        "area_id", "measure_key", "target", "annual_count"
    ):
        if target is not None:
            targets[area_id][key] = Decimal(target)
        if count is not None:
            counts[area_id][key] = count
    by_area = {
        area_id: AreaSettings(targets.get(area_id, {}), counts.get(area_id, {}), {})
        for area_id in set(targets) | set(counts)
    }
    return NationalSettings(by_area, national_weights())


def _figures_by_area() -> dict[int | None, dict[str, tuple[int, str]]]:
    """The National Standards figures of the areas that set their own (one query); others use the
    shipped figures, which every measure falls back to."""
    found: dict[int | None, dict[str, tuple[int, str]]] = {}
    for area_id, rules_yaml in AreaStandards.objects.values_list("area_id", "rules_yaml"):
        if rules_yaml:
            found[area_id] = {
                rule.key: (rule.deadline.amount, rule.deadline.unit.value)
                for rule in load_rules(rules_yaml)
                if rule.deadline is not None
            }
    return found


def national_context(as_of: date) -> Context:
    return Context(
        area=None,
        as_of=as_of,
        cases=Offender.objects.values("pk"),
        staff=Staff.objects.filter(area__isnull=False, is_active=True, organisation=""),
        rule_figures={},
        case_group=AREA_GROUP,
        staff_group=AREA_GROUP,
        figures_by_group=_figures_by_area(),
    )


@dataclass
class NationalObservations:
    """Every measure's points for every area, and what is needed to sum them over any group of areas."""

    date_from: date
    date_to: date
    areas: list[Area]
    settings: NationalSettings
    observed: dict[str, Observations]
    _by_area: dict[str, dict[int | None, list[Point]]] = field(default_factory=dict)
    computed_at: datetime | None = None  # stored figures: the oldest area's calculation; None: live

    def points(self, measure: Measure, area_ids: Collection[int]) -> list[Point]:
        """The measure's points for these areas, indexed by area once so that a report of N areas
        does not scan every point N times."""
        by_area = self._by_area.get(measure.key)
        if by_area is None:
            by_area = defaultdict(list)
            for point in self.observed[measure.key].points:
                by_area[point.unit_id].append(point)
            self._by_area[measure.key] = by_area
        if len(area_ids) == 1:
            return by_area.get(next(iter(area_ids)), [])
        return [point for area_id in area_ids for point in by_area.get(area_id, [])]

    def result(
        self,
        measure: Measure,
        area_ids: Collection[int],
        date_from: date | None = None,
        date_to: date | None = None,
        *,
        target: Decimal | None = None,
    ) -> MeasureResult:
        """The measure over the records of these areas (one area: that area's own target)."""
        date_from, date_to = date_from or self.date_from, date_to or self.date_to
        if target is None:
            target = (
                self.settings.area(next(iter(area_ids))).target(measure)
                if len(area_ids) == 1
                else measure.target
            )
        chosen = set(area_ids)
        expected = None
        if measure.kind == Kind.AGAINST_TARGET_NUMBER:
            # Only areas with a target number can be judged against one: their records, their numbers.
            counts = {
                area_id: self.settings.area(area_id).annual_counts[measure.key]
                for area_id in chosen
                if measure.key in self.settings.area(area_id).annual_counts
            }
            if counts:
                chosen = set(counts)
            expected = Decimal(sum(counts.values())) if counts else None
        tally = self.tally(measure, chosen, date_from, date_to)
        if tally is None:
            return MeasureResult(measure, target, None, None, None, Status.NO_DATA)
        fte = None
        if measure.kind == Kind.DAYS_PER_FTE_YEAR:
            fte = fte_of(self.contracted_hours(measure, chosen))
        numerator, denominator, value = measure.summarise_tally(
            *tally, date_from, date_to, expected_per_year=expected, fte=fte
        )
        return MeasureResult(
            measure,
            target,
            value,
            numerator,
            denominator,
            judge(value, target, measure.unit, measure.direction),
        )

    def tally(
        self, measure: Measure, area_ids: Collection[int], date_from: date, date_to: date
    ) -> tuple[int, Decimal] | None:
        """The number of the measure's points for these areas in the period and the sum of their
        values; None when the records it reads do not exist."""
        if not self.observed[measure.key].available:
            return None
        chosen = [p for p in self.points(measure, area_ids) if p.day is None or date_from <= p.day <= date_to]
        return len(chosen), sum((p.value for p in chosen), Decimal(0))

    def contracted_hours(self, measure: Measure, area_ids: Collection[int]) -> Decimal:
        hours = self.observed[measure.key].hours_by_unit
        return sum((hours.get(area_id, Decimal(0)) for area_id in area_ids), Decimal(0))


@national_reads()  # every area's records: from the read replica when one is configured
def observe_nation(date_from: date, date_to: date, as_of: date | None = None) -> NationalObservations:
    """Read every measure's records for all areas once: a fixed number of queries, grouped by area."""
    ctx = national_context(as_of or date_to)
    observed = {}
    for measure in MEASURES:
        try:
            observed[measure.key] = measure.observe(ctx, date_from, date_to)
        except FieldError:
            observed[measure.key] = Observations(available=False)
    areas = list(Area.objects.select_related("region"))
    areas.sort(key=lambda a: (region_position(a.region.name), a.region.name, a.name))
    return NationalObservations(date_from, date_to, areas, national_settings(), observed)


# ---------------------------------------------------------------- the report


@dataclass(frozen=True)
class AreaLine:
    area: Area
    rank: int
    weighted_score: Decimal | None  # 0-100, rounded to one place; ranked on the unrounded score
    previous_rank: int | None
    met: int
    near_miss: int
    missed: int
    results: list[MeasureResult]

    @property
    def movement(self) -> int | None:
        """Places gained since the previous report (negative: places lost)."""
        return None if self.previous_rank is None else self.previous_rank - self.rank

    def as_json(self) -> dict[str, Any]:
        return {
            "area": self.area.name,
            "region": self.area.region.name,
            "rank": self.rank,
            "weighted_score": self.weighted_score,
            "previous_rank": self.previous_rank,
            "movement": self.movement,
            "met": self.met,
            "near_miss": self.near_miss,
            "missed": self.missed,
            "measures": [r.as_json() for r in self.results],
        }


@dataclass(frozen=True)
class GroupLine:
    name: str
    results: list[MeasureResult]

    def as_json(self, key: str) -> dict[str, Any]:
        return {key: self.name, "measures": [r.as_json() for r in self.results]}


@dataclass(frozen=True)
class NationalReport:
    date_from: date
    date_to: date
    previous_from: date
    previous_to: date
    areas: list[AreaLine]  # by rank
    england_and_wales: GroupLine
    regions: list[GroupLine]  # in the spec's order
    computed_at: datetime | None = None  # stored figures: the oldest area's calculation; None: live

    def as_json(self) -> dict[str, Any]:
        return {
            "from": self.date_from,
            "to": self.date_to,
            "previous_from": self.previous_from,
            "previous_to": self.previous_to,
            "areas": [line.as_json() for line in self.areas],
            "england_and_wales": {"measures": [r.as_json() for r in self.england_and_wales.results]},
            "regions": [line.as_json("region") for line in self.regions],
        }

    def line_for(self, area: Area) -> AreaLine | None:
        return next((line for line in self.areas if line.area.pk == area.pk), None)


def _score(
    results: list[MeasureResult], settings: NationalSettings
) -> tuple[Decimal | None, dict[Status, int]]:
    earned = possible = Decimal(0)
    counts: dict[Status, int] = defaultdict(int)
    for result in results:
        if result.status == Status.NO_DATA:
            continue
        weight = settings.weight(result.measure)
        earned += SCORECARD_POINTS[result.status] * weight
        possible += FULL_POINTS * weight
        counts[result.status] += 1
    return (earned * 100 / possible if possible else None), counts


def _ranks(scores: dict[int, Decimal | None], names: dict[int, str]) -> dict[int, int]:
    """1..N by the unrounded score, best first; ties by name; areas with nothing measured last."""
    order = sorted(
        scores, key=lambda area_id: (scores[area_id] is None, -(scores[area_id] or 0), names[area_id])
    )
    return {area_id: place for place, area_id in enumerate(order, start=1)}


def previous_period(date_from: date, date_to: date) -> tuple[date, date]:
    """The previous report: the period of the same length that ends the day before this one starts."""
    length = date_to - date_from
    previous_to = date_from - timedelta(days=1)
    return previous_to - length, previous_to


@national_reads()
def national_report(date_from: date, date_to: date) -> NationalReport:
    """Every area ranked, with England and Wales and the regions, computed from the records: a fixed
    number of queries (the CLI; the pages read the stored figures, `stored_national_report`)."""
    previous_from, _ = previous_period(date_from, date_to)
    return report_from(observe_nation(previous_from, date_to, as_of=date_to), date_from, date_to)


def stored_national_report(date_from: date, date_to: date) -> NationalReport:
    """The national report from every area's stored figures (oms/performance/stored.py): the same
    answers for the same records, in a few grouped queries. Read from the primary: an area with no
    figures yet has them stored first, and a replica might not have them yet."""
    from oms.performance.stored import stored_nation

    previous_from, previous_to = previous_period(date_from, date_to)
    return report_from(stored_nation(previous_from, previous_to, date_from, date_to), date_from, date_to)


def report_from(nation: NationalObservations, date_from: date, date_to: date) -> NationalReport:
    """Rank the areas over the period and the previous one, as known on the period's last day."""
    previous_from, previous_to = previous_period(date_from, date_to)
    names = {area.pk: area.name for area in nation.areas}
    current: dict[int, list[MeasureResult]] = {}
    scores: dict[int, Decimal | None] = {}
    tallies: dict[int, dict[Status, int]] = {}
    earlier: dict[int, Decimal | None] = {}
    for area in nation.areas:
        current[area.pk] = [nation.result(m, [area.pk], date_from, date_to) for m in MEASURES]
        scores[area.pk], tallies[area.pk] = _score(current[area.pk], nation.settings)
        before = [nation.result(m, [area.pk], previous_from, previous_to) for m in MEASURES]
        earlier[area.pk], _ = _score(before, nation.settings)
    ranks = _ranks(scores, names)
    previous_ranks = _ranks(earlier, names)
    lines = [
        AreaLine(
            area=area,
            rank=ranks[area.pk],
            weighted_score=None if scores[area.pk] is None else scores[area.pk].quantize(SCORE_PLACES),  # type: ignore[union-attr]
            previous_rank=previous_ranks[area.pk] if earlier[area.pk] is not None else None,
            met=tallies[area.pk][Status.MET],
            near_miss=tallies[area.pk][Status.NEAR_MISS],
            missed=tallies[area.pk][Status.MISSED],
            results=current[area.pk],
        )
        for area in nation.areas
    ]
    lines.sort(key=lambda line: line.rank)
    return NationalReport(
        date_from=date_from,
        date_to=date_to,
        previous_from=previous_from,
        previous_to=previous_to,
        areas=lines,
        england_and_wales=_group(nation, ENGLAND_AND_WALES, [a.pk for a in nation.areas], date_from, date_to),
        regions=_regions(nation, date_from, date_to),
        computed_at=nation.computed_at,
    )


def _group(
    nation: NationalObservations, name: str, area_ids: list[int], date_from: date, date_to: date
) -> GroupLine:
    return GroupLine(
        name, [nation.result(m, area_ids, date_from, date_to, target=m.target) for m in MEASURES]
    )


def _regions(nation: NationalObservations, date_from: date, date_to: date) -> list[GroupLine]:
    by_region: dict[str, list[int]] = {}
    for area in nation.areas:  # already in the spec's region order
        by_region.setdefault(area.region.name, []).append(area.pk)
    return [_group(nation, region, ids, date_from, date_to) for region, ids in by_region.items()]


# ---------------------------------------------------------------- an area beside the nation


def england_and_wales(date_from: date, date_to: date) -> dict[str, MeasureResult]:
    """England and Wales over a period, by measure key (the inspection report's 4.2 column)."""
    nation = observe_nation(date_from, date_to)
    group = _group(nation, ENGLAND_AND_WALES, [a.pk for a in nation.areas], date_from, date_to)
    return {r.measure.key: r for r in group.results}


@dataclass(frozen=True)
class Comparison:
    """An area's place in the league table, its region's and England and Wales's figures."""

    line: AreaLine | None
    of_areas: int
    region: str
    region_results: dict[str, MeasureResult]  # by measure key
    england_and_wales: dict[str, MeasureResult]


def comparison_for(area: Area, date_from: date, date_to: date, *, stored: bool = False) -> Comparison:
    """The area beside its region and England and Wales over the same period: the national report's
    fixed number of queries, whatever the number of areas (`stored`: from the stored figures)."""
    report = stored_national_report(date_from, date_to) if stored else national_report(date_from, date_to)
    line = report.line_for(area)
    region_name = line.area.region.name if line else ""
    region = next((group for group in report.regions if group.name == region_name), None)
    return Comparison(
        line=line,
        of_areas=len(report.areas),
        region=region_name,
        region_results={r.measure.key: r for r in region.results} if region else {},
        england_and_wales={r.measure.key: r for r in report.england_and_wales.results},
    )
