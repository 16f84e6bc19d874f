"""An inspection's case grants: from the first day of fieldwork to the end of the draft stage (12
weeks after fieldwork, the report's timetable), replaced by a redraw, held by the inspection's team
only, and seen by the area it inspects.

The issue's attack: an inspector drew and redrew samples with grants that started before fieldwork
and never ended, while the area's ACO could not see the inspection at all.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.test import Client

from oms.accounts.models import CaseAccessGrant
from oms.accounts.permissions import active_grant_filter
from oms.cases.models import Offender
from oms.inspection import services
from oms.inspection.constants import InspectionStatus
from oms.inspection.permissions import can_view_inspection
from tests.factories import make_staff
from tests.inspection.conftest import SAMPLE_DATE, InspectionWorld


def _draw(iw: InspectionWorld, seed: str) -> set[str]:
    result = services.store_sample(
        iw.lead.user, iw.inspection, method="omi", size=12, seed=seed, as_of=SAMPLE_DATE
    )
    return {row["crn"] for row in result["cases"]}


def _move(iw: InspectionWorld, status: str) -> None:
    iw.inspection.refresh_from_db()
    services.change_status(iw.lead.user, iw.inspection, status, iw.inspection.version)


def _readable_on(iw: InspectionWorld, on: date) -> set[str]:
    granted = Offender.objects.filter(active_grant_filter(iw.lead, on))
    return set(granted.values_list("crn", flat=True))


def test_grants_start_on_the_first_day_of_fieldwork_even_when_fieldwork_is_opened_early(
    inspection_world: InspectionWorld,
) -> None:
    iw = inspection_world
    iw.inspection.fieldwork_start = date(2027, 1, 11)
    iw.inspection.fieldwork_end = date(2027, 1, 15)
    iw.inspection.save()
    sampled = _draw(iw, "early")
    _move(iw, InspectionStatus.FIELDWORK)
    assert _readable_on(iw, date(2027, 1, 10)) == set()
    assert _readable_on(iw, date(2027, 1, 11)) == sampled


def test_grants_end_with_the_draft_stage_and_not_a_day_early(inspection_world: InspectionWorld) -> None:
    iw = inspection_world
    sampled = _draw(iw, "window")
    _move(iw, InspectionStatus.FIELDWORK)
    last_day = iw.inspection.fieldwork_end + timedelta(weeks=12)
    assert _readable_on(iw, last_day) == sampled
    assert _readable_on(iw, last_day + timedelta(days=1)) == set()
    assert not CaseAccessGrant.objects.filter(valid_until__isnull=True, staff=iw.lead).exists()


def test_a_redraw_replaces_the_grants_and_never_adds_to_them(inspection_world: InspectionWorld) -> None:
    iw = inspection_world
    _draw(iw, "first")
    _move(iw, InspectionStatus.FIELDWORK)
    for seed in ("second", "third", "fourth"):
        latest = _draw(iw, seed)
    on = iw.inspection.fieldwork_start
    assert _readable_on(iw, on) == latest
    grants = CaseAccessGrant.objects.filter(reason=services.grant_reason(iw.inspection))
    assert grants.count() == len(latest) * 2  # the lead and the one assessor
    assert set(grants.values_list("offender__crn", flat=True)) == latest


def test_only_the_inspections_team_holds_its_grants(inspection_world: InspectionWorld) -> None:
    iw = inspection_world
    _draw(iw, "team")
    _move(iw, InspectionStatus.FIELDWORK)
    holders = set(
        CaseAccessGrant.objects.filter(reason=services.grant_reason(iw.inspection)).values_list(
            "staff_id", flat=True
        )
    )
    assert holders == {iw.lead.pk, iw.assessor.pk}


def test_the_area_sees_its_inspection_at_every_stage_and_which_cases_were_granted(
    inspection_world: InspectionWorld,
) -> None:
    iw = inspection_world
    aco = iw.user("aco")
    assert can_view_inspection(aco, iw.inspection), "planned"
    sampled = _draw(iw, "area")
    _move(iw, InspectionStatus.FIELDWORK)
    client = Client()
    client.force_login(aco)
    page = client.get(f"/inspection/{iw.inspection.pk}/").content.decode()
    assert all(crn in page for crn in sampled)
    far_aco = make_staff("ACO", iw.world.other_area, username="farawayaco")
    assert far_aco.user is not None and not can_view_inspection(far_aco.user, iw.inspection)
