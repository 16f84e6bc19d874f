"""Tiering's cards on the home page: cases waiting for an offender manager (for the allocators) and
tier overrides waiting for a senior manager's sign-off. Registered in apps.py."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from oms.accounts.permissions import AnyUser, role_of
from oms.accounts.work_queues import HomeContext, WorkItem, WorkQueue
from oms.cases.constants import EventKind
from oms.cases.models import Event
from oms.organisation.constants import Role
from oms.tiering.models import OverrideSignOff, TierDecision
from oms.tiering.queries import allocation_deadline, unallocated_cases

OVERRIDE_ITEMS_SHOWN = 5


def signs_off_tier_overrides(user: AnyUser) -> bool:
    return role_of(user) == Role.SENIOR_MANAGER


def cases_to_allocate(context: HomeContext) -> list[WorkQueue]:
    """Current cases with no offender manager, and how many are past their allocation deadline: the
    allocation queue's cases and deadlines, read as one query of their current events."""
    cases = unallocated_cases(context.user)
    starts: dict[int, tuple[str, date]] = {}
    for offender_id, tier, kind, sentence_date, release_date in Event.objects.filter(
        is_active=True, offender__in=cases.values("pk")
    ).values_list("offender_id", "offender__tier", "kind", "sentence_date", "release_date"):
        start = release_date if kind == EventKind.LICENCE and release_date else sentence_date
        if offender_id not in starts or start < starts[offender_id][1]:
            starts[offender_id] = (tier, start)
    late = sum(1 for tier, start in starts.values() if allocation_deadline(start, tier) < context.today)
    waiting = len(starts)
    return [
        WorkQueue(
            key="cases-to-allocate",
            title="Cases to allocate",
            count=waiting,
            counts=f"current case{'s' if waiting != 1 else ''} (an order or licence in force) waiting "
            f"for an offender manager; {late:,} past the allocation deadline",
            url=reverse("tiering:allocation"),
            link_text="Open the allocation queue",
            more_links=(("See each team's workload and allocate", reverse("tiering:workload")),),
            urgent=late > 0,
        )
    ]


def tier_overrides_to_sign_off(context: HomeContext) -> list[WorkQueue]:
    """Overrides lowering a high-RoH or MAPPA case's tier, waiting for a senior manager (two queries)."""
    waiting = TierDecision.objects.filter(
        sign_off=OverrideSignOff.AWAITING, offender__in=context.cases.values("pk")
    ).order_by("decided_at", "pk")
    count = waiting.count()
    items = tuple(
        WorkItem(
            text=f"{decision.offender.full_name} ({decision.offender.crn}): tier {decision.tier} proposed",
            url=reverse("tiering:sign-off", args=[decision.offender.crn]),
            link_text="Sign off or decline",
            detail=f"Overridden by {decision.overridden_by.full_name}" if decision.overridden_by else "",
        )
        for decision in waiting.select_related("offender", "overridden_by")[:OVERRIDE_ITEMS_SHOWN]
    )
    return [
        WorkQueue(
            key="tier-overrides-to-sign-off",
            title="Tier overrides to sign off",
            count=count,
            counts=f"tier override{'s' if count != 1 else ''} of high RoH or MAPPA cases waiting for your "
            "sign-off",
            url="",
            link_text="",
            detail=f"The oldest {OVERRIDE_ITEMS_SHOWN} are listed here."
            if count > OVERRIDE_ITEMS_SHOWN
            else "",
            items=items,
            urgent=count > 0,
        )
    ]
