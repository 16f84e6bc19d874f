"""The National Standards actions on the home page, read from the stored actions table: each person's
own work (overdue, due this week), the SPO's team's overdue actions, and the case administrators'
actions that nobody else could be found to own. Registered in apps.py."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from oms.accounts.permissions import AnyUser, role_of
from oms.accounts.work_queues import HomeContext, WorkQueue
from oms.organisation.constants import Role
from oms.standards.owners import OwnerKind
from oms.standards.queries import open_only, owned_by, stored_actions

YOUR_ACTIONS_TITLES: dict[str, str] = {
    Role.VICTIM_LIAISON_OFFICER: "Victim contact actions",
    Role.OFFENDER_MANAGER: "Your actions",
}


def _actions_url(**query: str) -> str:
    return f"{reverse('standards:actions')}?{urlencode(query)}"


def sees_team_actions(user: AnyUser) -> bool:
    return role_of(user) == Role.SENIOR_PROBATION_OFFICER


def sees_unowned_actions(user: AnyUser) -> bool:
    return role_of(user) == Role.CASE_ADMINISTRATOR


def your_actions(context: HomeContext) -> list[WorkQueue]:
    """This person's own open actions: overdue, due by Sunday, and all open (one query)."""
    if context.staff is None:
        return []
    end_of_week = context.today + timedelta(days=6 - context.today.weekday())
    rows = open_only(stored_actions(context.cases, context.today)).filter(owned_by(context.staff))
    counted = rows.order_by().aggregate(
        overdue=Count("pk", filter=Q(is_overdue=True)),
        this_week=Count("pk", filter=Q(is_overdue=False, deadline__lte=end_of_week)),
        open=Count("pk"),
    )
    overdue, this_week = counted["overdue"], counted["this_week"]
    return [
        WorkQueue(
            key="overdue-actions",
            title=YOUR_ACTIONS_TITLES.get(context.role or "", "Actions that are yours"),
            count=overdue,
            counts=f"overdue, and {this_week:,} due by Sunday {end_of_week.day} {end_of_week:%B} "
            f"({counted['open']:,} open in all): National Standards actions on your cases that are yours to do",
            url=_actions_url(owner="mine", status="overdue"),
            link_text="See your overdue actions",
            more_links=(("See all your open actions", _actions_url(owner="mine")),),
            urgent=overdue > 0,
        )
    ]


def team_overdue_actions(context: HomeContext) -> list[WorkQueue]:
    """Overdue actions on the cases of the teams this SPO manages, whoever owns them (one query)."""
    overdue = open_only(stored_actions(context.cases, context.today)).filter(Q(is_overdue=True)).count()
    return [
        WorkQueue(
            key="team-overdue-actions",
            title="Your teams' overdue actions",
            count=overdue,
            counts=f"overdue action{'s' if overdue != 1 else ''} on your teams' cases, whoever owns "
            f"{'them' if overdue != 1 else 'it'}",
            url=_actions_url(status="overdue"),
            link_text="See your teams' overdue actions",
            urgent=overdue > 0,
        )
    ]


def unowned_actions(context: HomeContext) -> list[WorkQueue]:
    """Open actions given to the case administrators because the person or group they belong to is
    missing (no offender manager, no SPO for the team, no victim liaison officer): one query."""
    rows = open_only(stored_actions(context.cases, context.today)).filter(
        owner_kind=OwnerKind.CASE_ADMINISTRATOR, owner_staff__isnull=True
    )
    counted = rows.order_by().aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(is_overdue=True)))
    return [
        WorkQueue(
            key="unowned-actions",
            title="Actions with no owner",
            count=counted["open"],
            counts=f"open action{'s' if counted['open'] != 1 else ''} with nobody else to own "
            f"{'them' if counted['open'] != 1 else 'it'} (no offender manager, no team manager or no "
            f"victim liaison officer), so they are the case administrators'; {counted['overdue']:,} overdue",
            url=_actions_url(owner=f"kind:{OwnerKind.CASE_ADMINISTRATOR}"),
            link_text="See the actions with no owner",
            urgent=counted["overdue"] > 0,
        )
    ]
