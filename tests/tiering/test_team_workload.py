"""The team workload table (issue 13, item 7): each offender manager of the team with their cases,
points and capacity, and an Allocate action on each row that opens the allocation form for that
officer, with the team's waiting cases to pick from and the capacity warning above 100%."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from oms.cases.models import Allocation, Offender
from tests.factories import World, make_case, make_staff

pytestmark = pytest.mark.django_db


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.user(role))
    return client


def test_an_spo_sees_their_teams_workload_with_an_allocate_action_on_each_row(world: World) -> None:
    page = _client(world, "spo").get("/tiering/workload/").content.decode()
    assert f"Team workload: {world.team.name}" in page
    om = world.staff["om"]
    assert f'href="/tiering/workload/{om.pk}/allocate/">Allocate' in page
    assert f'href="/tiering/workload/{world.teammate.pk}/allocate/">Allocate' in page
    # Filtered to the team: the other team's offender managers are not on it.
    other = Offender.objects.get(pk=world.cases["other_team"].pk).offender_manager
    assert other is not None and f"/tiering/workload/{other.pk}/allocate/" not in page


def test_a_case_administrator_chooses_among_the_areas_teams(world: World) -> None:
    page = _client(world, "caseadmin").get(f"/tiering/workload/?team={world.other_team.pk}").content.decode()
    assert f"Team workload: {world.other_team.name}" in page
    other = Offender.objects.get(pk=world.cases["other_team"].pk).offender_manager
    assert other is not None and f"/tiering/workload/{other.pk}/allocate/" in page


def test_offender_managers_and_others_cannot_open_the_team_workload(world: World) -> None:
    assert _client(world, "om").get("/tiering/workload/").status_code == 403
    assert _client(world, "om").get(f"/tiering/workload/{world.staff['om'].pk}/allocate/").status_code == 403


def test_an_officer_outside_the_spos_teams_cannot_be_allocated_to_from_the_table(world: World) -> None:
    other = Offender.objects.get(pk=world.cases["other_team"].pk).offender_manager
    assert other is not None
    assert _client(world, "spo").get(f"/tiering/workload/{other.pk}/allocate/").status_code == 404


def test_allocating_from_the_table_picks_a_waiting_case_for_the_chosen_officer(world: World) -> None:
    waiting = make_case(world.area, None, tier="2", risk_of_harm_level="low")
    om = world.staff["om"]
    spo = _client(world, "spo")
    page = spo.get(f"/tiering/workload/{om.pk}/allocate/").content.decode()
    assert f"Allocate a case to {om.full_name}" in page
    assert f"{waiting.full_name} ({waiting.crn}), tier 2" in page
    assert "Capacity would be " in page
    response = spo.post(
        f"/tiering/workload/{om.pk}/allocate/",
        {
            "case": f"{waiting.crn}:{waiting.version}",
            "reason": "Lives near the office",
            "start_date_day": "1",
            "start_date_month": "12",
            "start_date_year": "2026",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/tiering/workload/?team={world.team.pk}"
    waiting.refresh_from_db()
    assert waiting.offender_manager == om
    assert Allocation.objects.get(offender=waiting, end_date__isnull=True).decided_by == world.staff["spo"]


def test_an_officer_above_capacity_is_warned_and_the_allocation_asks_why(world: World) -> None:
    # A part-time PO at 1 hour a week: 59 points available, already holding a 50-point case.
    part_time = make_staff("PO", world.area, world.team, contracted_hours=Decimal(1))
    make_case(world.area, part_time, tier="2")
    make_case(world.area, part_time, tier="2")
    waiting = make_case(world.area, None, tier="2", risk_of_harm_level="low")
    spo = _client(world, "spo")
    table = spo.get("/tiering/workload/").content.decode()
    assert "169.5%" in table and "Over capacity" in table
    page = spo.get(f"/tiering/workload/{part_time.pk}/allocate/").content.decode()
    assert "is already above 100% of capacity: say why they should take another case" in page
    assert "Capacity would be 254.2%: above 100%, say why below" in page
    form = {
        "case": f"{waiting.crn}:{waiting.version}",
        "reason": "Knows the family",
        "start_date_day": "1",
        "start_date_month": "12",
        "start_date_year": "2026",
    }
    refused = spo.post(f"/tiering/workload/{part_time.pk}/allocate/", form)
    assert refused.status_code == 400
    assert "would be at 254.2% of capacity: enter why they should take the case" in refused.content.decode()
    waiting.refresh_from_db()
    assert waiting.offender_manager is None
    form["over_capacity_reason"] = "Knows the family from a previous order"
    assert spo.post(f"/tiering/workload/{part_time.pk}/allocate/", form).status_code == 302


def test_a_case_allocated_meanwhile_by_someone_else_is_refused_not_allocated_twice(world: World) -> None:
    waiting = make_case(world.area, None, tier="2", risk_of_harm_level="low")
    stale = f"{waiting.crn}:{waiting.version}"
    Offender.objects.filter(pk=waiting.pk).update(version=waiting.version + 1)
    response = _client(world, "spo").post(
        f"/tiering/workload/{world.staff['om'].pk}/allocate/",
        {
            "case": stale,
            "reason": "Near",
            "start_date_day": "1",
            "start_date_month": "12",
            "start_date_year": "2026",
        },
    )
    assert response.status_code == 400
    waiting.refresh_from_db()
    assert waiting.offender_manager is None


def _queries(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_workload_table_and_the_allocate_form_run_fixed_queries(world: World) -> None:
    spo = _client(world, "spo")
    om = world.staff["om"]
    table, form = _queries(spo, "/tiering/workload/"), _queries(spo, f"/tiering/workload/{om.pk}/allocate/")
    make_case(world.area, None)  # the empty picker reads no events: start from one waiting case
    form = _queries(spo, f"/tiering/workload/{om.pk}/allocate/")
    for _ in range(5):
        make_staff("PO", world.area, world.team)
        make_case(world.area, om)
        make_case(world.area, None)
    assert _queries(spo, "/tiering/workload/") == table
    assert _queries(spo, f"/tiering/workload/{om.pk}/allocate/") == form
