"""Who records outcomes on a case and who sees an area's outcomes: built on oms.accounts.permissions."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from oms.accounts.permissions import can_view_case, role_of
from oms.cases.models import Offender
from oms.organisation.constants import Role
from oms.performance.permissions import can_see_performance

AnyUser = AbstractBaseUser | AnonymousUser

# The people who learn what came of a sentence: its offender managers, their managers, the case
# administrators who key in PNC results.
RECORDING_ROLES = frozenset({Role.OFFENDER_MANAGER, Role.SENIOR_PROBATION_OFFICER, Role.CASE_ADMINISTRATOR})


def can_record_outcomes(user: AnyUser, offender: Offender) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return role_of(user) in RECORDING_ROLES and can_view_case(user, offender)


def can_see_area_outcomes(user: AnyUser) -> bool:
    """The area's outcomes page is a management page: whoever sees performance sees it."""
    return can_see_performance(user)
