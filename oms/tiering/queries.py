"""Reads for tiering pages, the case panel, the API and the allocation queue (fixed query counts)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from oms.accounts.permissions import staff_of, visible_cases
from oms.calculation_errors import CalculatorInputError
from oms.cases.constants import EventKind
from oms.cases.models import Allocation, Event, Offender
from oms.organisation.constants import Role, TieringFramework
from oms.organisation.models import Area, Staff, Team
from oms.risk.levels import RiskOfHarmLevel
from oms.tiering.models import OverrideSignOff, TierDecision
from oms.tiering.rules import tier_rank
from oms.tiering.workload import (
    CAPACITY_WARNING_ABOVE_PERCENT,
    DEFAULT_WEIGHTS_2005,
    DEFAULT_WEIGHTS_2021,
    CaseType,
    StaffGrade,
    WorkloadWeights,
    available_points,
    capacity_percent,
    grade_may_hold,
    needs_manager_oversight,
    outside_grade_rules,
    recommended_grade,
)
from oms.timescales.calendar import add_working_days, working_days_between

User = AbstractBaseUser | AnonymousUser

# spec/national-standards.md: "allocate offender manager | sentence or release date | 3 WD (tier 4: 1 WD)"
ALLOCATION_WORKING_DAYS = 3
ALLOCATION_WORKING_DAYS_HIGHEST_TIER = 1
HIGHEST_TIERS = frozenset({"4", "A"})  # tier 4 (2005) and protect level A (2021)
# Staff grade by 2021 protect level, read as the 2005 tier of the same weight, for the grade rule.
HISTORY_SHOWN = 10


def tier_as_2005_number(tier: str) -> int:
    return tier_rank(tier)


def allocation_deadline(start: date, tier: str) -> date:
    days = ALLOCATION_WORKING_DAYS_HIGHEST_TIER if tier[:1] in HIGHEST_TIERS else ALLOCATION_WORKING_DAYS
    return add_working_days(start, days)


def workload_weights_for(framework: str) -> WorkloadWeights:
    """The spec's weights unless the area's settings give its own (OMS_WORKLOAD_WEIGHTS, keyed by framework)."""
    configured: dict[str, Any] = getattr(settings, "OMS_WORKLOAD_WEIGHTS", {}).get(framework) or {}
    default = DEFAULT_WEIGHTS_2021 if framework == TieringFramework.HMPPS_2021 else DEFAULT_WEIGHTS_2005
    if not configured:
        return default
    return WorkloadWeights(
        community=configured.get("community", default.community),
        licence=configured.get("licence", default.licence),
        custody=configured.get("custody", default.custody),
    )


@dataclass(frozen=True)
class UnallocatedCase:
    offender: Offender
    event: Event
    deadline: date
    working_days_left: int
    overdue: bool
    recommended_grade: StaffGrade
    current_events: tuple[Event, ...] = ()  # every event in force, for the workload it would add


def unallocated_cases(user: User) -> QuerySet[Offender]:
    """The current cases of the user's area, visible to them, with no offender manager."""
    staff = staff_of(user)
    cases = visible_cases(user).filter(
        Exists(Event.objects.filter(offender_id=OuterRef("pk"), is_active=True)),
        offender_manager__isnull=True,
    )
    if staff is not None and staff.area_id:
        cases = cases.filter(area_id=staff.area_id)
    return cases


def allocation_queue(user: User, today: date) -> list[UnallocatedCase]:
    """Current cases of the user's area with no offender manager, most urgent first (2 queries)."""
    cases = unallocated_cases(user)
    rows = []
    for offender in cases.prefetch_related(
        Prefetch(
            "events",
            queryset=Event.objects.filter(is_active=True).order_by("sentence_date"),
            to_attr="current",
        )
    ):
        if not offender.current:
            continue
        event = min(offender.current, key=lambda e: e.start_date)
        deadline = allocation_deadline(event.start_date, offender.tier)
        left = working_days_between(today, deadline)
        level = RiskOfHarmLevel(offender.risk_of_harm_level) if offender.risk_of_harm_level else None
        rows.append(
            UnallocatedCase(
                offender=offender,
                event=event,
                deadline=deadline,
                working_days_left=left,
                overdue=deadline < today,
                recommended_grade=recommended_grade(tier_as_2005_number(offender.tier), level),
                current_events=tuple(offender.current),
            )
        )
    rows.sort(key=lambda row: (row.deadline, row.offender.crn))
    return rows


@dataclass(frozen=True)
class OffenderManagerWorkload:
    staff: Staff
    grade: StaffGrade | None
    cases: int
    points: int
    available_points: int
    capacity_percent: Decimal | None

    def may_hold(self, tier: str, risk_of_harm_level: str) -> bool:
        return grade_may_hold(
            self.grade or StaffGrade.PROBATION_OFFICER, tier_as_2005_number(tier), _level(risk_of_harm_level)
        )

    def capacity_with(self, tier: str, event_kinds: set[str], framework: str) -> Decimal | None:
        """Their capacity (%) once they also hold this case; None when they have no hours."""
        if self.available_points <= 0:
            return None
        weights = workload_weights_for(framework)
        try:
            added = weights.case_points(tier or "1", _case_type(event_kinds))
        except CalculatorInputError:
            added = 0
        return capacity_percent(self.points + added, self.available_points)


def staff_grade(grade_code: str) -> StaffGrade | None:
    """The grade rule's grade for a staff grade code; None for grades the rule does not name (SPOs)."""
    try:
        return StaffGrade(grade_code)
    except ValueError:
        return None


def _level(code: str) -> RiskOfHarmLevel | None:
    return RiskOfHarmLevel(code) if code else None


def _case_type(kinds: set[str]) -> CaseType:
    if EventKind.LICENCE in kinds:
        return CaseType.LICENCE
    if EventKind.CUSTODY in kinds:
        return CaseType.CUSTODY
    return CaseType.COMMUNITY


def offender_managers_with_workload(area: Area) -> list[OffenderManagerWorkload]:
    """Every offender manager of the area with their points and capacity (2 queries)."""
    weights = workload_weights_for(area.tiering_framework)
    lowest_tier = "1" if area.tiering_framework != TieringFramework.HMPPS_2021 else "D0"
    managers = list(
        Staff.objects.filter(area=area, grade__holds_caseload=True, is_active=True).select_related(
            "grade", "team"
        )
    )
    kinds: dict[int, set[str]] = defaultdict(set)
    tiers: dict[int, str] = {}
    owner: dict[int, int] = {}
    for row in Event.objects.filter(is_active=True, offender__offender_manager__in=managers).values(
        "offender_id", "kind", "offender__tier", "offender__offender_manager_id"
    ):
        kinds[row["offender_id"]].add(row["kind"])
        tiers[row["offender_id"]] = row["offender__tier"] or lowest_tier
        owner[row["offender_id"]] = row["offender__offender_manager_id"]
    points: dict[int, int] = defaultdict(int)
    counts: dict[int, int] = defaultdict(int)
    for offender_id, manager_id in owner.items():
        try:
            case_points = weights.case_points(tiers[offender_id], _case_type(kinds[offender_id]))
        except CalculatorInputError:
            case_points = weights.case_points(lowest_tier, CaseType.COMMUNITY)
        points[manager_id] += case_points
        counts[manager_id] += 1
    result = []
    for manager in managers:
        available = available_points(
            float(manager.contracted_hours),
            [manager.workload_reduction_percent] if manager.workload_reduction_percent else [],
            weights,
        )
        grade = staff_grade(manager.grade_id)
        result.append(
            OffenderManagerWorkload(
                staff=manager,
                grade=grade,
                cases=counts[manager.pk],
                points=points[manager.pk],
                available_points=int(available),
                capacity_percent=capacity_percent(points[manager.pk], available) if available > 0 else None,
            )
        )
    result.sort(
        key=lambda row: (row.capacity_percent is None, row.capacity_percent or 0, row.staff.family_name)
    )
    return result


def awaiting_sign_off(offender: Offender) -> TierDecision | None:
    """The override of this case waiting for a senior manager's sign-off, if any (one query)."""
    return (
        TierDecision.objects.filter(offender=offender, sign_off=OverrideSignOff.AWAITING)
        .select_related("overridden_by")
        .first()
    )


def current_decision(offender: Offender) -> TierDecision | None:
    return (
        TierDecision.objects.filter(offender=offender, is_current=True)
        .select_related("overridden_by", "decided_by")
        .first()
    )


def decision_history(offender: Offender) -> QuerySet[TierDecision]:
    return TierDecision.objects.filter(offender=offender).select_related(
        "overridden_by", "decided_by", "signed_off_by"
    )


PROVISIONAL_WORDS = "Provisional: computed before any RoH screening, so it may change when one is locked."


def plain_explanation(decision: TierDecision | None) -> str:
    """ "Tier 4 because RoH is high", for the top of the case page."""
    if decision is None:
        return "The tier has not been calculated yet."
    if decision.is_override:
        return (
            f"Tier {decision.tier}, set by {decision.overridden_by} overriding the computed tier "
            f"{decision.computed_tier}: {decision.override_reason}"
        )
    explanation = "; ".join(decision.reasons) or f"Tier {decision.tier}"
    if decision.is_provisional:
        return f"{PROVISIONAL_WORDS} {explanation}"
    return explanation


INPUT_LABELS = {
    "risk_of_harm_level": "Risk of serious harm (RoH)",
    "mappa_level": "MAPPA level",
    "ppo": "Prolific and other priority offender (PPO)",
    "ogrs3_two_year": "OGRS3 two-year score",
    "needs": "Criminogenic needs (latest locked assessment)",
    "registrations": "Registrations in force",
    "current_events": "Current events",
    "has_mandate_for_change": "Mandate for change",
    "gender": "Gender",
}


def _words(value: Any) -> str:
    if value is None or value == [] or value == {}:
        return "None recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(v).replace("_", " ") for v in value)
    return str(value).replace("_", " ")


def decision_rows(decision: TierDecision) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The decision's inputs and points as (label, words) rows for the tier page."""
    from oms.risk.needs import CriminogenicNeed, severity

    inputs: list[tuple[str, str]] = []
    for key, value in decision.inputs.items():
        if key == "needs" and isinstance(value, dict):
            parts = []
            for need in CriminogenicNeed:
                entry = value.get(need.value) or {}
                score = entry.get("score")
                if isinstance(score, int):
                    words = f"{need.label}: {score} ({severity(need, score).label.lower()}"
                    words += ", linked to offending)" if entry.get("linked_to_offending") else ")"
                    parts.append(words)
            inputs.append((INPUT_LABELS[key], "; ".join(parts) or "None scored"))
        else:
            inputs.append((INPUT_LABELS.get(key, key.replace("_", " ").capitalize()), _words(value)))
    points: list[tuple[str, str]] = []
    for key, value in decision.points.items():
        if isinstance(value, dict):
            for inner, amount in value.items():
                if isinstance(amount, dict):
                    amount = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in amount.items() if v)
                points.append((f"{key.capitalize()}: {inner.replace('_', ' ')}", _words(amount)))
        else:
            points.append((key.replace("_", " ").capitalize(), _words(value)))
    return inputs, points


@dataclass(frozen=True)
class GradeException:
    """A current case held by a PSO or TPO outside the grade rules, or a PSO's tier 3 case."""

    offender: Offender
    breach: str
    decision: str
    decided_by: Staff | None


def cases_outside_grade_rules(user: User) -> list[GradeException]:
    """The cases this user may see whose offender manager's grade the rules would not give them,
    with the recorded decision of the current allocation (3 queries, whatever the number)."""
    held_by_junior_grades = (
        visible_cases(user)
        .filter(
            Exists(Event.objects.filter(offender_id=OuterRef("pk"), is_active=True)),
            offender_manager__grade_id__in=[
                StaffGrade.PROBATION_SERVICES_OFFICER.value,
                StaffGrade.TRAINEE_PROBATION_OFFICER.value,
            ],
        )
        .select_related("offender_manager")
        .prefetch_related(
            Prefetch(
                "allocations",
                queryset=Allocation.objects.filter(end_date__isnull=True).select_related("decided_by"),
                to_attr="current_allocations",
            )
        )
        .order_by("offender_manager__family_name", "crn")
    )
    found = []
    for offender in held_by_junior_grades:
        manager = offender.offender_manager
        assert manager is not None
        grade = staff_grade(manager.grade_id)
        if grade is None:
            continue
        tier = tier_as_2005_number(offender.tier)
        breach = outside_grade_rules(grade, tier, _level(offender.risk_of_harm_level))
        if breach is None and needs_manager_oversight(tier, grade):
            breach = "Tier 3 under a senior probation officer's oversight"
        if breach is None:
            continue
        allocation = offender.current_allocations[0] if offender.current_allocations else None
        found.append(
            GradeException(
                offender=offender,
                breach=breach,
                decision=allocation.manager_decision if allocation else "",
                decided_by=allocation.decided_by if allocation else None,
            )
        )
    return found


def workload_teams(user: User) -> list[Team]:
    """The teams whose workload this allocator reads: an SPO's own teams, a case administrator's
    area's teams (one query)."""
    staff = staff_of(user)
    if staff is None or staff.area_id is None:
        return []
    if staff.grade.role == Role.SENIOR_PROBATION_OFFICER:
        teams = staff.manages_teams.all()
    else:
        teams = Team.objects.filter(unit__area_id=staff.area_id)
    return list(teams.order_by("name", "pk"))


def team_workload(area: Area, team: Team) -> list[OffenderManagerWorkload]:
    """The team's offender managers with their points and capacity, fullest last (the area's two
    workload queries, so every team is weighed by the same rule the allocation form uses)."""
    return [w for w in offender_managers_with_workload(area) if w.staff.team_id == team.pk]


@dataclass(frozen=True)
class CaseForOfficer:
    """One unallocated case as it would sit with one offender manager."""

    case: UnallocatedCase
    capacity_after: Decimal | None
    outside_grade_rules: str | None
    over_capacity: bool


def cases_for_officer(
    user: User, workload: OffenderManagerWorkload, area: Area, today: date
) -> list[CaseForOfficer]:
    """The unallocated cases this allocator may allocate, each with what it would do to the officer's
    capacity and whether their grade may hold it (the allocation queue's two queries)."""
    rows = []
    for row in allocation_queue(user, today):
        offender = row.offender
        kinds = {event.kind for event in row.current_events}
        after = workload.capacity_with(offender.tier, kinds, area.tiering_framework)
        breach = (
            outside_grade_rules(
                workload.grade, tier_as_2005_number(offender.tier), _level(offender.risk_of_harm_level)
            )
            if workload.grade
            else None
        )
        rows.append(
            CaseForOfficer(
                case=row,
                capacity_after=after,
                outside_grade_rules=breach,
                over_capacity=after is not None and after > CAPACITY_WARNING_ABOVE_PERCENT,
            )
        )
    return rows
