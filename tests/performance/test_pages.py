"""Who may see the pages, what they show, their fixed query counts, and the risk register's rules."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from oms.cases.models import Allocation
from oms.organisation.models import Area
from oms.performance.models import OrganisationalRisk, RiskAction, SupervisionSession
from oms.performance.stored import store_area_figures
from tests.factories import World, make_case, make_staff

User = get_user_model()

pytestmark = pytest.mark.django_db

PAGES = [
    "/performance/",
    "/performance/risks/",
    "/performance/workforce/",
    "/performance/serious-further-offences/",
]


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.mark.parametrize(
    ("username", "allowed"),
    [
        ("om", set()),
        ("caseadmin", set()),
        ("partner", set()),
        ("spo", {"/performance/", "/performance/workforce/"}),
        ("aco", set(PAGES)),
    ],
)
def test_who_may_see_the_pages(world: World, username: str, allowed: set[str]) -> None:
    client = client_for(username)
    for page in PAGES:
        expected = 200 if page in allowed else 403
        assert client.get(page).status_code == expected, (username, page)


def test_performance_page_shows_the_table_with_asterisks_and_rag_in_words(world: World) -> None:
    response = client_for("aco").get("/performance/?date_from=2026-04-01&date_to=2026-09-30")
    text = response.content.decode()
    assert "Enforcement: breach taken where required within ten working days" in text
    assert "Accurate and timely ethnicity data" in text
    assert "100%*" in text  # all four sentences in the period have ethnicity recorded
    assert "Green" in text and "No data" in text
    assert "Ranking of units" in text
    # The charts come with the page (issue 13): inline SVG, each named and described, with its figures
    # as a table, and no image fetched per chart.
    assert text.count('<svg xmlns="http://www.w3.org/2000/svg"') == 18
    assert '<title id="chart-title-ethnicity_data">Accurate and timely ethnicity data' in text
    assert 'data-chart-figures="ethnicity_data"' in text and "<img" not in text.split("Trend by month")[1]


def test_bad_period_gets_an_error_summary_naming_the_field(world: World) -> None:
    response = client_for("aco").get("/performance/?date_from=2026-09-30&date_to=2026-04-01")
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text and "The start of the period must be on or before its end" in text
    response = client_for("aco").get("/performance/?date_from=nonsense&date_to=2026-04-01")
    assert "From must be a real date" in response.content.decode()


def test_chart_is_an_svg_file(world: World) -> None:
    response = client_for("aco").get(
        "/performance/charts/ethnicity_data.svg?date_from=2026-04-01&date_to=2026-09-30"
    )
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")
    # The download is the picture the page shows.
    page = client_for("aco").get("/performance/?date_from=2026-04-01&date_to=2026-09-30").content.decode()
    assert response.content.decode() in page
    assert client_for("aco").get("/performance/charts/unknown.svg").status_code == 404


# Session, user, staff and access log; the area's stored figures (when computed, the figures of the
# period grouped by unit, measure and month, its targets and current cases by unit); every area's
# figures grouped by area and measure for the region and England and Wales columns; weights and units.
PERFORMANCE_PAGE_QUERIES = 21


def test_performance_page_with_its_charts_runs_a_fixed_number_of_queries(world: World) -> None:
    client = client_for("aco")
    url = "/performance/?date_from=2026-04-01&date_to=2026-09-30"
    for area in Area.objects.all():  # as the nightly sweep leaves them
        store_area_figures(area.pk)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(12):
        make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 1))
    store_area_figures(world.area.pk)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.content.decode().count("<svg") == 18, "every chart is in the page"
    assert "16 of 16" in response.content.decode(), "the stored figures count the new sentences"
    assert len(small) == len(large) == PERFORMANCE_PAGE_QUERIES


def test_continuity_flags_cases_with_three_or_more_offender_managers(world: World) -> None:
    case = world.cases["own"]
    for person in (world.teammate, make_staff("PO", world.area, world.team)):
        Allocation.objects.create(
            offender=case, offender_manager=person, start_date=date(2026, 7, 1), reason="Reallocated"
        )
    client = client_for("aco")
    with CaptureQueriesContext(connection) as small:
        response = client.get("/performance/continuity/")
    assert case.crn in response.content.decode()
    assert world.cases["team"].crn not in response.content.decode()
    for _ in range(5):
        other = make_case(world.area, world.staff["om"])
        for person in (world.teammate, world.staff["om"], make_staff("PO", world.area, world.team)):
            Allocation.objects.create(
                offender=other, offender_manager=person, start_date=date(2026, 7, 2), reason="Moved"
            )
    with CaptureQueriesContext(connection) as large:
        response = client.get("/performance/continuity/")
    assert "6 cases" in response.content.decode()
    assert len(small) == len(large)


def test_workforce_shows_who_is_behind_with_fixed_queries(world: World) -> None:
    client = client_for("spo")
    with CaptureQueriesContext(connection) as small:
        response = client.get("/performance/workforce/")
    assert "Behind" in response.content.decode() and "Supervision" in response.content.decode()
    for _ in range(6):
        person = make_staff("PO", world.area, world.team)
        SupervisionSession.objects.create(staff=person, held_on=date.today())
    with CaptureQueriesContext(connection) as large:
        client.get("/performance/workforce/")
    assert len(small) == len(large)


def _risk_form(world: World, likelihood: int, impact: int, **extra: str) -> dict[str, str]:
    return {
        "title": "Sickness above target",
        "owner": str(world.staff["aco"].pk),
        "likelihood": str(likelihood),
        "impact": str(impact),
        "next_review_on": "2026-12-01",
        **extra,
    }


def test_red_risk_without_an_action_plan_is_refused_naming_the_field(world: World) -> None:
    client = client_for("aco")
    response = client.post("/performance/risks/new/", _risk_form(world, 4, 4))
    text = response.content.decode()
    assert response.status_code == 200
    assert (
        "There is a problem" in text and "needs an action plan" in text and "#id_action_description" in text
    )
    assert not OrganisationalRisk.objects.exists()


def test_amber_risk_with_an_action_is_saved_and_green_needs_none(world: World) -> None:
    client = client_for("aco")
    response = client.post(
        "/performance/risks/new/",
        _risk_form(
            world,
            2,
            4,
            action_description="Return-to-work interviews",
            action_owner=str(world.staff["spo"].pk),
            action_due_on="2026-12-15",
        ),
    )
    assert response.status_code == 302
    risk = OrganisationalRisk.objects.get()
    assert RiskAction.objects.filter(risk=risk).count() == 1
    assert client.post("/performance/risks/new/", _risk_form(world, 1, 3)).status_code == 302
    page = client.get("/performance/risks/").content.decode()
    assert "1 risk" in page and "Amber, score 8" in page and "Green, score 3" in page


def test_last_open_action_of_an_amber_risk_cannot_be_closed(world: World) -> None:
    client = client_for("aco")
    client.post(
        "/performance/risks/new/",
        _risk_form(
            world,
            2,
            4,
            action_description="Plan",
            action_owner=str(world.staff["spo"].pk),
            action_due_on="2026-12-15",
        ),
    )
    action = RiskAction.objects.get()
    client.post(f"/performance/risks/actions/{action.pk}/done/")
    action.refresh_from_db()
    assert action.done_on is None


def test_sfo_register_records_and_reviews(world: World) -> None:
    client = client_for("aco")
    response = client.post(
        "/performance/serious-further-offences/new/",
        {
            "crn": world.cases["own"].crn,
            "offence_code": "02801",
            "offence_description": "Robbery",
            "offence_date": "2026-06-01",
            "notified_on": "2026-06-05",
        },
    )
    assert response.status_code == 302
    page = client.get("/performance/serious-further-offences/").content.decode()
    assert world.cases["own"].crn in page and "Robbery" in page
    refused = client.post(
        "/performance/serious-further-offences/new/",
        {
            "crn": world.cases["other_area"].crn,
            "offence_code": "02801",
            "offence_description": "X",
            "offence_date": "2026-06-01",
            "notified_on": "2026-06-05",
        },
    )
    assert "There is no case with that CRN that you can see" in refused.content.decode()


# ---------------------------------------------------------------- CLI contract


def run(*args: str) -> dict:  # type: ignore[type-arg]
    out = StringIO()
    call_command("performance", *args, stdout=out)
    return json.loads(out.getvalue())


def test_cli_prints_the_contract(world: World) -> None:
    found = run("--area", world.area.name, "--from", "2026-04-01", "--to", "2026-09-30", "--json")
    assert found["from"] == "2026-04-01" and found["to"] == "2026-09-30"
    assert len(found["measures"]) == 18
    first = found["measures"][0]
    assert set(first) == {"key", "label", "target", "value", "unit", "numerator", "denominator", "status"}
    ethnicity = next(m for m in found["measures"] if m["key"] == "ethnicity_data")
    assert (ethnicity["value"], ethnicity["numerator"], ethnicity["denominator"], ethnicity["status"]) == (
        100.0,
        4,
        4,
        "met",
    )
    victims = next(m for m in found["measures"] if m["key"] == "victim_contact_within_eight_weeks")
    assert victims["value"] is None and victims["status"] == "no_data"


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--area", "Nowhere", "--from", "2026-04-01", "--to", "2026-09-30"], "--area"),
        (["--area", "Northamptonshire", "--from", "2026-13-01", "--to", "2026-09-30"], "--from"),
        (["--area", "Northamptonshire", "--from", "2026-04-01", "--to", "soon"], "--to"),
        (["--area", "Northamptonshire", "--from", "2026-10-01", "--to", "2026-09-30"], "--from"),
        (["--from", "2026-04-01", "--to", "2026-09-30"], "--area"),
    ],
)
def test_cli_errors_exit_2_naming_the_option(world: World, args: list[str], named: str) -> None:
    with pytest.raises(CommandError) as error:
        call_command("performance", *args, "--json", stdout=StringIO())
    assert error.value.returncode == 2
    assert str(error.value).startswith(named)
