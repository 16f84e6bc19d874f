"""The assessments section of a case's whole record: RoH screenings and analyses, likelihood of
reoffending and risk management plans, every version with its countersigning."""

from __future__ import annotations

from typing import Any

from oms.cases.models import Offender
from oms.risk.countersigning import CountersignedDocument
from oms.risk.models import ReoffendingAssessment, RiskManagementPlan, RiskOfHarmAnalysis, RiskOfHarmScreening


def countersigning_part(document: CountersignedDocument) -> dict[str, Any]:
    """What every countersigned document says of its own progress, the same for each kind."""
    return {
        "sequence": document.sequence,
        "status": document.status,
        "author": document.author.full_name,
        "first_submitted_at": document.clock_started_at,
        "submitted_at": document.submitted_at,
        "countersigning_required": document.countersigning_required,
        "countersigned_by": document.countersigned_by.full_name if document.countersigned_by else None,
        "countersigned_at": document.countersigned_at,
        "locked_at": document.locked_at,
        "rollbacks": document.rollback_count,
        "working_days_first_submission_to_lock": document.working_days_to_lock()
        if document.locked_at
        else None,
    }


def _versions(model: type[CountersignedDocument], offender: Offender) -> list[CountersignedDocument]:
    return list(
        model.objects.filter(offender=offender)
        .select_related("author", "countersigned_by")
        .order_by("sequence", "pk")
    )


def risk_record(offender: Offender, reader_is_victim_liaison: bool) -> dict[str, Any]:
    return {
        "roh_screenings": [
            countersigning_part(s)
            | {
                "full_analysis_needed": s.full_analysis_needed,
                "reasons": s.reasons,
                "indicator_levels": s.indicator_levels,
                "mappa_eligible": s.mappa_eligible,
                "child_protection_concerns": s.child_protection_concerns,
            }
            for s in _versions(RiskOfHarmScreening, offender)
            if isinstance(s, RiskOfHarmScreening)
        ],
        "roh_analyses": [
            countersigning_part(a)
            | {
                "overall_level": a.overall_level or None,
                "levels": a.levels,
                "nature_of_risk": a.nature_of_risk,
                "victim_safety_issues": a.victim_safety_issues,
            }
            for a in _versions(RiskOfHarmAnalysis, offender)
            if isinstance(a, RiskOfHarmAnalysis)
        ],
        "likelihood_of_reoffending": [
            countersigning_part(r)
            | {
                "ogrs3_one_year": r.ogrs3_one_year,
                "ogrs3_two_year": r.ogrs3_two_year,
                "ogrs3_band": r.ogrs3_band or None,
                "needs": r.needs,
                "self_harm_risk": r.self_harm_risk,
            }
            for r in _versions(ReoffendingAssessment, offender)
            if isinstance(r, ReoffendingAssessment)
        ],
        "risk_management_plans": [
            countersigning_part(p)
            | {
                "groups_addressed": p.groups_addressed,
                "actions": p.actions,
                "contingency": p.contingency,
            }
            for p in _versions(RiskManagementPlan, offender)
            if isinstance(p, RiskManagementPlan)
        ],
    }
