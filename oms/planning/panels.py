"""The case page's sentence plan panel: the current plan, its status, its objectives and the review due."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from oms.cases.models import Offender
from oms.planning.permissions import can_read_plans, can_write_plans
from oms.planning.queries import case_plans


def render_planning_panel(request: HttpRequest, offender: Offender) -> str:
    """A fixed number of queries: the overview's six and the permission checks' few."""
    if not can_read_plans(request.user, offender):
        return ""
    return render_to_string(
        "planning/panel.html",
        {
            "case": offender,
            "o": case_plans(offender, timezone.localdate()),
            "can_write": can_write_plans(request.user, offender),
        },
        request=request,
    )
