"""Victims: statutory contact derived from the offence and the custody, VLO-only identities at page,
API and panel level, every read of victim data logged, refusals named, fixed query counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oms.accounts.models import AccessLogEntry
from oms.cases.constants import EventKind
from oms.cases.models import Event, Offender
from oms.cases.services import CaseRuleError
from oms.victims import rules, services
from oms.victims.models import Victim
from tests.factories import World, make_case

VIOLENT_OFFENCE = "00101"  # OGRS3 category Violence
VICTIM_NAME = "Margaret Fielding"
VICTIM_ADDRESS = "14 Orchard Close"
SAFETY = "Exclusion zone around Kettering requested"
CONDITIONS = "Not to enter Kettering; no contact with the victim"


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.user(role))
    return client


@pytest.mark.parametrize(
    ("violent_or_sexual", "kind", "months", "applies"),
    [
        (True, "custody", 12, True),
        (True, "licence", 36, True),
        (True, "custody", 11, False),  # under 12 months' custody
        (False, "custody", 24, False),  # neither violent nor sexual
        (True, "community_order", 24, False),  # not custody
        (True, "suspended_sentence_order", 24, False),
    ],
)
def test_statutory_contact_applies_to_violent_or_sexual_offences_with_12_months_custody(
    violent_or_sexual: bool, kind: str, months: int, applies: bool
) -> None:
    assert (
        rules.statutory_contact_applies(
            violent_or_sexual=violent_or_sexual, event_kind=kind, length_months=months
        )
        is applies
    )


def test_the_offer_deadlines_are_8_weeks_and_40_working_days() -> None:
    sentence = date(2007, 3, 1)
    assert rules.contact_offer_due(sentence) == date(2007, 4, 26)
    # 40 WD from 1 March 2007 skips Good Friday and Easter Monday.
    assert rules.face_to_face_offer_due(sentence) == date(2007, 4, 30)


def _eligible_case(world: World, offender_manager_role: str = "om") -> Offender:
    offender = make_case(
        world.area, world.staff[offender_manager_role], kind=EventKind.CUSTODY, sentence_date=date(2026, 5, 1)
    )
    Event.objects.filter(offender=offender).update(offence_id=VIOLENT_OFFENCE, length_months=24)
    return offender


def _victim(world: World, offender: Offender) -> Victim:
    victim = services.add_victim(
        world.user("vlo"),
        offender,
        event=offender.events.get(),
        name=VICTIM_NAME,
        address=VICTIM_ADDRESS,
        postcode="NN15 6AB",
        telephone="01536 000000",
        email="",
        contact_preference="letter",
        safety_considerations=SAFETY,
    )
    services.record_offer(
        world.user("vlo"), victim, offered_on=date(2026, 6, 10), method="written", accepted=True
    )
    services.record_representation(
        world.user("vlo"),
        victim,
        received_on=date(2026, 7, 1),
        representation=f"{VICTIM_NAME} is frightened of meeting him in town",
        requested_conditions=CONDITIONS,
    )
    return victim


def test_the_vlo_sees_identities_and_the_offender_manager_sees_only_what_keeps_the_victim_safe(
    world: World,
) -> None:
    offender = _eligible_case(world)
    _victim(world, offender)
    case_url = reverse("cases:section", args=[offender.crn, "risk"])

    vlo_page = _client(world, "vlo").get(case_url).content.decode()
    assert VICTIM_NAME in vlo_page and VICTIM_ADDRESS in vlo_page

    om_page = _client(world, "om").get(case_url).content.decode()
    assert VICTIM_NAME not in om_page and VICTIM_ADDRESS not in om_page and "NN15 6AB" not in om_page
    assert "1 victim; statutory contact applies; offer made on 10 June 2026" in om_page
    assert SAFETY in om_page and CONDITIONS in om_page

    # Page level: only VLOs open the victim pages.
    assert _client(world, "om").get(reverse("victims:case", args=[offender.crn])).status_code == 403
    assert _client(world, "spo").get(reverse("victims:list")).status_code == 403
    assert (
        VICTIM_NAME
        in _client(world, "vlo").get(reverse("victims:case", args=[offender.crn])).content.decode()
    )

    # API level.
    api = f"/api/v1/victims/cases/{offender.crn}"
    vlo_json = _client(world, "vlo").get(api).json()
    assert vlo_json["victim_details"][0]["name"] == VICTIM_NAME
    om_response = _client(world, "om").get(api)
    assert om_response.status_code == 200
    assert (
        VICTIM_NAME not in om_response.content.decode() and VICTIM_ADDRESS not in om_response.content.decode()
    )
    assert om_response.json()["statutory_contact_applies"] is True
    assert om_response.json()["requested_licence_conditions"] == [CONDITIONS]


def test_a_partner_agency_granted_the_case_sees_no_victim_information(world: World) -> None:
    offender = world.cases["own"]  # granted to the partner in the test world
    Event.objects.filter(offender=offender).update(
        offence_id=VIOLENT_OFFENCE, kind=EventKind.CUSTODY, length_months=24
    )
    _victim(world, offender)
    client = _client(world, "partner")
    page = client.get(reverse("cases:section", args=[offender.crn, "risk"])).content.decode()
    assert client.get(reverse("cases:section", args=[offender.crn, "risk"])).status_code == 200
    assert "victims-panel" not in page and SAFETY not in page and VICTIM_NAME not in page
    assert client.get(f"/api/v1/victims/cases/{offender.crn}").status_code == 403
    assert client.get(reverse("victims:case", args=[offender.crn])).status_code == 403


def test_a_vlo_of_another_area_cannot_see_the_case(world: World) -> None:
    offender = make_case(world.other_area, None, kind=EventKind.CUSTODY)
    assert _client(world, "vlo").get(reverse("victims:case", args=[offender.crn])).status_code == 403


def test_every_read_of_victim_data_is_in_the_access_log(world: World) -> None:
    offender = _eligible_case(world)
    _victim(world, offender)
    _client(world, "vlo").get(reverse("victims:case", args=[offender.crn]))
    _client(world, "vlo").get(f"/api/v1/victims/cases/{offender.crn}")
    _client(world, "vlo").get(reverse("cases:section", args=[offender.crn, "risk"]))
    _client(world, "om").get(reverse("cases:section", args=[offender.crn, "risk"]))
    logged = list(AccessLogEntry.objects.filter(crn=offender.crn).values_list("username", "what"))
    assert ("vlo", "viewed victim details (1 victims)") in logged
    assert ("vlo", "viewed victim details (API)") in logged
    assert ("vlo", "viewed victim details on the case page") in logged
    assert ("om", "viewed victim safety summary") in logged


def test_vlo_forms_refuse_bad_input_naming_the_field(world: World) -> None:
    offender = _eligible_case(world)
    victim = _victim(world, offender)
    client = _client(world, "vlo")
    response = client.post(
        reverse("victims:record", args=[offender.crn, "victim"]), {"name": "", "contact_preference": ""}
    )
    page = response.content.decode()
    assert "Enter the victim&#x27;s name" in page and "Choose how the victim wants to be contacted" in page
    response = client.post(
        reverse("victims:record", args=[offender.crn, "offer"]) + f"?id={victim.pk}",
        {"offered_on": "2026-04-01", "method": "written"},
    )
    assert "The offer cannot be before the sentence" in response.content.decode()
    with pytest.raises(CaseRuleError, match="Enter the licence conditions the victim asks for"):
        services.record_representation(
            world.user("vlo"),
            victim,
            received_on=date(2026, 7, 1),
            representation="Views",
            requested_conditions=" ",
        )


def test_the_vlo_worklist_shows_the_deadlines_and_runs_fixed_queries(world: World) -> None:
    client = _client(world, "vlo")

    def queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("victims:list"))
        assert response.status_code == 200
        return len(captured), response.content.decode()

    _victim(world, _eligible_case(world))
    small, page = queries()
    assert "26 June 2026" in page
    for _ in range(12):
        _victim(world, _eligible_case(world))
    large, page = queries()
    assert small == large
    assert page.count("victims:case") == 0 and page.count("/victims/cases/") == 13
