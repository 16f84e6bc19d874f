"""Every role × every case page × every relation to the case: no leak, and no wrongful refusal."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from oms.accounts.models import AccessLogEntry
from tests.factories import RELATIONS, ROLES, World

# Which relations each role may read. "own" is the case the world gives each role a right to:
# an offender manager's own case, and for grant-only roles the case granted to them.
READS = {
    "om": {"own"},
    "spo": {"own", "team"},
    "caseadmin": {"own", "team", "other_team"},
    "aco": {"own", "team", "other_team"},
    "vlo": {"own", "team", "other_team"},
    "interventions": {"own", "team", "other_team"},
    "partner": {"own"},
    "prison": {"own"},
    "inspector": {"own"},
}
ADMINISTERS = {"spo", "caseadmin"}  # allocate, register events, transfer, end events
EDITS_DETAILS = {"spo", "caseadmin", "om"}
READS_ACCESS_LOG = {"spo", "aco"}

READ_PAGES = ["cases:detail"]
ADMINISTRATION_PAGES = ["cases:allocate", "cases:add-event", "cases:transfer-out"]


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.user(role))
    return client


def _expected(role: str, relation: str, page: str) -> int:
    readable = relation in READS[role]
    if page in READ_PAGES or page == "api":
        allowed = readable
    elif page in ADMINISTRATION_PAGES or page == "cases:terminate-event":
        allowed = readable and role in ADMINISTERS
    elif page == "cases:edit":
        allowed = readable and role in EDITS_DETAILS
    elif page == "cases:access-log":
        allowed = readable and role in READS_ACCESS_LOG
    else:
        raise AssertionError(page)
    return 200 if allowed else 403


def _url(page: str, crn: str) -> str:
    if page == "api":
        return f"/api/v1/cases/{crn}"
    if page == "cases:terminate-event":
        return reverse(page, args=[crn, 1])
    return reverse(page, args=[crn])


PAGES = [*READ_PAGES, *ADMINISTRATION_PAGES, "cases:terminate-event", "cases:edit", "cases:access-log", "api"]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_for_every_relation(world: World, role: str) -> None:
    client = _client(world, role)
    for relation in RELATIONS:
        crn = world.cases[relation].crn
        for page in PAGES:
            response = client.get(_url(page, crn))
            assert response.status_code == _expected(role, relation, page), (role, relation, page)
            if response.status_code == 403 and page != "api":
                assert "You do not have access" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_case_list_shows_exactly_the_readable_cases(world: World, role: str) -> None:
    client = _client(world, role)
    page = client.get(reverse("cases:list")).content.decode()
    api = client.get("/api/v1/cases/?limit=100").json()
    api_crns = {row["crn"] for row in api["items"]}
    for relation in RELATIONS:
        crn = world.cases[relation].crn
        assert (crn in page) == (relation in READS[role]), (role, relation)
        assert (crn in api_crns) == (relation in READS[role]), (role, relation)


def test_every_read_and_every_refusal_is_in_the_access_log(world: World) -> None:
    client = _client(world, "om")
    own, other = world.cases["own"].crn, world.cases["team"].crn
    client.get(reverse("cases:detail", args=[own]))
    client.get(reverse("cases:detail", args=[other]))
    entries = list(AccessLogEntry.objects.values_list("username", "action", "crn"))
    assert ("om", "view", own) in entries
    assert ("om", "refused", other) in entries


def test_excluded_from_list_overrides_the_area_role(world: World) -> None:
    case = world.cases["other_team"]
    case.limited_access = True
    case.save()
    case.excluded_from.add(world.staff["caseadmin"])
    assert _client(world, "caseadmin").get(reverse("cases:detail", args=[case.crn])).status_code == 403
    assert _client(world, "aco").get(reverse("cases:detail", args=[case.crn])).status_code == 200


def test_restricted_to_list_lets_in_only_the_people_named(world: World) -> None:
    case = world.cases["limited"]
    assert _client(world, "spo").get(reverse("cases:detail", args=[case.crn])).status_code == 403
    case.restricted_to.add(world.staff["spo"])
    assert _client(world, "spo").get(reverse("cases:detail", args=[case.crn])).status_code == 200


def test_an_expired_grant_gives_no_access(world: World) -> None:
    from datetime import date

    world.staff["partner"].case_grants.update(valid_until=date(2021, 1, 1))
    assert (
        _client(world, "partner").get(reverse("cases:detail", args=[world.cases["own"].crn])).status_code
        == 403
    )


def test_a_signed_out_visitor_is_sent_to_sign_in_and_the_api_answers_401(world: World) -> None:
    response = Client().get(reverse("cases:detail", args=[world.cases["own"].crn]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Client().get("/api/v1/cases/").status_code == 401


def test_register_page_only_for_case_administration_roles(world: World) -> None:
    for role in ROLES:
        status = _client(world, role).get(reverse("cases:register")).status_code
        assert status == (200 if role in ADMINISTERS else 403), role


def test_an_officer_lent_to_an_inspection_reads_the_granted_case_only_while_the_grant_lasts(
    world: World,
) -> None:
    from datetime import date

    from oms.accounts.models import CaseAccessGrant

    other = world.cases["other_team"]
    client = _client(world, "om")
    assert client.get(reverse("cases:detail", args=[other.crn])).status_code == 403
    grant = CaseAccessGrant.objects.create(
        offender=other, staff=world.staff["om"], reason="area assessor", valid_from=date(2020, 1, 1)
    )
    assert client.get(reverse("cases:detail", args=[other.crn])).status_code == 200
    grant.valid_until = date(2021, 1, 1)
    grant.save()
    assert client.get(reverse("cases:detail", args=[other.crn])).status_code == 403


def test_a_national_performance_user_reads_no_case_on_any_page(world: World) -> None:
    """spec/national.md: national users see performance figures across areas, never a case record."""
    from tests.factories import make_staff

    national = make_staff("NPD", None, username="national", organisation="National Probation Directorate")
    client = Client()
    client.force_login(national.user)
    for relation in RELATIONS:
        crn = world.cases[relation].crn
        for page in PAGES:
            assert client.get(_url(page, crn)).status_code == 403, (relation, page)
    assert client.get("/api/v1/cases/?limit=100").json()["items"] == []
