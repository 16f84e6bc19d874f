"""The case page: a header saying who the person is, and one section per URL under MoJ sub-navigation."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from oms.cases.models import Address
from tests.factories import World, make_case

SECTION_URLS = {
    "Overview": "",
    "Risk": "risk/",
    "Sentence plan": "sentence-plan/",
    "Contacts": "contacts/",
    "Enforcement": "enforcement/",
    "Interventions": "interventions/",
    "Personal details": "person/",
}


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.user(role))
    return client


@pytest.mark.parametrize(("label", "slug"), SECTION_URLS.items())
def test_each_section_has_its_own_url_marked_current_in_the_sub_navigation(
    world: World, label: str, slug: str
) -> None:
    crn = world.cases["own"].crn
    response = _client(world, "om").get(f"/cases/{crn}/{slug}")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<nav class="moj-sub-navigation" aria-label="Case sections">' in page
    assert f'href="/cases/{crn}/{slug}" aria-current="page">{label}</a>' in page
    assert page.count('aria-current="page"') == 2  # the section, and "Cases" in the service navigation
    assert "Timeline</a>" in page


def test_a_section_that_does_not_exist_is_not_found(world: World) -> None:
    assert _client(world, "om").get(f"/cases/{world.cases['own'].crn}/nonsense/").status_code == 404


def test_a_section_of_a_case_the_user_may_not_see_is_refused(world: World) -> None:
    response = Client(raise_request_exception=False)
    response.force_login(world.user("om"))
    assert response.get(f"/cases/{world.cases['other_team'].crn}/risk/").status_code == 403


def test_panels_appear_only_in_their_own_section(world: World) -> None:
    client = _client(world, "om")
    crn = world.cases["own"].crn
    overview = client.get(f"/cases/{crn}/").content.decode()
    risk = client.get(f"/cases/{crn}/risk/").content.decode()
    contacts = client.get(f"/cases/{crn}/contacts/").content.decode()
    enforcement = client.get(f"/cases/{crn}/enforcement/").content.decode()
    person = client.get(f"/cases/{crn}/person/").content.decode()
    assert "Risk, likelihood of reoffending and tier" in risk
    assert "Risk, likelihood of reoffending and tier" not in overview
    assert 'id="supervision-heading">Contacts</h2>' in contacts
    assert 'id="enforcement-heading">Enforcement</h2>' in enforcement
    assert "No warnings given." in enforcement
    assert "Allocation history" in person and "Allocation history" not in overview
    assert "Current events" in overview and "Unpaid work, 100 hours" in overview


def test_the_header_names_the_person_their_age_address_telephone_and_needs(world: World) -> None:
    today = timezone.localdate()
    born = date(today.year - 30, 1, 1)
    case = make_case(
        world.area,
        world.staff["om"],
        tier="B2",
        risk_of_harm_level="very_high",
        interpreter_required=True,
        first_language="Polish",
        telephone="07700 900123",
        is_ppo=True,
        ppo_type="prolific",
        mappa_level=2,
        mappa_category=1,
    )
    case.date_of_birth = born
    case.save()
    Address.objects.create(
        offender=case,
        lines="1 Old Road",
        postcode="NN1 1AA",
        from_date=date(2010, 1, 1),
        to_date=date(2020, 1, 1),
    )
    Address.objects.create(
        offender=case, lines="2 New Street", postcode="NN2 2BB", from_date=date(2020, 1, 2)
    )
    page = _client(world, "om").get(f"/cases/{case.crn}/risk/").content.decode()
    header = page[page.index('id="case-header"') : page.index("moj-sub-navigation")]
    assert f"1 January {born.year} (age 30)" in header
    assert "2 New Street, NN2 2BB" in header and "Old Road" not in header
    assert "07700 900123" in header
    assert "Needs a Polish interpreter" in header
    assert 'govuk-tag--red">Very high RoH' in header
    assert "Tier B2" in header
    assert "MAPPA category 1, level 2" in header
    assert "PPO (prolific)" in header


def test_only_those_who_may_read_the_access_log_see_it_in_the_navigation(world: World) -> None:
    crn = world.cases["own"].crn
    assert "Access log</a>" not in _client(world, "om").get(f"/cases/{crn}/").content.decode()
    assert "Access log</a>" in _client(world, "spo").get(f"/cases/{crn}/").content.decode()
    log = _client(world, "spo").get(f"/cases/{crn}/access-log/").content.decode()
    assert 'aria-current="page">Access log</a>' in log
    assert "viewed case" in log


def test_the_timeline_carries_the_case_header_and_navigation(world: World) -> None:
    crn = world.cases["own"].crn
    page = _client(world, "om").get(f"/supervision/cases/{crn}/timeline/").content.decode()
    assert 'id="case-header"' in page
    assert 'aria-current="page">Timeline</a>' in page


@pytest.mark.parametrize("slug", SECTION_URLS.values())
def test_every_section_runs_the_same_queries_whatever_the_history(world: World, slug: str) -> None:
    client = _client(world, "caseadmin")
    short = world.cases["own"]
    long = make_case(world.area, world.staff["om"])
    for number in range(2, 12):
        event = long.events.first()
        assert event is not None
        event.pk = None
        event.number = number
        event.save()
        Address.objects.create(
            offender=long, lines=f"{number} Road", postcode="NN1 1AA", from_date=date(2000 + number, 1, 1)
        )

    def count(crn: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/cases/{crn}/{slug}").status_code == 200
        return len(captured)

    assert count(short.crn) == count(long.crn)
