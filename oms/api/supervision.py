"""Supervision API: contacts, appointments, outcomes, compliance and the case timeline.

The same permissions and services as the pages: every call checks the caller's right to the case.
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from oms.accounts.audit import record_access
from oms.accounts.case_access import api_case_or_refuse
from oms.accounts.models import AccessAction
from oms.api.errors import READ_ERRORS, InputSchema
from oms.cases.models import Offender
from oms.supervision import services
from oms.supervision.models import Contact
from oms.supervision.queries import compliance_for
from oms.supervision.timeline import case_timeline

PREFIX = "/supervision"
router = Router(tags=["supervision"])


class ContactOut(Schema):
    id: int
    contact_type: str
    starts_at: datetime
    ends_at: datetime
    location: str
    staff: str | None
    outcome: str
    absence_reason: str
    enforceable: bool
    interpreter_required: bool
    version: int


class AppointmentIn(InputSchema):
    contact_type: str
    starts_at: datetime
    duration_minutes: int = 60
    location: str = ""
    repeat: str = "none"
    occurrences: int = 1
    home_visit_purpose: str = ""
    enforceable: bool = True
    notes: str = ""


class OutcomeIn(InputSchema):
    outcome: str
    absence_reason: str = ""
    enforceable: bool = True
    notes: str = ""
    version: int
    # An outcome that starts breach action is recorded only with this set (else 422 naming it).
    confirm_breach: bool = False


class EnforcementOut(Schema):
    action: str | None
    reason: str | None
    warning_id: int | None
    breach_id: int | None


class ComplianceOut(Schema):
    status: str
    breach_in_progress: bool
    unacceptable_failures_in_last_12_months: int
    latest_warning: date | None
    clock: list[str]


class TimelineEntryOut(Schema):
    at: datetime
    kind: str
    title: str
    detail: str


def _contact_out(contact: Contact) -> dict[str, object]:
    return {
        "id": contact.pk,
        "contact_type": contact.contact_type_id,
        "starts_at": contact.starts_at,
        "ends_at": contact.ends_at,
        "location": contact.location,
        "staff": contact.staff.full_name if contact.staff else None,
        "outcome": contact.outcome,
        "absence_reason": contact.absence_reason,
        "enforceable": contact.enforceable,
        "interpreter_required": contact.interpreter_required,
        "version": contact.version,
    }


def _case(request: HttpRequest, crn: str) -> Offender:
    return api_case_or_refuse(request, crn, what="supervision")


@router.get("/cases/{crn}/contacts", response={200: list[ContactOut], **READ_ERRORS})
@paginate
def list_contacts(request: HttpRequest, crn: str) -> list[dict[str, object]]:
    offender = _case(request, crn)
    record_access(request.user, AccessAction.VIEW, "API: read contacts", crn=crn, request=request)
    contacts = Contact.objects.filter(offender=offender).select_related("staff").order_by("starts_at")
    return [_contact_out(c) for c in contacts]


@router.post("/cases/{crn}/appointments", response={201: list[ContactOut]})
def book(request: HttpRequest, crn: str, payload: AppointmentIn) -> tuple[int, list[dict[str, object]]]:
    offender = _case(request, crn)
    starts_at = payload.starts_at
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    booked = services.book_appointments(
        request.user,
        offender,
        services.AppointmentInput(
            contact_type=payload.contact_type,
            starts_at=starts_at,
            duration_minutes=payload.duration_minutes,
            location=payload.location,
            repeat=payload.repeat,
            occurrences=payload.occurrences,
            home_visit_purpose=payload.home_visit_purpose,
            enforceable=payload.enforceable,
            notes=payload.notes,
        ),
    )
    return 201, [_contact_out(c) for c in booked]


@router.post("/contacts/{contact_id}/outcome", response=EnforcementOut)
def record_outcome(request: HttpRequest, contact_id: int, payload: OutcomeIn) -> dict[str, object]:
    contact = get_object_or_404(Contact.objects.select_related("offender", "event"), pk=contact_id)
    # The service decides who may judge this appointment (the page asks the same question).
    _case(request, contact.offender.crn)
    result = services.record_outcome(
        request.user,
        contact,
        services.OutcomeInput(
            outcome=payload.outcome,
            absence_reason=payload.absence_reason,
            enforceable=payload.enforceable,
            notes=payload.notes,
            confirm_breach=payload.confirm_breach,
        ),
        expected_version=payload.version,
    )
    return services.as_dict(result)


@router.get("/cases/{crn}/compliance", response=ComplianceOut)
def compliance(request: HttpRequest, crn: str) -> dict[str, object]:
    offender = _case(request, crn)
    record_access(request.user, AccessAction.VIEW, "API: read compliance", crn=crn, request=request)
    result = compliance_for(offender, timezone.localdate())
    return {
        "status": result.status.text,
        "breach_in_progress": result.status.breach_in_progress,
        "unacceptable_failures_in_last_12_months": result.status.unacceptable_failures_in_last_12_months,
        "latest_warning": result.latest_warning,
        "clock": [item.text for item in result.clock],
    }


@router.get("/cases/{crn}/timeline", response=list[TimelineEntryOut])
def timeline(request: HttpRequest, crn: str, kind: str = "") -> list[dict[str, object]]:
    offender = _case(request, crn)
    record_access(request.user, AccessAction.VIEW, "API: read timeline", crn=crn, request=request)
    kinds = [k for k in kind.split(",") if k]
    return [
        {"at": e.at, "kind": e.kind, "title": e.title, "detail": e.detail}
        for e in case_timeline(request, offender, kinds)
    ]
