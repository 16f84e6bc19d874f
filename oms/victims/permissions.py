"""Who sees what of the victim contact scheme: built on oms.accounts.permissions.

Only a victim liaison officer who can see the case sees a victim's identity and address, and records
the scheme's work. Everyone else who can see the case (except partner agency workers, who see no
victim information at all) sees the safety considerations, the licence conditions asked for, and
whether statutory contact applies and was offered.
"""

from __future__ import annotations

from oms.accounts.permissions import AnyUser, can_view_case, role_of
from oms.cases.models import Offender
from oms.organisation.constants import Role

ROLES_WITHOUT_VICTIM_INFORMATION = frozenset({Role.PARTNER_AGENCY})


def is_victim_liaison_officer(user: AnyUser) -> bool:
    return role_of(user) == Role.VICTIM_LIAISON_OFFICER


def can_see_victim_identities(user: AnyUser, offender: Offender) -> bool:
    return is_victim_liaison_officer(user) and can_view_case(user, offender)


def can_see_victim_summary(user: AnyUser, offender: Offender) -> bool:
    if not user.is_authenticated:
        return False
    if not getattr(user, "is_superuser", False) and (
        role_of(user) is None or role_of(user) in ROLES_WITHOUT_VICTIM_INFORMATION
    ):
        return False
    return can_view_case(user, offender)
