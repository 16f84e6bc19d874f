"""Interventions: the unpaid work ledger's limits, consent to be alone in a group, approved premises
beds, MAPPA and PPO, who may record what, and fixed query counts."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oms.cases.constants import EventKind, Gender, RegistrationKind
from oms.cases.models import Offender, Registration, Requirement
from oms.cases.services import CaseRuleError
from oms.interventions import rules, services
from oms.interventions.constants import Programme, UnpaidWorkEntryKind
from oms.interventions.models import MappaAction, ProgrammeReferral, UnpaidWorkEntry
from oms.organisation.models import ApprovedPremises
from tests.factories import World, make_case

TODAY = date(2026, 11, 27)


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.user(role))
    return client


def _unpaid_work(offender: Offender) -> Requirement:
    return Requirement.objects.select_related("event").get(
        event__offender=offender, requirement_type="unpaid_work"
    )


# ---------------------------------------------------------------- the ledger (pure)


@pytest.mark.parametrize(
    ("kind", "hours", "refusal"),
    [
        ("worked", Decimal(10), None),
        (
            "worked",
            Decimal("10.5"),
            "10.5 hours worked would take the total beyond the 100 hours ordered: only 10 hours remain",
        ),
        ("skills_for_life", Decimal(5), None),
        (
            "skills_for_life",
            Decimal("5.5"),
            "Skills for life can be credited for at most 20% of the hours ordered (20 hours); 15 are already credited",
        ),
        ("offered", Decimal(0), "Enter a number of hours greater than 0"),
    ],
)
def test_the_ledger_refuses_hours_beyond_the_order_and_credit_beyond_20_percent(
    kind: str, hours: Decimal, refusal: str | None
) -> None:
    ledger = rules.UnpaidWorkLedger(
        hours_ordered=Decimal(100), worked=Decimal(75), skills_for_life=Decimal(15)
    )
    assert rules.entry_refusal(ledger, kind, hours) == refusal


def test_completion_is_due_within_12_months_and_shown_due_then_overdue() -> None:
    ledger = rules.UnpaidWorkLedger(hours_ordered=Decimal(100), worked=Decimal(40))
    order = date(2026, 1, 15)
    assert rules.completion_due(order) == date(2027, 1, 15)
    assert rules.completion_status(order, ledger, date(2026, 6, 1)) == "in progress"
    assert rules.completion_status(order, ledger, date(2026, 12, 1)) == "due"
    assert rules.completion_status(order, ledger, date(2027, 1, 16)) == "overdue"
    done = rules.UnpaidWorkLedger(hours_ordered=Decimal(100), worked=Decimal(90), skills_for_life=Decimal(10))
    assert rules.completion_status(order, done, date(2027, 6, 1)) == "completed"


def test_weeks_with_fewer_than_6_hours_offered_are_listed() -> None:
    order = date(2026, 1, 5)  # a Monday: the first full week starts on the 12th
    offers = [
        (date(2026, 1, 13), Decimal(6)),
        (date(2026, 1, 20), Decimal(3)),
        (date(2026, 1, 22), Decimal(2)),
    ]
    assert rules.weeks_below_offer(order, offers, date(2026, 2, 2)) == [date(2026, 1, 19), date(2026, 1, 26)]


# ---------------------------------------------------------------- unpaid work through the pages


def test_interventions_staff_record_hours_and_see_the_ledger(world: World) -> None:
    offender = world.cases["own"]
    requirement = _unpaid_work(offender)
    client = _client(world, "interventions")
    url = reverse("interventions:record", args=[offender.crn, "unpaid-work"])
    for kind, hours in (("offered", "7"), ("worked", "7"), ("skills_for_life", "20")):
        response = client.post(
            url, {"requirement": requirement.pk, "kind": kind, "on": "2026-06-13", "hours": hours}
        )
        assert response.status_code == 302, response.content.decode()
    page = client.get(reverse("interventions:case", args=[offender.crn])).content.decode()
    assert re.findall(r'id="hours-[a-z]+">[^<]*<', page) == [
        'id="hours-worked">7<',
        'id="hours-remaining">73<',
    ]


def test_hours_worked_beyond_hours_ordered_are_refused_with_an_error_summary(world: World) -> None:
    offender = world.cases["own"]
    requirement = _unpaid_work(offender)
    services.record_unpaid_work(
        world.user("interventions"),
        offender,
        requirement,
        kind="worked",
        on=date(2026, 6, 6),
        hours=Decimal(95),
    )
    response = _client(world, "interventions").post(
        reverse("interventions:record", args=[offender.crn, "unpaid-work"]),
        {"requirement": requirement.pk, "kind": "worked", "on": "2026-06-13", "hours": "6"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "6 hours worked would take the total beyond the 100 hours ordered: only 5 hours remain" in page
    assert UnpaidWorkEntry.objects.filter(requirement=requirement).count() == 1


def test_skills_for_life_credit_beyond_20_percent_is_refused(world: World) -> None:
    offender = world.cases["own"]
    requirement = _unpaid_work(offender)
    user = world.user("interventions")
    services.record_unpaid_work(
        user, offender, requirement, kind="skills_for_life", on=date(2026, 6, 6), hours=Decimal(20)
    )
    with pytest.raises(CaseRuleError, match="at most 20% of the hours ordered"):
        services.record_unpaid_work(
            user, offender, requirement, kind="skills_for_life", on=date(2026, 6, 7), hours=Decimal(1)
        )


def test_hours_worked_in_the_future_are_refused(world: World) -> None:
    offender = world.cases["own"]
    with pytest.raises(CaseRuleError, match="cannot be recorded as worked or stood down in the future"):
        services.record_unpaid_work(
            world.user("om"),
            offender,
            _unpaid_work(offender),
            kind="worked",
            on=TODAY + timedelta(days=1),
            hours=Decimal(6),
            today=TODAY,
        )


# ---------------------------------------------------------------- programmes and consent


def _start(world: World, offender: Offender, group: str, consent: bool = False) -> ProgrammeReferral:
    referral = services.refer_to_programme(
        world.user("om"),
        offender,
        programme=Programme.ENHANCED_THINKING_SKILLS,
        referred_on=date(2026, 6, 2),
        planned_start_on=date(2026, 7, 1),
        sessions_total=20,
    )
    return services.start_programme(
        world.user("interventions"),
        referral,
        group_name=group,
        started_on=date(2026, 7, 1),
        informed_consent=consent,
        consent_notes="Told she would be the only woman; agreed." if consent else "",
        expected_version=1,
    )


def test_placing_the_only_woman_in_a_group_needs_her_informed_consent(world: World) -> None:
    for _ in range(3):
        _start(world, make_case(world.area, world.staff["om"]), "Tuesday evening")
    woman = make_case(world.area, world.staff["om"], gender=Gender.FEMALE)
    referral = services.refer_to_programme(
        world.user("om"),
        woman,
        programme=Programme.ENHANCED_THINKING_SKILLS,
        referred_on=date(2026, 6, 2),
        planned_start_on=date(2026, 7, 1),
        sessions_total=20,
    )
    response = _client(world, "interventions").post(
        reverse("interventions:record", args=[woman.crn, "start-programme"]) + f"?id={referral.pk}",
        {"version": 1, "group_name": "Tuesday evening", "started_on": "2026-07-01"},
    )
    page = response.content.decode()
    assert "would be the only woman in group Tuesday evening: record their informed consent" in page
    referral.refresh_from_db()
    assert referral.started_on is None
    response = _client(world, "interventions").post(
        reverse("interventions:record", args=[woman.crn, "start-programme"]) + f"?id={referral.pk}",
        {
            "version": 1,
            "group_name": "Tuesday evening",
            "started_on": "2026-07-01",
            "informed_consent": "on",
            "consent_notes": "Agreed after discussion",
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.isolation == "the only woman" and referral.consent_recorded_on == date(2026, 7, 1)


def test_the_only_person_of_their_ethnic_group_is_asked_too() -> None:
    others = [rules.GroupMember("male", "W1"), rules.GroupMember("male", "W9")]
    assert rules.isolation_in_group(rules.GroupMember("male", "B1"), others) == [
        "the only person of their ethnic group (Black or Black British)"
    ]
    assert rules.isolation_in_group(rules.GroupMember("male", "W2"), others) == []
    assert rules.isolation_in_group(rules.GroupMember("female", "Z1"), []) == []


def test_a_programme_not_started_as_planned_is_flagged(world: World) -> None:
    offender = world.cases["own"]
    referral = services.refer_to_programme(
        world.user("om"),
        offender,
        programme=Programme.THINK_FIRST,
        referred_on=date(2026, 6, 2),
        planned_start_on=date(2026, 7, 1),
        sessions_total=20,
    )
    assert referral.not_started_as_planned(date(2026, 7, 2))
    assert not referral.not_started_as_planned(date(2026, 6, 30))
    page = _client(world, "interventions").get(reverse("interventions:list")).content.decode()
    assert "Not started as planned" in page
    with pytest.raises(CaseRuleError, match="Choose why the programme was not completed"):
        services.end_programme(
            world.user("om"),
            referral,
            ended_on=date(2026, 8, 1),
            completed=False,
            non_completion_reason="",
            notes="",
            expected_version=1,
        )


# ---------------------------------------------------------------- approved premises


def test_arrival_is_refused_when_every_bed_is_taken(world: World) -> None:
    premises = ApprovedPremises.objects.create(area=world.area, name="Bridgewood House", beds=1)
    user = world.user("om")
    first = services.refer_to_premises(user, world.cases["own"], premises, referred_on=date(2026, 6, 1))
    services.decide_premises_referral(
        user, first, decision="accepted", decided_on=date(2026, 6, 2), expected_version=1
    )
    services.record_arrival(user, first, arrived_on=date(2026, 6, 3), expected_version=2)
    second_case = make_case(world.area, world.staff["om"])
    second = services.refer_to_premises(user, second_case, premises, referred_on=date(2026, 6, 1))
    services.decide_premises_referral(
        user, second, decision="accepted", decided_on=date(2026, 6, 2), expected_version=1
    )
    with pytest.raises(CaseRuleError, match="Bridgewood House is full: all 1 beds are taken"):
        services.record_arrival(user, second, arrived_on=date(2026, 6, 4), expected_version=2)
    services.record_departure(user, first, departed_on=date(2026, 6, 10), expected_version=3)
    services.record_arrival(user, second, arrived_on=date(2026, 6, 11), expected_version=2)
    assert Offender.objects.get(pk=second_case.pk).approved_premises == premises
    assert Offender.objects.get(pk=world.cases["own"].pk).approved_premises is None


# ---------------------------------------------------------------- MAPPA and PPO


def test_mappa_levels_are_kept_over_time_with_meetings_and_actions(world: World) -> None:
    offender = world.cases["own"]
    client = _client(world, "om")
    client.post(
        reverse("interventions:record", args=[offender.crn, "mappa"]),
        {"category": "2", "level": "2", "from_date": "2026-06-01"},
    )
    client.post(
        reverse("interventions:record", args=[offender.crn, "mappa"]),
        {"category": "2", "level": "3", "from_date": "2026-08-01"},
    )
    offender.refresh_from_db()
    assert (offender.mappa_category, offender.mappa_level) == (2, 3)
    history = list(
        Registration.objects.filter(offender=offender, kind=RegistrationKind.MAPPA).order_by("start_date")
    )
    assert [(r.mappa_level, r.end_date) for r in history] == [(2, date(2026, 8, 1)), (3, None)]
    meeting = services.record_mappa_meeting(
        world.user("om"),
        offender,
        held_on=date(2026, 8, 5),
        level=3,
        chair="DI Smith",
        attendees="Police",
        summary="Risk reviewed",
        next_review_on=date(2026, 9, 2),
        today=TODAY,
    )
    response = client.post(
        reverse("interventions:record", args=[offender.crn, "mappa-action"]) + f"?id={meeting.pk}",
        {
            "description": "Visit the home address",
            "owner_staff": "",
            "owner_agency": "",
            "due_on": "2026-08-12",
        },
    )
    assert "Choose the member of staff who owns the action, or name the agency" in response.content.decode()
    client.post(
        reverse("interventions:record", args=[offender.crn, "mappa-action"]) + f"?id={meeting.pk}",
        {"description": "Visit the home address", "owner_agency": "Police PPU", "due_on": "2026-08-12"},
    )
    action = MappaAction.objects.get(meeting=meeting)
    page = client.get(reverse("cases:section", args=[offender.crn, "risk"])).content.decode()
    assert "Visit the home address" in page and "Police PPU" in page and "Overdue" in page
    client.post(
        reverse("interventions:record", args=[offender.crn, "mappa-action-done"]) + f"?id={action.pk}",
        {"done_on": "2026-08-10"},
    )
    action.refresh_from_db()
    assert action.done_on == date(2026, 8, 10)


@pytest.mark.parametrize(("level", "refused"), [(1, True), (2, False), (3, False)])
def test_mappa_category_3_is_only_at_level_2_or_3(world: World, level: int, refused: bool) -> None:
    offender = world.cases["own"]
    if refused:
        with pytest.raises(CaseRuleError, match=r"Category 3 .* level 2 or 3 only") as raised:
            services.register_mappa(
                world.user("om"), offender, category=3, level=level, from_date=date(2026, 6, 1)
            )
        assert raised.value.field == "level"
        assert not Registration.objects.filter(offender=offender, kind=RegistrationKind.MAPPA).exists()
    else:
        services.register_mappa(
            world.user("om"), offender, category=3, level=level, from_date=date(2026, 6, 1)
        )
        offender.refresh_from_db()
        assert (offender.mappa_category, offender.mappa_level) == (3, level)


def test_mappa_category_3_at_level_1_is_refused_on_the_page_naming_the_level(world: World) -> None:
    offender = world.cases["own"]
    response = _client(world, "om").post(
        reverse("interventions:record", args=[offender.crn, "mappa"]),
        {"category": "3", "level": "1", "from_date": "2026-06-01"},
    )
    assert response.status_code == 200
    assert (
        "Category 3 (other dangerous offender) is managed at level 2 or 3 only" in response.content.decode()
    )


def test_ppo_registration_and_enhanced_contact(world: World) -> None:
    offender = world.cases["own"]
    user = world.user("om")
    with pytest.raises(CaseRuleError, match="register the PPO first"):
        services.set_enhanced_contact_level(
            user, offender, contacts_per_week=Decimal(2), from_on=date(2026, 6, 1)
        )
    services.register_ppo(
        user, offender, ppo_type="prolific", from_date=date(2026, 6, 1), to_date=None, today=TODAY
    )
    offender.refresh_from_db()
    assert offender.is_ppo and offender.ppo_type == "prolific"
    with pytest.raises(CaseRuleError, match="already has a current PPO registration"):
        services.register_ppo(
            user, offender, ppo_type="priority", from_date=date(2026, 7, 1), to_date=None, today=TODAY
        )
    services.set_enhanced_contact_level(
        user, offender, contacts_per_week=Decimal(3), from_on=date(2026, 6, 1)
    )
    page = _client(world, "om").get(reverse("cases:section", args=[offender.crn, "risk"])).content.decode()
    assert "PPO enhanced contact: 3 contacts a week" in page


# ---------------------------------------------------------------- permissions


def test_interventions_staff_record_on_their_own_areas_cases_only(world: World) -> None:
    client = _client(world, "interventions")
    own_area = world.cases["other_team"]
    assert client.get(reverse("interventions:record", args=[own_area.crn, "drug-test"])).status_code == 200
    assert (
        client.get(
            reverse("interventions:record", args=[world.cases["other_area"].crn, "drug-test"])
        ).status_code
        == 403
    )
    # MAPPA and PPO registration is case management, not delivery.
    assert client.get(reverse("interventions:record", args=[own_area.crn, "mappa"])).status_code == 403


def test_a_partner_agency_reads_a_granted_case_but_records_nothing(world: World) -> None:
    client = _client(world, "partner")
    crn = world.cases["own"].crn
    assert client.get(reverse("interventions:case", args=[crn])).status_code == 200
    assert client.get(reverse("interventions:record", args=[crn, "unpaid-work"])).status_code == 403
    assert client.get(reverse("interventions:case", args=[world.cases["team"].crn])).status_code == 403
    assert client.get(reverse("interventions:list")).status_code == 403
    response = client.post(
        f"/api/v1/interventions/cases/{crn}/unpaid-work",
        {
            "requirement_id": _unpaid_work(world.cases["own"]).pk,
            "kind": "worked",
            "on": "2026-06-06",
            "hours": "6",
        },
        content_type="application/json",
    )
    assert response.status_code == 403


def test_the_api_records_hours_and_refuses_beyond_the_order(world: World) -> None:
    client = _client(world, "interventions")
    crn = world.cases["own"].crn
    requirement = _unpaid_work(world.cases["own"])
    url = f"/api/v1/interventions/cases/{crn}/unpaid-work"
    ok = client.post(
        url,
        {"requirement_id": requirement.pk, "kind": "worked", "on": "2026-06-06", "hours": "6"},
        content_type="application/json",
    )
    assert ok.status_code == 201
    refused = client.post(
        url,
        {"requirement_id": requirement.pk, "kind": "worked", "on": "2026-06-07", "hours": "95"},
        content_type="application/json",
    )
    assert refused.status_code == 422 and "beyond the 100 hours ordered" in refused.json()["detail"]
    ledger = client.get(f"/api/v1/interventions/cases/{crn}").json()["unpaid_work"][0]
    assert float(ledger["worked"]) == 6


# ---------------------------------------------------------------- fixed queries


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_list_and_case_pages_run_the_same_queries_for_a_small_and_a_large_history(world: World) -> None:
    client = _client(world, "spo")
    offender = world.cases["own"]
    urls = [
        reverse("interventions:list"),
        reverse("interventions:case", args=[offender.crn]),
        reverse("cases:section", args=[offender.crn, "risk"]),
        reverse("cases:section", args=[offender.crn, "interventions"]),
    ]
    before = [_queries(client, url) for url in urls]
    user = world.user("om")
    requirement = _unpaid_work(offender)
    for week in range(12):
        day = date(2026, 6, 6) + timedelta(weeks=week)
        services.record_unpaid_work(
            user, offender, requirement, kind=UnpaidWorkEntryKind.WORKED, on=day, hours=Decimal(6)
        )
    for _ in range(6):
        other = make_case(world.area, world.staff["om"], kind=EventKind.COMMUNITY_ORDER)
        services.refer_to_programme(
            user,
            other,
            programme=Programme.THINK_FIRST,
            referred_on=date(2026, 6, 2),
            planned_start_on=date(2026, 7, 1),
            sessions_total=20,
        )
        services.refer_to_programme(
            user,
            offender,
            programme=Programme.THINK_FIRST,
            referred_on=date(2026, 6, 2),
            planned_start_on=date(2026, 7, 1),
            sessions_total=20,
        )
    meeting = services.record_mappa_meeting(
        user,
        offender,
        held_on=date(2026, 8, 5),
        level=2,
        chair="",
        attendees="",
        summary="",
        next_review_on=None,
        today=TODAY,
    )
    for index in range(5):
        services.add_mappa_action(
            user, meeting, description=f"Action {index}", owner_agency="Police", due_on=date(2026, 9, 1)
        )
    assert [_queries(client, url) for url in urls] == before
