"""Who is shown the National Standards dashboards in the navigation (the pages themselves list only
the cases the person may see, so anyone may open them)."""

from __future__ import annotations

from oms.accounts.permissions import AnyUser, role_of
from oms.organisation.constants import Role

# Everyone who owns actions (oms.standards.owners): victim contact is the victim liaison officer's work.
ACTIONS_DASHBOARD_ROLES = frozenset(
    {
        Role.OFFENDER_MANAGER,
        Role.SENIOR_PROBATION_OFFICER,
        Role.SENIOR_MANAGER,
        Role.CASE_ADMINISTRATOR,
        Role.VICTIM_LIAISON_OFFICER,
    }
)
ENFORCEMENT_TRACKER_ROLES = frozenset(
    {Role.CASE_ADMINISTRATOR, Role.SENIOR_PROBATION_OFFICER, Role.SENIOR_MANAGER}
)


def works_from_actions_dashboard(user: AnyUser) -> bool:
    return role_of(user) in ACTIONS_DASHBOARD_ROLES


def tracks_enforcement(user: AnyUser) -> bool:
    return role_of(user) in ENFORCEMENT_TRACKER_ROLES
