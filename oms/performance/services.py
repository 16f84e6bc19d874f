"""Writes for the risk register, the SFO register and workforce records: one transaction each, audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.accounts.permissions import can_view_case
from oms.cases.models import Offender
from oms.cases.services import CaseRuleError, StaleRecordError
from oms.organisation.models import Area, Staff
from oms.performance import judgement
from oms.performance.models import (
    Appraisal,
    OrganisationalRisk,
    RiskAction,
    RiskMatrixBands,
    SeriousFurtherOffence,
    SicknessAbsence,
    SupervisionSession,
)
from oms.performance.permissions import can_manage_registers

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
    record_access(user, AccessAction.CHANGE, f"Risk action {action.pk} done on {done_on:%d %b %Y}")
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


@transaction.atomic
def record_supervision_session(
    user: User, staff: Staff, held_on: date, supervisor: Staff | None
) -> SupervisionSession:
    session = SupervisionSession.objects.create(staff=staff, supervisor=supervisor, held_on=held_on)
    record_access(user, AccessAction.CREATE, f"Supervision session for staff {staff.pk} on {held_on}")
    return session


@transaction.atomic
def record_appraisal(user: User, staff: Staff, held_on: date, appraiser: Staff | None) -> Appraisal:
    appraisal = Appraisal.objects.create(staff=staff, appraiser=appraiser, held_on=held_on)
    record_access(user, AccessAction.CREATE, f"Appraisal for staff {staff.pk} on {held_on}")
    return appraisal


@transaction.atomic
def record_sickness(user: User, staff: Staff, first_day: date, working_days_lost: Decimal) -> SicknessAbsence:
    if working_days_lost < 0:
        raise CaseRuleError("Working days lost cannot be negative", field="working_days_lost")
    absence = SicknessAbsence.objects.create(
        staff=staff, first_day=first_day, working_days_lost=working_days_lost
    )
    record_access(user, AccessAction.CREATE, f"Sickness absence for staff {staff.pk} from {first_day}")
    return absence
