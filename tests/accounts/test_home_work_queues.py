"""Home pages are work queues (issue 13, item 5): each role's home page lists its work as cards, each
count saying what it counts and linking straight to the work, read in a fixed number of queries."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from oms.cases.constants import EventKind
from oms.cases.models import ContactType, Offender
from oms.risk import countersigning
from oms.risk.models import RiskOfHarmScreening
from oms.supervision import services as supervision
from oms.supervision.constants import ContactOutcome, RecallType
from oms.supervision.models import Contact
from oms.tiering import services as tiering
from oms.tiering.models import TierDecision
from oms.tiering.recalculation import recalculate_cases
from tests.factories import World, make_case, make_roh_screening

pytestmark = pytest.mark.django_db


def _home(world: World, role: str) -> str:
    client = Client()
    client.force_login(world.user(role))
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _appointment(offender: Offender, hour: int, outcome: str = "") -> Contact:
    start = timezone.make_aware(datetime.combine(timezone.localdate(), time(hour, 0)))
    return Contact.objects.create(
        offender=offender,
        event=offender.events.get(number=1),
        contact_type=ContactType.objects.get(code="office"),
        starts_at=start,
        ends_at=start + timedelta(minutes=45),
        staff=offender.offender_manager,
        outcome=outcome,
    )


def _rolled_back(world: World, offender: Offender, reason: str) -> RiskOfHarmScreening:
    screening = make_roh_screening(offender, world.staff["om"])
    return countersigning.roll_back(  # type: ignore[return-value]
        world.user("spo"), screening, reason=reason, expected_version=screening.version
    )


def _recall(world: World) -> supervision.RecallRecommendation:  # type: ignore[name-defined]
    licence = make_case(world.area, world.staff["om"], kind=EventKind.LICENCE)
    return supervision.recommend_recall(
        world.user("om"),
        licence.events.get(),
        recall_type=RecallType.STANDARD,
        emergency=False,
        reason="Missed appointments",
    )


def test_an_offender_managers_home_lists_todays_appointments_with_times_and_outcome_links(
    world: World, frozen_today: datetime
) -> None:
    own = world.cases["own"]
    waiting = _appointment(own, 10)
    _appointment(own, 14)
    page = _home(world, "om")
    assert (
        'id="todays-appointments">2</span>appointments with you today, Friday 27 November; 2 without' in page
    )
    kind = ContactType.objects.get(code="office").name.lower()
    assert f"10:00 to 10:45 {kind}: {own.full_name} ({own.crn})" in page
    assert f'href="/supervision/contacts/{waiting.pk}/">Record the outcome' in page
    assert page.index("10:00 to 10:45") < page.index("14:00 to 14:45")


def test_an_offender_manager_sees_work_rolled_back_with_who_why_and_the_link_to_change_it(
    world: World,
) -> None:
    own = world.cases["own"]
    screening = _rolled_back(world, own, "Say what the risk to children is")
    page = _home(world, "om")
    assert 'id="rolled-back">1</span>assessment or plan you wrote that your countersigner sent back' in page
    assert f"Rolled back by {world.staff['spo'].full_name} on " in page
    assert ": Say what the risk to children is" in page
    assert f'href="/risk/cases/{own.crn}/screening/{screening.pk}/edit/">Change it' in page


def test_an_offender_manager_is_told_of_a_recall_returned_or_declined_and_can_resubmit(world: World) -> None:
    returned = _recall(world)
    supervision.return_recall(
        world.user("spo"), returned, reason="Which licence condition?", expected_version=1
    )
    declined = _recall(world)
    supervision.decline_recall(
        world.user("spo"), declined, reason="Managed in the community", expected_version=1
    )
    page = _home(world, "om")
    assert (
        'id="recalls-sent-back">1</span>recall recommendation returned to you for more information; 1 declined'
        in page
    )
    assert f"Returned by {world.staff['spo'].full_name} on " in page and ": Which licence condition?" in page
    assert f'href="/supervision/recalls/{returned.pk}/">Add the information and resubmit' in page
    assert "Declined by " in page and ": Managed in the community" in page


def test_an_offender_manager_with_nothing_sent_back_is_not_shown_an_empty_recall_card(world: World) -> None:
    assert "Recalls returned or declined" not in _home(world, "om")


def test_an_spo_sees_countersigning_recalls_allocation_not_enforceable_and_team_overdue_work(
    world: World, frozen_today: datetime
) -> None:
    # A teammate's screening first submitted 10 working days ago: past the 5-working-day limit.
    screening = make_roh_screening(world.cases["team"], world.teammate)
    ten_days_ago = timezone.make_aware(datetime(2026, 11, 13, 9, 0))
    RiskOfHarmScreening.objects.filter(pk=screening.pk).update(
        countersigning_required=True, submitted_at=ten_days_ago, first_submitted_at=ten_days_ago
    )
    recall = _recall(world)
    make_case(world.area, None)  # waiting for an offender manager
    failure = _appointment(world.cases["own"], 9, outcome=ContactOutcome.UNACCEPTABLE_ABSENCE)
    Contact.objects.filter(pk=failure.pk).update(enforceable=False)
    page = _home(world, "spo")
    assert 'id="countersigning-queue">1</span>assessment or plan waiting for your countersignature' in page
    assert (
        "The oldest has waited 10 working days since it was first submitted on 13 November 2026; 1 waited"
        in page
    )
    assert (
        'id="recalls-to-sign-off">1</span>recall recommendation waiting for your sign-off as senior probation officer'
        in page
    )
    assert f'href="/supervision/recalls/{recall.pk}/">Decide' in page
    assert 'id="cases-to-allocate">1</span>current case (an order or licence in force) waiting' in page
    assert 'href="/tiering/workload/"' in page
    assert 'id="not-enforceable-to-approve">1</span>failure to comply marked not enforceable' in page
    assert 'id="team-overdue-actions">' in page and 'href="/standards/actions/?status=overdue"' in page


def test_an_aco_sees_recalls_and_tier_overrides_waiting_for_their_sign_off_and_area_performance(
    world: World,
) -> None:
    recall = _recall(world)
    supervision.sign_off_recall(world.user("spo"), recall, expected_version=1)
    offender = world.cases["own"]
    Offender.objects.filter(pk=offender.pk).update(risk_of_harm_level="high")
    recalculate_cases([offender.pk], trigger="RoH high")
    offender.refresh_from_db()
    current = TierDecision.objects.get(offender=offender, is_current=True)
    tiering.override_tier(
        world.user("spo"), offender, tier="2", reason="Stable for a year", expected_decision_id=current.pk
    )
    page = _home(world, "aco")
    assert (
        'id="recalls-to-sign-off">1</span>recall recommendation waiting for your sign-off as assistant chief officer'
        in page
    )
    assert 'id="tier-overrides-to-sign-off">1</span>tier override of high RoH or MAPPA cases' in page
    assert f'href="/tiering/cases/{offender.crn}/sign-off/">Sign off or decline' in page
    assert 'href="/performance/">Open the area' in page
    assert "Countersigning" not in page.split('id="work-queues"')[1]


def test_a_case_administrator_sees_cases_to_allocate_and_actions_with_no_owner(world: World) -> None:
    make_case(world.area, None)
    page = _home(world, "caseadmin")
    assert 'id="cases-to-allocate">1</span>' in page
    assert 'id="unowned-actions">' in page
    assert 'href="/standards/actions/?owner=kind%3Acase_administrator">See the actions with no owner' in page


def test_a_victim_liaison_officer_sees_victim_contact_actions(world: World) -> None:
    page = _home(world, "vlo")
    assert "Victim contact actions" in page and 'id="overdue-actions">' in page
    assert 'href="/standards/actions/?owner=mine&amp;status=overdue"' in page


def _queries(world: World, role: str) -> int:
    client = Client()
    client.force_login(world.user(role))
    client.get("/")  # sessions, content types and the like are read once per process
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["om", "spo", "caseadmin", "aco"])
def test_the_home_page_runs_the_same_queries_for_a_small_and_a_large_caseload(
    world: World, role: str, frozen_today: datetime
) -> None:
    small = _queries(world, role)
    for _ in range(6):
        offender = make_case(world.area, world.staff["om"])
        make_case(world.area, None)
        _appointment(offender, 11)
        _rolled_back(world, offender, "More detail")
        recall = _recall(world)
        supervision.return_recall(world.user("spo"), recall, reason="More", expected_version=1)
        screening = make_roh_screening(offender, world.teammate)
        RiskOfHarmScreening.objects.filter(pk=screening.pk).update(countersigning_required=True)
    assert _queries(world, role) == small


def test_interventions_staff_see_their_sessions_today_without_a_calendar_they_cannot_open(
    world: World, frozen_today: datetime
) -> None:
    session = _appointment(world.cases["own"], 11)
    Contact.objects.filter(pk=session.pk).update(staff=world.staff["interventions"])
    page = _home(world, "interventions")
    assert 'id="todays-appointments">1</span>appointment with you today' in page
    assert "Open your calendar" not in page


@pytest.mark.parametrize(
    "role", ["om", "spo", "caseadmin", "aco", "vlo", "interventions", "partner", "prison"]
)
def test_every_link_on_a_home_page_opens_for_its_reader(
    world: World, frozen_today: datetime, role: str
) -> None:
    _appointment(world.cases["own"], 10)
    client = Client()
    client.force_login(world.user(role))
    main = re.search(r"<main.*?</main>", client.get("/").content.decode(), re.S)
    assert main is not None
    links = {link.replace("&amp;", "&") for link in re.findall(r'href="(/[^"#]*)', main.group(0))}
    refused = {link: status for link in links if (status := client.get(link).status_code) != 200}
    assert refused == {}
