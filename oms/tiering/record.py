"""The tier section of a case's whole record: every tier decision, with its inputs and reasons."""

from __future__ import annotations

from typing import Any

from oms.cases.models import Offender
from oms.tiering.models import TierDecision


def tiering_record(offender: Offender, reader_is_victim_liaison: bool) -> list[dict[str, Any]]:
    return [
        {
            "decided_at": d.decided_at,
            "framework": d.framework,
            "tier": d.tier,
            "computed_tier": d.computed_tier,
            "provisional": d.is_provisional,
            "current": d.is_current,
            "trigger": d.trigger,
            "reasons": d.reasons,
            "inputs": d.inputs,
            "points": d.points,
            "override_reason": d.override_reason or None,
            "overridden_by": d.overridden_by.full_name if d.overridden_by else None,
        }
        for d in TierDecision.objects.filter(offender=offender)
        .select_related("overridden_by")
        .order_by("decided_at", "pk")
    ]
