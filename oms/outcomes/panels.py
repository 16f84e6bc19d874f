"""The case page's outcomes section: further offences, needs change, tier, victim awareness, compliance."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from oms.cases.models import Offender
from oms.outcomes.permissions import can_record_outcomes
from oms.outcomes.queries import case_outcomes


def render_outcomes_panel(request: HttpRequest, offender: Offender) -> str:
    outcomes = case_outcomes(offender, timezone.localdate())
    can_record = can_record_outcomes(request.user, offender)
    if outcomes.is_empty and not can_record:
        return ""
    return render_to_string(
        "outcomes/case_panel.html",
        {"case": offender, "outcomes": outcomes, "can_record": can_record},
        request=request,
    )
