"""Interventions API: the case's interventions and the unpaid work ledger (record hours)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.errors import HttpError

from oms.accounts.audit import record_access
from oms.accounts.case_access import api_case_or_refuse
from oms.accounts.models import AccessAction
from oms.api.errors import InputSchema
from oms.cases.models import Offender, Requirement
from oms.cases.services import CaseRuleError
from oms.interventions import services
from oms.interventions.permissions import can_record_interventions
from oms.interventions.queries import case_interventions, case_multi_agency, ledger_record

PREFIX = "/interventions"
router = Router(tags=["interventions"])


class UnpaidWorkIn(InputSchema):
    requirement_id: int
    kind: str
    on: date
    hours: Decimal
    notes: str = ""


def _case(request: HttpRequest, crn: str) -> Offender:
    return api_case_or_refuse(request, crn, what="interventions")


@router.get("/cases/{crn}")
def case_record(request: HttpRequest, crn: str) -> dict[str, Any]:
    offender = _case(request, crn)
    today = timezone.localdate()
    work = case_interventions(offender, today)
    multi_agency = case_multi_agency(offender, today)
    record_access(request.user, AccessAction.VIEW, "viewed interventions (API)", crn=crn, request=request)
    return {
        "crn": crn,
        "programmes": [
            {
                "programme": r.programme,
                "referred_on": r.referred_on,
                "planned_start_on": r.planned_start_on,
                "started_on": r.started_on,
                "sessions_attended": r.sessions_attended,
                "status": r.status,
                "not_started_as_planned": r.not_started_as_planned(today),
            }
            for r in work.referrals
        ],
        "unpaid_work": [ledger_record(s) for s in work.unpaid_work],
        "mappa_level": offender.mappa_level,
        "mappa_category": offender.mappa_category,
        "is_ppo": offender.is_ppo,
        "mappa_open_actions": [
            {
                "description": a.description,
                "owner": a.owner_name,
                "owner_staff_id": a.owner_staff_id,
                "due_on": a.due_on,
            }
            for a in multi_agency.open_actions
        ],
    }


@router.post("/cases/{crn}/unpaid-work", response={201: dict[str, Any]})
def record_unpaid_work(request: HttpRequest, crn: str, payload: UnpaidWorkIn) -> Status[dict[str, Any]]:
    offender = _case(request, crn)
    if not can_record_interventions(request.user, offender):
        raise HttpError(403, "You cannot record interventions on this case")
    requirement = (
        Requirement.objects.filter(pk=payload.requirement_id, event__offender=offender)
        .select_related("event")
        .first()
    )
    if requirement is None:
        raise CaseRuleError("Not an unpaid work requirement of this case", field="requirement_id")
    entry = services.record_unpaid_work(
        request.user,
        offender,
        requirement,
        kind=payload.kind,
        on=payload.on,
        hours=payload.hours,
        notes=payload.notes,
        today=timezone.localdate(),
    )
    return Status(201, {"id": entry.pk, "kind": entry.kind, "on": entry.on, "hours": entry.hours})
