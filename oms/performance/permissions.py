"""Who may see performance, workforce and the registers: built on oms.accounts.permissions.

Offender managers see none of these pages. Senior managers see their area; SPOs see the unit of the
teams they manage (performance) and the people in those teams (workforce). National users (the NPD's
performance team, HM Inspectorate) see the national report: figures only, never a case.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from oms.accounts.permissions import role_of, staff_of
from oms.organisation.constants import Role
from oms.organisation.models import Area, Staff, Unit
from oms.performance.constants import (
    NATIONAL_REPORT_ROLES,
    NATIONAL_WEIGHT_ROLES,
    PERFORMANCE_ROLES,
    REGISTER_ROLES,
    WORKFORCE_ROLES,
)

AnyUser = AbstractBaseUser | AnonymousUser


def _is_superuser(user: AnyUser) -> bool:
    return bool(getattr(user, "is_superuser", False))


def can_see_performance(user: AnyUser) -> bool:
    return _is_superuser(user) or role_of(user) in PERFORMANCE_ROLES


def can_see_national_report(user: AnyUser) -> bool:
    """Every area's figures, England and Wales and the league table: national users only (an area's
    own staff see their area beside England and Wales on their performance page)."""
    return _is_superuser(user) or role_of(user) in NATIONAL_REPORT_ROLES


def can_set_national_weights(user: AnyUser) -> bool:
    return _is_superuser(user) or role_of(user) in NATIONAL_WEIGHT_ROLES


def can_see_workforce(user: AnyUser) -> bool:
    return _is_superuser(user) or role_of(user) in WORKFORCE_ROLES


def can_see_registers(user: AnyUser) -> bool:
    """The organisational risk register and the serious further offences register."""
    return _is_superuser(user) or role_of(user) in REGISTER_ROLES


def can_manage_registers(user: AnyUser) -> bool:
    return can_see_registers(user)


def area_of(user: AnyUser) -> Area | None:
    """The area whose figures the user sees; a superuser without a staff record sees the first area."""
    staff = staff_of(user)
    if staff is not None and staff.area_id:
        return staff.area
    if _is_superuser(user):
        return Area.objects.order_by("name").first()
    return None


def performance_unit_of(user: AnyUser) -> Unit | None:
    """An SPO sees the unit of the teams they manage (or of their own team); others the whole area."""
    staff = staff_of(user)
    if staff is None or staff.grade.role != Role.SENIOR_PROBATION_OFFICER:
        return None
    team = staff.manages_teams.select_related("unit").first() or (staff.team if staff.team_id else None)
    return team.unit if team is not None else None


def workforce_staff(user: AnyUser) -> QuerySet[Staff]:
    """The people whose supervision, appraisal, sickness and training the user manages."""
    staff = staff_of(user)
    people = Staff.objects.filter(is_active=True, organisation="")
    if _is_superuser(user) and staff is None:
        area = area_of(user)
        return people.filter(area=area) if area else people.none()
    if staff is None:
        return people.none()
    role = staff.grade.role
    if role == Role.SENIOR_MANAGER:
        return people.filter(area=staff.area) if staff.area_id else people.none()
    if role == Role.SENIOR_PROBATION_OFFICER:
        return people.filter(team__managers=staff).exclude(pk=staff.pk)
    return people.none()


def can_record_workforce_for(user: AnyUser, person: Staff) -> bool:
    """A manager records sickness, supervision, appraisals and training only for their own people:
    the same people the workforce page shows them (an SPO's teams, a senior manager's area)."""
    return can_see_workforce(user) and workforce_staff(user).filter(pk=person.pk).exists()


def can_record_appraisal_of(user: AnyUser, person: Staff) -> bool:
    """Nobody records their own appraisal: it is their manager's record of them."""
    own = staff_of(user)
    return can_record_workforce_for(user, person) and (own is None or own.pk != person.pk)
