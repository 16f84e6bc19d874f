"""Who may see and change which case: decided here, in one place, and used by every view and API call.

A person's right to a case comes from their role:
- offender managers: their own caseload;
- senior probation officers: the cases of the teams they manage, and unallocated cases of their area;
- case administrators, senior managers, victim liaison and interventions staff: their area's cases;
- partner agency workers, prison offender supervisors and inspectors: only cases granted to them, and
  only while the grant is in force (anyone else may hold such a grant too, e.g. an area assessor).
Limited access overrides all of these: a person on the excluded-from list never sees the case, and
when a restricted-to list exists only the people on it do.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from oms.accounts.models import CaseAccessGrant
from oms.cases.models import Event, Offender
from oms.organisation.constants import AREA_WIDE_ROLES, CASE_ADMINISTRATION_ROLES, GRANT_ONLY_ROLES, Role
from oms.organisation.models import Staff

AnyUser = AbstractBaseUser | AnonymousUser


def staff_of(user: AnyUser) -> Staff | None:
    if not user.is_authenticated:
        return None
    try:
        staff: Staff | None = getattr(user, "staff", None)
    except Staff.DoesNotExist:
        return None
    return staff


def role_of(user: AnyUser) -> str | None:
    staff = staff_of(user)
    return staff.grade.role if staff else None


def limited_access_filter(staff: Staff) -> Q:
    """Cases this person is not kept out of by limited access: on no excluded-from list, and on the
    restricted-to list where the case is limited and has one. Every other right (a team, a deputy, a
    grant) is subject to it."""
    restricted_to_others = (
        Q(limited_access=True)
        & Exists(Offender.restricted_to.through.objects.filter(offender_id=OuterRef("pk")))
        & ~Exists(
            Offender.restricted_to.through.objects.filter(offender_id=OuterRef("pk"), staff_id=staff.pk)
        )
    )
    excluded = Exists(
        Offender.excluded_from.through.objects.filter(offender_id=OuterRef("pk"), staff_id=staff.pk)
    )
    return Q(~(restricted_to_others | excluded))


def active_grants(staff: Staff, on: date | None = None) -> QuerySet[CaseAccessGrant]:
    """The grants this person holds that are in force on the day (today by default)."""
    on = on or timezone.localdate()
    return CaseAccessGrant.objects.filter(staff_id=staff.pk, valid_from__lte=on).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on)
    )


def active_grant_filter(staff: Staff, on: date | None = None) -> Q:
    return Q(Exists(active_grants(staff, on).filter(offender_id=OuterRef("pk"))))


def _area_cases(staff: Staff) -> QuerySet[Offender]:
    """The cases of this person's area; none for someone who belongs to no area."""
    if staff.area_id is None:
        return Offender.objects.none()
    return Offender.objects.filter(area_id=staff.area_id)


def visible_cases(user: AnyUser) -> QuerySet[Offender]:
    """Every case this user may read. The single source of truth for case visibility."""
    cases = Offender.objects.all()
    if not user.is_authenticated:
        return cases.none()
    if getattr(user, "is_superuser", False):
        return cases
    staff = staff_of(user)
    if staff is None or not staff.is_active:
        return cases.none()
    role = staff.grade.role
    # Each right is its own list of case ids, read through its own index (a caseload by its offender
    # manager, an area by its area, grants by their holder), and the lists are joined with UNION ALL.
    # Written as one WHERE with OR, PostgreSQL cannot use any of those indexes and reads every case
    # of the nation to find one offender manager's 25.
    if role == Role.OFFENDER_MANAGER:
        rights = [Offender.objects.filter(offender_manager_id=staff.pk)]
    elif role == Role.SENIOR_PROBATION_OFFICER:
        # Their teams' cases, and the area's current cases still waiting for an offender manager.
        managed_teams = Staff.manages_teams.through.objects.filter(staff_id=staff.pk).values("team_id")
        rights = [
            Offender.objects.filter(offender_manager__team_id__in=managed_teams),
            _area_cases(staff)
            .filter(offender_manager__isnull=True)
            .filter(Exists(Event.objects.filter(offender_id=OuterRef("pk"), is_active=True))),
        ]
    elif role in AREA_WIDE_ROLES:
        rights = [_area_cases(staff)]
    elif role in GRANT_ONLY_ROLES:
        rights = []
    else:
        return cases.none()
    # Anyone may also hold a dated grant: an officer of the area lent to an inspection as an area
    # assessor reads the sampled cases for the inspection's duration.
    granted = active_grants(staff).order_by().values("offender_id")
    case_ids = (
        granted.union(*(right.order_by().values("pk") for right in rights), all=True) if rights else granted
    )
    # `id IN (...)` keeps each case once however many rights give it, without DISTINCT.
    return cases.filter(pk__in=case_ids).filter(limited_access_filter(staff))


def limited_access_allows(user: AnyUser, offender: Offender) -> bool:
    """Whether limited access lets this person near the case at all, whatever else gives them a right."""
    if getattr(user, "is_superuser", False):
        return True
    staff = staff_of(user)
    if staff is None:
        return False
    return Offender.objects.filter(pk=offender.pk).filter(limited_access_filter(staff)).exists()


def can_view_case(user: AnyUser, offender: Offender) -> bool:
    return visible_cases(user).filter(pk=offender.pk).exists()


def can_administer_case(user: AnyUser, offender: Offender) -> bool:
    """Register events, allocate, transfer and terminate: case administrators and SPOs who can see it."""
    if getattr(user, "is_superuser", False):
        return True
    return role_of(user) in CASE_ADMINISTRATION_ROLES and can_view_case(user, offender)


def can_register_cases(user: AnyUser) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    staff = staff_of(user)
    return bool(staff and staff.area_id and staff.grade.role in CASE_ADMINISTRATION_ROLES)


def can_edit_personal_details(user: AnyUser, offender: Offender) -> bool:
    if can_administer_case(user, offender):
        return True
    staff = staff_of(user)
    return bool(staff and offender.offender_manager_id == staff.pk)


SUBJECT_ACCESS_ROLES = frozenset({Role.CASE_ADMINISTRATOR, Role.SENIOR_MANAGER})


def can_export_subject_access(user: AnyUser, offender: Offender) -> bool:
    """Answer a subject access request: case administrators and senior managers who can see the case."""
    if getattr(user, "is_superuser", False):
        return True
    return role_of(user) in SUBJECT_ACCESS_ROLES and can_view_case(user, offender)


def can_read_access_log(user: AnyUser, offender: Offender) -> bool:
    """Managers see who has looked at a record."""
    if getattr(user, "is_superuser", False):
        return True
    return role_of(user) in {Role.SENIOR_PROBATION_OFFICER, Role.SENIOR_MANAGER} and can_view_case(
        user, offender
    )
