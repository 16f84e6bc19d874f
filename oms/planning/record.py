"""The sentence plans section of a case's whole record: every plan and review, with its objectives."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from oms.cases.models import Offender
from oms.planning.models import Objective, SentencePlan
from oms.risk.record import countersigning_part


def planning_record(offender: Offender, reader_is_victim_liaison: bool) -> list[dict[str, Any]]:
    plans = (
        SentencePlan.objects.filter(offender=offender)
        .select_related("author", "countersigned_by")
        .prefetch_related(Prefetch("objectives", queryset=Objective.objects.order_by("number", "pk")))
        .order_by("sequence", "pk")
    )
    return [
        countersigning_part(plan)
        | {
            "kind": plan.kind,
            "planned_contact_level": plan.planned_contact_level or None,
            "review_reason": plan.review_reason,
            "progress_summary": plan.progress_summary,
            "objectives": [
                {
                    "number": o.number,
                    "objective": o.objective,
                    "need": o.need or None,
                    "intervention": o.intervention,
                    "target_date": o.target_date,
                    "status": o.status,
                }
                for o in plan.objectives.all()
            ],
        }
        for plan in plans
    ]
