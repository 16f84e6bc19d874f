"""Who may request, write and deliver pre-sentence reports: built on oms.accounts.permissions."""

from __future__ import annotations

from oms.accounts.permissions import AnyUser, can_view_case, role_of
from oms.cases.models import Offender
from oms.organisation.constants import Role

# Offender managers write reports; case administrators take the court's request and allocate; SPOs
# oversee (report criterion 1.1: the gatekeeping of reports).
COURT_WORK_ROLES = frozenset({Role.OFFENDER_MANAGER, Role.SENIOR_PROBATION_OFFICER, Role.CASE_ADMINISTRATOR})


def does_court_work(user: AnyUser) -> bool:
    return bool(getattr(user, "is_superuser", False)) or role_of(user) in COURT_WORK_ROLES


def can_write_court_report(user: AnyUser, offender: Offender) -> bool:
    return does_court_work(user) and can_view_case(user, offender)
