"""The case timeline's entries for assessments and plans (risk and sentence plans) and their countersigning.

Registered with the supervision timeline in RiskConfig.ready(); a fixed number of queries per case:
one per kind of document, one for the countersigning events.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest
from django.urls import reverse

from oms.cases.models import Offender
from oms.risk.countersigning import CountersigningAction, CountersigningEvent
from oms.risk.models import DOCUMENT_KINDS
from oms.risk.permissions import can_read_risk_work
from oms.supervision.timeline import TimelineEntry


def assessment_entries(request: HttpRequest | None, offender: Offender) -> Iterable[TimelineEntry]:
    """Each RoH screening, full analysis, likelihood of reoffending and risk management plan begun;
    linked for those who may read risk work."""
    linked = request is not None and can_read_risk_work(request.user, offender)
    for kind, model in DOCUMENT_KINDS.items():
        for document in model.objects.filter(offender=offender).select_related("author"):
            yield TimelineEntry(
                document.created_at,
                "assessments",
                f"{document.title} begun",
                f"by {document.author.full_name}" if document.author_id else "",
                reverse("risk:document", args=[offender.crn, kind, document.pk]) if linked else "",
            )


def countersigning_entries(request: HttpRequest | None, offender: Offender) -> Iterable[TimelineEntry]:
    """Every submit, countersignature, completion and rollback of an assessment or plan, with why."""
    for event in CountersigningEvent.objects.filter(offender=offender).select_related("by"):
        who = f"by {event.by.full_name}" if event.by is not None else ""
        detail = f"{who}: {event.reason}" if event.reason else who
        yield TimelineEntry(
            event.at,
            "countersigning",
            f"{event.document}: {CountersigningAction(event.action).label.lower()}",
            detail,
            tag="red" if event.action == CountersigningAction.ROLLED_BACK else "",
        )
