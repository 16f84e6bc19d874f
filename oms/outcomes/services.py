"""Every write of an outcome: one transaction each, checked, versioned by history, in the access log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.accounts.permissions import AnyUser, staff_of
from oms.cases.models import Event, Offender
from oms.cases.services import CaseRuleError
from oms.outcomes.constants import (
    DomesticViolenceCheckResult,
    FurtherOffenceKind,
    InformationSource,
    MeasureDirection,
    RestrictiveMeasure,
    SentenceCompliance,
    VictimAwarenessResult,
)
from oms.outcomes.models import (
    DomesticViolenceCheck,
    EndOfSentenceCompliance,
    FurtherOffence,
    RestrictiveMeasureChange,
    VictimAwarenessWork,
)
from oms.outcomes.permissions import can_record_outcomes

__all__ = ["CaseRuleError"]


def _check(user: AnyUser, offender: Offender) -> None:
    if not can_record_outcomes(user, offender):
        record_access(user, AccessAction.REFUSED, "refused: recording outcomes", crn=offender.crn)
        raise CaseRuleError("You may not record outcomes on this case", "offender")


def _choice(value: str, choices: type, field: str) -> None:
    if value not in choices.values:  # type: ignore[attr-defined]
        raise CaseRuleError(f"{field.replace('_', ' ').capitalize()}: choose one of the listed values", field)


def _not_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise CaseRuleError(f"{field.replace('_', ' ').capitalize()} cannot be in the future", field)


@dataclass(frozen=True)
class FurtherOffenceInput:
    event: Event
    kind: str
    offence: str
    offence_date: date
    disposal_date: date
    source: str


@transaction.atomic
def record_further_offence(user: AnyUser, offender: Offender, data: FurtherOffenceInput) -> FurtherOffence:
    """A reconviction or caution since the start of the order or licence it is counted against."""
    _check(user, offender)
    _choice(data.kind, FurtherOffenceKind, "kind")
    _choice(data.source, InformationSource, "source")
    if data.event.offender_id != offender.pk:
        raise CaseRuleError("Choose one of this case's orders or licences", "event")
    if not data.offence.strip():
        raise CaseRuleError("Enter the offence", "offence")
    _not_future(data.disposal_date, "disposal_date")
    if data.offence_date < data.event.start_date:
        raise CaseRuleError(
            f"The offence must be on or after the start of the order or licence ({data.event.start_date:%d %B %Y})",
            "offence_date",
        )
    if data.disposal_date < data.offence_date:
        raise CaseRuleError("The conviction or caution must be on or after the offence", "disposal_date")
    record = FurtherOffence.objects.create(
        offender=offender,
        event=data.event,
        kind=data.kind,
        offence=data.offence.strip(),
        offence_date=data.offence_date,
        disposal_date=data.disposal_date,
        source=data.source,
        recorded_by=staff_of(user),
    )
    record_access(
        user, AccessAction.CHANGE, f"recorded a {record.get_kind_display().lower()}", crn=offender.crn
    )
    return record


@dataclass(frozen=True)
class DomesticViolenceCheckInput:
    checked_on: date
    result: str
    callouts: int = 0
    last_callout_on: date | None = None
    source: str = InformationSource.POLICE


@transaction.atomic
def record_domestic_violence_check(
    user: AnyUser, offender: Offender, data: DomesticViolenceCheckInput
) -> DomesticViolenceCheck:
    _check(user, offender)
    _choice(data.result, DomesticViolenceCheckResult, "result")
    _choice(data.source, InformationSource, "source")
    _not_future(data.checked_on, "checked_on")
    if data.result == DomesticViolenceCheckResult.CALLOUTS and data.callouts < 1:
        raise CaseRuleError("Enter how many call-outs the police reported", "callouts")
    if data.result == DomesticViolenceCheckResult.NO_CALLOUTS and (data.callouts or data.last_callout_on):
        raise CaseRuleError("No call-outs were reported: leave the count and date empty", "callouts")
    record = DomesticViolenceCheck.objects.create(
        offender=offender,
        checked_on=data.checked_on,
        result=data.result,
        callouts=data.callouts,
        last_callout_on=data.last_callout_on,
        source=data.source,
        recorded_by=staff_of(user),
    )
    record_access(user, AccessAction.CHANGE, "recorded a police domestic violence check", crn=offender.crn)
    return record


@dataclass(frozen=True)
class VictimAwarenessInput:
    started_on: date
    ended_on: date | None = None
    result: str = ""
    notes: str = ""


@transaction.atomic
def record_victim_awareness(
    user: AnyUser, offender: Offender, data: VictimAwarenessInput
) -> VictimAwarenessWork:
    _check(user, offender)
    _not_future(data.started_on, "started_on")
    if data.ended_on is not None:
        if data.ended_on < data.started_on:
            raise CaseRuleError("The work must end on or after it started", "ended_on")
        _choice(data.result, VictimAwarenessResult, "result")
    elif data.result:
        raise CaseRuleError("Give the end date with the result", "ended_on")
    record = VictimAwarenessWork.objects.create(
        offender=offender, started_on=data.started_on, ended_on=data.ended_on, result=data.result,
        notes=data.notes, recorded_by=staff_of(user),
    )  # fmt: skip
    record_access(user, AccessAction.CHANGE, "recorded victim awareness work", crn=offender.crn)
    return record


@dataclass(frozen=True)
class RestrictiveMeasureInput:
    changed_on: date
    measure: str
    direction: str
    reason: str


@transaction.atomic
def record_restrictive_measure_change(
    user: AnyUser, offender: Offender, data: RestrictiveMeasureInput
) -> RestrictiveMeasureChange:
    _check(user, offender)
    _choice(data.measure, RestrictiveMeasure, "measure")
    _choice(data.direction, MeasureDirection, "direction")
    _not_future(data.changed_on, "changed_on")
    if not data.reason.strip():
        raise CaseRuleError("Say why the measure was eased or increased", "reason")
    record = RestrictiveMeasureChange.objects.create(
        offender=offender, changed_on=data.changed_on, measure=data.measure, direction=data.direction,
        reason=data.reason.strip(), recorded_by=staff_of(user),
    )  # fmt: skip
    record_access(
        user, AccessAction.CHANGE, f"recorded a restrictive measure {data.direction}", crn=offender.crn
    )
    return record


@dataclass(frozen=True)
class EndComplianceInput:
    event: Event
    judged_on: date
    compliance: str
    notes: str = ""


@transaction.atomic
def record_end_compliance(
    user: AnyUser, offender: Offender, data: EndComplianceInput
) -> EndOfSentenceCompliance:
    """Compliance with an order or licence, judged at its end (one judgement per order; a new one replaces it)."""
    _check(user, offender)
    _choice(data.compliance, SentenceCompliance, "compliance")
    if data.event.offender_id != offender.pk:
        raise CaseRuleError("Choose one of this case's orders or licences", "event")
    _not_future(data.judged_on, "judged_on")
    if data.judged_on < data.event.start_date:
        raise CaseRuleError(
            "Compliance is judged at the end of the sentence, not before it starts", "judged_on"
        )
    record, _ = EndOfSentenceCompliance.objects.update_or_create(
        event=data.event,
        defaults={
            "offender": offender, "judged_on": data.judged_on, "compliance": data.compliance,
            "notes": data.notes, "recorded_by": staff_of(user),
        },
    )  # fmt: skip
    record_access(
        user, AccessAction.CHANGE, "recorded compliance at the end of the sentence", crn=offender.crn
    )
    return record
