"""Writes for the risk register, the SFO register and workforce records: one transaction each.

Register and case writes are recorded in the access log; workforce records keep their history."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.accounts.permissions import can_view_case
from oms.cases.models import Offender
from oms.cases.services import CaseRuleError, StaleRecordError
from oms.organisation.models import Area, Staff
from oms.performance import judgement
from oms.performance.constants import SicknessReason
from oms.performance.models import (
    Appraisal,
    NationalWeight,
    OrganisationalRisk,
    RiskAction,
    RiskMatrixBands,
    SeriousFurtherOffence,
    SicknessAbsence,
    SupervisionSession,
    TrainingCompleted,
    TrainingNeed,
)
from oms.performance.permissions import (
    area_of,
    can_manage_registers,
    can_record_appraisal_of,
    can_record_workforce_for,
    can_see_performance,
    can_set_national_weights,
)
from oms.timescales.calendar import add_working_days, working_days_between

User = AbstractBaseUser | AnonymousUser

# Report 4.1(d): "Unit managers with risk areas identified as red or amber were required to submit
# action plans": a red or amber risk is refused without at least one action not yet done.
RAG_NEEDING_ACTION_PLAN = frozenset({judgement.Rag.RED, judgement.Rag.AMBER})


def bands_for(area: Area) -> judgement.RiskBands:
    own = RiskMatrixBands.objects.filter(area=area).first()
    return own.as_bands() if own else judgement.RiskBands()


@dataclass(frozen=True)
class RiskInput:
    title: str
    description: str
    owner: Staff
    likelihood: int
    impact: int
    next_review_on: date
    last_reviewed_on: date | None = None
    is_closed: bool = False


@dataclass(frozen=True)
class ActionInput:
    description: str
    owner: Staff
    due_on: date


def _refuse_unless_manager(user: User) -> None:
    if not can_manage_registers(user):
        raise CaseRuleError("Only senior managers may change the organisational registers")


@transaction.atomic
def save_risk(
    user: User,
    area: Area,
    data: RiskInput,
    *,
    risk: OrganisationalRisk | None = None,
    version: int | None = None,
    new_action: ActionInput | None = None,
) -> OrganisationalRisk:
    """Create or update a risk. A red or amber risk must have an action plan (an open action)."""
    _refuse_unless_manager(user)
    rag = bands_for(area).rag(data.likelihood, data.impact)
    if risk is not None:
        risk = OrganisationalRisk.objects.select_for_update().get(pk=risk.pk)
        if version is not None and risk.version != version:
            raise StaleRecordError(f"The risk “{risk.title}”")
    open_actions = risk.actions.filter(done_on__isnull=True).exists() if risk is not None else False
    if rag in RAG_NEEDING_ACTION_PLAN and not data.is_closed and not open_actions and new_action is None:
        raise CaseRuleError(
            f"A {rag.value} risk (score {data.likelihood * data.impact}) needs an action plan: "
            "enter an action, its owner and its due date",
            field="action_description",
        )
    if risk is None:
        risk = OrganisationalRisk(area=area)
    else:
        risk.version += 1
    for name, value in data.__dict__.items():
        setattr(risk, name, value)
    risk.save()
    if new_action is not None:
        RiskAction.objects.create(risk=risk, **new_action.__dict__)
    record_access(user, AccessAction.CHANGE, f"Organisational risk {risk.pk}: {risk.title} ({rag.value})")
    return risk


@transaction.atomic
def complete_risk_action(user: User, action: RiskAction, done_on: date) -> RiskAction:
    """Mark an action done; the last open action of a red or amber risk cannot be closed without a new one."""
    _refuse_unless_manager(user)
    risk = action.risk
    rag = bands_for(risk.area).rag(risk.likelihood, risk.impact)
    others_open = risk.actions.filter(done_on__isnull=True).exclude(pk=action.pk).exists()
    if rag in RAG_NEEDING_ACTION_PLAN and not risk.is_closed and not others_open:
        raise CaseRuleError(
            f"This is the last open action of a {rag.value} risk: add the next action before marking it done",
            field="done_on",
        )
    action.done_on = done_on
    action.save()
    record_access(user, AccessAction.CHANGE, f"Risk action {action.pk} done on {done_on.day} {done_on:%B %Y}")
    return action


@dataclass(frozen=True)
class SeriousFurtherOffenceInput:
    offence_code: str
    offence_description: str
    offence_date: date
    notified_on: date
    review_author: Staff | None = None


@transaction.atomic
def record_serious_further_offence(
    user: User, offender: Offender, data: SeriousFurtherOffenceInput
) -> SeriousFurtherOffence:
    _refuse_unless_manager(user)
    if not can_view_case(user, offender):
        raise CaseRuleError("You cannot see this case")
    if data.notified_on < data.offence_date:
        raise CaseRuleError("The notification cannot be before the offence", field="notified_on")
    sfo = SeriousFurtherOffence.objects.create(
        offender=offender,
        offence_id=data.offence_code,
        offence_description=data.offence_description,
        offence_date=data.offence_date,
        notified_on=data.notified_on,
        review_author=data.review_author,
    )
    record_access(
        user, AccessAction.CREATE, f"Serious further offence notified {data.notified_on}", crn=offender.crn
    )
    return sfo


@transaction.atomic
def record_sfo_review(
    user: User, sfo: SeriousFurtherOffence, *, completed_on: date, learning_points: str, version: int
) -> SeriousFurtherOffence:
    _refuse_unless_manager(user)
    locked = SeriousFurtherOffence.objects.select_for_update().get(pk=sfo.pk)
    if locked.version != version:
        raise StaleRecordError("The serious further offence review")
    if completed_on < locked.notified_on:
        raise CaseRuleError("The review cannot be completed before the notification", field="completed_on")
    if not learning_points.strip():
        raise CaseRuleError("Enter the learning points of the review", field="learning_points")
    locked.review_completed_on = completed_on
    locked.learning_points = learning_points
    locked.version += 1
    locked.save()
    record_access(
        user, AccessAction.CHANGE, "Serious further offence review completed", crn=locked.offender.crn
    )
    return locked


# ---------------------------------------------------------------- workforce records (criterion 4.4)
#
# Staff records, not case records: nothing here touches a case, so the case access log is not written;
# each model keeps its history (simple_history records who saved it, from the request).


def _day(day: date) -> str:
    """A date as the pages show it: 5 Mar 2026."""
    return f"{day.day} {day:%B %Y}"


def _refuse_unless_their_manager(user: User, person: Staff) -> None:
    if not can_record_workforce_for(user, person):
        raise PermissionDenied(f"You do not manage {person.full_name}")


def _refuse_future(day: date, today: date, field: str, what: str) -> None:
    if day > today:
        raise CaseRuleError(f"{what} cannot be in the future", field=field)


def _locked_person(person: Staff) -> Staff:
    """Lock the person's row so two managers saving at once cannot both pass the overlap check."""
    return Staff.objects.select_for_update().get(pk=person.pk)


@dataclass(frozen=True)
class SicknessInput:
    """First day, then the last day or the working days lost (or both); the other is worked out."""

    first_day: date
    reason_category: str
    last_day: date | None = None
    working_days_lost: Decimal | None = None


def working_days_lost_between(first_day: date, last_day: date) -> Decimal:
    """Working days from the first day to the last, both included (bank holidays and weekends not lost)."""
    return Decimal(working_days_between(first_day - timedelta(days=1), last_day))


def last_day_after(first_day: date, working_days_lost: Decimal) -> date:
    """The working day on which `working_days_lost` (a half day counts as a day) runs out."""
    return add_working_days(first_day - timedelta(days=1), max(1, math.ceil(working_days_lost)))


@transaction.atomic
def record_sickness(user: User, person: Staff, data: SicknessInput, *, today: date) -> SicknessAbsence:
    """Record a spell of sickness; refused if it ends before it starts or overlaps one already recorded."""
    _refuse_unless_their_manager(user, person)
    _refuse_future(data.first_day, today, "first_day", "The first day of the absence")
    if data.reason_category not in SicknessReason.values:
        raise CaseRuleError("Choose the reason for the absence", field="reason_category")
    if data.last_day is None and data.working_days_lost is None:
        raise CaseRuleError("Enter the last day of the absence or the working days lost", field="last_day")
    if data.last_day is not None and data.last_day < data.first_day:
        raise CaseRuleError("The last day must be the same as or after the first day", field="last_day")
    if data.working_days_lost is not None and data.working_days_lost <= 0:
        raise CaseRuleError("Working days lost must be more than 0", field="working_days_lost")
    last_day = data.last_day or last_day_after(data.first_day, data.working_days_lost or Decimal(1))
    if data.working_days_lost is None:
        working_days_lost = working_days_lost_between(data.first_day, last_day)
        if not working_days_lost:
            raise CaseRuleError(
                "There are no working days from the first day to the last: no working days were lost",
                field="last_day",
            )
    else:
        working_days_lost = data.working_days_lost
        calendar_days = (last_day - data.first_day).days + 1
        if working_days_lost > calendar_days:
            raise CaseRuleError(
                f"Working days lost cannot be more than the {calendar_days} days from the first day "
                "to the last",
                field="working_days_lost",
            )
    _locked_person(person)
    overlapping = (
        SicknessAbsence.objects.filter(staff=person, first_day__lte=last_day)
        .filter(Q(last_day__gte=data.first_day) | Q(last_day__isnull=True))
        .order_by("first_day")
        .first()
    )
    if overlapping is not None:
        until = _day(overlapping.last_day) if overlapping.last_day else "still absent"
        raise CaseRuleError(
            f"This absence overlaps one already recorded ({_day(overlapping.first_day)} to {until})",
            field="first_day",
        )
    return SicknessAbsence.objects.create(
        staff=person,
        first_day=data.first_day,
        last_day=last_day,
        working_days_lost=working_days_lost,
        reason_category=data.reason_category,
    )


def _refuse_self_as(person: Staff, other: Staff | None, field: str, what: str) -> None:
    if other is not None and other.pk == person.pk:
        raise CaseRuleError(f"{person.full_name} cannot be their own {what}", field=field)


@transaction.atomic
def record_supervision_session(
    user: User, person: Staff, *, held_on: date, supervisor: Staff | None, notes: str, today: date
) -> SupervisionSession:
    """Record a one-to-one supervision session that has happened (report 4.4(d): twice a quarter)."""
    _refuse_unless_their_manager(user, person)
    _refuse_future(held_on, today, "held_on", "The date of the session")
    _refuse_self_as(person, supervisor, "supervisor", "supervisor")
    return SupervisionSession.objects.create(
        staff=person, supervisor=supervisor, held_on=held_on, notes=notes.strip()
    )


@transaction.atomic
def record_appraisal(
    user: User, person: Staff, *, held_on: date, appraiser: Staff | None, objectives_summary: str, today: date
) -> Appraisal:
    """Record a formal appraisal (report 4.4(d): within the last 12 months). Never one's own."""
    _refuse_unless_their_manager(user, person)
    if not can_record_appraisal_of(user, person):
        raise PermissionDenied("You cannot record your own appraisal: your manager records it")
    _refuse_future(held_on, today, "held_on", "The date of the appraisal")
    _refuse_self_as(person, appraiser, "appraiser", "appraiser")
    if not objectives_summary.strip():
        raise CaseRuleError("Summarise the objectives agreed", field="objectives_summary")
    return Appraisal.objects.create(
        staff=person, appraiser=appraiser, held_on=held_on, objectives_summary=objectives_summary.strip()
    )


@transaction.atomic
def record_training_need(
    user: User, person: Staff, *, description: str, identified_on: date, today: date
) -> TrainingNeed:
    """Record a training need identified in supervision or appraisal (report 4.4(b))."""
    _refuse_unless_their_manager(user, person)
    _refuse_future(identified_on, today, "identified_on", "The date the need was identified")
    if not description.strip():
        raise CaseRuleError("Enter the training needed", field="description")
    return TrainingNeed.objects.create(
        staff=person, description=description.strip(), identified_on=identified_on
    )


@transaction.atomic
def record_training_completed(
    user: User,
    person: Staff,
    *,
    course: str,
    completed_on: date,
    today: date,
    training_need: TrainingNeed | None = None,
) -> TrainingCompleted:
    """Record a course done; when it meets one of the person's open needs, that need is marked met."""
    _refuse_unless_their_manager(user, person)
    _refuse_future(completed_on, today, "completed_on", "The date the course was completed")
    if not course.strip():
        raise CaseRuleError("Enter the course", field="course")
    need = None
    if training_need is not None:
        need = TrainingNeed.objects.select_for_update().get(pk=training_need.pk)
        if need.staff_id != person.pk:
            raise CaseRuleError(f"That training need is not {person.full_name}’s", field="training_need")
        if need.met_on is not None:
            raise CaseRuleError(
                f"The need “{need.description}” was already met on {_day(need.met_on)}",
                field="training_need",
            )
        if completed_on < need.identified_on:
            raise CaseRuleError(
                f"The need “{need.description}” was identified on {_day(need.identified_on)}: "
                "a course completed before then cannot meet it",
                field="completed_on",
            )
        need.met_on = completed_on
        need.save(update_fields=["met_on"])
    return TrainingCompleted.objects.create(
        staff=person, course=course.strip(), completed_on=completed_on, training_need=need
    )


# ---------------------------------------------------------------- national scorecard weights

# NationalWeight.weight: four digits, one decimal place.
MAXIMUM_WEIGHT = Decimal("99.9")


@transaction.atomic
def set_national_weights(user: User, weights: dict[str, Decimal]) -> list[NationalWeight]:
    """Set the weight of each measure in the national scorecard (all or nothing, history kept)."""
    from oms.performance.measures import MEASURES_BY_KEY

    if not can_set_national_weights(user):
        raise PermissionDenied("Only the national performance team sets the scorecard's weights")
    for key, weight in weights.items():
        if key not in MEASURES_BY_KEY:
            raise CaseRuleError(f"{key}: no such measure", field=key)
        if not Decimal(0) <= weight <= MAXIMUM_WEIGHT:
            raise CaseRuleError(f"{key}: a weight is from 0 to {MAXIMUM_WEIGHT}", field=key)
    saved = []
    existing = {w.measure_key: w for w in NationalWeight.objects.select_for_update()}
    for key, weight in weights.items():
        row = existing.get(key)
        if row is None:
            row = NationalWeight.objects.create(measure_key=key, weight=weight)
        elif row.weight != weight:
            row.weight = weight
            row.version += 1
            row.save(update_fields=["weight", "version"])
        saved.append(row)
    record_access(user, AccessAction.CHANGE, "National scorecard weights")
    return saved


def recalculate_area_figures(user: User, area: Area) -> int:
    """Recompute the area's stored measure figures now rather than at the nightly sweep ("Recalculate
    now" on the performance page): whoever may see the area's performance, for their own area only.
    One transaction (oms/performance/stored.py): the page shows the old figures or the new ones."""
    from oms.performance.stored import store_area_figures

    if not can_see_performance(user) or area_of(user) != area:
        raise PermissionDenied("Only the area's senior managers and SPOs recalculate its performance figures")
    with transaction.atomic():  # the figures and the record that this user replaced them, or neither
        written = store_area_figures(area.pk)
        record_access(user, AccessAction.CHANGE, f"Performance figures of {area.code} recalculated")
    return written
