"""The victims section of the case page: identities for VLOs, a safe summary for everyone else."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.cases.models import Offender
from oms.victims.permissions import can_see_victim_identities, can_see_victim_summary
from oms.victims.queries import victim_summary, victims_of


def render_victims_panel(request: HttpRequest, offender: Offender) -> str:
    if can_see_victim_identities(request.user, offender):
        victims = victims_of(offender)
        record_access(
            request.user,
            AccessAction.VIEW,
            "viewed victim details on the case page",
            crn=offender.crn,
            request=request,
        )
        return render_to_string(
            "victims/panel.html",
            {"case": offender, "victims": victims, "summary": victim_summary(offender), "identities": True},
            request=request,
        )
    if not can_see_victim_summary(request.user, offender):
        return ""
    summary = victim_summary(offender)
    if not summary.victims and not summary.statutory_contact_applies:
        return ""
    record_access(
        request.user, AccessAction.VIEW, "viewed victim safety summary", crn=offender.crn, request=request
    )
    return render_to_string(
        "victims/panel.html",
        {"case": offender, "summary": summary, "identities": False, "today": timezone.localdate()},
        request=request,
    )
