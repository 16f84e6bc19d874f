"""Who may read and write sentence plans, built on accounts.permissions (the one place for access).

Writing follows the people who plan: the offender manager (their own caseload), their senior
probation officer (the team's cases) and a prison offender supervisor granted the case (custody
plans: one record, never a copy). Everyone else who can see the case reads its plans, except partner
agency workers, who record their contacts and nothing else. Interventions staff deliver objectives,
so they may add progress to a locked plan's objectives (report 2.1: tutors' feedback on progress was
variable), but never change the plan.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from oms.accounts.permissions import can_view_case, role_of
from oms.cases.models import Offender
from oms.organisation.constants import Role
from oms.risk.permissions import is_countersigning_deputy_for_case

AnyUser = AbstractBaseUser | AnonymousUser

PLANNING_ROLES = frozenset(
    {Role.OFFENDER_MANAGER, Role.SENIOR_PROBATION_OFFICER, Role.PRISON_OFFENDER_SUPERVISOR}
)
PROGRESS_ROLES = PLANNING_ROLES | {Role.INTERVENTIONS}
NO_PLAN_ACCESS_ROLES = frozenset({Role.PARTNER_AGENCY})


def can_read_plans(user: AnyUser, offender: Offender) -> bool:
    if role_of(user) in NO_PLAN_ACCESS_ROLES:
        return False
    return can_view_case(user, offender) or is_countersigning_deputy_for_case(user, offender)


def can_write_plans(user: AnyUser, offender: Offender) -> bool:
    if getattr(user, "is_superuser", False):
        return False  # the administrator keeps reference data, not casework
    return role_of(user) in PLANNING_ROLES and can_view_case(user, offender)


def can_record_progress(user: AnyUser, offender: Offender) -> bool:
    if getattr(user, "is_superuser", False):
        return False
    return role_of(user) in PROGRESS_ROLES and can_view_case(user, offender)
