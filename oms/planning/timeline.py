"""The case timeline's entries for sentence plans and reviews begun (one query; their countersigning
comes from the shared countersigning events, oms/risk/timeline.py)."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest
from django.urls import reverse

from oms.cases.models import Offender
from oms.planning.models import SentencePlan
from oms.planning.permissions import can_read_plans
from oms.supervision.timeline import TimelineEntry


def plan_entries(request: HttpRequest | None, offender: Offender) -> Iterable[TimelineEntry]:
    # Everyone who sees the timeline sees that a plan was begun; only those who may read the plans
    # (not partner agencies) are offered the link to it.
    linked = request is not None and can_read_plans(request.user, offender)
    for plan in SentencePlan.objects.filter(offender=offender).select_related("author"):
        yield TimelineEntry(
            plan.created_at,
            "plans",
            f"{plan.title} begun",
            f"by {plan.author.full_name}" if plan.author_id else "",
            reverse("planning:plan", args=[offender.crn, plan.pk]) if linked else "",
        )
