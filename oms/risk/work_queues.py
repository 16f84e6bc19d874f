"""Countersigning's cards on the home page: the countersigner's queue (how many, how long the oldest
has waited, how many are past the limit) and the author's work rolled back to them (what, who rolled
it back, why, and the link to change it). Sentence plans are countersigned documents too, so both
cover them. Registered in apps.py."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from oms.accounts.permissions import AnyUser, role_of
from oms.accounts.work_queues import HomeContext, WorkItem, WorkQueue
from oms.organisation.constants import Role
from oms.risk.countersigning import (
    CountersignedDocument,
    CountersigningAction,
    CountersigningEvent,
    CountersigningStatus,
    countersignable_filter,
    document_models,
)
from oms.risk.countersigning_rules import COUNTERSIGNING_WORKING_DAYS
from oms.risk.permissions import ASSESSING_ROLES
from oms.timescales.calendar import working_days_between


def writes_assessments(user: AnyUser) -> bool:
    return role_of(user) in ASSESSING_ROLES


def _last_day_within_limit(today: date) -> date:
    """The latest first-submission day whose document is already past the countersigning limit today
    (more than 5 working days waiting)."""
    day = today
    while working_days_between(day, today) <= COUNTERSIGNING_WORKING_DAYS:
        day -= timedelta(days=1)
    return day


def countersigning_queue(context: HomeContext) -> list[WorkQueue]:
    """How much waits for this person's countersignature: one aggregate query per kind of document."""
    if context.staff is None:
        return []
    condition = countersignable_filter(context.staff, context.today)
    late_before = timezone.make_aware(
        datetime.combine(_last_day_within_limit(context.today) + timedelta(days=1), time.min)
    )
    started = Coalesce("first_submitted_at", "submitted_at")
    count = late = 0
    oldest: datetime | None = None
    for model in document_models():
        figures = (
            model.objects.filter(condition, status=CountersigningStatus.SUBMITTED)
            .annotate(clock=started)
            .aggregate(
                count=Count("pk"), late=Count("pk", filter=Q(clock__lt=late_before)), oldest=Min("clock")
            )
        )
        count += figures["count"]
        late += figures["late"]
        if figures["oldest"] is not None and (oldest is None or figures["oldest"] < oldest):
            oldest = figures["oldest"]
    detail = ""
    if oldest is not None:
        first = timezone.localdate(oldest)
        waited = working_days_between(first, context.today)
        detail = (
            f"The oldest has waited {waited} working day{'s' if waited != 1 else ''} since it was first "
            f"submitted on {first.day} {first:%B %Y}; {late:,} waited more than "
            f"{COUNTERSIGNING_WORKING_DAYS} working days."
        )
    return [
        WorkQueue(
            key="countersigning-queue",
            title="Countersigning",
            count=count,
            counts=f"{'assessment or plan' if count == 1 else 'assessments and plans'} waiting for your "
            "countersignature",
            url=reverse("risk:countersigning"),
            link_text="Open the countersigning queue",
            detail=detail,
            urgent=late > 0,
        )
    ]


def _edit_url(document: CountersignedDocument) -> str:
    from oms.risk.models import DOCUMENT_KINDS

    kind = {model: key for key, model in DOCUMENT_KINDS.items()}.get(type(document))
    if kind is not None:
        return reverse("risk:edit", args=[document.offender.crn, kind, document.pk])
    edit: str = getattr(document, "get_edit_url", lambda: "")()
    return edit


def rolled_back_to_me(context: HomeContext) -> list[WorkQueue]:
    """The author's documents rolled back by their countersigner, each with who rolled it back and
    when (its latest rollback, read in the same query): one query per kind of document."""
    if context.staff is None:
        return []
    content_types = ContentType.objects.get_for_models(*document_models())  # cached after the first
    documents: list[CountersignedDocument] = []
    for model in document_models():
        latest = CountersigningEvent.objects.filter(
            content_type=content_types[model],
            object_id=OuterRef("pk"),
            action=CountersigningAction.ROLLED_BACK,
        ).order_by("-at", "-pk")
        documents += (
            model.objects.filter(
                author=context.staff,
                status=CountersigningStatus.ROLLED_BACK,
                offender__in=context.cases.values("pk"),
            )
            .select_related("offender")
            .annotate(
                rolled_back_at=Subquery(latest.values("at")[:1]),
                rolled_back_by_first=Subquery(latest.values("by__first_name")[:1]),
                rolled_back_by_family=Subquery(latest.values("by__family_name")[:1]),
            )
        )
    if not documents and context.role != Role.OFFENDER_MANAGER:
        return []
    documents.sort(key=lambda d: (d.updated_at, d.pk))
    items = []
    for document in documents:
        first = getattr(document, "rolled_back_by_first", None)
        who = f"{first} {document.rolled_back_by_family}" if first else "your countersigner"  # type: ignore[attr-defined]
        at = getattr(document, "rolled_back_at", None)
        when = timezone.localtime(at) if at else None
        items.append(
            WorkItem(
                text=f"{document.title}: {document.offender.full_name} ({document.offender.crn})",
                url=_edit_url(document),
                link_text="Change it",
                detail=f"Rolled back by {who}"
                + (f" on {when.day} {when:%B %Y}" if when else "")
                + f": {document.last_rollback_reason}",
                urgent=True,
            )
        )
    return [
        WorkQueue(
            key="rolled-back",
            title="Work rolled back to you",
            count=len(documents),
            counts=f"{'assessment or plan' if len(documents) == 1 else 'assessments and plans'} you wrote "
            "that your countersigner sent back to be improved",
            url="",
            link_text="",
            items=tuple(items),
            urgent=bool(documents),
        )
    ]
