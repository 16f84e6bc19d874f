"""Who may do what in supervision, built on accounts.permissions (the one place case visibility lives).

- Book appointments, judge outcomes and enforce: the offender manager holding the case, SPOs and
  case administrators who can see it.
- Record contacts: as above, plus interventions staff on their area's cases (delivery contacts) and
  partner agency workers on the cases granted to them (report 2.1(h)) — and nothing else.
- Recall: the offender manager recommends; an SPO signs off first, then a senior manager (ACO).
"""

from __future__ import annotations

from django.db.models import QuerySet

from oms.accounts.permissions import AnyUser, can_view_case, role_of, staff_of, visible_cases
from oms.cases.models import Offender
from oms.organisation.constants import Role
from oms.organisation.models import Staff
from oms.supervision.constants import INTERVENTION_CONTACT_TYPES, PARTNER_CONTACT_TYPES
from oms.supervision.models import Contact

CASE_MANAGING_ROLES = frozenset(
    {Role.OFFENDER_MANAGER, Role.SENIOR_PROBATION_OFFICER, Role.CASE_ADMINISTRATOR}
)
CONTACT_RECORDING_ROLES = CASE_MANAGING_ROLES | {Role.INTERVENTIONS, Role.PARTNER_AGENCY}
CALENDAR_ROLES = frozenset({Role.OFFENDER_MANAGER, Role.SENIOR_PROBATION_OFFICER, Role.CASE_ADMINISTRATOR})


def _is_superuser(user: AnyUser) -> bool:
    return bool(getattr(user, "is_superuser", False))


def can_manage_supervision(user: AnyUser, offender: Offender) -> bool:
    """Book appointments, record outcomes that may lead to enforcement, start breach, recommend recall."""
    if _is_superuser(user):
        return True
    return role_of(user) in CASE_MANAGING_ROLES and can_view_case(user, offender)


def can_record_contact(user: AnyUser, offender: Offender) -> bool:
    if _is_superuser(user):
        return True
    return role_of(user) in CONTACT_RECORDING_ROLES and can_view_case(user, offender)


def can_record_outcome(user: AnyUser, contact: Contact) -> bool:
    """Judge what happened at an appointment (an outcome may issue a warning or start breach action).

    Those who manage the case judge any appointment; interventions and partner agency staff only the
    contacts they booked themselves (a session they ran), never the offender manager's appointments.
    """
    if can_manage_supervision(user, contact.offender):
        return True
    staff = staff_of(user)
    return (
        staff is not None and contact.booked_by_id == staff.pk and can_record_contact(user, contact.offender)
    )


def contact_types_for(user: AnyUser) -> frozenset[str] | None:
    """The contact types this person may record; None means every type."""
    role = role_of(user)
    if role == Role.PARTNER_AGENCY:
        return PARTNER_CONTACT_TYPES
    if role == Role.INTERVENTIONS:
        return INTERVENTION_CONTACT_TYPES
    return None


def can_sign_off_recall_as_spo(user: AnyUser, offender: Offender) -> bool:
    return role_of(user) == Role.SENIOR_PROBATION_OFFICER and can_view_case(user, offender)


def can_approve_not_enforceable(user: AnyUser, offender: Offender) -> bool:
    """An SPO over the case decides whether a failure is set aside as not enforceable."""
    return role_of(user) == Role.SENIOR_PROBATION_OFFICER and can_view_case(user, offender)


def can_sign_off_recall_as_aco(user: AnyUser, offender: Offender) -> bool:
    return role_of(user) == Role.SENIOR_MANAGER and can_view_case(user, offender)


def can_sign_off_recall(user: AnyUser, offender: Offender) -> bool:
    """Either sign-off: which one is due is the service's rule (the SPO's first, then the ACO's)."""
    return can_sign_off_recall_as_spo(user, offender) or can_sign_off_recall_as_aco(user, offender)


def can_decide_enforceability(user: AnyUser) -> bool:
    """Approving a failure as not enforceable is the senior probation officer's decision."""
    return role_of(user) == Role.SENIOR_PROBATION_OFFICER


def can_use_calendar(user: AnyUser) -> bool:
    return _is_superuser(user) or role_of(user) in CALENDAR_ROLES


def can_use_reception(user: AnyUser) -> bool:
    return _is_superuser(user) or role_of(user) == Role.CASE_ADMINISTRATOR


def calendar_staff_choices(user: AnyUser) -> QuerySet[Staff]:
    """Whose calendar this person may open: their own (offender managers), their teams' offender
    managers (SPOs), their area's offender managers (case administrators, who book for them)."""
    holders = Staff.objects.filter(grade__holds_caseload=True, is_active=True).select_related("grade", "team")
    if _is_superuser(user):
        return holders
    staff = staff_of(user)
    role = role_of(user)
    if staff is None:
        return holders.none()
    if role == Role.OFFENDER_MANAGER:
        return holders.filter(pk=staff.pk)
    if role == Role.SENIOR_PROBATION_OFFICER:
        return holders.filter(team__managers=staff)
    if role == Role.CASE_ADMINISTRATOR and staff.area_id is not None:
        return holders.filter(area_id=staff.area_id)
    return holders.none()


__all__ = ["visible_cases"]
