"""Reads shared by the pages, the API and the CLI: a fixed number of queries whatever the length."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.http import HttpRequest

from oms.accounts.models import AccessAction, AccessLogEntry
from oms.accounts.permissions import visible_cases
from oms.cases.models import Offender
from oms.organisation.models import Area, Staff
from oms.organisation.models import Unit as OrganisationUnit
from oms.performance import judgement
from oms.performance.constants import OFFENDER_CONTACT_ROLES
from oms.performance.judgement import Status
from oms.performance.measures import MEASURES, AreaObservations, MeasureResult, compute_measures, observe_area
from oms.performance.models import (
    Appraisal,
    OrganisationalRisk,
    SeriousFurtherOffence,
    SicknessAbsence,
    SupervisionSession,
    TrainingCompleted,
    TrainingNeed,
)
from oms.performance.services import bands_for

User = AbstractBaseUser | AnonymousUser


def log_case_reads(user: User, crns: list[str], what: str, request: HttpRequest | None = None) -> None:
    """Record that a list page showed these cases: one row per case, written in one statement."""
    if not crns:
        return
    authenticated = user.is_authenticated
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            user_id=user.pk if authenticated else None,
            username=user.get_username() if authenticated else "(system)",
            action=AccessAction.VIEW,
            crn=crn,
            what=what[:200],
            path=request.get_full_path()[:300] if request else "",
        )
        for crn in crns
    )


# ---------------------------------------------------------------- performance page

# The weighted scorecard: points for each measure's status, times the measure's weight (AreaTarget).
# The national scorecard of the time banded each target; OMS uses its three statuses, so a near
# miss earns some credit, as the report's asterisk does.
SCORECARD_POINTS = {Status.MET: Decimal(3), Status.NEAR_MISS: Decimal(1), Status.MISSED: Decimal(0)}
FULL_POINTS = Decimal(3)
# The trend chart covers at most this many months (the last ones of the period).
TREND_MONTHS = 24


@dataclass(frozen=True)
class UnitScore:
    unit: OrganisationUnit
    score: Decimal | None  # 0-100: weighted points as a share of the most possible
    met: int
    near_miss: int
    missed: int


def month_starts(date_from: date, date_to: date) -> list[date]:
    months = []
    current = date_from.replace(day=1)
    while current <= date_to:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months[-TREND_MONTHS:]


def month_end(start: date) -> date:
    return (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def trends(
    observations: AreaObservations, unit_id: int | None = None
) -> dict[str, list[tuple[date, MeasureResult]]]:
    """Each measure month by month over the period: sums over the same points, no further query."""
    found: dict[str, list[tuple[date, MeasureResult]]] = {}
    months = month_starts(observations.date_from, observations.date_to)
    for measure in MEASURES:
        found[measure.key] = [
            (
                start,
                observations.result(
                    measure,
                    max(start, observations.date_from),
                    min(month_end(start), observations.date_to),
                    unit_id,
                ),
            )
            for start in months
        ]
    return found


def unit_scorecard(observations: AreaObservations, units: list[OrganisationUnit]) -> list[UnitScore]:
    """The units ranked by weighted score, best first; units with nothing measured come last."""
    scores = []
    for unit in units:
        earned = possible = Decimal(0)
        counts: dict[Status, int] = defaultdict(int)
        for result in observations.results(unit.pk):
            if result.status == Status.NO_DATA:
                continue
            weight = observations.settings.weight(result.measure)
            earned += SCORECARD_POINTS[result.status] * weight
            possible += FULL_POINTS * weight
            counts[result.status] += 1
        score = (earned * 100 / possible).quantize(Decimal("0.1")) if possible else None
        scores.append(
            UnitScore(unit, score, counts[Status.MET], counts[Status.NEAR_MISS], counts[Status.MISSED])
        )
    return sorted(scores, key=lambda s: (s.score is None, -(s.score or 0), s.unit.name))


@dataclass
class PerformancePage:
    area: Area
    unit: OrganisationUnit | None
    date_from: date
    date_to: date
    results: list[MeasureResult]
    trends: dict[str, list[tuple[date, MeasureResult]]]
    scorecard: list[UnitScore]
    computed_at: datetime | None = None  # stored figures: when they were computed; None: live


def performance_page(
    area: Area,
    date_from: date,
    date_to: date,
    unit: OrganisationUnit | None = None,
    *,
    stored: bool = False,
) -> PerformancePage:
    """The table, the month trends and the unit scorecard: from the area's records, or (`stored`,
    the page) from its stored figures in a fixed number of queries (oms/performance/stored.py)."""
    observations = area_observations(area, date_from, date_to, stored=stored)
    unit_id = unit.pk if unit else None
    units = list(OrganisationUnit.objects.filter(area=area).order_by("name"))
    return PerformancePage(
        area=area,
        unit=unit,
        date_from=date_from,
        date_to=date_to,
        results=observations.results(unit_id),
        trends=trends(observations, unit_id),
        scorecard=unit_scorecard(observations, units),
        computed_at=observations.computed_at,
    )


def area_observations(area: Area, date_from: date, date_to: date, *, stored: bool) -> AreaObservations:
    if not stored:
        return observe_area(area, date_from, date_to)
    # Imported here: the stored figures build on the national report, which uses this module.
    from oms.performance.stored import stored_area

    return stored_area(area, date_from, date_to)


# ---------------------------------------------------------------- continuity

# Report (criterion 2.1): cases that had had three or more offender managers; progress was harmed
# in nearly half of them.
DISCONTINUITY_MANAGERS = 3


def discontinuous_cases(user: User, area: Area | None = None) -> QuerySet[Offender]:
    """The cases this user may see that have had three or more offender managers, most first."""
    cases = visible_cases(user)
    if area is not None:
        cases = cases.filter(area=area)
    return (
        Offender.objects.filter(pk__in=cases.values("pk"))
        .annotate(managers=Count("allocations__offender_manager", distinct=True))
        .filter(managers__gte=DISCONTINUITY_MANAGERS)
        .select_related("offender_manager")
        .order_by("-managers", "crn")
    )


# ---------------------------------------------------------------- workforce (criterion 4.4)

# Report 4.4(d): the area's policy is supervision twice a quarter for staff with offender contact;
# OMS counts the last 13 weeks (a rolling quarter) so nobody is "behind" on the first day of one.
SUPERVISION_SESSIONS_A_QUARTER = 2
QUARTER_DAYS = 91
# Report 4.4(d): "a formal appraisal during the last 12 months".
APPRAISAL_WITHIN_DAYS = 365
YEAR_DAYS = 365


@dataclass
class StaffWorkforce:
    staff: Staff
    needs_supervision: bool
    supervision_sessions_last_quarter: int
    last_appraisal: date | None
    sickness_days_last_year: Decimal
    open_training_needs: int
    training_done_last_year: int
    behind: list[str] = field(default_factory=list)


def workforce(people: QuerySet[Staff], today: date) -> list[StaffWorkforce]:
    """Each person's supervision, appraisal, sickness and training; who is behind comes first."""
    staff = list(people.select_related("grade", "team").order_by("family_name", "first_name"))
    ids = [s.pk for s in staff]
    quarter_ago, year_ago = today - timedelta(days=QUARTER_DAYS), today - timedelta(days=YEAR_DAYS)
    sessions = dict(
        SupervisionSession.objects.filter(staff_id__in=ids, held_on__gt=quarter_ago, held_on__lte=today)
        .values_list("staff_id")
        .annotate(n=Count("pk"))
    )
    appraised = dict(
        Appraisal.objects.filter(staff_id__in=ids, held_on__lte=today)
        .values_list("staff_id")
        .annotate(last=Max("held_on"))
    )
    sickness = dict(
        SicknessAbsence.objects.filter(staff_id__in=ids, first_day__gt=year_ago, first_day__lte=today)
        .values_list("staff_id")
        .annotate(days=Sum("working_days_lost"))
    )
    open_needs = dict(
        TrainingNeed.objects.filter(staff_id__in=ids)
        .filter(Q(met_on__isnull=True) | Q(met_on__gt=today))
        .values_list("staff_id")
        .annotate(n=Count("pk"))
    )
    trained = dict(
        TrainingCompleted.objects.filter(staff_id__in=ids, completed_on__gt=year_ago, completed_on__lte=today)
        .values_list("staff_id")
        .annotate(n=Count("pk"))
    )
    rows = []
    for person in staff:
        needs_supervision = person.grade.role in OFFENDER_CONTACT_ROLES
        last = appraised.get(person.pk)
        row = StaffWorkforce(
            staff=person,
            needs_supervision=needs_supervision,
            supervision_sessions_last_quarter=sessions.get(person.pk, 0),
            last_appraisal=last,
            sickness_days_last_year=Decimal(sickness.get(person.pk) or 0),
            open_training_needs=open_needs.get(person.pk, 0),
            training_done_last_year=trained.get(person.pk, 0),
        )
        if needs_supervision and row.supervision_sessions_last_quarter < SUPERVISION_SESSIONS_A_QUARTER:
            row.behind.append("supervision")
        if last is None or (today - last).days > APPRAISAL_WITHIN_DAYS:
            row.behind.append("appraisal")
        if row.open_training_needs:
            row.behind.append("training")
        rows.append(row)
    rows.sort(key=lambda r: (not r.behind, r.staff.family_name, r.staff.first_name))
    return rows


# ---------------------------------------------------------------- registers


def sfo_register(user: User, area: Area | None) -> list[SeriousFurtherOffence]:
    cases = visible_cases(user)
    if area is not None:
        cases = cases.filter(area=area)
    return list(
        SeriousFurtherOffence.objects.filter(offender__in=cases.values("pk")).select_related(
            "offender", "offence", "review_author"
        )
    )


@dataclass
class HeatMap:
    """The 5 x 5 matrix: rows impact 5 down to 1, columns likelihood 1 to 5, each cell a count and RAG."""

    rows: list[
        tuple[int, list[tuple[int, int, judgement.Rag, int]]]
    ]  # impact, [(likelihood, score, rag, count)]
    total: int
    by_rag: dict[str, int]


def risk_register(area: Area) -> tuple[list[tuple[OrganisationalRisk, judgement.Rag]], HeatMap]:
    bands = bands_for(area)
    risks = list(
        OrganisationalRisk.objects.filter(area=area, is_closed=False)
        .select_related("owner")
        .prefetch_related("actions__owner")
    )
    counts: dict[tuple[int, int], int] = defaultdict(int)
    by_rag: dict[str, int] = defaultdict(int)
    rated = []
    for risk in risks:
        rag = bands.rag(risk.likelihood, risk.impact)
        counts[(risk.likelihood, risk.impact)] += 1
        by_rag[rag.value] += 1
        rated.append((risk, rag))
    rated.sort(key=lambda pair: (-pair[0].score, pair[0].title))
    rows = [
        (
            impact,
            [
                (likelihood, likelihood * impact, bands.rag(likelihood, impact), counts[(likelihood, impact)])
                for likelihood in judgement.RISK_SCALE
            ],
        )
        for impact in reversed(judgement.RISK_SCALE)
    ]
    return rated, HeatMap(rows=rows, total=len(risks), by_rag=dict(by_rag))


def _shown(result: MeasureResult | None) -> str:
    """A figure as the report's table prints it: the value, its unit and the asterisk."""
    if result is None or result.value is None:
        return "No data"
    unit = "%" if result.measure.unit.value == "%" else " days"
    return f"{result.value}{unit}" + ("*" if judgement.shows_asterisk(result.status) else "")


def area_measures(area: Area, date_from: date, date_to: date) -> list[dict[str, str]]:
    """The performance table as the inspection report prints it (criterion 4.2): with the report's
    asterisk for a met target or near miss, the RAG in words, and England and Wales beside the area
    (computed over all areas' records)."""
    # Imported here: the national report uses this module's scorecard points.
    from oms.performance.national import england_and_wales

    national = england_and_wales(date_from, date_to)
    rows = []
    for result in compute_measures(area, date_from, date_to):
        unit = "%" if result.measure.unit.value == "%" else " days"
        rows.append(
            {
                "measure": result.measure.label,
                "target": f"{result.target}{unit}",
                "actual": _shown(result),
                "rag": judgement.RAG_FOR_STATUS[result.status].value.title()
                if result.status != judgement.Status.NO_DATA
                else "No data",
                "england_and_wales": _shown(national.get(result.measure.key)),
            }
        )
    return rows
