"""Who creates an inspection, and of which area (issue 11: "an inspector can create an inspection of
any area", and with it read the sampled cases of any area).

An inspection is created by a lead inspector of HMI Probation, only of an area the programme
(report Appendix 2, spec/national.md) has an inspection due for: not yet inspected in the current
three-year cycle, or due a further focused inspection; never a second one while one is planned or
under way. A self-assessment is created only by the area's own senior managers. The service decides;
the page offers only the areas it may pick; the command line draws a sample of an area without an
inspection only as a dry run, writing nothing and granting nothing.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client

from oms.accounts.models import AccessAction, AccessLogEntry, CaseAccessGrant
from oms.inspection import services
from oms.inspection.constants import InspectionKind, InspectionStatus
from oms.inspection.models import Inspection
from oms.organisation.models import Area
from tests.factories import World, make_area, make_case, make_staff

FIELDWORK = {"fieldwork_start": date(2026, 12, 7), "fieldwork_end": date(2026, 12, 11)}
# The current cycle (the seventh since May 2006) began on Monday 29 April 2024.
PREVIOUS_CYCLE = {"fieldwork_start": date(2023, 1, 9), "fieldwork_end": date(2023, 1, 13)}
THIS_CYCLE = {"fieldwork_start": date(2025, 3, 3), "fieldwork_end": date(2025, 3, 7)}


def _inspected(world: World, area: Area, status: str, dates: dict[str, date]) -> Inspection:
    return Inspection.objects.create(
        area=area, kind=InspectionKind.INSPECTION, status=status, lead=world.staff["inspector"], **dates
    )


def _create(world: World, role: str, area: Area, kind: str = InspectionKind.INSPECTION) -> Inspection:
    return services.create_inspection(world.user(role), area=area, kind=kind, **FIELDWORK)


def _page(world: World, role: str, area: Area) -> tuple[int, str]:
    client = Client()
    client.force_login(world.user(role))
    response = client.post(
        "/inspection/new/",
        {
            "area": area.pk,
            "fieldwork_start_day": "7",
            "fieldwork_start_month": "12",
            "fieldwork_start_year": "2026",
            "fieldwork_end_day": "11",
            "fieldwork_end_month": "12",
            "fieldwork_end_year": "2026",
        },
    )
    return response.status_code, response.content.decode()


@pytest.fixture
def today(frozen_today: datetime) -> date:
    return frozen_today.date()


def test_an_inspector_creates_an_inspection_of_an_area_not_yet_inspected_this_cycle(
    world: World, today: date
) -> None:
    _inspected(world, world.other_area, InspectionStatus.PUBLISHED, PREVIOUS_CYCLE)
    status, _ = _page(world, "inspector", world.area)
    assert status == 302
    assert _create(world, "inspector", world.other_area).area == world.other_area
    assert (
        Inspection.objects.filter(kind=InspectionKind.INSPECTION, status=InspectionStatus.PLANNED).count()
        == 2
    )


@pytest.mark.parametrize(
    ("status", "dates"),
    [
        (InspectionStatus.PLANNED, FIELDWORK),
        (InspectionStatus.FIELDWORK, THIS_CYCLE),
        (InspectionStatus.DRAFT, THIS_CYCLE),
        # Published in this cycle with no focused re-inspection due (no RoH thread below the line).
        (InspectionStatus.PUBLISHED, THIS_CYCLE),
    ],
)
def test_an_inspector_cannot_create_an_inspection_the_programme_has_not_got_due(
    world: World, today: date, status: str, dates: dict[str, date]
) -> None:
    _inspected(world, world.area, status, dates)
    with pytest.raises(PermissionDenied, match="no inspection due in HMI Probation's programme"):
        _create(world, "inspector", world.area)
    page_status, page = _page(world, "inspector", world.area)
    assert page_status == 200
    assert "Choose an area the programme has an inspection due for" in page
    assert Inspection.objects.count() == 1


def test_the_new_inspection_page_offers_only_the_areas_due(world: World, today: date) -> None:
    _inspected(world, world.area, InspectionStatus.FIELDWORK, THIS_CYCLE)
    client = Client()
    client.force_login(world.user("inspector"))
    page = client.get("/inspection/new/").content.decode()
    assert f'value="{world.other_area.pk}"' in page
    assert f'value="{world.area.pk}"' not in page


@pytest.mark.parametrize("role", ["om", "spo", "caseadmin", "aco", "vlo", "partner", "prison"])
def test_nobody_but_a_lead_inspector_creates_an_inspection_at_any_door(
    world: World, today: date, role: str
) -> None:
    with pytest.raises(PermissionDenied):
        _create(world, role, world.area)
    status, _ = _page(world, role, world.area)
    assert status == 403
    assert AccessLogEntry.objects.filter(username=role, action=AccessAction.REFUSED).count() == 1
    assert not Inspection.objects.exists()


def test_an_area_assessor_does_not_lead_an_inspection(world: World, today: date) -> None:
    assessor = make_staff("AA", None, username="assessor", organisation="HM Inspectorate of Probation")
    assert assessor.user is not None
    with pytest.raises(PermissionDenied, match="lead inspector"):
        services.create_inspection(
            assessor.user,
            area=world.area,
            kind=InspectionKind.INSPECTION,
            **FIELDWORK,
        )
    assert not Inspection.objects.exists()


def test_a_self_assessment_is_created_only_by_the_areas_own_senior_managers(
    world: World, today: date
) -> None:
    _create(world, "aco", world.area, InspectionKind.SELF_ASSESSMENT)
    other_area_aco = make_staff("ACO", world.other_area, username="far-aco")
    assert other_area_aco.user is not None
    with pytest.raises(PermissionDenied, match="Northamptonshire's own senior managers"):
        services.create_inspection(
            other_area_aco.user, area=world.area, kind=InspectionKind.SELF_ASSESSMENT, **FIELDWORK
        )
    for role in ("inspector", "spo", "om"):
        with pytest.raises(PermissionDenied):
            _create(world, role, world.area, InspectionKind.SELF_ASSESSMENT)
    assert list(Inspection.objects.values_list("area__name", "kind")) == [
        ("Northamptonshire", InspectionKind.SELF_ASSESSMENT)
    ]


def test_sampling_an_area_on_the_command_line_without_an_inspection_writes_and_grants_nothing(
    world: World, today: date
) -> None:
    far_area, far_team, _ = make_area("Rutland")
    officer = make_staff("PO", far_area, far_team)
    for _ in range(3):
        make_case(far_area, officer)
    out = StringIO()
    call_command(
        "inspection", "sample", "--area", far_area.name, "--size", "2", "--seed", "s", "--json", stdout=out
    )
    assert len(json.loads(out.getvalue())["cases"]) == 2
    assert not Inspection.objects.exists()
    assert not CaseAccessGrant.objects.filter(offender__area=far_area).exists()


@pytest.mark.parametrize("role", ["om", "spo", "caseadmin", "aco", "partner", "prison", "inspector"])
def test_only_whoever_runs_the_inspection_grants_its_sample_at_the_page_and_the_service(
    world: World, today: date, role: str
) -> None:
    lead = make_staff("INSP", None, username="lead", organisation="HM Inspectorate of Probation")
    assert lead.user is not None
    inspection = services.create_inspection(
        lead.user, area=world.area, kind=InspectionKind.INSPECTION, **FIELDWORK
    )
    granted_before = CaseAccessGrant.objects.count()
    with pytest.raises(PermissionDenied):
        services.store_sample(world.user(role), inspection, method="omi", size=2, seed="s", as_of=today)
    with pytest.raises(PermissionDenied):
        services.add_team_member(world.user(role), inspection, world.staff["inspector"], "inspector")
    client = Client()
    client.force_login(world.user(role))
    page = client.post(
        f"/inspection/{inspection.pk}/sample/",
        {
            "method": "omi",
            "size": "2",
            "seed": "s",
            "as_of_day": "27",
            "as_of_month": "11",
            "as_of_year": "2026",
        },
    )
    assert page.status_code == 403
    assert AccessLogEntry.objects.filter(username=role, action=AccessAction.REFUSED).count() == 1
    assert CaseAccessGrant.objects.count() == granted_before
    assert not inspection.team.filter(staff=world.staff["inspector"]).exists()
    services.add_team_member(lead.user, inspection, world.staff["inspector"], "inspector")
    assert inspection.team.filter(staff=world.staff["inspector"]).exists()
