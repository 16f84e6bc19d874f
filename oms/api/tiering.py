"""Tiering API: a case's tier with its inputs, points, reasons and history; the allocation queue."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from oms.accounts.audit import record_access
from oms.accounts.case_access import api_case_or_refuse
from oms.accounts.models import AccessAction
from oms.tiering.permissions import allocates_cases
from oms.tiering.queries import allocation_queue, decision_history, plain_explanation

PREFIX = "/tiering"
router = Router(tags=["tiering"])


class TierDecisionOut(Schema):
    tier: str
    computed_tier: str
    framework: str
    inputs: dict[str, Any]
    points: dict[str, Any]
    reasons: list[str]
    trigger: str
    override_reason: str
    decided_at: datetime


class CaseTierOut(Schema):
    crn: str
    tier: str | None
    explanation: str
    history: list[TierDecisionOut]


class UnallocatedOut(Schema):
    crn: str
    tier: str | None
    risk_of_harm_level: str | None
    deadline: date
    overdue: bool
    recommended_grade: str


@router.get("/cases/{crn}", response=CaseTierOut)
def case_tier(request: HttpRequest, crn: str) -> dict[str, object]:
    offender = api_case_or_refuse(request, crn, what="tier")
    record_access(request.user, AccessAction.VIEW, "API: read tier decisions", crn=crn, request=request)
    history = list(decision_history(offender))
    current = next((d for d in history if d.is_current), None)
    return {
        "crn": crn,
        "tier": offender.tier or None,
        "explanation": plain_explanation(current),
        "history": history,
    }


@router.get("/allocation", response=list[UnallocatedOut])
def unallocated(request: HttpRequest) -> list[dict[str, object]]:
    if not allocates_cases(request.user):
        raise HttpError(403, "The allocation queue is for senior probation officers and case administrators")
    return [
        {
            "crn": row.offender.crn,
            "tier": row.offender.tier or None,
            "risk_of_harm_level": row.offender.risk_of_harm_level or None,
            "deadline": row.deadline,
            "overdue": row.overdue,
            "recommended_grade": row.recommended_grade.value,
        }
        for row in allocation_queue(request.user, timezone.localdate())
    ]
