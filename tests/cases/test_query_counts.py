"""List pages and the case page run a fixed number of SQL queries, whatever their length."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oms.cases.constants import EventKind
from tests.factories import World, make_case


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_team_caseload_page_runs_the_same_queries_for_5_and_60_cases(world: World) -> None:
    client = Client()
    client.force_login(world.user("spo"))
    small = _queries(client, reverse("cases:list"))
    for index in range(55):
        make_case(
            world.area,
            world.teammate if index % 2 else world.staff["om"],
            kind=EventKind.LICENCE if index % 3 else EventKind.COMMUNITY_ORDER,
        )
    large = _queries(client, reverse("cases:list"))
    assert small == large
    assert _queries(client, reverse("cases:list") + "?page=2") == large


def test_api_case_list_runs_the_same_queries_for_few_and_many(world: World) -> None:
    client = Client()
    client.force_login(world.user("caseadmin"))
    small = _queries(client, "/api/v1/cases/?limit=100")
    for _ in range(40):
        make_case(world.area, world.teammate)
    assert _queries(client, "/api/v1/cases/?limit=100") == small


def test_case_page_runs_the_same_queries_whatever_its_history(world: World) -> None:
    client = Client()
    client.force_login(world.user("caseadmin"))
    short = world.cases["own"]
    long = make_case(world.area, world.staff["om"])
    for number in range(2, 12):
        event = long.events.first()
        assert event is not None
        event.pk = None
        event.number = number
        event.save()
    assert _queries(client, reverse("cases:detail", args=[short.crn])) == _queries(
        client, reverse("cases:detail", args=[long.crn])
    )
