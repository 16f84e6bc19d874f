"""The case page's risk panel: current RoH, OGRS3, needs, RMP, countersigning, the tier and why."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from oms.cases.models import Offender
from oms.risk.needs import NeedSeverity
from oms.risk.permissions import can_write_risk_work
from oms.risk.queries import case_risk_overview
from oms.tiering.queries import current_decision, plain_explanation


def render_risk_panel(request: HttpRequest, offender: Offender) -> str:
    """A fixed number of queries: the overview's six, the tier decision's one, the permission's few."""
    overview = case_risk_overview(offender, timezone.localdate())
    decision = current_decision(offender)
    needs = (
        [
            row
            for row in overview.latest_reoffending.need_rows()
            if row["severity"] not in (None, NeedSeverity.NO_NEED)
        ]
        if overview.latest_reoffending
        else []
    )
    return render_to_string(
        "risk/panel.html",
        {
            "case": offender,
            "o": overview,
            "decision": decision,
            "explanation": plain_explanation(decision),
            "needs": needs,
            "can_write": can_write_risk_work(request.user, offender),
        },
        request=request,
    )
