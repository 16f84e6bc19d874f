"""The case timeline's entries for tier decisions: each tier, why, and any override (one query)."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest
from django.urls import reverse

from oms.cases.models import Offender
from oms.supervision.timeline import TimelineEntry
from oms.tiering.models import TierDecision


def tier_entries(request: HttpRequest | None, offender: Offender) -> Iterable[TimelineEntry]:
    previous = ""
    decisions = TierDecision.objects.filter(offender=offender).order_by("decided_at", "pk")
    for decision in decisions:
        changed = decision.tier != previous
        previous = decision.tier
        if not changed and not decision.override_reason:
            continue  # a recalculation that left the tier as it was is not news
        title = f"Tier {decision.tier}" + (" (override)" if decision.override_reason else "")
        yield TimelineEntry(
            decision.decided_at,
            "tiers",
            title,
            decision.override_reason or decision.trigger,
            reverse("tiering:case", args=[offender.crn]),
        )
