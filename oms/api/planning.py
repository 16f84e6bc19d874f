"""Sentence planning API: a case's plans with their objectives and progress (read-only)."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.accounts.refusals import note_refusal
from oms.cases.models import Offender
from oms.planning.permissions import can_read_plans
from oms.planning.queries import (
    applicable,
    case_plans,
    current_requirement_types,
    objective_rows,
    objectives_of,
)

PREFIX = "/planning"
router = Router(tags=["planning"])


class ObjectiveOut(Schema):
    number: int
    objective: str
    need: str | None
    linked_to_risk_management_plan: bool
    purpose: str | None
    intervention: str
    delivered_by: str
    target_date: date | None
    status: str
    progress: str
    shown_on_plan: bool


class PlanOut(Schema):
    sequence: int
    kind: str
    status: str
    author: str
    submitted_at: datetime | None
    countersigned_by: str | None
    locked_at: datetime | None
    planned_contact_level: str | None
    offender_agreed: bool | None
    agreement_recorded_on: date | None
    objectives: list[ObjectiveOut]


class CasePlansOut(Schema):
    crn: str
    review_due: date | None
    review_overdue: bool
    initial_plan_due: date | None
    plans: list[PlanOut]


@router.get("/cases/{crn}", response=CasePlansOut)
def case_sentence_plans(request: HttpRequest, crn: str) -> dict[str, object]:
    offender = Offender.objects.filter(crn=crn).first()
    if offender is None:
        raise HttpError(404, f"No case with CRN {crn}")
    if not can_read_plans(request.user, offender):
        note_refusal(request, "sentence plans", crn=crn)
        raise HttpError(403, "You do not have access to this case's sentence plans")
    record_access(request.user, AccessAction.VIEW, "API: read sentence plans", crn=crn, request=request)
    overview = case_plans(offender, timezone.localdate())
    requirement_types = current_requirement_types(offender)
    plans = []
    for plan in overview.plans:
        rows = objective_rows(objectives_of(plan))
        shown = {row.objective.pk for row in applicable(plan, rows, requirement_types).shown}  # type: ignore[attr-defined]
        plans.append(
            {
                "sequence": plan.sequence,
                "kind": plan.kind,
                "status": plan.status,
                "author": str(plan.author),
                "submitted_at": plan.submitted_at,
                "countersigned_by": str(plan.countersigned_by) if plan.countersigned_by else None,
                "locked_at": plan.locked_at,
                "planned_contact_level": plan.planned_contact_level or None,
                "offender_agreed": plan.offender_agreed,
                "agreement_recorded_on": plan.agreement_recorded_on,
                "objectives": [
                    {
                        "number": row.objective.number,
                        "objective": row.objective.objective,
                        "need": row.objective.need or None,
                        "linked_to_risk_management_plan": row.objective.linked_to_risk_management_plan,
                        "purpose": row.objective.purpose or None,
                        "intervention": row.objective.intervention,
                        "delivered_by": row.objective.deliverer_words(),
                        "target_date": row.objective.target_date,
                        "status": row.status,
                        "progress": row.latest_note,
                        "shown_on_plan": row.objective.pk in shown,
                    }
                    for row in rows
                ],
            }
        )
    return {
        "crn": crn,
        "review_due": overview.review_due,
        "review_overdue": overview.review_overdue,
        "initial_plan_due": overview.initial_due,
        "plans": plans,
    }
