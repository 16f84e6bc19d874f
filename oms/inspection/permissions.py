"""Who may see and do what in an inspection, built on the one place that decides case access.

- A lead inspector (grade INSP) creates inspections and runs them; team members (inspectors, area
  assessors) assess the sampled cases assigned to them, and read those cases only while the
  inspection is in fieldwork or draft (the dated CaseAccessGrant rows the services write make
  ``accounts.permissions.visible_cases`` agree).
- An area's senior managers (ACO, CO) run self-assessments of their own area, and see every
  inspection of their area at any stage (which cases were sampled and granted; then the report and
  the improvement plan they own).
- Improvement plan actions are updated by their owner or the area's senior managers; the inspection
  team sees progress.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from oms.accounts.permissions import AnyUser, can_view_case, role_of, staff_of
from oms.inspection.constants import OPEN_STATUSES, InspectionKind
from oms.inspection.models import ImprovementPlanAction, Inspection, SampledCase
from oms.organisation.constants import Role
from oms.organisation.models import Area

# Reference data grade codes (oms/cases/reference_data.py GRADES): "INSP" Inspector, "AA" Area assessor.
LEAD_INSPECTOR_GRADE = "INSP"


def _is_superuser(user: AnyUser) -> bool:
    return bool(getattr(user, "is_superuser", False))


def can_create_inspection(user: AnyUser) -> bool:
    """Only an inspector of the inspectorate (not an area assessor) leads an inspection."""
    if _is_superuser(user):
        return True
    staff = staff_of(user)
    return bool(staff and staff.is_active and staff.grade_id == LEAD_INSPECTOR_GRADE)


def can_run_self_assessment(user: AnyUser, area: Area | None = None) -> bool:
    """An area's senior managers assess their own area, whenever they like."""
    if _is_superuser(user):
        return True
    staff = staff_of(user)
    if not staff or not staff.is_active or staff.grade.role != Role.SENIOR_MANAGER or not staff.area_id:
        return False
    return area is None or staff.area_id == area.pk


def uses_inspections(user: AnyUser) -> bool:
    """The "Inspections" navigation: inspectors, area assessors and senior managers."""
    return _is_superuser(user) or role_of(user) in {Role.INSPECTOR, Role.SENIOR_MANAGER}


def can_see_programme(user: AnyUser) -> bool:
    """HMI Probation's programme across every area: inspectors and national users (spec/national.md)."""
    return _is_superuser(user) or role_of(user) in {Role.INSPECTOR, Role.NATIONAL_PERFORMANCE}


def visible_inspections(user: AnyUser) -> QuerySet[Inspection]:
    inspections = Inspection.objects.all()
    if _is_superuser(user):
        return inspections
    staff = staff_of(user)
    if staff is None or not staff.is_active:
        return inspections.none()
    on_team = Q(lead_id=staff.pk) | Q(team__staff_id=staff.pk)
    if staff.grade.role == Role.SENIOR_MANAGER and staff.area_id:
        # The area sees every inspection of itself from the day it is planned, and so which of its
        # cases the inspectors were granted: oversight of who reads its records.
        own_area = Q(area_id=staff.area_id)
        return inspections.filter(on_team | own_area).distinct()
    return inspections.filter(on_team).distinct()


def can_view_inspection(user: AnyUser, inspection: Inspection) -> bool:
    return visible_inspections(user).filter(pk=inspection.pk).exists()


def can_manage_inspection(user: AnyUser, inspection: Inspection) -> bool:
    """Team, sample, status, ratings, questionnaires, report text: the lead (or, for a self-assessment,
    any senior manager of the area)."""
    if _is_superuser(user):
        return True
    staff = staff_of(user)
    if staff is None:
        return False
    if inspection.lead_id == staff.pk:
        return True
    return inspection.kind == InspectionKind.SELF_ASSESSMENT and can_run_self_assessment(
        user, inspection.area
    )


def is_team_member(user: AnyUser, inspection: Inspection) -> bool:
    staff = staff_of(user)
    if staff is None:
        return False
    return inspection.lead_id == staff.pk or inspection.team.filter(staff_id=staff.pk).exists()


def can_assess_case(user: AnyUser, sampled_case: SampledCase) -> bool:
    """Assess a sampled case: the assessor it is assigned to, or the one who runs the inspection, only
    while the inspection is open, and only if the case itself is readable (grants, limited access)."""
    inspection = sampled_case.inspection
    if inspection.status not in OPEN_STATUSES:
        return False
    staff = staff_of(user)
    assigned = staff is not None and sampled_case.assessor_id == staff.pk
    if not (assigned or can_manage_inspection(user, inspection)):
        return False
    return can_view_case(user, sampled_case.offender)


def can_read_assessment(user: AnyUser, sampled_case: SampledCase) -> bool:
    """Any team member may read a sampled case's assessment while the inspection is open."""
    inspection = sampled_case.inspection
    if inspection.status not in OPEN_STATUSES:
        return False
    if not (is_team_member(user, inspection) or can_manage_inspection(user, inspection)):
        return False
    return can_view_case(user, sampled_case.offender)


def can_update_action(user: AnyUser, action: ImprovementPlanAction) -> bool:
    if _is_superuser(user):
        return True
    staff = staff_of(user)
    if staff is None:
        return False
    if action.owner_id == staff.pk:
        return True
    area = action.recommendation.inspection.area
    return can_run_self_assessment(user, area)
