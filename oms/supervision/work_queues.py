"""Supervision's cards on the home page: today's appointments, recalls to decide, recalls sent back
or declined, and failures waiting for the SPO's not-enforceable decision. Registered in apps.py."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from oms.accounts.permissions import AnyUser, role_of
from oms.accounts.work_queues import HomeContext, WorkItem, WorkQueue
from oms.organisation.constants import Role
from oms.supervision.constants import UNACCEPTABLE_OUTCOMES, RecallStatus, RecallStep
from oms.supervision.models import Contact, RecallRecommendation, RecallStepRecord
from oms.supervision.permissions import can_use_calendar

# The offender manager is told of a declined recall on their home page for this long.
DECLINED_RECALL_SHOWN_DAYS = 14
# Recall cards list the oldest few by name; the count and the link cover the rest.
RECALL_ITEMS_SHOWN = 5
APPOINTMENT_ROLES = frozenset({Role.OFFENDER_MANAGER, Role.INTERVENTIONS})
RECALL_STAGE_FOR_ROLE: dict[str, str] = {
    Role.SENIOR_PROBATION_OFFICER: RecallStatus.AWAITING_SPO,
    Role.SENIOR_MANAGER: RecallStatus.AWAITING_ACO,
}


def holds_appointments(user: AnyUser) -> bool:
    return role_of(user) in APPOINTMENT_ROLES


def signs_off_recalls(user: AnyUser) -> bool:
    return role_of(user) in RECALL_STAGE_FOR_ROLE


def recommends_recalls(user: AnyUser) -> bool:
    return role_of(user) == Role.OFFENDER_MANAGER


def decides_enforceability(user: AnyUser) -> bool:
    return role_of(user) == Role.SENIOR_PROBATION_OFFICER


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def todays_appointments(context: HomeContext) -> list[WorkQueue]:
    """The person's appointments today, in time order, each linking to where its outcome is
    recorded (one query)."""
    if context.staff is None:
        return []
    start = timezone.make_aware(datetime.combine(context.today, time.min))
    appointments = list(
        Contact.objects.filter(
            staff=context.staff,
            starts_at__gte=start,
            starts_at__lt=start + timedelta(days=1),
            offender__in=context.cases.values("pk"),
        )
        .select_related("contact_type", "offender")
        .order_by("starts_at", "pk")
    )
    now = timezone.now()
    items = []
    for contact in appointments:
        starts, ends = timezone.localtime(contact.starts_at), timezone.localtime(contact.ends_at)
        waiting = not contact.outcome and contact.starts_at <= now
        items.append(
            WorkItem(
                text=f"{starts:%H:%M} to {ends:%H:%M} {contact.contact_type.name.lower()}: "
                f"{contact.offender.full_name} ({contact.offender.crn})",
                url=reverse("supervision:contact", args=[contact.pk]),
                link_text="Record the outcome" if not contact.outcome else "Outcome recorded",
                detail=contact.get_outcome_display() if contact.outcome else "",
                urgent=waiting,
            )
        )
    without_outcome = sum(1 for c in appointments if not c.outcome)
    return [
        WorkQueue(
            key="todays-appointments",
            title="Today's appointments",
            count=len(appointments),
            counts=f"{_plural(len(appointments), 'appointment', 'appointments')} with you today, "
            f"{context.today:%A} {context.today.day} {context.today:%B}; "
            f"{without_outcome} without an outcome yet",
            # Interventions staff run sessions but have no calendar of their own to open.
            url=reverse("supervision:calendar") if can_use_calendar(context.user) else "",
            link_text="Open your calendar",
            items=tuple(items),
        )
    ]


def recalls_to_sign_off(context: HomeContext) -> list[WorkQueue]:
    """Recommendations waiting for this person's sign-off (the SPO's first, then the ACO's), oldest
    first (two queries)."""
    stage = RECALL_STAGE_FOR_ROLE.get(context.role or "")
    if stage is None:
        return []
    waiting = RecallRecommendation.objects.filter(
        status=stage, offender__in=context.cases.values("pk")
    ).order_by("recommended_on", "pk")
    count = waiting.count()
    items = tuple(
        WorkItem(
            text=f"{r.offender.full_name} ({r.offender.crn}): {r.get_recall_type_display().lower()}"
            + (" (emergency)" if r.emergency else ""),
            url=reverse("supervision:recall", args=[r.pk]),
            link_text="Decide",
            detail=f"Recommended {r.recommended_on.day} {r.recommended_on:%B %Y}"
            + (f" by {r.recommended_by.full_name}" if r.recommended_by else ""),
            urgent=r.emergency,
        )
        for r in waiting.select_related("offender", "recommended_by")[:RECALL_ITEMS_SHOWN]
    )
    who = "senior probation officer" if stage == RecallStatus.AWAITING_SPO else "assistant chief officer"
    return [
        WorkQueue(
            key="recalls-to-sign-off",
            title="Recalls to sign off",
            count=count,
            counts=f"recall {_plural(count, 'recommendation', 'recommendations')} waiting for your "
            f"sign-off as {who}: sign off, return for more information, or decline",
            url="",  # no list page: each recommendation is linked below, oldest first
            link_text="",
            detail=f"The oldest {RECALL_ITEMS_SHOWN} are listed here." if count > RECALL_ITEMS_SHOWN else "",
            items=items,
            urgent=any(item.urgent for item in items),
        )
    ]


def recalls_sent_back(context: HomeContext) -> list[WorkQueue]:
    """The offender manager's recommendations returned for more information (until resubmitted), and
    those declined in the last two weeks, with who decided and why (two queries)."""
    if context.staff is None:
        return []
    since = timezone.now() - timedelta(days=DECLINED_RECALL_SHOWN_DAYS)
    recently_declined = RecallStepRecord.objects.filter(
        recommendation_id=OuterRef("pk"), step=RecallStep.DECLINED, at__gte=since
    )
    # The latest return or decline: who, when and why, read in the same query.
    last = RecallStepRecord.objects.filter(
        recommendation_id=OuterRef("pk"), step__in=[RecallStep.RETURNED, RecallStep.DECLINED]
    ).order_by("-at", "-pk")
    recommendations = list(
        RecallRecommendation.objects.filter(offender__in=context.cases.values("pk"))
        .filter(Q(offender__offender_manager=context.staff) | Q(recommended_by=context.staff))
        .filter(
            Q(status=RecallStatus.RETURNED)
            | Q(Q(status=RecallStatus.DECLINED) & Q(Exists(recently_declined)))
        )
        .select_related("offender")
        .annotate(
            step_at=Subquery(last.values("at")[:1]),
            step_reason=Subquery(last.values("reason")[:1]),
            step_by_first=Subquery(last.values("by__first_name")[:1]),
            step_by_family=Subquery(last.values("by__family_name")[:1]),
        )
        .order_by("recommended_on", "pk")
    )
    if not recommendations:
        return []
    items = []
    for recommendation in recommendations:
        returned = recommendation.status == RecallStatus.RETURNED
        said = ""
        at = getattr(recommendation, "step_at", None)
        if at is not None:
            first = getattr(recommendation, "step_by_first", None)
            by = f"{first} {recommendation.step_by_family}" if first else "a manager"  # type: ignore[attr-defined]
            on = timezone.localtime(at)
            said = (
                f"{'Returned' if returned else 'Declined'} by {by} on {on.day} {on:%B %Y}: "
                f"{recommendation.step_reason}"  # type: ignore[attr-defined]
            )
        items.append(
            WorkItem(
                text=f"{recommendation.offender.full_name} ({recommendation.offender.crn}): "
                + ("returned for more information" if returned else "recall declined"),
                url=reverse("supervision:recall", args=[recommendation.pk]),
                link_text="Add the information and resubmit" if returned else "See the decision",
                detail=said,
                urgent=returned,
            )
        )
    returned_count = sum(1 for r in recommendations if r.status == RecallStatus.RETURNED)
    return [
        WorkQueue(
            key="recalls-sent-back",
            title="Recalls returned or declined",
            count=returned_count,
            counts=f"recall {_plural(returned_count, 'recommendation', 'recommendations')} returned to "
            f"you for more information; {len(recommendations) - returned_count} declined in the last "
            f"{DECLINED_RECALL_SHOWN_DAYS} days",
            url="",
            link_text="",
            items=tuple(items),
            urgent=returned_count > 0,
        )
    ]


def not_enforceable_to_approve(context: HomeContext) -> list[WorkQueue]:
    """Failures marked not enforceable that wait for the SPO's decision; until then their warning and
    breach clocks run (one query)."""
    count = Contact.objects.filter(
        offender__in=context.cases.values("pk"),
        enforceable=False,
        outcome__in=list(UNACCEPTABLE_OUTCOMES),
        not_enforceable_approved_by__isnull=True,
    ).count()
    return [
        WorkQueue(
            key="not-enforceable-to-approve",
            title="Not enforceable: decisions to make",
            count=count,
            counts=f"{_plural(count, 'failure', 'failures')} to comply marked not enforceable, waiting "
            "for your decision (the enforcement clock runs until you decide)",
            url=reverse("supervision:not-enforceable"),
            link_text="Decide whether each is enforceable",
            urgent=count > 0,
        )
    ]
