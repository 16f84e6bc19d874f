"""The interventions and the MAPPA/PPO sections of the case page (fixed queries each)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from oms.cases.models import Offender
from oms.interventions.permissions import can_manage_mappa_and_ppo, can_record_interventions
from oms.interventions.queries import case_interventions, case_multi_agency


def render_interventions_panel(request: HttpRequest, offender: Offender) -> str:
    work = case_interventions(offender, timezone.localdate())
    can_record = can_record_interventions(request.user, offender)
    if work.is_empty and not can_record:
        return ""
    return render_to_string(
        "interventions/panel.html",
        {"case": offender, "work": work, "can_record": can_record},
        request=request,
    )


def render_mappa_ppo_panel(request: HttpRequest, offender: Offender) -> str:
    multi_agency = case_multi_agency(offender, timezone.localdate())
    can_manage = can_manage_mappa_and_ppo(request.user, offender)
    if not multi_agency.registrations and not multi_agency.meetings and not can_manage:
        return ""
    return render_to_string(
        "interventions/mappa_panel.html",
        {"case": offender, "multi_agency": multi_agency, "can_manage": can_manage},
        request=request,
    )
