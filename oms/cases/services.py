"""Every write to a case: one transaction each, with the access log and record history.

Views and the API call these; they never write models themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Max
from django.utils import timezone

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.accounts.permissions import can_administer_case, can_edit_personal_details, can_register_cases
from oms.accounts.refusals import CaseRefused
from oms.cases.constants import COMMUNITY_EVENT_KINDS, EventKind, TerminationReason, TransferDirection
from oms.cases.models import Allocation, Event, Offender, Requirement, RequirementType, Transfer
from oms.cases.requirement_limits import RequirementType as LimitedRequirement
from oms.cases.requirement_limits import check_requirement
from oms.cases.upkeep import case_write
from oms.organisation.constants import Role
from oms.organisation.models import Staff
from oms.risk.levels import RiskOfHarmLevel
from oms.timescales.date_rules import DateKind, age_problem, date_problem

User = AbstractBaseUser | AnonymousUser


class StaleRecordError(Exception):
    """Someone else saved the record after this person opened it: their save would overwrite it."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"{what} was changed by someone else after you opened it. "
            "Your changes have not been saved: reload the page to see the latest version, then make them again."
        )


class CaseRuleError(Exception):
    """A write that breaks a rule of the domain. `field` names the form field at fault.

    When a write breaks several rules at once (a submitted assessment with three gaps), `problems`
    holds every (field, message), the first of them being `field` and the message, so a page shows
    them all at once rather than one per submit.
    """

    def __init__(self, message: str, field: str = "", problems: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.problems = problems or [(field, message)]


@dataclass(frozen=True)
class RequirementInput:
    requirement_type: str
    hours: int | None = None
    hours_per_day: int | None = None
    length_months: int | None = None
    days: int | None = None
    electronic_monitoring_provider: str = ""


@dataclass(frozen=True)
class EventInput:
    kind: str
    court: str
    offence_code: str
    sentence_date: date
    length_months: int
    prison: str = ""
    release_date: date | None = None
    licence_end_date: date | None = None
    licence_conditions: str = ""
    requirements: tuple[RequirementInput, ...] = field(default_factory=tuple)


def _staff(user: User) -> Staff | None:
    return getattr(user, "staff", None) if user.is_authenticated else None


def requirement_problems(event: EventInput, date_of_birth: date) -> list[tuple[int, str, str]]:
    """CJA 2003 limits for each requirement: (index, field, message). Empty when all are lawful."""
    problems: list[tuple[int, str, str]] = []
    if event.requirements and event.kind not in COMMUNITY_EVENT_KINDS:
        problems.append(
            (0, "requirement_type", "Only community orders and suspended sentence orders have requirements")
        )
        return problems
    sentence = event.sentence_date
    age = (
        sentence.year
        - date_of_birth.year
        - ((sentence.month, sentence.day) < (date_of_birth.month, date_of_birth.day))
    )
    for index, requirement in enumerate(event.requirements):
        for breach in check_requirement(
            LimitedRequirement(requirement.requirement_type),
            hours=requirement.hours,
            hours_per_day=requirement.hours_per_day,
            length_months=requirement.length_months,
            days=requirement.days,
            # Age limits only attendance centre requirements; the checker refuses it elsewhere.
            age_on_sentence=age
            if requirement.requirement_type == LimitedRequirement.ATTENDANCE_CENTRE.value
            else None,
        ):
            problems.append((index, breach.field, breach.message))
    return problems


def event_date_problems(event: EventInput, date_of_birth: date) -> list[tuple[str, str]]:
    """The date rule on an event's dates, and no sentence before the person's 10th birthday: (field, message)."""
    today = timezone.localdate()
    problems: list[tuple[str, str]] = []
    for name, value, kind, label in (
        ("sentence_date", event.sentence_date, DateKind.HAPPENED, "Sentence date"),
        ("release_date", event.release_date, DateKind.ANY, "Release date"),
        ("licence_end_date", event.licence_end_date, DateKind.ANY, "Licence end date"),
    ):
        problem = date_problem(value, kind, today, label) if value else None
        if problem:
            problems.append((name, problem))
    too_young = age_problem(date_of_birth, event.sentence_date, "Sentence date")
    if too_young:
        problems.append(("sentence_date", too_young))
    return problems


def _check_date_of_birth(date_of_birth: date) -> None:
    problem = date_problem(date_of_birth, DateKind.DATE_OF_BIRTH, timezone.localdate(), "Date of birth")
    if problem:
        raise CaseRuleError(problem, field="date_of_birth")


def _next_event_number(offender: Offender) -> int:
    current = offender.events.aggregate(highest=Max("number"))["highest"]
    return (current or 0) + 1


def _create_event(offender: Offender, event: EventInput) -> Event:
    for field_name, message in event_date_problems(event, offender.date_of_birth):
        raise CaseRuleError(message, field=field_name)
    problems = requirement_problems(event, offender.date_of_birth)
    if problems:
        index, field_name, message = problems[0]
        raise CaseRuleError(message, field=f"requirements-{index}-{field_name}")
    created = Event.objects.create(
        offender=offender,
        number=_next_event_number(offender),
        kind=event.kind,
        court=event.court,
        offence_id=event.offence_code,
        sentence_date=event.sentence_date,
        length_months=event.length_months,
        prison=event.prison,
        release_date=event.release_date,
        licence_end_date=event.licence_end_date,
        licence_conditions=event.licence_conditions,
    )
    types = {
        t.code: t
        for t in RequirementType.objects.filter(code__in=[r.requirement_type for r in event.requirements])
    }
    Requirement.objects.bulk_create(
        Requirement(
            event=created,
            requirement_type=types[r.requirement_type],
            hours=r.hours,
            hours_per_day=r.hours_per_day,
            length_months=r.length_months,
            days=r.days,
            electronic_monitoring_provider=r.electronic_monitoring_provider,
        )
        for r in event.requirements
    )
    return created


@case_write
def register_case(
    user: User,
    *,
    person: dict[str, Any],
    area_id: int,
    event: EventInput,
    crn: str | None = None,
    transferred_in_from: str = "",
    complete_oasys_received: bool = False,
) -> Offender:
    """A new case with its first event (and, for a transfer in, where it came from)."""
    if not can_register_cases(user):
        raise CaseRefused("Only case administrators and senior probation officers register cases")
    _check_date_of_birth(person["date_of_birth"])
    offender = Offender.objects.create(crn=crn or next_crn(), area_id=area_id, **person)
    created = _create_event(offender, event)
    if transferred_in_from:
        Transfer.objects.create(
            offender=offender,
            direction=TransferDirection.IN,
            other_area=transferred_in_from,
            transfer_date=event.release_date or event.sentence_date,
            complete_oasys_received=complete_oasys_received,
            recorded_by=_staff(user),
        )
    record_access(user, AccessAction.CREATE, f"registered case with {created}", crn=offender.crn)
    return offender


@case_write
def add_event(user: User, offender: Offender, event: EventInput) -> Event:
    if not can_administer_case(user, offender):
        raise CaseRefused(
            "Only case administrators and senior probation officers register events", crn=offender.crn
        )
    created = _create_event(offender, event)
    record_access(user, AccessAction.CREATE, f"registered {created}", crn=offender.crn)
    return created


def next_crn() -> str:
    """CRNs are a letter and six digits; new ones continue after the highest in use."""
    highest = Offender.objects.filter(crn__startswith="X").aggregate(highest=Max("crn"))["highest"]
    number = int(highest[1:]) + 1 if highest else 100001
    return f"X{number:06d}"


def _bump_version(model: type[Offender] | type[Event], pk: int, expected_version: int, what: str) -> None:
    updated = model.objects.filter(pk=pk, version=expected_version).update(version=expected_version + 1)
    if not updated:
        raise StaleRecordError(what)


def allocation_problems(
    user: User,
    offender: Offender,
    offender_manager: Staff,
    *,
    manager_decision: str = "",
    over_capacity_reason: str = "",
) -> list[tuple[str, str]]:
    """(field, message) for each allocation rule the choice breaks (report criterion 1.5).

    POs hold every high and very high RoH case and tier 4; a PSO holds tier 3 only under a senior
    probation officer's recorded oversight; TPOs hold tiers 1-2. A case administrator cannot allocate
    outside these rules; an SPO can, recording why. Above 100% of capacity the allocator says why.
    Two queries (the area's workloads and the case's current events).
    """
    # Imported here: the tiering app builds on this one (its models point at cases), so this module
    # cannot import it while Django loads the apps.
    from oms.tiering.queries import offender_managers_with_workload, staff_grade, tier_as_2005_number
    from oms.tiering.workload import (
        CAPACITY_WARNING_ABOVE_PERCENT,
        needs_manager_oversight,
        outside_grade_rules,
    )

    problems: list[tuple[str, str]] = []
    grade = staff_grade(offender_manager.grade_id)
    tier = tier_as_2005_number(offender.tier)
    level = RiskOfHarmLevel(offender.risk_of_harm_level) if offender.risk_of_harm_level else None
    breach = outside_grade_rules(grade, tier, level) if grade else None
    if breach is None and grade and needs_manager_oversight(tier, grade):
        breach = "A probation services officer holds a tier 3 case only under a senior probation officer's oversight"
    if breach:
        if not _decides_outside_grade_rules(user):
            problems.append(
                (
                    "offender_manager",
                    f"{breach}. Only a senior probation officer can make this allocation, recording why",
                )
            )
        elif not manager_decision.strip():
            problems.append(("manager_decision", f"{breach}: enter your decision and why"))
    workload = next(
        (w for w in offender_managers_with_workload(offender.area) if w.staff.pk == offender_manager.pk), None
    )
    if workload is not None:
        kinds = set(offender.events.filter(is_active=True).values_list("kind", flat=True))
        capacity = workload.capacity_with(offender.tier, kinds, offender.area.tiering_framework)
        if (
            capacity is not None
            and capacity > CAPACITY_WARNING_ABOVE_PERCENT
            and not over_capacity_reason.strip()
        ):
            problems.append(
                (
                    "over_capacity_reason",
                    f"{offender_manager.full_name} would be at {capacity}% of capacity: "
                    "enter why they should take the case",
                )
            )
    return problems


def _decides_outside_grade_rules(user: User) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    staff = _staff(user)
    return bool(staff and staff.grade.role == Role.SENIOR_PROBATION_OFFICER)


@case_write
def allocate(
    user: User,
    offender: Offender,
    offender_manager: Staff,
    *,
    reason: str,
    on: date,
    expected_version: int,
    manager_decision: str = "",
    over_capacity_reason: str = "",
) -> Allocation:
    if not can_administer_case(user, offender):
        raise CaseRefused(
            "Only case administrators and senior probation officers allocate cases", crn=offender.crn
        )
    if not reason.strip():
        raise CaseRuleError("Enter why this offender manager was chosen", field="reason")
    if offender_manager.grade.holds_caseload is False:
        raise CaseRuleError(f"{offender_manager} does not hold a caseload", field="offender_manager")
    if offender_manager.area_id != offender.area_id:
        raise CaseRuleError("Choose an offender manager from the case's area", field="offender_manager")
    if offender.offender_manager_id == offender_manager.pk:
        raise CaseRuleError(f"The case is already allocated to {offender_manager}", field="offender_manager")
    problems = allocation_problems(
        user,
        offender,
        offender_manager,
        manager_decision=manager_decision,
        over_capacity_reason=over_capacity_reason,
    )
    if problems:
        field_name, message = problems[0]
        raise CaseRuleError(message, field=field_name)
    _bump_version(Offender, offender.pk, expected_version, "This case")
    Allocation.objects.filter(offender=offender, end_date__isnull=True).update(end_date=on)
    allocation = Allocation.objects.create(
        offender=offender,
        offender_manager=offender_manager,
        start_date=on,
        reason=reason.strip(),
        tier_at_allocation=offender.tier,
        decided_by=_staff(user),
        manager_decision=manager_decision.strip(),
        over_capacity_reason=over_capacity_reason.strip(),
    )
    offender.offender_manager = offender_manager
    offender.version = expected_version + 1
    offender.save(update_fields=["offender_manager"])
    record_access(
        user, AccessAction.CHANGE, f"allocated to {offender_manager}: {reason}"[:200], crn=offender.crn
    )
    return allocation


@case_write
def terminate_event(
    user: User, event: Event, *, reason: str, on: date, notes: str, expected_version: int
) -> Event:
    if not can_administer_case(user, event.offender):
        raise CaseRefused(
            "Only case administrators and senior probation officers end events", crn=event.offender.crn
        )
    return end_event(user, event, reason=reason, on=on, notes=notes, expected_version=expected_version)


@case_write
def end_event(user: User, event: Event, *, reason: str, on: date, notes: str, expected_version: int) -> Event:
    """End an event as the consequence of another write whose service has already decided who may
    make it (a recall's outcome ends the licence); a person ending an event calls terminate_event."""
    if not event.is_active:
        raise CaseRuleError("This event has already ended", field="reason")
    if reason not in TerminationReason.values:
        raise CaseRuleError("Choose why the event ended", field="reason")
    if on < event.sentence_date:
        raise CaseRuleError("The end date must be on or after the sentence date", field="terminated_on")
    _bump_version(Event, event.pk, expected_version, "This event")
    event.is_active = False
    event.terminated_on = on
    event.termination_reason = reason
    event.termination_notes = notes
    event.version = expected_version + 1
    event.save(update_fields=["is_active", "terminated_on", "termination_reason", "termination_notes"])
    record_access(
        user,
        AccessAction.CHANGE,
        f"ended {event}: {event.get_termination_reason_display()}",
        crn=event.offender.crn,
    )
    return event


@case_write
def transfer_out(
    user: User, offender: Offender, *, to_area: str, on: date, notes: str, expected_version: int
) -> Transfer:
    if not can_administer_case(user, offender):
        raise CaseRefused(
            "Only case administrators and senior probation officers transfer cases", crn=offender.crn
        )
    if not to_area.strip():
        raise CaseRuleError("Enter the area the case is transferring to", field="other_area")
    _bump_version(Offender, offender.pk, expected_version, "This case")
    transfer = Transfer.objects.create(
        offender=offender,
        direction=TransferDirection.OUT,
        other_area=to_area.strip(),
        transfer_date=on,
        notes=notes,
        recorded_by=_staff(user),
    )
    for event in offender.events.filter(is_active=True):
        event.is_active = False
        event.terminated_on = on
        event.termination_reason = TerminationReason.TRANSFERRED
        event.termination_notes = f"Transferred to {to_area}"
        event.save(update_fields=["is_active", "terminated_on", "termination_reason", "termination_notes"])
    Allocation.objects.filter(offender=offender, end_date__isnull=True).update(end_date=on)
    offender.offender_manager = None
    offender.save(update_fields=["offender_manager"])
    record_access(user, AccessAction.CHANGE, f"transferred out to {to_area}", crn=offender.crn)
    return transfer


PERSONAL_DETAIL_FIELDS = (
    "first_name",
    "family_name",
    "pnc_number",
    "date_of_birth",
    "gender",
    "ethnicity",
    "disability",
    "religion",
    "first_language",
    "interpreter_required",
    "literacy_need",
    "dyslexia",
    "large_print",
    "paper_colour",
    "telephone",
)


@case_write
def update_personal_details(
    user: User, offender: Offender, changes: dict[str, Any], expected_version: int
) -> Offender:
    if not can_edit_personal_details(user, offender):
        raise CaseRefused("You cannot change this person's details", crn=offender.crn)
    unknown = set(changes) - set(PERSONAL_DETAIL_FIELDS)
    if unknown:
        raise CaseRuleError(f"Unknown field: {', '.join(sorted(unknown))}")
    if "date_of_birth" in changes:
        _check_date_of_birth(changes["date_of_birth"])
    _bump_version(Offender, offender.pk, expected_version, "This case")
    for name, value in changes.items():
        setattr(offender, name, value)
    offender.version = expected_version + 1
    offender.save(update_fields=list(changes))
    record_access(
        user, AccessAction.CHANGE, f"changed personal details: {', '.join(sorted(changes))}", crn=offender.crn
    )
    return offender


__all__ = [
    "CaseRuleError",
    "EventInput",
    "EventKind",
    "RequirementInput",
    "StaleRecordError",
    "add_event",
    "allocate",
    "register_case",
    "terminate_event",
    "transfer_out",
    "update_personal_details",
]
