"""Victims API: identities for victim liaison officers only; the safe summary for the others."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.errors import HttpError

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.accounts.refusals import note_refusal
from oms.cases.models import Offender
from oms.victims.permissions import can_see_victim_identities, can_see_victim_summary
from oms.victims.queries import summary_record, victim_record, victim_summary, victims_of

PREFIX = "/victims"
router = Router(tags=["victims"])


@router.get("/cases/{crn}")
def case_victims(request: HttpRequest, crn: str) -> dict[str, Any]:
    offender = get_object_or_404(Offender, crn=crn)
    summary = None
    if can_see_victim_identities(request.user, offender):
        victims = victims_of(offender)
        record_access(
            request.user, AccessAction.VIEW, "viewed victim details (API)", crn=crn, request=request
        )
        summary = summary_record(victim_summary(offender))
        return {**summary, "victim_details": [victim_record(v) for v in victims]}
    if not can_see_victim_summary(request.user, offender):
        note_refusal(request, "victim information", crn=crn)
        raise HttpError(403, "You do not have access to victim information on this case")
    record_access(
        request.user, AccessAction.VIEW, "viewed victim safety summary (API)", crn=crn, request=request
    )
    return summary_record(victim_summary(offender))
