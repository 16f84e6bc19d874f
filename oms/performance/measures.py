"""The national performance measures of report criterion 4.2, as data beside the code that counts them.

spec/inspection.md, "Performance measures (report criterion 4.2)": each row of that table is one
`Measure` here, with its label exactly as the spec writes it, its default target and its unit.

Each measure *observes* the records of an area once (a fixed number of queries, whatever the number
of cases) and returns dated points, each tagged with the unit of the case or person it is about.
Totals for the period, the trend by month and the ranking of units are all sums over those points,
so a page showing all three reads each measure's records once.

Records that belong to other apps (enforcement, interventions, court reports, victims, risk) are
looked up through the app registry: a measure whose records do not exist (yet) reports no data,
never an error, and starts counting when they land.

Where a measure is "within N working days" of something, N comes from the National Standards rule
of the same row (oms/standards/default_rules.yaml, or the area's own figures), so an area that
changes its figure changes the measure with it; working days come from oms.timescales.calendar.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from oms.cases.constants import COMMUNITY_EVENT_KINDS, EthnicGroup, EventKind, TerminationReason
from oms.cases.models import Event, Offender, Requirement
from oms.organisation.models import Area, Staff
from oms.organisation.models import Unit as OrganisationUnit
from oms.performance.judgement import STATUS_LABELS, Direction, Status, Unit, judge, percentage
from oms.standards.queries import rules_for_area
from oms.standards.rules import DeadlineUnit, Rule
from oms.timescales.calendar import add_weeks, add_working_days, working_days_between

ONE_DECIMAL = Decimal("0.1")
DAYS_IN_YEAR = Decimal(365)
# A full-time member of staff works this many contracted hours a week (Staff.contracted_hours default).
FULL_TIME_HOURS = Decimal(37)
# spec/inspection.md "Compliance: arranged appointments attended in the first 26 weeks".
COMPLIANCE_WEEKS = 26
# spec rows "Victims of serious sexual/violent offences (custody 12+ months)".
STATUTORY_VICTIM_CUSTODY_MONTHS = 12
HIGH_ROH_LEVELS = ("high", "very_high")
# Contact outcomes: attended (complied or not) against unacceptable absences; acceptable absences
# are not "arranged appointments" the person was expected at, so they are left out, as nationally.
ATTENDED_OUTCOMES = ("attended_complied", "failed_to_comply")
UNACCEPTABLE_ABSENCE_OUTCOMES = ("unacceptable_absence",)
# Unpaid work ledger lines that count towards the hours ordered.
UNPAID_WORK_CREDITED_KINDS = ("worked", "skills_for_life")
UNPAID_WORK = "unpaid_work"
DRUG_REHABILITATION = "drug_rehabilitation"
INTO_EMPLOYMENT = "employment"

# The National Standards rules whose figures these measures use, with the figure used if an area's
# rule file has no such rule (the same figures as spec/national-standards.md).
WD, WEEKS = DeadlineUnit.WORKING_DAYS.value, DeadlineUnit.WEEKS.value
RULE_BREACH_ACTION = ("breach_action", 10, WD)
RULE_BREACH_RESOLVED = ("breach_resolved", 25, WD)
RULE_ROH_ASSESSMENT_AND_PLAN = ("roh_assessment_and_plan_high_roh_and_ppo", 5, WD)
# The same rule's "work done this long before release counts" (default_rules.yaml).
RULE_ROH_PLAN_BEFORE_RELEASE = ("roh_assessment_and_plan_high_roh_and_ppo", 12, WEEKS)
RULE_VICTIM_CONTACT_OFFERED = ("statutory_victim_contact_offered", 8, WEEKS)


class Kind:
    """How a measure's points add up to its value."""

    RATIO = "ratio"  # hits / points, as a percentage
    AGAINST_TARGET_NUMBER = "against_target_number"  # points / the period's share of the target number
    AVERAGE = "average"  # mean of the points' values (days)
    DAYS_PER_FTE_YEAR = "days_per_fte_year"  # sum of days / FTE, scaled to a year


@dataclass(frozen=True, slots=True)
class Point:
    day: date | None  # None: a snapshot fact that holds in every period
    unit_id: int | None
    value: Decimal  # RATIO: 1 or 0; AGAINST_TARGET_NUMBER: 1; AVERAGE and DAYS_PER_FTE_YEAR: days
    # The first evaluation day on which the point counts (a "within N days" point is judged once the
    # work is done or its deadline has passed); None: known as soon as it happens. The stored figures
    # keep it so that a period ending in the past counts what was known on its last day.
    known_on: date | None = None


@dataclass
class Observations:
    points: list[Point] = field(default_factory=list)
    available: bool = True  # False when the records the measure needs do not exist
    # Contracted hours of current staff by group (sickness): the FTE is their sum over FULL_TIME_HOURS.
    hours_by_unit: dict[int | None, Decimal] = field(default_factory=dict)


def fte_of(contracted_hours: Decimal) -> Decimal:
    """Full-time equivalents of a sum of contracted hours (one division, so stored sums give the same)."""
    return contracted_hours / FULL_TIME_HOURS


# The group a point belongs to within one area: the unit of the case's offender manager, or of the
# member of staff.
CASE_UNIT = "offender_manager__team__unit_id"
STAFF_UNIT = "team__unit_id"


@dataclass(frozen=True)
class Context:
    """What measures share: the cases and staff observed, their rule figures, the evaluation day.

    Each point is tagged with a group: for one area the unit of the case's offender manager (or of
    the member of staff), for the national report the case's or person's area (`case_group` and
    `staff_group` name the path). Nationally each area's own rule figures date its deadlines.
    """

    area: Area | None
    as_of: date
    cases: QuerySet[Offender, Any]
    staff: QuerySet[Staff]
    rule_figures: dict[str, tuple[int, str]]
    case_group: str = CASE_UNIT
    staff_group: str = STAFF_UNIT
    figures_by_group: dict[int | None, dict[str, tuple[int, str]]] | None = None
    # Each rule's "work before release counts" period, for the rules that have one.
    before_release_figures: dict[str, tuple[int, str]] = field(default_factory=dict)

    def figure(self, rule: tuple[str, int, str], group: int | None = None) -> tuple[int, str]:
        key, amount, unit = rule
        figures = self.rule_figures
        if self.figures_by_group is not None:
            figures = self.figures_by_group.get(group, self.rule_figures)
        return figures.get(key, (amount, unit))

    def before_release_figure(self, rule: tuple[str, int, str]) -> tuple[int, str]:
        key, amount, unit = rule
        return self.before_release_figures.get(key, (amount, unit))


Observer = Callable[[Context, date, date], Observations]


@dataclass(frozen=True)
class Measure:
    key: str
    label: str  # exactly as spec/inspection.md's table
    target: Decimal  # the spec's default; an area may set its own (AreaTarget)
    unit: Unit
    direction: Direction
    kind: str
    observe: Observer
    spec_row: str = ""

    def summarise(
        self,
        points: Iterable[Point],
        date_from: date,
        date_to: date,
        *,
        expected_per_year: Decimal | None = None,
        fte: Decimal | None = None,
    ) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        """(numerator, denominator, value) of the points falling in the period."""
        chosen = [p for p in points if p.day is None or date_from <= p.day <= date_to]
        total = sum((p.value for p in chosen), Decimal(0))
        return self.summarise_tally(
            len(chosen), total, date_from, date_to, expected_per_year=expected_per_year, fte=fte
        )

    def summarise_tally(
        self,
        count: int,
        total: Decimal,
        date_from: date,
        date_to: date,
        *,
        expected_per_year: Decimal | None = None,
        fte: Decimal | None = None,
    ) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        """(numerator, denominator, value) from the number of points in the period and the sum of
        their values: every kind needs no more, so stored sums give the same answer as the points."""
        period_days = Decimal((date_to - date_from).days + 1)
        if self.kind == Kind.RATIO:
            return total, Decimal(count), percentage(int(total), count)
        if self.kind == Kind.AGAINST_TARGET_NUMBER:
            if not expected_per_year:
                return Decimal(count), None, None
            expected = (expected_per_year * period_days / DAYS_IN_YEAR).quantize(ONE_DECIMAL)
            if expected <= 0:
                return Decimal(count), expected, None
            value = (Decimal(count) * 100 / expected).quantize(ONE_DECIMAL)
            return Decimal(count), expected, value
        if self.kind == Kind.AVERAGE:
            if not count:
                return None, Decimal(0), None
            return total, Decimal(count), (total / count).quantize(ONE_DECIMAL)
        # DAYS_PER_FTE_YEAR
        if not fte:
            return None, None, None
        value = (total / fte * DAYS_IN_YEAR / period_days).quantize(ONE_DECIMAL)
        return total, fte.quantize(ONE_DECIMAL), value


# ---------------------------------------------------------------- guards and small readers


def _model(label: str) -> Any:
    """Another app's model, or None when it does not exist (yet)."""
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _local_day(moment: datetime | date) -> date:
    """The day in the service's time zone. Called for every contact of a period (tens of thousands
    on an area's performance page), so the zone's offset is looked up once per UTC hour: clocks
    change on the hour, so every moment of one UTC hour has the same offset."""
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            return moment.date()
        utc = moment.astimezone(UTC)
        return (utc + _offset_in_hour(utc.replace(minute=0, second=0, microsecond=0))).date()
    return moment


@lru_cache(maxsize=16384)
def _offset_in_hour(hour: datetime) -> timedelta:
    return timezone.localtime(hour).utcoffset() or timedelta(0)


def _deadline(trigger: date, figure: tuple[int, str]) -> date:
    amount, unit = figure
    if unit == WEEKS:
        return add_weeks(trigger, amount)
    return add_working_days(trigger, amount)


def _timely(
    points: list[Point], day: date, unit_id: int | None, due: date, done: date | None, as_of: date
) -> None:
    """A "within N days" observation: on time, late, or not yet judged (still inside its window).

    Judged on the day the work is done in time, or else the day after its deadline (late, whether
    done later or never): from then on the answer does not change."""
    if done is not None and done <= due:
        judged_on, value = done, Decimal(1)
    else:
        judged_on, value = due + timedelta(days=1), Decimal(0)
    if judged_on <= as_of:
        points.append(Point(day, unit_id, value, known_on=judged_on))


# ---------------------------------------------------------------- the measures


def observe_breach_within_ten_working_days(ctx: Context, date_from: date, date_to: date) -> Observations:
    breach = _model("supervision.Breach")
    if breach is None:
        return Observations(available=False)
    found = Observations()
    rows = breach.objects.filter(offender__in=ctx.cases).values_list(
        "failure__starts_at", "laid_before_court_on", f"offender__{ctx.case_group}"
    )
    for failed_at, laid_on, unit_id in rows:
        day = _local_day(failed_at)
        if date_from <= day <= date_to:
            _timely(
                found.points,
                day,
                unit_id,
                _deadline(day, ctx.figure(RULE_BREACH_ACTION, unit_id)),
                laid_on,
                ctx.as_of,
            )
    return found


def observe_compliance(ctx: Context, date_from: date, date_to: date) -> Observations:
    contact = _model("supervision.Contact")
    if contact is None:
        return Observations(available=False)
    found = Observations()
    start = timezone.make_aware(datetime.combine(date_from, datetime.min.time()))
    end = timezone.make_aware(datetime.combine(date_to + timedelta(days=1), datetime.min.time()))
    # Only the contacts of orders and licences that began late enough for a contact in the period to
    # fall in their first weeks: most of an area's contacts are later in long orders, and reading
    # them only to drop them below was most of the performance page's time. The exact check stays.
    earliest = date_from - timedelta(weeks=COMPLIANCE_WEEKS)
    licence = Q(event__kind=EventKind.LICENCE, event__release_date__isnull=False)
    began_in_time = (licence & Q(event__release_date__range=(earliest, date_to))) | (
        ~licence & Q(event__sentence_date__range=(earliest, date_to))
    )
    rows = contact.objects.filter(
        began_in_time,
        offender__in=ctx.cases,
        starts_at__gte=start,
        starts_at__lt=end,
        event__isnull=False,
        outcome__in=ATTENDED_OUTCOMES + UNACCEPTABLE_ABSENCE_OUTCOMES,
    ).values_list(
        "starts_at",
        "outcome",
        "event__kind",
        "event__sentence_date",
        "event__release_date",
        f"offender__{ctx.case_group}",
    )
    for starts_at, outcome, kind, sentence_date, release_date, unit_id in rows:
        day = _local_day(starts_at)
        began = release_date if kind == EventKind.LICENCE and release_date else sentence_date
        if began <= day < add_weeks(began, COMPLIANCE_WEEKS):
            found.points.append(Point(day, unit_id, Decimal(1 if outcome in ATTENDED_OUTCOMES else 0)))
    return found


def _dated_counts(model_label: str, day_field: str, **filters: object) -> Observer:
    """A measure "against the area's target number": one point per record dated in the period."""

    def observe(ctx: Context, date_from: date, date_to: date) -> Observations:
        model = _model(model_label)
        if model is None:
            return Observations(available=False)
        rows = model.objects.filter(
            offender__in=ctx.cases,
            **{f"{day_field}__gte": date_from, f"{day_field}__lte": date_to},
            **filters,
        ).values_list(day_field, f"offender__{ctx.case_group}")
        return Observations(points=[Point(day, unit_id, Decimal(1)) for day, unit_id in rows])

    return observe


def observe_unpaid_work_completions(ctx: Context, date_from: date, date_to: date) -> Observations:
    """An unpaid work requirement is completed on the day its credited hours reach the hours ordered."""
    entry = _model("interventions.UnpaidWorkEntry")
    if entry is None:
        return Observations(available=False)
    rows = (
        entry.objects.filter(
            requirement__event__offender__in=ctx.cases,
            requirement__hours__isnull=False,
            kind__in=UNPAID_WORK_CREDITED_KINDS,
            on__lte=date_to,
        )
        .order_by("requirement_id", "on", "id")
        .values_list("requirement_id", "requirement__hours", "on", "hours", f"offender__{ctx.case_group}")
    )
    found = Observations()
    credited: dict[int, Decimal] = defaultdict(Decimal)
    for requirement_id, ordered, day, hours, unit_id in rows:
        before = credited[requirement_id]
        credited[requirement_id] = before + hours
        if before < ordered <= credited[requirement_id] and date_from <= day <= date_to:
            found.points.append(Point(day, unit_id, Decimal(1)))
    return found


def observe_drr_starts(ctx: Context, date_from: date, date_to: date) -> Observations:
    rows = Requirement.objects.filter(
        event__offender__in=ctx.cases,
        requirement_type_id=DRUG_REHABILITATION,
        event__sentence_date__gte=date_from,
        event__sentence_date__lte=date_to,
    ).values_list("event__sentence_date", f"event__offender__{ctx.case_group}")
    return Observations(points=[Point(day, unit_id, Decimal(1)) for day, unit_id in rows])


def observe_drr_completions(ctx: Context, date_from: date, date_to: date) -> Observations:
    rows = Requirement.objects.filter(
        event__offender__in=ctx.cases,
        requirement_type_id=DRUG_REHABILITATION,
        event__termination_reason=TerminationReason.COMPLETED,
        event__terminated_on__gte=date_from,
        event__terminated_on__lte=date_to,
    ).values_list("event__terminated_on", f"event__offender__{ctx.case_group}")
    return Observations(points=[Point(day, unit_id, Decimal(1)) for day, unit_id in rows])


def observe_skills_for_life_starts(ctx: Context, date_from: date, date_to: date) -> Observations:
    """A start is a full assessment with an individual learning plan (report criterion 1.4(a))."""
    return _dated_counts("interventions.SkillsForLife", "assessed_on")(ctx, date_from, date_to)


def observe_sickness(ctx: Context, date_from: date, date_to: date) -> Observations:
    """Working days lost, by the day the absence began; FTE from contracted hours of current staff."""
    from oms.performance.models import SicknessAbsence

    found = Observations()
    for hours, unit_id in ctx.staff.values_list("contracted_hours", ctx.staff_group):
        found.hours_by_unit[unit_id] = found.hours_by_unit.get(unit_id, Decimal(0)) + Decimal(hours)
    rows = SicknessAbsence.objects.filter(
        staff__in=ctx.staff, first_day__gte=date_from, first_day__lte=date_to
    ).values_list("first_day", "working_days_lost", f"staff__{ctx.staff_group}")
    found.points = [Point(day, unit_id, Decimal(lost)) for day, lost, unit_id in rows]
    return found


def observe_court_report_timeliness(ctx: Context, date_from: date, date_to: date) -> Observations:
    report = _model("courts.PreSentenceReport")
    if report is None:
        return Observations(available=False)
    try:
        from oms.courts.rules import report_due
    except ImportError:
        return Observations(available=False)
    found = Observations()
    rows = report.objects.filter(
        offender__in=ctx.cases, requested_on__gte=date_from, requested_on__lte=date_to
    ).values_list(
        "kind",
        "requested_on",
        "remanded_in_custody",
        "court_type",
        "delivered_on",
        f"offender__{ctx.case_group}",
    )
    for kind, requested_on, remanded, court_type, delivered_on, unit_id in rows:
        due = report_due(kind, requested_on, remanded_at_magistrates=remanded and court_type == "magistrates")
        _timely(found.points, requested_on, unit_id, due, delivered_on, ctx.as_of)
    return found


def observe_ethnicity_data(ctx: Context, date_from: date, date_to: date) -> Observations:
    """Each sentence in the period: was the person's ethnicity recorded ("not stated" is an answer)."""
    rows = Event.objects.filter(
        offender__in=ctx.cases, sentence_date__gte=date_from, sentence_date__lte=date_to
    ).values_list("sentence_date", "offender__ethnicity_id", f"offender__{ctx.case_group}")
    return Observations(
        points=[Point(day, unit_id, Decimal(1 if code else 0)) for day, code, unit_id in rows]
    )


def observe_minority_ethnic_staff(ctx: Context, date_from: date, date_to: date) -> Observations:
    """Current staff who have answered: minority ethnic among white and minority ethnic (a snapshot)."""
    rows = (
        ctx.staff.filter(monitoring__isnull=False)
        .exclude(monitoring__ethnic_group=EthnicGroup.NOT_STATED)
        .values_list("monitoring__ethnic_group", ctx.staff_group)
    )
    return Observations(
        points=[
            Point(None, unit_id, Decimal(1 if group == EthnicGroup.MINORITY_ETHNIC else 0))
            for group, unit_id in rows
        ]
    )


def observe_victim_contact(ctx: Context, date_from: date, date_to: date) -> Observations:
    """Custody of 12 months or more for a violent or sexual offence: contact offered within 8 weeks.

    The offers are the victims app's `ContactOffer`, one a victim, each victim of one case.
    """
    offer = _model("victims.ContactOffer")
    if offer is None:
        return Observations(available=False)
    events = list(
        Event.objects.filter(
            offender__in=ctx.cases,
            kind__in=(EventKind.CUSTODY, EventKind.LICENCE),
            offence__is_violent_or_sexual=True,
            length_months__gte=STATUTORY_VICTIM_CUSTODY_MONTHS,
            sentence_date__gte=date_from,
            sentence_date__lte=date_to,
        ).values_list("offender_id", "sentence_date", f"offender__{ctx.case_group}")
    )
    offers: dict[int, list[date]] = defaultdict(list)
    for offender_id, offered_on in offer.objects.filter(
        victim__offender__in=ctx.cases, offered_on__isnull=False
    ).values_list("victim__offender_id", "offered_on"):
        offers[offender_id].append(offered_on)
    found = Observations()
    for offender_id, sentenced, unit_id in events:
        done = min((d for d in offers.get(offender_id, []) if d >= sentenced), default=None)
        _timely(
            found.points,
            sentenced,
            unit_id,
            _deadline(sentenced, ctx.figure(RULE_VICTIM_CONTACT_OFFERED, unit_id)),
            done,
            ctx.as_of,
        )
    return found


def _roh_within_five_working_days(case_filter: Q) -> Observer:
    """Start (community sentence) or release (licence) in the period: RMP submitted within 5 WD."""

    def observe(ctx: Context, date_from: date, date_to: date) -> Observations:
        plan = _model("risk.RiskManagementPlan")
        if plan is None:
            return Observations(available=False)
        lookback, lookback_unit = ctx.before_release_figure(RULE_ROH_PLAN_BEFORE_RELEASE)
        in_period = Q(
            kind__in=COMMUNITY_EVENT_KINDS, sentence_date__gte=date_from, sentence_date__lte=date_to
        ) | Q(kind=EventKind.LICENCE, release_date__gte=date_from, release_date__lte=date_to)
        cases = ctx.cases.filter(case_filter)
        events = Event.objects.filter(in_period, offender__in=cases).values_list(
            "offender_id", "kind", "sentence_date", "release_date", f"offender__{ctx.case_group}"
        )
        plans: dict[int, list[date]] = defaultdict(list)
        for offender_id, submitted_at in plan.objects.filter(
            offender__in=cases, submitted_at__isnull=False
        ).values_list("offender_id", "submitted_at"):
            plans[offender_id].append(_local_day(submitted_at))
        found = Observations()
        for offender_id, kind, sentenced, released, unit_id in events:
            began = released if kind == EventKind.LICENCE else sentenced
            # A plan made ready in custody in the weeks before release counts for that release.
            earliest = _deadline(began, (-lookback, lookback_unit)) if kind == EventKind.LICENCE else began
            done = min((d for d in plans.get(offender_id, []) if d >= earliest), default=None)
            _timely(
                found.points,
                began,
                unit_id,
                _deadline(began, ctx.figure(RULE_ROH_ASSESSMENT_AND_PLAN, unit_id)),
                done,
                ctx.as_of,
            )
        return found

    return observe


def observe_breach_resolution_average(ctx: Context, date_from: date, date_to: date) -> Observations:
    breach = _model("supervision.Breach")
    if breach is None:
        return Observations(available=False)
    rows = breach.objects.filter(
        offender__in=ctx.cases, resolved_on__gte=date_from, resolved_on__lte=date_to
    ).values_list("failure__starts_at", "resolved_on", f"offender__{ctx.case_group}")
    return Observations(
        points=[
            Point(resolved, unit_id, Decimal(working_days_between(_local_day(failed_at), resolved)))
            for failed_at, resolved, unit_id in rows
        ]
    )


def observe_breaches_resolved_in_time(ctx: Context, date_from: date, date_to: date) -> Observations:
    breach = _model("supervision.Breach")
    if breach is None:
        return Observations(available=False)
    found = Observations()
    for failed_at, resolved_on, unit_id in breach.objects.filter(offender__in=ctx.cases).values_list(
        "failure__starts_at", "resolved_on", f"offender__{ctx.case_group}"
    ):
        day = _local_day(failed_at)
        if date_from <= day <= date_to:
            _timely(
                found.points,
                day,
                unit_id,
                _deadline(day, ctx.figure(RULE_BREACH_RESOLVED, unit_id)),
                resolved_on,
                ctx.as_of,
            )
    return found


HIGHER, LOWER = Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER
PERCENT, DAYS = Unit.PERCENT, Unit.DAYS

MEASURES: tuple[Measure, ...] = (
    Measure("breach_within_ten_working_days", "Enforcement: breach taken where required within ten working days",
            Decimal(90), PERCENT, HIGHER, Kind.RATIO, observe_breach_within_ten_working_days),
    Measure("compliance_first_26_weeks", "Compliance: arranged appointments attended in the first 26 weeks",
            Decimal(85), PERCENT, HIGHER, Kind.RATIO, observe_compliance),
    Measure("programme_completions", "Accredited programme completions, against the area's target number",
            Decimal(100), PERCENT, HIGHER, Kind.AGAINST_TARGET_NUMBER,
            _dated_counts("interventions.ProgrammeReferral", "ended_on", completed=True)),
    Measure("unpaid_work_completions", "Unpaid work completions, against target",
            Decimal(100), PERCENT, HIGHER, Kind.AGAINST_TARGET_NUMBER, observe_unpaid_work_completions),
    Measure("drr_starts", "DRR starts, against target",
            Decimal(100), PERCENT, HIGHER, Kind.AGAINST_TARGET_NUMBER, observe_drr_starts),
    Measure("drr_completions", "DRR completions, against target",
            Decimal(100), PERCENT, HIGHER, Kind.AGAINST_TARGET_NUMBER, observe_drr_completions),
    Measure("skills_for_life_starts", "Skills for life starts, against target",
            Decimal(100), PERCENT, HIGHER, Kind.AGAINST_TARGET_NUMBER, observe_skills_for_life_starts),
    Measure("sickness_absence", "Staff sickness absence, average days a year",
            Decimal(9), DAYS, LOWER, Kind.DAYS_PER_FTE_YEAR, observe_sickness),
    Measure("court_report_timeliness", "Court report timeliness",
            Decimal(90), PERCENT, HIGHER, Kind.RATIO, observe_court_report_timeliness),
    Measure("ethnicity_data", "Accurate and timely ethnicity data",
            Decimal(95), PERCENT, HIGHER, Kind.RATIO, observe_ethnicity_data),
    Measure("minority_ethnic_staff", "Staff from minority ethnic groups (race equality employment target)",
            Decimal("7.2"), PERCENT, HIGHER, Kind.RATIO, observe_minority_ethnic_staff),
    Measure("victim_contact_within_eight_weeks",
            "Victims of serious sexual/violent offences (custody 12+ months) offered contact within eight weeks",
            Decimal(85), PERCENT, HIGHER, Kind.RATIO, observe_victim_contact),
    Measure("roh_high_within_five_working_days",
            "RoH assessments and plans for high RoH cases within five working days of start/release",
            Decimal(90), PERCENT, HIGHER, Kind.RATIO,
            _roh_within_five_working_days(Q(risk_of_harm_level__in=HIGH_ROH_LEVELS))),
    Measure("roh_ppo_within_five_working_days",
            "RoH assessments and plans for PPO cases within five working days of start/release",
            Decimal(90), PERCENT, HIGHER, Kind.RATIO, _roh_within_five_working_days(Q(is_ppo=True))),
    Measure("into_employment", "Offenders into employment, against target",
            Decimal(100), PERCENT, HIGHER, Kind.AGAINST_TARGET_NUMBER,
            _dated_counts("interventions.EteOutcome", "started_on", kind=INTO_EMPLOYMENT)),
    Measure("employment_retained_four_weeks", "Offenders into employment retained four weeks, against target",
            Decimal(100), PERCENT, HIGHER, Kind.AGAINST_TARGET_NUMBER,
            _dated_counts("interventions.EteOutcome", "retained_four_weeks_confirmed_on", kind=INTO_EMPLOYMENT)),
    Measure("breach_resolution_average_days", "Average time to resolve breach from the failure",
            Decimal(35), DAYS, LOWER, Kind.AVERAGE, observe_breach_resolution_average),
    Measure("breaches_resolved_within_25_working_days", "Breaches resolved within 25 working days of the failure",
            Decimal(50), PERCENT, HIGHER, Kind.RATIO, observe_breaches_resolved_in_time),
)  # fmt: skip

MEASURES_BY_KEY = {measure.key: measure for measure in MEASURES}


# ---------------------------------------------------------------- computing for an area


@dataclass(frozen=True)
class AreaSettings:
    """An area's targets, target numbers and scorecard weights (AreaTarget rows over the defaults)."""

    targets: dict[str, Decimal]
    annual_counts: dict[str, int]
    weights: dict[str, Decimal]

    def target(self, measure: Measure) -> Decimal:
        return self.targets.get(measure.key, measure.target)

    def weight(self, measure: Measure) -> Decimal:
        return self.weights.get(measure.key, Decimal(1))


def area_settings(area: Area) -> AreaSettings:
    from oms.performance.models import AreaTarget

    targets, counts, weights = {}, {}, {}
    for key, target, count, weight in AreaTarget.objects.filter(area=area).values_list(
        "measure_key", "target", "annual_count", "weight"
    ):
        if target is not None:
            targets[key] = Decimal(target)
        if count is not None:
            counts[key] = count
        weights[key] = Decimal(weight)
    return AreaSettings(targets, counts, weights)


def _rule_figures(rules: tuple[Rule, ...]) -> dict[str, tuple[int, str]]:
    return {
        rule.key: (rule.deadline.amount, rule.deadline.unit.value)
        for rule in rules
        if rule.deadline is not None
    }


def area_context(area: Area, as_of: date) -> Context:
    rules = rules_for_area(area.pk)
    return Context(
        area=area,
        as_of=as_of,
        cases=Offender.objects.filter(area=area).values("pk"),
        staff=Staff.objects.filter(area=area, is_active=True, organisation=""),
        rule_figures=_rule_figures(rules),
        before_release_figures={
            rule.key: (rule.work_before_release_counts.amount, rule.work_before_release_counts.unit.value)
            for rule in rules
            if rule.work_before_release_counts is not None
        },
    )


@dataclass(frozen=True)
class MeasureResult:
    measure: Measure
    target: Decimal
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    status: Status

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def as_json(self) -> dict[str, object]:
        return {
            "key": self.measure.key,
            "label": self.measure.label,
            "target": self.target,
            "value": self.value,
            "unit": self.measure.unit.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "status": self.status.value,
        }


@dataclass
class AreaObservations:
    """Every measure's points for an area over a period: totals, trends and unit rankings read these."""

    area: Area
    date_from: date
    date_to: date
    settings: AreaSettings
    observed: dict[str, Observations]
    current_cases_by_unit: dict[int | None, int]
    computed_at: datetime | None = None  # stored figures (oms/performance/stored.py): when computed

    def result(
        self, measure: Measure, date_from: date, date_to: date, unit_id: int | None = None
    ) -> MeasureResult:
        target = self.settings.target(measure)
        tally = self.tally(measure, date_from, date_to, unit_id)
        if tally is None:
            return MeasureResult(measure, target, None, None, None, Status.NO_DATA)
        expected = None
        if measure.kind == Kind.AGAINST_TARGET_NUMBER and measure.key in self.settings.annual_counts:
            expected = Decimal(self.settings.annual_counts[measure.key]) * self._unit_share(unit_id)
        fte = None
        if measure.kind == Kind.DAYS_PER_FTE_YEAR:
            hours = self.contracted_hours(measure, unit_id)
            fte = None if hours is None else fte_of(hours)
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
        self, measure: Measure, date_from: date, date_to: date, unit_id: int | None
    ) -> tuple[int, Decimal] | None:
        """How many of the measure's points fall in the period and the sum of their values (the area's
        or one unit's); None when the measure's records do not exist."""
        found = self.observed[measure.key]
        if not found.available:
            return None
        chosen = [
            p
            for p in found.points
            if (unit_id is None or p.unit_id == unit_id) and (p.day is None or date_from <= p.day <= date_to)
        ]
        return len(chosen), sum((p.value for p in chosen), Decimal(0))

    def contracted_hours(self, measure: Measure, unit_id: int | None) -> Decimal | None:
        """Current staff's contracted hours (the area's or one unit's): the FTE of the sickness measure."""
        hours = self.observed[measure.key].hours_by_unit
        if unit_id is None:
            return sum(hours.values(), Decimal(0))
        return hours.get(unit_id)

    def _unit_share(self, unit_id: int | None) -> Decimal:
        """A unit's share of a target number: its share of the area's current cases."""
        if unit_id is None:
            return Decimal(1)
        total = sum(self.current_cases_by_unit.values())
        return Decimal(self.current_cases_by_unit.get(unit_id, 0)) / total if total else Decimal(0)

    def results(self, unit_id: int | None = None) -> list[MeasureResult]:
        return [self.result(m, self.date_from, self.date_to, unit_id) for m in MEASURES]


def observe_area(area: Area, date_from: date, date_to: date, as_of: date | None = None) -> AreaObservations:
    """Read every measure's records for the area once: a fixed number of queries per measure."""
    ctx = area_context(area, as_of or date_to)
    observed = {}
    for measure in MEASURES:
        try:
            observed[measure.key] = measure.observe(ctx, date_from, date_to)
        except FieldError:
            # Another app's model is mid-change and lacks a field this measure reads: no data, no error.
            observed[measure.key] = Observations(available=False)
    current: dict[int | None, int] = dict(
        Offender.objects.filter(area=area, events__is_active=True)
        .values_list("offender_manager__team__unit_id")
        .annotate(cases=Count("pk", distinct=True))
        .values_list("offender_manager__team__unit_id", "cases")
    )
    return AreaObservations(area, date_from, date_to, area_settings(area), observed, current)


def compute_measures(
    area: Area, date_from: date, date_to: date, unit: OrganisationUnit | None = None
) -> list[MeasureResult]:
    """Every measure of the table for an area (or one of its units) over a period."""
    return observe_area(area, date_from, date_to).results(unit.pk if unit else None)
