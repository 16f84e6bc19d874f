"""Writes for sentence planning: start, change, submit, countersign and roll back a plan; review it;
record progress against a locked plan's objectives.

One transaction each, recorded in the access log and the record history. The countersigning states
and the stale check are the shared core's (oms/risk/countersigning.py); this module adds what a plan
has beyond it: its objectives, carried from one version to the next.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Max

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.accounts.permissions import staff_of
from oms.accounts.refusals import CaseRefused
from oms.cases.constants import EventKind
from oms.cases.models import Offender
from oms.cases.services import CaseRuleError
from oms.cases.upkeep import case_write
from oms.planning.constants import ObjectiveStatus, PlanKind
from oms.planning.models import Objective, ObjectiveProgress, SentencePlan
from oms.planning.permissions import can_record_progress, can_write_plans
from oms.risk import countersigning
from oms.risk.countersigning import CountersigningStatus
from oms.risk.models import RiskManagementPlan

User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class ObjectiveInput:
    """One objective row as the form (or the API) gives it; `pk` names an existing row of the draft."""

    objective: str
    need: str = ""
    linked_to_risk_management_plan: bool = False
    purpose: str = ""
    intervention: str = ""
    delivered_by: str = "offender_manager"
    delivered_by_staff_id: int | None = None
    partner_agency: str = ""
    target_date: date | None = None
    status: str = ObjectiveStatus.NOT_STARTED
    progress_notes: str = ""
    pk: int | None = None


_OBJECTIVE_FIELDS = tuple(f.name for f in fields(ObjectiveInput) if f.name != "pk")


def _refuse_unless_planner(user: User, offender: Offender) -> None:
    if not can_write_plans(user, offender):
        raise CaseRefused(
            "Only the offender manager, their senior probation officer or the prison offender "
            "supervisor granted the case write its sentence plans",
            crn=offender.crn,
        )


def open_draft(offender: Offender) -> SentencePlan | None:
    return (
        SentencePlan.objects.filter(offender=offender, status__in=countersigning.EDITABLE_STATUSES)
        .order_by("-sequence")
        .first()
    )


def _latest_progress(objectives: list[Objective]) -> dict[int, ObjectiveProgress]:
    latest: dict[int, ObjectiveProgress] = {}
    for entry in ObjectiveProgress.objects.filter(objective__in=objectives).order_by("recorded_at", "id"):
        latest[entry.objective_id] = entry
    return latest


@case_write
def start_plan(user: User, offender: Offender) -> SentencePlan:
    """Open the draft to work on: an existing one, or a new version. With a locked plan on the case the
    new version is a review that starts from it (objectives, their latest progress, the sequencing and
    the contact level), so nothing is keyed twice and the locked plan is never touched."""
    _refuse_unless_planner(user, offender)
    author = staff_of(user)
    if author is None:
        raise CaseRuleError("Only a member of staff can write a sentence plan")
    existing = open_draft(offender)
    if existing is not None:
        return existing
    if SentencePlan.objects.filter(offender=offender, status=CountersigningStatus.SUBMITTED).exists():
        raise CaseRuleError(
            "A sentence plan is awaiting countersignature: it must be countersigned or rolled back first"
        )
    current = offender.events.filter(is_active=True).order_by("-sentence_date").first()
    if current is None:
        raise CaseRuleError("The case has no current event to plan for")
    last = (
        SentencePlan.objects.filter(offender=offender, status=CountersigningStatus.LOCKED)
        .order_by("-sequence")
        .first()
    )
    highest = (
        SentencePlan.objects.filter(offender=offender).aggregate(highest=Max("sequence"))["highest"] or 0
    )
    values: dict[str, Any] = last.copy_for_new_version() if last is not None else {}
    if last is not None and last.event_id == current.pk:
        kind = PlanKind.REVIEW
    else:
        kind = PlanKind.CUSTODY if current.kind == EventKind.CUSTODY else PlanKind.INITIAL
    rmp = (
        RiskManagementPlan.objects.filter(offender=offender, status=CountersigningStatus.LOCKED)
        .order_by("-sequence")
        .first()
    )
    values.update(
        {
            "offender_id": offender.pk,
            "event_id": current.pk,
            "author": author,
            "sequence": highest + 1,
            "previous": last,
            "kind": kind,
            "risk_management_plan_id": rmp.pk if rmp else None,
        }
    )
    plan = SentencePlan(**values)
    plan.offender = offender
    plan.save()
    if last is not None:
        carried = list(last.objectives.all())
        progress = _latest_progress(carried)
        Objective.objects.bulk_create(
            [
                Objective(
                    plan=plan,
                    number=number,
                    carried_from=objective,
                    **{
                        name: getattr(objective, name)
                        for name in _OBJECTIVE_FIELDS
                        if name not in ("status", "progress_notes")
                    },
                    status=progress[objective.pk].status if objective.pk in progress else objective.status,
                    progress_notes=progress[objective.pk].note
                    if objective.pk in progress
                    else objective.progress_notes,
                )
                for number, objective in enumerate(carried, start=1)
            ]
        )
    what = f"started {plan.short_name}"
    if last is not None:
        what += f", reviewing version {last.sequence}"
    record_access(user, AccessAction.CREATE, what, crn=offender.crn)
    return plan


def _sync_objectives(plan: SentencePlan, rows: list[ObjectiveInput]) -> None:
    existing = {objective.pk: objective for objective in plan.objectives.all()}
    kept: set[int] = set()
    number = 0
    for row in rows:
        if not row.objective.strip():
            continue
        number += 1
        values = {name: getattr(row, name) for name in _OBJECTIVE_FIELDS}
        values["objective"] = row.objective.strip()
        if row.pk is not None and row.pk in existing:
            objective = existing[row.pk]
            for name, value in values.items():
                setattr(objective, name, value)
            objective.number = number
            objective.save()
            kept.add(objective.pk)
        else:
            Objective.objects.create(plan=plan, number=number, **values)
    for pk, objective in existing.items():
        if pk not in kept:
            objective.delete()


@case_write
def save_plan(
    user: User,
    plan: SentencePlan,
    changes: dict[str, Any],
    objectives: list[ObjectiveInput],
    *,
    expected_version: int,
) -> SentencePlan:
    """Change a draft plan and its objectives; a stale or locked plan is refused (nothing is saved)."""
    _refuse_unless_planner(user, plan.offender)
    countersigning.save_draft(user, plan, changes, expected_version=expected_version)
    _sync_objectives(plan, objectives)
    return plan


@case_write
def submit_plan(user: User, plan: SentencePlan, *, expected_version: int) -> SentencePlan:
    _refuse_unless_planner(user, plan.offender)
    countersigning.submit(user, plan, expected_version=expected_version)
    return plan


def countersign_plan(user: User, plan: SentencePlan, *, expected_version: int) -> SentencePlan:
    countersigning.countersign(user, plan, expected_version=expected_version)
    return plan


def roll_back_plan(user: User, plan: SentencePlan, *, reason: str, expected_version: int) -> SentencePlan:
    countersigning.roll_back(user, plan, reason=reason, expected_version=expected_version)
    return plan


@case_write
def record_progress(user: User, objective: Objective, *, status: str, note: str) -> ObjectiveProgress:
    """Progress on a locked plan's objective goes into the progress log; the plan stays as agreed."""
    if not can_record_progress(user, objective.plan.offender):
        raise CaseRefused(
            "You can read this plan but not record progress on it", crn=objective.plan.offender.crn
        )
    staff = staff_of(user)
    if staff is None:
        raise CaseRuleError("Only a member of staff can record progress")
    plan = objective.plan
    if not plan.is_locked:
        raise CaseRuleError(
            "This plan is not locked yet: change the objective's progress in the draft itself", field="note"
        )
    if status not in ObjectiveStatus.values:
        raise CaseRuleError("Choose the objective's status", field="status")
    if not note.strip():
        raise CaseRuleError("Enter the progress made", field="note")
    entry = ObjectiveProgress.objects.create(
        objective=objective, offender_id=plan.offender_id, recorded_by=staff, status=status, note=note.strip()
    )
    record_access(
        user,
        AccessAction.CHANGE,
        f"{plan.short_name}: progress on objective {objective.number} ({entry.get_status_display().lower()})",
        crn=plan.offender.crn,
    )
    return entry
