"""The home page says what it counts: current cases (an order or licence in force), and former ones apart."""

from __future__ import annotations

from django.test import Client

from oms.cases.models import Event
from tests.factories import World, make_case


def test_case_administrator_home_page_counts_current_cases_and_names_the_former_ones(world: World) -> None:
    ended = make_case(world.area, world.teammate)
    Event.objects.filter(offender=ended).update(is_active=False)
    client = Client()
    client.force_login(world.user("caseadmin"))
    page = client.get("/").content.decode()
    # Area cases: own, team, other_team and limited-but-restricted are in the area; the limited one
    # is hidden from the case administrator, and the ended one is a former case.
    assert (
        '<span class="govuk-heading-xl govuk-!-margin-bottom-1" id="visible-case-count">3</span>current cases'
        in page
    )
    assert "You can also see 1 former case, whose orders and licences have ended (4 in all)." in page


def test_offender_manager_with_no_former_cases_sees_only_the_current_count(world: World) -> None:
    for _ in range(3):
        make_case(world.area, world.staff["om"])
    client = Client()
    client.force_login(world.user("om"))
    page = client.get("/").content.decode()
    assert 'id="visible-case-count">4</span>current cases: an order or licence in force' in page
    assert "former case" not in page
