"""Every write of supervision: one transaction each, audit recorded, stale saves refused.

Booking refuses overlapping appointments for the same person; recording an outcome refuses a future
appointment and an acceptable absence without its reason; an unacceptable failure on a community
order is enforced here, at once, by the rules of CJA 2003 Schedule 8 (oms/supervision/enforcement.py):
a warning, breach action, or the failure added to a breach already in progress.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.accounts.refusals import CaseRefused
from oms.cases.constants import COMMUNITY_EVENT_KINDS, EventKind, TerminationReason
from oms.cases.models import ContactType, Event, Offender
from oms.cases.services import CaseRuleError, StaleRecordError, User, end_event
from oms.cases.upkeep import case_write
from oms.organisation.constants import Role
from oms.organisation.models import Staff
from oms.supervision import reminders
from oms.supervision.constants import (
    CLOSED_RECALL_STATUSES,
    MAX_REPEATS,
    REPEAT_INTERVAL_DAYS,
    UNACCEPTABLE_OUTCOMES,
    BreachOutcome,
    ContactOutcome,
    ContactTypeCode,
    RecallOutcome,
    RecallStatus,
    RecallStep,
    RecallType,
    ReminderChannel,
    ReminderKind,
    Repeat,
)
from oms.supervision.enforcement import (
    EnforcementAction,
    EnforcementDecision,
    FailureToComply,
    enforcement_action,
)
from oms.supervision.models import (
    Breach,
    BreachHearing,
    Contact,
    EnforcementWarning,
    RecallRecommendation,
    RecallStepRecord,
    ReminderPreference,
)
from oms.supervision.permissions import (
    can_manage_supervision,
    can_record_contact,
    can_record_outcome,
    can_sign_off_recall,
    contact_types_for,
)
from oms.supervision.queries import enforcement_history

__all__ = ["CaseRuleError", "StaleRecordError"]


# An induction is given face to face at a contact the person attended (complied or not).
ATTENDED_FOR_INDUCTION = frozenset({ContactOutcome.ATTENDED_COMPLIED, ContactOutcome.FAILED_TO_COMPLY})


def _staff(user: User) -> Staff | None:
    return getattr(user, "staff", None) if user.is_authenticated else None


def _claim_version(model: type[models.Model], pk: int, expected_version: int, what: str) -> int:
    """Move the record to its next version, or refuse: someone saved it after this person opened it."""
    updated = model._default_manager.filter(pk=pk, version=expected_version).update(
        version=expected_version + 1
    )
    if not updated:
        raise StaleRecordError(what)
    return expected_version + 1


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def describe_slot(contact: Contact) -> str:
    start, end = _local(contact.starts_at), _local(contact.ends_at)
    return f"{start:%A} {start.day} {start:%B %Y} from {start:%H:%M} to {end:%H:%M}"


def current_event(offender: Offender) -> Event | None:
    """The event a contact belongs to when none is chosen: the latest current community event or licence."""
    return (
        offender.events.filter(is_active=True)
        .exclude(kind=EventKind.CUSTODY)
        .order_by("-sentence_date", "-number")
        .first()
    )


# ---------------------------------------------------------------- appointments


@dataclass(frozen=True)
class AppointmentInput:
    contact_type: str
    starts_at: datetime
    duration_minutes: int
    location: str = ""
    staff: Staff | None = None
    event: Event | None = None
    repeat: str = Repeat.NONE
    occurrences: int = 1
    home_visit_purpose: str = ""
    enforceable: bool = True
    notes: str = ""


def _slots(appointment: AppointmentInput) -> list[tuple[datetime, datetime]]:
    """Every occurrence's start and end, repeated on the same local wall-clock time (across clock changes)."""
    count = 1 if appointment.repeat == Repeat.NONE else appointment.occurrences
    if count < 1 or count > MAX_REPEATS:
        raise CaseRuleError(
            f"Number of appointments must be between 1 and {MAX_REPEATS}", field="occurrences"
        )
    if appointment.repeat not in Repeat.values:
        raise CaseRuleError("Choose how often the appointment repeats", field="repeat")
    interval = REPEAT_INTERVAL_DAYS.get(Repeat(appointment.repeat), 0)
    first = _local(appointment.starts_at)
    slots = []
    for index in range(count):
        day = first.date() + timedelta(days=interval * index)
        start = timezone.make_aware(datetime.combine(day, first.time().replace(tzinfo=None)))
        slots.append((start, start + timedelta(minutes=appointment.duration_minutes)))
    return slots


def _refuse_clashes(offender: Offender, slots: list[tuple[datetime, datetime]]) -> None:
    existing = list(
        Contact.objects.filter(
            offender=offender, starts_at__lt=slots[-1][1], ends_at__gt=slots[0][0]
        ).select_related("contact_type")
    )
    for start, end in slots:
        for other in existing:
            if other.starts_at < end and other.ends_at > start:
                raise CaseRuleError(
                    f"{offender.full_name} already has an appointment at that time: "
                    f"{other.contact_type.name.lower()} on {describe_slot(other)}. "
                    "Choose another time.",
                    field="starts_at",
                )


def _check_contact_type(user: User, code: str) -> ContactType:
    contact_type = ContactType.objects.filter(code=code).first()
    if contact_type is None:
        raise CaseRuleError("Choose the type of contact", field="contact_type")
    allowed = contact_types_for(user)
    if allowed is not None and code not in allowed:
        raise CaseRuleError(f"You cannot record a {contact_type.name.lower()} contact", field="contact_type")
    return contact_type


@case_write
def book_appointments(user: User, offender: Offender, appointment: AppointmentInput) -> list[Contact]:
    """Book one appointment, or a weekly or fortnightly series, refusing any that overlaps another."""
    if not can_manage_supervision(user, offender):
        raise CaseRefused(
            "Only the offender manager, SPOs and case administrators book appointments", crn=offender.crn
        )
    contact_type = _check_contact_type(user, appointment.contact_type)
    if appointment.duration_minutes < 5 or appointment.duration_minutes > 8 * 60:
        raise CaseRuleError("Length must be between 5 minutes and 8 hours", field="duration_minutes")
    if appointment.starts_at < timezone.now() - timedelta(minutes=5):
        raise CaseRuleError(
            "An appointment must be in the future: record a contact that has happened instead",
            field="starts_at",
        )
    if appointment.contact_type == ContactTypeCode.HOME_VISIT and not appointment.home_visit_purpose:
        raise CaseRuleError("Choose the purpose of the home visit", field="home_visit_purpose")
    slots = _slots(appointment)
    _refuse_clashes(offender, slots)
    series = str(uuid.uuid4()) if len(slots) > 1 else ""
    staff = appointment.staff or offender.offender_manager
    event = appointment.event or current_event(offender)
    booked = [
        Contact(
            offender=offender,
            event=event,
            contact_type=contact_type,
            starts_at=start,
            ends_at=end,
            location=appointment.location,
            staff=staff,
            interpreter_required=offender.interpreter_required,
            series=series,
            home_visit_purpose=appointment.home_visit_purpose,
            enforceable=appointment.enforceable,
            notes=appointment.notes,
            booked_by=_staff(user),
        )
        for start, end in slots
    ]
    for contact in booked:
        contact.save()  # one by one so each gets its history row; a series is at most 26
    record_access(
        user,
        AccessAction.CREATE,
        f"booked {len(booked)} {contact_type.name.lower()} appointment(s) from {describe_slot(booked[0])}",
        crn=offender.crn,
    )
    first = booked[0]
    # Sent after the booking is saved, and never able to undo it: a failure is logged, not raised.
    transaction.on_commit(lambda: reminders.send_reminder(first, ReminderKind.BOOKED))
    return booked


@dataclass(frozen=True)
class OutcomeInput:
    outcome: str
    absence_reason: str = ""
    enforceable: bool = True
    notes: str = ""
    home_visit_findings: str = ""
    induction_given: bool = False
    # Starting breach action is a serious step: an outcome that would start it is recorded only when
    # the person has confirmed it (the page's confirmation page, the API's `confirm_breach`).
    confirm_breach: bool = False


# What an unacceptable failure on a licence calls for: the enforcement of CJA 2003 Sch 8 (warning,
# then breach) applies to community orders and suspended sentence orders only.
LICENCE_RECALL_INSTEAD = (
    "This case is on licence: a failure on a licence is not met with a warning or breach action. "
    "If the failure means the risk can no longer be managed in the community, recommend recall."
)
BREACH_CONFIRMATION_FIELD = "confirm_breach"


@dataclass(frozen=True)
class EnforcementResult:
    decision: EnforcementDecision | None = None
    warning: EnforcementWarning | None = None
    breach: Breach | None = None

    @property
    def message(self) -> str:
        if self.warning:
            return "Outcome recorded. A warning has been given: print the warning letter and send it today."
        if self.breach and self.decision and self.decision.action is EnforcementAction.BREACH:
            return f"Outcome recorded. {self.decision.reason}"
        if self.breach:
            return "Outcome recorded and added to the breach in progress."
        if self.decision and self.decision.action is EnforcementAction.NO_ACTION:
            return f"Outcome recorded. {self.decision.reason}"
        return "Outcome recorded"


def _validate_outcome(contact: Contact, outcome: OutcomeInput) -> None:
    if outcome.outcome not in ContactOutcome.values:
        raise CaseRuleError("Choose the outcome", field="outcome")
    if contact.starts_at > timezone.now():
        raise CaseRuleError(
            f"You cannot record an outcome for an appointment that has not happened yet "
            f"({describe_slot(contact)})",
            field="outcome",
        )
    if outcome.induction_given and outcome.outcome not in ATTENDED_FOR_INDUCTION:
        raise CaseRuleError(
            "An induction can only be given at a contact the person attended", field="induction_given"
        )
    if outcome.outcome == ContactOutcome.ACCEPTABLE_ABSENCE and not outcome.absence_reason.strip():
        raise CaseRuleError("Enter the reason the absence was acceptable", field="absence_reason")
    if hasattr(contact, "warning") or hasattr(contact, "breach_started") or contact.breach_id:
        raise CaseRuleError(
            "This failure has already been enforced (a warning or breach relies on it): "
            "its outcome cannot be changed here",
            field="outcome",
        )


def _enforceable_event(contact: Contact) -> Event | None:
    event = contact.event
    if event is None or event.kind not in COMMUNITY_EVENT_KINDS:
        return None
    return event


def _on_licence(contact: Contact) -> bool:
    return contact.event is not None and contact.event.kind == EventKind.LICENCE


def breach_would_start(contact: Contact, outcome: OutcomeInput) -> EnforcementDecision | None:
    """The decision to start breach action that recording this outcome would take, if it would: an
    enforceable unacceptable failure on a community order within 12 months of a warning."""
    event = _enforceable_event(contact)
    if event is None or not outcome.enforceable or outcome.outcome not in UNACCEPTABLE_OUTCOMES:
        return None
    decision = enforcement_action(
        FailureToComply(_local(contact.starts_at).date(), acceptable=False),
        enforcement_history(event, exclude_contact=contact.pk),
    )
    return decision if decision.action is EnforcementAction.BREACH else None


def _refuse_unconfirmed_breach(contact: Contact, outcome: OutcomeInput) -> None:
    decision = breach_would_start(contact, outcome)
    if decision is not None and not outcome.confirm_breach:
        raise CaseRuleError(
            f"This will start breach action. {decision.reason} Confirm that you want to record this "
            "outcome and start breach action.",
            field=BREACH_CONFIRMATION_FIELD,
        )


def _enforce(user: User, contact: Contact, on: date) -> EnforcementResult:
    """Apply CJA 2003 Sch 8 to one unacceptable failure on a community order."""
    if _on_licence(contact) and contact.is_unacceptable:
        return EnforcementResult(EnforcementDecision(EnforcementAction.NO_ACTION, LICENCE_RECALL_INSTEAD))
    event = _enforceable_event(contact)
    if event is None or not contact.enforceable or not contact.is_unacceptable:
        return EnforcementResult()
    failure_day = _local(contact.starts_at).date()
    history = enforcement_history(event, exclude_contact=contact.pk)
    decision = enforcement_action(FailureToComply(failure_day, acceptable=False), history)
    if decision.action is EnforcementAction.WARNING:
        warning = EnforcementWarning.objects.create(
            offender=contact.offender, event=event, failure=contact, issued_on=on, issued_by=_staff(user)
        )
        record_access(user, AccessAction.CREATE, f"gave a warning for {contact}", crn=contact.offender.crn)
        return EnforcementResult(decision, warning=warning)
    if decision.action is EnforcementAction.BREACH:
        relied_on = (
            EnforcementWarning.objects.filter(event=event, issued_on=decision.warning_relied_on or on)
            .order_by("-id")
            .first()
        )
        breach = Breach.objects.create(
            offender=contact.offender,
            event=event,
            failure=contact,
            warning_relied_on=relied_on,
            initiated_on=on,
            initiated_by=_staff(user),
        )
        Contact.objects.filter(pk=contact.pk).update(breach=breach)
        contact.breach = breach
        record_access(
            user, AccessAction.CREATE, f"started breach action for {contact}", crn=contact.offender.crn
        )
        return EnforcementResult(decision, breach=breach)
    if decision.action is EnforcementAction.ADD_TO_BREACH_IN_PROGRESS:
        breach_in_progress = (
            Breach.objects.filter(event=event, resolved_on__isnull=True).order_by("-initiated_on").first()
        )
        if breach_in_progress:
            Contact.objects.filter(pk=contact.pk).update(breach=breach_in_progress)
            contact.breach = breach_in_progress
        return EnforcementResult(decision, breach=breach_in_progress)
    return EnforcementResult(decision)


@case_write
def record_outcome(
    user: User, contact: Contact, outcome: OutcomeInput, *, expected_version: int, on: date | None = None
) -> EnforcementResult:
    """Record what happened at an appointment and, for an unacceptable failure, enforce it."""
    if not can_record_outcome(user, contact):
        raise CaseRefused("You cannot record the outcome of this appointment", crn=contact.offender.crn)
    _validate_outcome(contact, outcome)
    _refuse_unconfirmed_breach(contact, outcome)
    contact.version = _claim_version(Contact, contact.pk, expected_version, "This appointment")
    contact.outcome = outcome.outcome
    contact.absence_reason = outcome.absence_reason.strip()
    if outcome.enforceable != contact.enforceable:
        # A new "not enforceable" needs its own SPO approval; one made enforceable again needs none.
        contact.not_enforceable_approved_by = None
        contact.not_enforceable_approved_at = None
        contact.not_enforceable_reason = ""
    contact.enforceable = outcome.enforceable
    contact.induction_given = outcome.induction_given
    contact.notes = outcome.notes
    if outcome.home_visit_findings:
        contact.home_visit_findings = outcome.home_visit_findings
    contact.outcome_recorded_at = timezone.now()
    contact.recorded_by = _staff(user)
    contact.save()
    record_access(
        user,
        AccessAction.CHANGE,
        f"recorded outcome {contact.get_outcome_display()} for {contact}",
        crn=contact.offender.crn,
    )
    return _enforce(user, contact, on or timezone.localdate())


@dataclass(frozen=True)
class ContactInput:
    contact_type: str
    starts_at: datetime
    duration_minutes: int
    outcome: str
    location: str = ""
    absence_reason: str = ""
    notes: str = ""
    enforceable: bool = True
    home_visit_purpose: str = ""
    home_visit_findings: str = ""
    induction_given: bool = False
    confirm_breach: bool = False


@case_write
def record_contact(
    user: User, offender: Offender, contact_input: ContactInput
) -> tuple[Contact, EnforcementResult]:
    """A contact that has happened (partner agency and interventions staff record theirs this way)."""
    if not can_record_contact(user, offender):
        raise CaseRefused("You cannot record contacts on this case", crn=offender.crn)
    contact_type = _check_contact_type(user, contact_input.contact_type)
    if contact_input.starts_at > timezone.now():
        raise CaseRuleError(
            "A contact can only be recorded once it has happened: book an appointment instead",
            field="starts_at",
        )
    if contact_input.contact_type == ContactTypeCode.HOME_VISIT and not contact_input.home_visit_purpose:
        raise CaseRuleError("Choose the purpose of the home visit", field="home_visit_purpose")
    end = contact_input.starts_at + timedelta(minutes=contact_input.duration_minutes)
    _refuse_clashes(offender, [(contact_input.starts_at, end)])
    contact = Contact.objects.create(
        offender=offender,
        event=current_event(offender),
        contact_type=contact_type,
        starts_at=contact_input.starts_at,
        ends_at=end,
        location=contact_input.location,
        staff=_staff(user),
        interpreter_required=offender.interpreter_required,
        home_visit_purpose=contact_input.home_visit_purpose,
        booked_by=_staff(user),
    )
    result = record_outcome(
        user,
        contact,
        OutcomeInput(
            outcome=contact_input.outcome,
            absence_reason=contact_input.absence_reason,
            enforceable=contact_input.enforceable,
            notes=contact_input.notes,
            home_visit_findings=contact_input.home_visit_findings,
            induction_given=contact_input.induction_given,
            confirm_breach=contact_input.confirm_breach,
        ),
        expected_version=contact.version,
    )
    return contact, result


# ---------------------------------------------------------------- enforcement by hand


@case_write
def approve_not_enforceable(user: User, contact: Contact, *, reason: str, expected_version: int) -> Contact:
    """An SPO's recorded approval that an unacceptable failure is not enforceable, with the reason.

    Until this is recorded the failure counts: the warning or breach clock runs (CJA 2003 Sch 8).
    """
    from oms.supervision.permissions import can_approve_not_enforceable

    if not can_approve_not_enforceable(user, contact.offender):
        raise CaseRefused(
            "Only a senior probation officer over this case can approve this", crn=contact.offender.crn
        )
    if contact.enforceable or not contact.is_unacceptable:
        raise CaseRuleError("Only an unacceptable failure marked not enforceable needs this approval")
    if contact.not_enforceable_approved_by_id is not None:
        raise CaseRuleError("This decision has already been approved")
    if not reason.strip():
        raise CaseRuleError("Enter why this failure cannot be enforced", field="reason")
    contact.version = _claim_version(Contact, contact.pk, expected_version, "This appointment")
    contact.not_enforceable_approved_by = _staff(user)
    contact.not_enforceable_approved_at = timezone.now()
    contact.not_enforceable_reason = reason.strip()
    contact.save()
    record_access(
        user,
        AccessAction.CHANGE,
        f"approved {contact} as not enforceable ({reason.strip()})"[:200],
        crn=contact.offender.crn,
    )
    return contact


def _unenforced_failure(user: User, contact: Contact) -> Event:
    if not can_manage_supervision(user, contact.offender):
        raise CaseRefused(
            "Only the offender manager, SPOs and case administrators enforce", crn=contact.offender.crn
        )
    if not contact.is_unacceptable:
        raise CaseRuleError("Only an unacceptable absence or failure to comply can be enforced")
    if hasattr(contact, "warning") or hasattr(contact, "breach_started") or contact.breach_id:
        raise CaseRuleError("This failure has already been enforced")
    event = _enforceable_event(contact)
    if event is None:
        if _on_licence(contact):
            raise CaseRuleError(LICENCE_RECALL_INSTEAD)
        raise CaseRuleError(
            "Warnings and breach action apply to community orders and suspended sentence orders"
        )
    return event


@case_write
def give_warning(user: User, contact: Contact, *, on: date | None = None) -> EnforcementWarning:
    """A warning for a failure that was not enforced when it was judged (for example marked not enforceable)."""
    event = _unenforced_failure(user, contact)
    decision = enforcement_action(
        FailureToComply(_local(contact.starts_at).date(), acceptable=False),
        enforcement_history(event, exclude_contact=contact.pk),
    )
    if decision.action is not EnforcementAction.WARNING:
        raise CaseRuleError(f"A warning cannot be given: {decision.reason}")
    Contact.objects.filter(pk=contact.pk).update(enforceable=True)
    contact.enforceable = True
    result = _enforce(user, contact, on or timezone.localdate())
    assert result.warning is not None
    return result.warning


@case_write
def initiate_breach(user: User, contact: Contact, *, on: date | None = None) -> Breach:
    """Start breach action for a failure. Refused where the statute requires a warning first."""
    event = _unenforced_failure(user, contact)
    failure_day = _local(contact.starts_at).date()
    decision = enforcement_action(
        FailureToComply(failure_day, acceptable=False), enforcement_history(event, exclude_contact=contact.pk)
    )
    if decision.action is EnforcementAction.WARNING:
        raise CaseRuleError(
            f"Breach action cannot start: no warning was given in the 12 months before this failure on "
            f"{failure_day.day} {failure_day:%B %Y}. The first unacceptable failure in 12 months must "
            "be met with a warning (CJA 2003 Schedule 8, paragraph 5)."
        )
    if decision.action is EnforcementAction.ADD_TO_BREACH_IN_PROGRESS:
        raise CaseRuleError("A breach is already in progress on this order: the failure is added to it")
    Contact.objects.filter(pk=contact.pk).update(enforceable=True)
    contact.enforceable = True
    result = _enforce(user, contact, on or timezone.localdate())
    assert result.breach is not None
    return result.breach


@dataclass(frozen=True)
class BreachProgress:
    laid_before_court_on: date | None = None
    court: str = ""
    resolved_on: date | None = None
    outcome: str = ""
    notes: str = ""
    hearing_date: date | None = None


@case_write
def update_breach(user: User, breach: Breach, progress: BreachProgress, *, expected_version: int) -> Breach:
    """Lay the breach before the court, add a hearing date, and record how the court resolved it."""
    if not can_manage_supervision(user, breach.offender):
        raise CaseRefused("You cannot change this breach", crn=breach.offender.crn)
    laid = progress.laid_before_court_on
    if laid and laid < breach.initiated_on:
        raise CaseRuleError(
            "The date laid before the court must be on or after the day breach action started",
            field="laid_before_court_on",
        )
    if progress.hearing_date and not laid:
        raise CaseRuleError(
            "Enter the date the breach was laid before the court first", field="laid_before_court_on"
        )
    if progress.hearing_date and laid and progress.hearing_date < laid:
        raise CaseRuleError(
            "A hearing must be on or after the date the breach was laid", field="hearing_date"
        )
    if progress.outcome and progress.outcome not in BreachOutcome.values:
        raise CaseRuleError("Choose the court's decision", field="outcome")
    if bool(progress.outcome) != bool(progress.resolved_on):
        field = "resolved_on" if progress.outcome else "outcome"
        raise CaseRuleError(
            "Enter both the date the breach was resolved and the court's decision", field=field
        )
    if progress.resolved_on and (not laid or progress.resolved_on < laid):
        raise CaseRuleError(
            "The breach can only be resolved on or after the day it was laid before the court",
            field="resolved_on",
        )
    breach.version = _claim_version(Breach, breach.pk, expected_version, "This breach")
    breach.laid_before_court_on = laid
    breach.court = progress.court
    breach.resolved_on = progress.resolved_on
    breach.outcome = progress.outcome
    breach.notes = progress.notes
    breach.save()
    if progress.hearing_date:
        BreachHearing.objects.create(breach=breach, hearing_date=progress.hearing_date)
    record_access(user, AccessAction.CHANGE, "updated breach action", crn=breach.offender.crn)
    return breach


# ---------------------------------------------------------------- recall


@case_write
def recommend_recall(
    user: User, event: Event, *, recall_type: str, emergency: bool, reason: str, on: date | None = None
) -> RecallRecommendation:
    if not can_manage_supervision(user, event.offender):
        raise CaseRefused(
            "Only the offender manager, SPOs and case administrators recommend recall", crn=event.offender.crn
        )
    if event.kind != EventKind.LICENCE or not event.is_active:
        raise CaseRuleError("Recall applies to a current licence", field="event")
    if recall_type not in RecallType.values:
        raise CaseRuleError("Choose the type of recall", field="recall_type")
    if not reason.strip():
        raise CaseRuleError("Enter why recall is recommended", field="reason")
    if (
        RecallRecommendation.objects.filter(event=event)
        .exclude(status__in=list(CLOSED_RECALL_STATUSES))
        .exists()
    ):
        raise CaseRuleError("A recall recommendation for this licence is already waiting for a decision")
    recommendation = RecallRecommendation.objects.create(
        offender=event.offender,
        event=event,
        recall_type=recall_type,
        emergency=emergency,
        reason=reason.strip(),
        recommended_on=on or timezone.localdate(),
        recommended_by=_staff(user),
    )
    record_access(
        user,
        AccessAction.CREATE,
        f"recommended {recommendation.get_recall_type_display().lower()}{' (emergency)' if emergency else ''}",
        crn=event.offender.crn,
    )
    return recommendation


def _user_role(user: User) -> str | None:
    staff = _staff(user)
    return staff.grade.role if staff else None


def _log_recall_step(user: User, recommendation: RecallRecommendation, step: str, reason: str = "") -> None:
    RecallStepRecord.objects.create(
        recommendation=recommendation, step=step, by=_staff(user), at=timezone.now(), reason=reason
    )


def _stage_for(user: User, recommendation: RecallRecommendation) -> str:
    """The sign-off this person gives now (the SPO's, then the ACO's), or the rule that stops them."""
    role = _user_role(user)
    status = recommendation.status
    if status == RecallStatus.AWAITING_SPO:
        if role == Role.SENIOR_MANAGER:
            raise CaseRuleError(
                "A senior probation officer must sign this recommendation off before an assistant chief officer"
            )
        if role != Role.SENIOR_PROBATION_OFFICER:
            raise CaseRuleError("Only a senior probation officer can give the first sign-off")
        return RecallStatus.AWAITING_SPO
    if status == RecallStatus.AWAITING_ACO:
        if role != Role.SENIOR_MANAGER:
            raise CaseRuleError(
                "Only an assistant chief officer (senior manager) can give the second sign-off"
            )
        return RecallStatus.AWAITING_ACO
    if status == RecallStatus.RETURNED:
        raise CaseRuleError("This recommendation is back with the offender manager for more information")
    if status == RecallStatus.DECLINED:
        raise CaseRuleError("This recommendation has been declined")
    raise CaseRuleError("This recommendation has already been signed off")


@case_write
def sign_off_recall(
    user: User, recommendation: RecallRecommendation, *, expected_version: int
) -> RecallRecommendation:
    """The SPO signs first, then a senior manager (ACO); each only by their own role, never out of order.

    Someone who may give neither sign-off on this case is refused (a 403, logged); a senior manager
    who comes before the SPO is told the order (a rule, not a refusal)."""
    if not can_sign_off_recall(user, recommendation.offender):
        raise CaseRefused(
            "Only a senior probation officer and then an assistant chief officer sign off a recall",
            crn=recommendation.offender.crn,
        )
    stage = _stage_for(user, recommendation)
    if stage == RecallStatus.AWAITING_SPO:
        recommendation.spo_signed_by = _staff(user)
        recommendation.spo_signed_at = timezone.now()
        recommendation.status = RecallStatus.AWAITING_ACO
        step, words = RecallStep.SIGNED_OFF_SPO, "senior probation officer"
    else:
        recommendation.aco_signed_by = _staff(user)
        recommendation.aco_signed_at = timezone.now()
        recommendation.status = RecallStatus.SIGNED_OFF
        step, words = RecallStep.SIGNED_OFF_ACO, "assistant chief officer"
    recommendation.version = _claim_version(
        RecallRecommendation, recommendation.pk, expected_version, "This recall recommendation"
    )
    recommendation.save()
    _log_recall_step(user, recommendation, step)
    record_access(user, AccessAction.CHANGE, f"signed off recall as {words}", crn=recommendation.offender.crn)
    return recommendation


def refuse_unless_recall_decider(user: User, recommendation: RecallRecommendation, what: str) -> None:
    """The one rule for every door: only the SPO and the ACO who can see the case decide on a recall
    (the page asks it before reading the form, so a refusal never depends on what was posted)."""
    if not can_sign_off_recall(user, recommendation.offender):
        raise CaseRefused(
            f"Only a senior probation officer or assistant chief officer can {what} a recall",
            crn=recommendation.offender.crn,
        )


def _close_stage(
    user: User,
    recommendation: RecallRecommendation,
    *,
    verb: str,
    reason: str,
    reason_missing: str,
    status: str,
    step: str,
    logged_as: str,
    expected_version: int,
) -> RecallRecommendation:
    """A decider's answer other than signing off, at their own stage, with the reason it needs."""
    refuse_unless_recall_decider(user, recommendation, verb)
    _stage_for(user, recommendation)
    if not reason.strip():
        raise CaseRuleError(reason_missing, field="reason")
    recommendation.version = _claim_version(
        RecallRecommendation, recommendation.pk, expected_version, "This recall recommendation"
    )
    recommendation.status = status
    recommendation.save()
    _log_recall_step(user, recommendation, step, reason.strip())
    record_access(
        user, AccessAction.CHANGE, f"{logged_as}: {reason.strip()}"[:200], crn=recommendation.offender.crn
    )
    return recommendation


@case_write
def decline_recall(
    user: User, recommendation: RecallRecommendation, *, reason: str, expected_version: int
) -> RecallRecommendation:
    """Close the recommendation without a recall, at the decider's own stage, saying why. The
    offender manager is told on their home page."""
    return _close_stage(
        user,
        recommendation,
        verb="decline",
        reason=reason,
        reason_missing="Enter why the recall is declined",
        status=RecallStatus.DECLINED,
        step=RecallStep.DECLINED,
        logged_as="declined recall",
        expected_version=expected_version,
    )


@case_write
def return_recall(
    user: User, recommendation: RecallRecommendation, *, reason: str, expected_version: int
) -> RecallRecommendation:
    """Send the recommendation back to the offender manager with what is missing; they resubmit it."""
    return _close_stage(
        user,
        recommendation,
        verb="return",
        reason=reason,
        reason_missing="Enter what more information is needed",
        status=RecallStatus.RETURNED,
        step=RecallStep.RETURNED,
        logged_as="returned recall for more information",
        expected_version=expected_version,
    )


def refuse_unless_recall_resubmitter(user: User, recommendation: RecallRecommendation) -> None:
    """Those who manage the case answer a return (asked by the page before it reads the form)."""
    if not can_manage_supervision(user, recommendation.offender):
        raise CaseRefused(
            "Only the offender manager, SPOs and case administrators resubmit a recall",
            crn=recommendation.offender.crn,
        )


@case_write
def resubmit_recall(
    user: User, recommendation: RecallRecommendation, *, reason: str, expected_version: int
) -> RecallRecommendation:
    """The offender manager answers a return: the changed recommendation goes to the senior probation
    officer again, whose earlier sign-off (if any) was of the version returned, so both are given afresh."""
    refuse_unless_recall_resubmitter(user, recommendation)
    if recommendation.status != RecallStatus.RETURNED:
        raise CaseRuleError("Only a recommendation returned for more information can be resubmitted")
    if not reason.strip():
        raise CaseRuleError("Enter why recall is recommended", field="reason")
    recommendation.version = _claim_version(
        RecallRecommendation, recommendation.pk, expected_version, "This recall recommendation"
    )
    recommendation.reason = reason.strip()
    recommendation.status = RecallStatus.AWAITING_SPO
    recommendation.spo_signed_by = recommendation.aco_signed_by = None
    recommendation.spo_signed_at = recommendation.aco_signed_at = None
    recommendation.save()
    _log_recall_step(user, recommendation, RecallStep.RESUBMITTED)
    record_access(
        user, AccessAction.CHANGE, "resubmitted recall recommendation", crn=recommendation.offender.crn
    )
    return recommendation


@case_write
def record_recall_outcome(
    user: User,
    recommendation: RecallRecommendation,
    *,
    outcome: str,
    on: date,
    notes: str = "",
    expected_version: int,
) -> RecallRecommendation:
    if not can_manage_supervision(user, recommendation.offender):
        raise CaseRefused("You cannot record the outcome of this recall", crn=recommendation.offender.crn)
    if recommendation.status != RecallStatus.SIGNED_OFF:
        raise CaseRuleError("The outcome can be recorded once both sign-offs are given", field="outcome")
    if outcome not in RecallOutcome.values:
        raise CaseRuleError("Choose the outcome of the recall", field="outcome")
    if on < recommendation.recommended_on:
        raise CaseRuleError("The outcome date must be on or after the recommendation", field="outcome_on")
    recommendation.version = _claim_version(
        RecallRecommendation, recommendation.pk, expected_version, "This recall recommendation"
    )
    recommendation.outcome = outcome
    recommendation.outcome_on = on
    recommendation.outcome_notes = notes
    recommendation.status = RecallStatus.DECIDED
    recommendation.save()
    if outcome == RecallOutcome.RECALLED:
        event = Event.objects.get(pk=recommendation.event_id)
        if event.is_active:
            end_event(
                user,
                event,
                reason=TerminationReason.RECALLED,
                on=on,
                notes=f"{recommendation.get_recall_type_display()}: {recommendation.reason}"[:500],
                expected_version=event.version,
            )
    record_access(
        user,
        AccessAction.CHANGE,
        f"recorded recall outcome: {recommendation.get_outcome_display()}",
        crn=recommendation.offender.crn,
    )
    return recommendation


# ---------------------------------------------------------------- reception


@case_write
def check_in(user: User, contact: Contact, *, at: datetime | None = None) -> Contact:
    at = at or timezone.now()
    if _local(contact.starts_at).date() != _local(at).date():
        raise CaseRuleError("Only today's appointments can be checked in")
    if contact.arrived_at:
        raise CaseRuleError(
            f"{contact.offender.full_name} was already checked in at {_local(contact.arrived_at):%H:%M}"
        )
    Contact.objects.filter(pk=contact.pk).update(arrived_at=at, version=models.F("version") + 1)
    contact.arrived_at = at
    record_access(
        user, AccessAction.CHANGE, f"checked in at reception at {_local(at):%H:%M}", crn=contact.offender.crn
    )
    return contact


@case_write
def mark_seen(user: User, contact: Contact, *, at: datetime | None = None) -> Contact:
    at = at or timezone.now()
    if not contact.arrived_at:
        raise CaseRuleError("Check the person in before marking them seen")
    if contact.seen_at:
        raise CaseRuleError(
            f"{contact.offender.full_name} was already seen at {_local(contact.seen_at):%H:%M}"
        )
    if at < contact.arrived_at:
        raise CaseRuleError("The time seen must be after the time of arrival")
    Contact.objects.filter(pk=contact.pk).update(seen_at=at, version=models.F("version") + 1)
    contact.seen_at = at
    record_access(
        user,
        AccessAction.CHANGE,
        f"seen after waiting {contact.waiting_minutes} minutes",
        crn=contact.offender.crn,
    )
    return contact


# ---------------------------------------------------------------- reminder preferences


@case_write
def save_reminder_preference(
    user: User,
    offender: Offender,
    *,
    channel: str,
    mobile_number: str,
    email_address: str,
    expected_version: int,
) -> ReminderPreference:
    if channel == ReminderChannel.TEXT and not mobile_number.strip():
        raise CaseRuleError("Enter a mobile number for text message reminders", field="mobile_number")
    if channel == ReminderChannel.EMAIL and not email_address.strip():
        raise CaseRuleError("Enter an email address for email reminders", field="email_address")
    preference, created = ReminderPreference.objects.get_or_create(offender=offender)
    if not created:
        preference.version = _claim_version(
            ReminderPreference, preference.pk, expected_version, "These preferences"
        )
    preference.channel = channel
    preference.mobile_number = mobile_number.strip()
    preference.email_address = email_address.strip()
    preference.save()
    record_access(user, AccessAction.CHANGE, "changed appointment reminder preferences", crn=offender.crn)
    return preference


def as_dict(result: EnforcementResult) -> dict[str, Any]:
    return {
        "action": result.decision.action.value if result.decision else None,
        "reason": result.decision.reason if result.decision else None,
        "warning_id": result.warning.pk if result.warning else None,
        "breach_id": result.breach.pk if result.breach else None,
    }
