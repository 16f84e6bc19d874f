"""List reads leave a trace: each case on a caseload page, the case list API or the actions list is
logged as listed, so its "who has looked" page shows it, in a fixed number of queries (one INSERT for
the whole page), whatever the length of the page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from oms.accounts.audit import record_listed
from oms.accounts.models import AccessLogEntry
from tests.factories import World, make_case

pytestmark = pytest.mark.django_db


def _signed_in(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.user(role))
    return client


def _listed(what: str) -> set[tuple[str, str]]:
    return set(AccessLogEntry.objects.filter(what=what).values_list("username", "crn"))


def test_the_caseload_page_logs_each_case_it_lists_and_the_case_shows_who_listed_it(world: World) -> None:
    om_cases = [world.cases["own"], *(make_case(world.area, world.staff["om"]) for _ in range(3))]
    assert _signed_in(world, "om").get("/cases/").status_code == 200
    assert _listed("listed on the caseload page") == {("om", case.crn) for case in om_cases}
    # The SPO's "who has looked" page of the case names the offender manager's listing.
    page = _signed_in(world, "spo").get(f"/cases/{world.cases['own'].crn}/access-log/").content.decode()
    assert "listed on the caseload page" in page


def test_the_case_list_api_logs_exactly_the_cases_on_the_page_returned(world: World) -> None:
    response = _signed_in(world, "caseadmin").get("/api/v1/cases/?limit=2&offset=1")
    returned = {row["crn"] for row in response.json()["items"]}
    assert len(returned) == 2
    assert _listed("API: listed by GET /api/v1/cases/") == {("caseadmin", crn) for crn in returned}


def test_the_actions_page_and_api_log_the_cases_they_list(world: World) -> None:
    client = _signed_in(world, "om")
    page = client.get("/standards/actions/?as_of=2026-09-01")
    assert page.status_code == 200
    listed_on_page = {crn for _, crn in _listed("listed on the actions page")}
    assert listed_on_page == {world.cases["own"].crn}, "the own case has actions due after sentence"
    api = client.get("/api/v1/standards/actions?as_of=2026-09-01")
    assert {crn for _, crn in _listed("API: listed by GET /api/v1/standards/actions")} == {
        row["crn"] for row in api.json()["items"]
    }


def test_a_page_of_500_is_logged_in_one_insert(world: World) -> None:
    crns = [make_case(world.area, None, kind="custody").crn for _ in range(3)]
    with CaptureQueriesContext(connection) as small:
        record_listed(world.user("caseadmin"), crns[:1], "listed")
    with CaptureQueriesContext(connection) as large:
        assert (
            record_listed(world.user("caseadmin"), [*crns, *(f"X{n:06d}" for n in range(497))], "listed") == 3
        )
    assert len(small) == len(large) == 1


def test_the_case_list_api_runs_the_same_queries_for_40_cases_as_for_3(world: World) -> None:
    client = _signed_in(world, "caseadmin")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/cases/?limit=500").status_code == 200
    for _ in range(37):
        make_case(world.area, world.staff["om"])
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/v1/cases/?limit=500").json()["items"]) == 40
    assert len(few) == len(many)
    assert AccessLogEntry.objects.filter(what__startswith="API: listed").count() == 3 + 40
