"""The case page's inspection panel: for the inspection team, a link to the case's assessment."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from oms.accounts.permissions import staff_of
from oms.cases.models import Offender
from oms.inspection.constants import OPEN_STATUSES
from oms.inspection.models import SampledCase


def render_inspection_panel(request: HttpRequest, offender: Offender) -> str:
    """One query: the open inspections that sampled this case and on whose team the reader is."""
    staff = staff_of(request.user)
    if staff is None:
        return ""
    sampled = list(
        SampledCase.objects.filter(offender=offender, inspection__status__in=OPEN_STATUSES)
        .filter(inspection__team__staff=staff)
        .select_related("inspection__area", "assessor")
        .distinct()
    )
    if not sampled:
        return ""
    return render_to_string("inspection/case_panel.html", {"sampled": sampled, "case": offender})
