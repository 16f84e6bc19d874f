"""Reads shared by the planning pages, the case panel, the API and the CLI: a fixed number of queries
per case, whatever the number of plans, objectives or progress entries.

A plan "counts" (for the review clock and the National Standards) from the day it was submitted:
the offender manager's work is done then, and the manager's delay is measured separately by the
countersigning rule, so a late countersignature is never counted twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from oms.cases.models import Event, Offender, Requirement
from oms.planning.models import Objective, ObjectiveProgress, SentencePlan
from oms.planning.rules import ObjectivesShown, initial_plan_due, objectives_that_apply, review_due
from oms.risk.countersigning import EDITABLE_STATUSES, CountersigningStatus

COUNTED_STATUSES = frozenset({CountersigningStatus.SUBMITTED, CountersigningStatus.LOCKED})


def plan_date(plan: SentencePlan) -> date | None:
    """The day a plan or review was made: the day it was (last) submitted."""
    return timezone.localdate(plan.submitted_at) if plan.submitted_at else None


@dataclass
class ObjectiveRow:
    objective: Objective
    status: str
    status_label: str
    latest_note: str
    progress: list[ObjectiveProgress] = field(default_factory=list)


@dataclass
class PlanOverview:
    offender: Offender
    plans: list[SentencePlan]
    current: SentencePlan | None  # the latest locked plan
    draft: SentencePlan | None  # a draft or rolled-back version being written
    awaiting: SentencePlan | None  # submitted, awaiting countersignature
    shown: SentencePlan | None  # what the panel shows: the newest plan
    rows: list[ObjectiveRow]
    applies: ObjectivesShown | None
    current_event: Event | None
    last_plan_or_review: date | None
    review_due: date | None
    review_overdue: bool
    initial_due: date | None
    initial_overdue: bool


def objective_rows(objectives: list[Objective]) -> list[ObjectiveRow]:
    rows = []
    for objective in objectives:
        log = list(objective.progress_log.all())
        latest = log[-1] if log else None
        status = latest.status if latest else objective.status
        rows.append(
            ObjectiveRow(
                objective=objective,
                status=status,
                status_label=(latest or objective).get_status_display(),
                latest_note=latest.note if latest else objective.progress_notes,
                progress=log,
            )
        )
    return rows


def objectives_of(plan: SentencePlan) -> list[Objective]:
    """A plan's objectives with who delivers them and their progress log: two queries."""
    return list(
        plan.objectives.select_related("delivered_by_staff").prefetch_related(
            Prefetch("progress_log", queryset=ObjectiveProgress.objects.select_related("recorded_by"))
        )
    )


def current_requirement_types(offender: Offender) -> list[str]:
    return list(
        Requirement.objects.filter(event__offender=offender, event__is_active=True).values_list(
            "requirement_type_id", flat=True
        )
    )


def applicable(plan: SentencePlan, rows: list[ObjectiveRow], requirement_types: list[str]) -> ObjectivesShown:
    return objectives_that_apply(
        rows,
        tier=plan.offender.tier,
        current_requirement_types=requirement_types,
        purpose_of=lambda row: row.objective.purpose,
    )


def case_plans(offender: Offender, today: date) -> PlanOverview:
    """Everything the case panel and the plans page show, in six queries."""
    plans = list(
        SentencePlan.objects.filter(offender=offender)
        .select_related("author__grade", "countersigned_by", "event")
        .order_by("-sequence")
    )
    for plan in plans:
        plan.offender = offender
    current = next((p for p in plans if p.status == CountersigningStatus.LOCKED), None)
    draft = next((p for p in plans if p.status in EDITABLE_STATUSES), None)
    awaiting = next((p for p in plans if p.status == CountersigningStatus.SUBMITTED), None)
    shown = plans[0] if plans else None
    rows = objective_rows(objectives_of(shown)) if shown else []
    requirement_types = current_requirement_types(offender)
    events = list(offender.events.filter(is_active=True).order_by("-sentence_date"))
    current_event = events[0] if events else None
    made = [d for d in (plan_date(p) for p in plans if p.status in COUNTED_STATUSES) if d is not None]
    last = max(made) if made else None
    due = review_due(last) if last else None
    initial_due = None
    if last is None and current_event is not None:
        months_to_release = None
        if current_event.release_date:
            start, end = current_event.sentence_date, current_event.release_date
            months_to_release = (end.year - start.year) * 12 + end.month - start.month
        initial_due = initial_plan_due(
            event_kind=current_event.kind,
            start=current_event.start_date,
            tier=offender.tier,
            custody_months=current_event.length_months,
            months_to_release=months_to_release,
        )
    return PlanOverview(
        offender=offender,
        plans=plans,
        current=current,
        draft=draft,
        awaiting=awaiting,
        shown=shown,
        rows=rows,
        applies=applicable(shown, rows, requirement_types) if shown else None,
        current_event=current_event,
        last_plan_or_review=last,
        review_due=due,
        review_overdue=bool(due and due < today and current_event is not None),
        initial_due=initial_due,
        initial_overdue=bool(initial_due and initial_due < today),
    )
