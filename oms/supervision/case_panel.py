"""The "Contacts and compliance" section of the case page: a fixed number of queries per case."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from oms.cases.constants import EventKind
from oms.cases.models import Offender
from oms.supervision.models import RecallRecommendation
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
            "upcoming": upcoming,
            "recent": recent,
            "can_manage": can_manage,
            "can_record": can_manage or can_record_contact(request.user, offender),
            "has_licence": offender.events.filter(kind=EventKind.LICENCE, is_active=True).exists(),
            "recalls": list(RecallRecommendation.objects.filter(offender=offender)[:3]),
        },
        request=request,
    )
