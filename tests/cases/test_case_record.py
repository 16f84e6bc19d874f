"""`oms case CRN --json`: the whole record a user may see, victims' identities for a VLO only."""

from __future__ import annotations

import json
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oms.cases.models import ContactType
from oms.supervision.models import Contact
from oms.victims.models import ContactOffer, Victim
from tests.factories import World


def _case_json(crn: str, *extra: str) -> dict[str, object]:
    out = StringIO()
    call_command("case", crn, "--json", *extra, stdout=out)
    return json.loads(out.getvalue())


def _record_victim_and_contact(world: World) -> str:
    case = world.cases["own"]
    event = case.events.get()
    victim = Victim.objects.create(
        offender=case,
        event=event,
        name="Vera Victimname",
        address="1 Secret Street",
        postcode="NN1 1AA",
        contact_preference="letter",
        safety_considerations="Must not enter Kettering",
    )
    ContactOffer.objects.create(victim=victim, offered_on=event.sentence_date, method="written")
    seen = datetime(2026, 6, 3, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    Contact.objects.create(
        offender=case,
        contact_type=ContactType.objects.get(code="office"),
        starts_at=seen,
        ends_at=seen,
        outcome="attended_complied",
    )
    return case.crn


def test_the_record_holds_every_section(world: World) -> None:
    record = _case_json(_record_victim_and_contact(world), "--as", "om")
    for section in (
        "events",
        "registrations",
        "allocations",
        "supervision",
        "court_reports",
        "interventions",
        "victims",
    ):
        assert section in record, section
    assert record["supervision"]["contacts"][0]["outcome"] == "attended_complied"
    assert record["events"][0]["requirements"][0]["description"] == "Unpaid work, 100 hours"


def test_an_offender_manager_sees_victim_safety_but_never_identity(world: World) -> None:
    crn = _record_victim_and_contact(world)
    text = json.dumps(_case_json(crn, "--as", "om"))
    assert "Must not enter Kettering" in text
    assert "Vera Victimname" not in text and "Secret Street" not in text


def test_a_victim_liaison_officer_sees_the_victim(world: World) -> None:
    crn = _record_victim_and_contact(world)
    record = _case_json(crn, "--as", "vlo")
    assert record["victims"][0]["name"] == "Vera Victimname"


def test_a_user_who_may_not_see_the_case_gets_nothing(world: World) -> None:
    with pytest.raises(CommandError, match="may not see case"):
        _case_json(world.cases["team"].crn, "--as", "om")
