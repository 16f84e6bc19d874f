"""Who may allocate and override tiers, built on accounts.permissions."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from oms.accounts.permissions import can_administer_case, can_view_case, role_of
from oms.cases.models import Offender
from oms.organisation.constants import Role

AnyUser = AbstractBaseUser | AnonymousUser

ALLOCATING_ROLES = frozenset({Role.SENIOR_PROBATION_OFFICER, Role.CASE_ADMINISTRATOR})
# spec: "a manager may override, recording the reason; tiering is never a clerical act".
OVERRIDING_ROLES = frozenset({Role.SENIOR_PROBATION_OFFICER, Role.SENIOR_MANAGER})


def allocates_cases(user: AnyUser) -> bool:
    return role_of(user) in ALLOCATING_ROLES


def can_review_grade_exceptions(user: AnyUser) -> bool:
    """Managers see the cases held outside the grade rules, with the decisions behind them."""
    if getattr(user, "is_superuser", False):
        return True
    return role_of(user) in OVERRIDING_ROLES


def can_sign_off_tier_override(user: AnyUser, offender: Offender) -> bool:
    """The second sign-off of an override lowering a high-RoH or MAPPA case: a senior manager (ACO)."""
    if getattr(user, "is_superuser", False):
        return True
    return role_of(user) == Role.SENIOR_MANAGER and can_view_case(user, offender)


def can_allocate_case(user: AnyUser, offender: Offender) -> bool:
    """Allocation is case administration: the rule the cases app's allocate() applies at every door."""
    return can_administer_case(user, offender)


def can_override_tier(user: AnyUser, offender: Offender) -> bool:
    return role_of(user) in OVERRIDING_ROLES and can_view_case(user, offender)
