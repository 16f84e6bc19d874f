"""Who may read and write risk work on a case, built on accounts.permissions (the one place for access).

Reading follows the case: anyone who can see the case reads its assessments (inspectors and partner
agency workers only where granted, read-only). Writing is for the people who assess: the offender
manager, their senior probation officer, and the prison offender supervisor granted the case — one
record across custody and community, never a copy.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from oms.accounts.permissions import can_view_case, limited_access_allows, role_of, staff_of
from oms.cases.models import Offender
from oms.organisation.constants import Role
from oms.risk.countersigning import deputised_team_ids

AnyUser = AbstractBaseUser | AnonymousUser

ASSESSING_ROLES = frozenset(
    {Role.OFFENDER_MANAGER, Role.SENIOR_PROBATION_OFFICER, Role.PRISON_OFFENDER_SUPERVISOR}
)
# Countersigning queue: senior probation officers, and anyone named as a deputy.
COUNTERSIGNING_ROLES = frozenset({Role.SENIOR_PROBATION_OFFICER})


def is_countersigning_deputy_for_case(user: AnyUser, offender: Offender) -> bool:
    """A named deputy reads the cases of the team they countersign for, so they can judge the work;
    limited access keeps them out as it keeps out everyone (excluded-from, restricted-to)."""
    staff = staff_of(user)
    if staff is None or offender.offender_manager is None:
        return False
    return offender.offender_manager.team_id in deputised_team_ids(staff) and limited_access_allows(
        user, offender
    )


def can_read_risk_work(user: AnyUser, offender: Offender) -> bool:
    return can_view_case(user, offender) or is_countersigning_deputy_for_case(user, offender)


def can_write_risk_work(user: AnyUser, offender: Offender) -> bool:
    if getattr(user, "is_superuser", False):
        return False  # the administrator keeps reference data, not casework
    return role_of(user) in ASSESSING_ROLES and can_view_case(user, offender)


def sees_countersigning_queue(user: AnyUser) -> bool:
    staff = staff_of(user)
    if staff is None:
        return False
    return staff.grade.role in COUNTERSIGNING_ROLES or bool(deputised_team_ids(staff))


IMPORT_ASSESSMENTS_PERMISSION = "risk.import_assessments"


def can_import_assessments(user: AnyUser) -> bool:
    """Bringing assessments over from another system is a migration: for the person named its
    operator (the permission, given in the admin), never for a grade as such."""
    has_perm = getattr(user, "has_perm", None)  # PermissionsMixin's, on the project's user model
    return bool(
        user.is_authenticated and user.is_active and has_perm and has_perm(IMPORT_ASSESSMENTS_PERMISSION)
    )
