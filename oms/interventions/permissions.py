"""Who records interventions and MAPPA/PPO work: built on oms.accounts.permissions.

Interventions staff see their area's cases (accounts.permissions) and record delivery on them; the
offender manager, SPO and case administrator record it too. Partner agency workers granted a case
read what is here and change nothing.
"""

from __future__ import annotations

from oms.accounts.permissions import AnyUser, can_view_case, role_of
from oms.cases.models import Offender
from oms.organisation.constants import Role

DELIVERY_ROLES = frozenset(
    {Role.INTERVENTIONS, Role.OFFENDER_MANAGER, Role.SENIOR_PROBATION_OFFICER, Role.CASE_ADMINISTRATOR}
)
# MAPPA and PPO registration is case management, not delivery.
MULTI_AGENCY_ROLES = frozenset(
    {Role.OFFENDER_MANAGER, Role.SENIOR_PROBATION_OFFICER, Role.CASE_ADMINISTRATOR}
)
INTERVENTIONS_LIST_ROLES = frozenset({Role.INTERVENTIONS, Role.SENIOR_PROBATION_OFFICER})


def _is_superuser(user: AnyUser) -> bool:
    return bool(getattr(user, "is_superuser", False))


def sees_interventions_list(user: AnyUser) -> bool:
    return _is_superuser(user) or role_of(user) in INTERVENTIONS_LIST_ROLES


def can_record_interventions(user: AnyUser, offender: Offender) -> bool:
    return (_is_superuser(user) or role_of(user) in DELIVERY_ROLES) and can_view_case(user, offender)


def can_manage_mappa_and_ppo(user: AnyUser, offender: Offender) -> bool:
    return (_is_superuser(user) or role_of(user) in MULTI_AGENCY_ROLES) and can_view_case(user, offender)
