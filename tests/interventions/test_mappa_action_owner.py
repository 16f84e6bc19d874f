"""Issue 10 rule 5, "MAPPA actions to their owner": a MAPPA action is owned by a member of staff,
picked from the area's staff by team, and is then on that person's actions and in their digest; an
action another agency owns is chased by the case's offender manager."""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oms.cases.services import CaseRuleError
from oms.cases.upkeep import flush_case_upkeep
from oms.interventions import services
from oms.interventions.models import MappaAction, MappaMeeting
from oms.standards.models import StoredAction
from oms.standards.reminders import build_digests
from tests.factories import World, make_area, make_staff

pytestmark = pytest.mark.django_db

RULE = "mappa_meeting_action"


def _today() -> date:
    return timezone.localdate()


def _meeting(world: World) -> MappaMeeting:
    """A level 2 meeting on the offender manager's own case, held three weeks ago."""
    return services.record_mappa_meeting(
        world.user("om"),
        world.cases["own"],
        held_on=_today() - timedelta(days=21),
        level=2,
        chair="DI Smith",
        attendees="Police, victim liaison",
        summary="Risk reviewed",
        next_review_on=None,
        today=_today(),
    )


def _actions_of(username: str) -> list[dict[str, object]]:
    out = StringIO()
    call_command("actions", "--owner", username, "--json", stdout=out)
    return [a for a in json.loads(out.getvalue())["actions"] if a["rule"] == RULE]


def test_the_owner_is_picked_from_the_areas_staff_grouped_by_team(world: World) -> None:
    meeting = _meeting(world)
    client = Client()
    client.force_login(world.user("om"))
    url = reverse("interventions:record", args=[world.cases["own"].crn, "mappa-action"]) + f"?id={meeting.pk}"
    page = client.get(url).content.decode()
    assert f'<optgroup label="{world.team.name}">' in page
    assert world.teammate.full_name in page and world.staff["vlo"].full_name in page
    elsewhere = make_staff("PO", make_area("Elsewhere")[0], username="elsewhere")
    assert elsewhere.full_name not in page, "only the case's area's staff"
    client.post(
        url,
        {
            "description": "Check the exclusion zone",
            "owner_staff": str(world.staff["vlo"].pk),
            "due_on": (_today() - timedelta(days=7)).isoformat(),
        },
    )
    action = MappaAction.objects.get(meeting=meeting)
    assert action.owner_staff == world.staff["vlo"] and action.owner_agency == ""
    risk = client.get(reverse("cases:section", args=[world.cases["own"].crn, "risk"])).content.decode()
    assert "Check the exclusion zone" in risk and world.staff["vlo"].full_name in risk


def test_a_staff_owned_action_is_on_the_owners_actions_and_in_their_digest(world: World) -> None:
    meeting = _meeting(world)
    services.add_mappa_action(
        world.user("om"),
        meeting,
        description="Check the exclusion zone",
        owner_staff=world.staff["vlo"],
        due_on=_today() - timedelta(days=7),
    )
    flush_case_upkeep()
    [owned] = _actions_of("vlo")
    assert owned["crn"] == world.cases["own"].crn and owned["status"] == "overdue"
    assert owned["owner"] == "vlo" and owned["owner_role"] == "MAPPA action owner"
    assert _actions_of("om") == [], "the offender manager does not carry another person's action"
    digests = {d.staff.user.username: d for d in build_digests(_today()) if d.staff.user}
    assert [(a.status.rule_key, a.offender.crn) for a in digests["vlo"].own if a.status.rule_key == RULE] == [
        (RULE, world.cases["own"].crn)
    ]


def test_another_agencys_action_is_chased_by_the_offender_manager(world: World) -> None:
    meeting = _meeting(world)
    services.add_mappa_action(
        world.user("om"),
        meeting,
        description="Police to visit the home address",
        owner_agency="Police public protection unit",
        due_on=_today() - timedelta(days=7),
    )
    flush_case_upkeep()
    [chased] = _actions_of("om")
    assert chased["owner_role"] == "offender manager"
    stored = StoredAction.objects.get(rule_key=RULE)
    assert stored.owner_staff == world.staff["om"]
    digests = {d.staff.user.username: d for d in build_digests(_today()) if d.staff.user}
    assert RULE in {a.status.rule_key for a in digests["om"].own}


def test_when_the_owner_leaves_their_action_goes_back_to_the_offender_manager(world: World) -> None:
    meeting = _meeting(world)
    services.add_mappa_action(
        world.user("om"),
        meeting,
        description="Refer to housing",
        owner_staff=world.teammate,
        due_on=_today() + timedelta(days=7),
    )
    world.teammate.is_active = False
    world.teammate.save(update_fields=["is_active"])
    call_command("sweep", stdout=StringIO())
    assert StoredAction.objects.get(rule_key=RULE).owner_staff == world.staff["om"]


@pytest.mark.parametrize(
    ("owner", "field", "message"),
    [
        ({}, "owner_staff", "Choose the member of staff who owns the action, or name the agency"),
        ({"owner_agency": "   "}, "owner_staff", "Choose the member of staff who owns the action"),
        ({"owner_staff": "vlo", "owner_agency": "Police"}, "owner_agency", "not both"),
        ({"owner_staff": "elsewhere"}, "owner_staff", "Choose a member of staff of the case's area"),
    ],
)
def test_an_action_needs_one_owner_from_the_cases_area(
    world: World, owner: dict[str, str], field: str, message: str
) -> None:
    meeting = _meeting(world)
    people = {"vlo": world.staff["vlo"], "elsewhere": make_staff("PO", make_area("Elsewhere")[0])}
    chosen = {key: people[value] if key == "owner_staff" else value for key, value in owner.items()}
    with pytest.raises(CaseRuleError) as refused:
        services.add_mappa_action(
            world.user("om"),
            meeting,
            description="Visit",
            due_on=_today(),
            **chosen,  # type: ignore[arg-type]
        )
    assert refused.value.field == field and message in str(refused.value)
    assert not MappaAction.objects.exists()


def test_the_actions_list_shows_mappa_actions_under_their_owner_kind(world: World) -> None:
    meeting = _meeting(world)
    services.add_mappa_action(
        world.user("om"),
        meeting,
        description="Check the exclusion zone",
        owner_staff=world.staff["vlo"],
        due_on=_today() - timedelta(days=7),
    )
    flush_case_upkeep()
    client = Client()
    client.force_login(world.user("spo"))
    page = client.get(reverse("standards:actions"), {"owner": "kind:mappa_action_owner", "view": "list"})
    text = page.content.decode()
    assert page.status_code == 200
    assert world.cases["own"].crn in text, "the named person's MAPPA action is under 'MAPPA action owner'"
