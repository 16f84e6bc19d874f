"""The court reports section of the case page."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from oms.cases.models import Offender
from oms.courts.permissions import can_write_court_report
from oms.courts.queries import reports_for_case


def render_court_reports_panel(request: HttpRequest, offender: Offender) -> str:
    """One query for the reports, whatever their number; nothing shown to those outside court work."""
    can_write = can_write_court_report(request.user, offender)
    reports = reports_for_case(offender)
    if not reports and not can_write:
        return ""
    return render_to_string(
        "courts/panel.html",
        {"case": offender, "reports": reports, "can_write": can_write, "today": timezone.localdate()},
        request=request,
    )
