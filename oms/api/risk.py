"""Risk API: a case's assessments and plans, and the caller's countersigning queue (read-only)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from oms.accounts.audit import record_access
from oms.accounts.case_access import api_case_or_refuse
from oms.accounts.models import AccessAction
from oms.accounts.permissions import staff_of
from oms.risk.countersigning import awaiting_countersignature
from oms.risk.permissions import can_read_risk_work, sees_countersigning_queue
from oms.risk.queries import case_risk_overview

PREFIX = "/risk"
router = Router(tags=["risk"])


class DocumentOut(Schema):
    kind: str
    sequence: int
    status: str
    author: str
    submitted_at: datetime | None
    countersigned_by: str | None
    locked_at: datetime | None
    rollback_count: int


class RiskOut(Schema):
    crn: str
    risk_of_harm_level: str | None
    ogrs3_one_year: int | None
    ogrs3_two_year: int | None
    ogrs3_band: str | None
    risk_management_plan_needed: bool
    documents: list[DocumentOut]


class QueueItemOut(Schema):
    crn: str
    document: str
    author: str
    submitted_at: datetime
    working_days_waiting: int
    overdue: bool


@router.get("/cases/{crn}", response=RiskOut)
def case_risk(request: HttpRequest, crn: str) -> dict[str, object]:
    offender = api_case_or_refuse(request, crn, may=can_read_risk_work, what="risk")
    record_access(request.user, AccessAction.VIEW, "API: read risk assessments", crn=crn, request=request)
    overview = case_risk_overview(offender, timezone.localdate())
    latest = overview.latest_reoffending
    return {
        "crn": crn,
        "risk_of_harm_level": overview.risk_of_harm_level.value if overview.risk_of_harm_level else None,
        "ogrs3_one_year": latest.ogrs3_one_year if latest else None,
        "ogrs3_two_year": latest.ogrs3_two_year if latest else None,
        "ogrs3_band": (latest.ogrs3_band or None) if latest else None,
        "risk_management_plan_needed": overview.plan_needed,
        "documents": [
            {
                "kind": kind,
                "sequence": d.sequence,
                "status": d.status,
                "author": str(d.author),
                "submitted_at": d.submitted_at,
                "countersigned_by": str(d.countersigned_by) if d.countersigned_by else None,
                "locked_at": d.locked_at,
                "rollback_count": d.rollback_count,
            }
            for kind, documents in overview.documents.items()
            for d in documents
        ],
    }


@router.get("/countersigning", response=list[QueueItemOut])
def countersigning_queue(request: HttpRequest) -> list[dict[str, object]]:
    staff = staff_of(request.user)
    if staff is None or not sees_countersigning_queue(request.user):
        raise HttpError(403, "The countersigning queue is for senior probation officers and their deputies")
    return [
        {
            "crn": row.document.offender.crn,
            "document": str(row.document),
            "author": str(row.document.author),
            "submitted_at": row.document.submitted_at,
            "working_days_waiting": row.working_days_waiting,
            "overdue": row.overdue,
        }
        for row in awaiting_countersignature(staff, timezone.localdate())
    ]
