"""The performance link on a senior manager's and a national user's home page: their work there is
reading the area's (or every area's) measures against target, not a queue. Registered in apps.py."""

from __future__ import annotations

from django.urls import reverse

from oms.accounts.permissions import AnyUser, role_of
from oms.accounts.work_queues import HomeContext, WorkQueue
from oms.organisation.constants import Role


def reads_area_performance(user: AnyUser) -> bool:
    return role_of(user) == Role.SENIOR_MANAGER


def reads_national_performance(user: AnyUser) -> bool:
    return role_of(user) == Role.NATIONAL_PERFORMANCE


def area_performance(context: HomeContext) -> list[WorkQueue]:
    return [
        WorkQueue(
            key="area-performance",
            title="Area performance",
            count=None,
            counts="The area's measures against their national targets, red, amber or green, and the "
            "weighted scorecard",
            url=reverse("performance:dashboard"),
            link_text="Open the area's performance",
            more_links=(("Risk register", reverse("performance:risk_register")),),
        )
    ]


def national_performance(context: HomeContext) -> list[WorkQueue]:
    return [
        WorkQueue(
            key="national-performance",
            title="National performance",
            count=None,
            counts="Every area's measures against target, England and Wales, and the weighted scorecard rank",
            url=reverse("performance:national"),
            link_text="Open the national performance report",
        )
    ]
