"""The case page's "Contacts" and "Enforcement" sections: a fixed number of queries per case."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from oms.cases.constants import EventKind
from oms.cases.models import Offender
from oms.cases.panels import ENFORCEMENT
from oms.supervision.models import Breach, EnforcementWarning, RecallRecommendation
from oms.supervision.permissions import can_manage_supervision, can_record_contact
from oms.supervision.queries import compliance_for, next_and_last_contacts


def render_supervision_panel(request: HttpRequest, offender: Offender) -> str:
    upcoming, recent = next_and_last_contacts(offender)
    can_manage = can_manage_supervision(request.user, offender)
    return render_to_string(
        "supervision/panel.html",
        {
            "case": offender,
            "compliance": compliance_for(offender, timezone.localdate()),
            "enforcement_url": reverse("cases:section", args=[offender.crn, ENFORCEMENT.slug]),
            "upcoming": upcoming,
            "recent": recent,
            "can_manage": can_manage,
            "can_record": can_manage or can_record_contact(request.user, offender),
        },
        request=request,
    )


def render_enforcement_panel(request: HttpRequest, offender: Offender) -> str:
    """Compliance, the enforcement clock, warnings with their letters, breaches and recalls (7 queries)."""
    return render_to_string(
        "supervision/enforcement_panel.html",
        {
            "case": offender,
            "compliance": compliance_for(offender, timezone.localdate()),
            "warnings": list(
                EnforcementWarning.objects.filter(offender=offender).select_related("failure__contact_type")
            ),
            "breaches": list(Breach.objects.filter(offender=offender).order_by("-initiated_on")),
            "recalls": list(RecallRecommendation.objects.filter(offender=offender)),
            "can_manage": can_manage_supervision(request.user, offender),
            "has_licence": offender.events.filter(kind=EventKind.LICENCE, is_active=True).exists(),
        },
        request=request,
    )
