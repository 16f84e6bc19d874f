"""The supervision section of a case's whole record: contacts, warnings, breaches and recalls."""

from __future__ import annotations

from typing import Any

from oms.cases.models import Offender
from oms.supervision.models import Breach, Contact, EnforcementWarning, RecallRecommendation


def supervision_record(offender: Offender, reader_is_victim_liaison: bool) -> dict[str, Any]:
    return {
        "contacts": [
            {
                "type": c.contact_type_id,
                "starts_at": c.starts_at,
                "outcome": c.outcome or None,
                "absence_reason": c.absence_reason,
                "enforceable": c.enforceable,
                "not_enforceable_approved_by": (
                    c.not_enforceable_approved_by.full_name if c.not_enforceable_approved_by else None
                ),
                "not_enforceable_reason": c.not_enforceable_reason,
                "induction_given": c.induction_given,
                "notes": c.notes,
            }
            for c in Contact.objects.filter(offender=offender)
            .select_related("not_enforceable_approved_by")
            .order_by("starts_at", "id")
        ],
        "warnings": [
            {"issued_on": w.issued_on, "failure_on": w.failure.starts_at}
            for w in EnforcementWarning.objects.filter(offender=offender).select_related("failure")
        ],
        "breaches": [
            {
                "initiated_on": b.initiated_on,
                "laid_before_court_on": b.laid_before_court_on,
                "resolved_on": b.resolved_on,
                "outcome": b.outcome or None,
            }
            for b in Breach.objects.filter(offender=offender)
        ],
        "recalls": [
            {
                "recommended_on": r.recommended_on,
                "recall_type": r.recall_type,
                "emergency": r.emergency,
                "status": r.status,
                "outcome": r.outcome or None,
                "steps": [
                    {"step": s.step, "by": s.by.full_name if s.by else None, "at": s.at, "reason": s.reason}
                    for s in r.steps.all()
                ],
            }
            for r in RecallRecommendation.objects.filter(offender=offender).prefetch_related("steps__by")
        ],
    }
