"""Countersigning: who must countersign, who may, every state change logged, stale saves refused,
locked work never edited (a reassessment is a new version)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from oms.accounts.models import AccessLogEntry
from oms.cases.models import Offender
from oms.cases.services import CaseRuleError, StaleRecordError
from oms.risk import countersigning, services
from oms.risk.countersigning import (
    CountersigningAction,
    CountersigningDeputy,
    CountersigningEvent,
    CountersigningPolicy,
    CountersigningStatus,
)
from oms.risk.models import REQUIRED_CELL_NAMES, RiskOfHarmAnalysis, RiskOfHarmScreening
from tests.factories import World, make_case, make_staff


def _screening(world: World, who: str = "om", case: str = "own") -> RiskOfHarmScreening:
    offender = world.cases[case]
    document = services.start_document(world.user(who), offender, "screening", event=offender.events.get())
    assert isinstance(document, RiskOfHarmScreening)
    return document


def _high_risk(world: World) -> Offender:
    offender = world.cases["own"]
    Offender.objects.filter(pk=offender.pk).update(risk_of_harm_level="high")
    offender.refresh_from_db()
    world.cases["own"] = offender
    return offender


def _submitted(world: World) -> RiskOfHarmScreening:
    _high_risk(world)
    document = _screening(world)
    services.submit_document(world.user("om"), document, expected_version=document.version)
    assert document.status == CountersigningStatus.SUBMITTED
    return document


def test_work_that_needs_no_countersignature_is_locked_on_submission(world: World) -> None:
    document = _screening(world)
    services.submit_document(world.user("om"), document, expected_version=document.version)
    document.refresh_from_db()
    assert document.status == CountersigningStatus.LOCKED
    assert document.countersigning_required is False
    assert document.countersigned_by is None
    (logged,) = CountersigningEvent.objects.filter(object_id=document.pk)
    assert logged.action == CountersigningAction.COMPLETED


def test_the_authors_manager_countersigns_and_locks(world: World) -> None:
    document = _submitted(world)
    services.countersign_document(world.user("spo"), document, expected_version=document.version)
    document.refresh_from_db()
    assert document.status == CountersigningStatus.LOCKED
    assert document.countersigned_by == world.staff["spo"]
    actions = list(CountersigningEvent.objects.filter(object_id=document.pk).values_list("action", flat=True))
    assert actions == [CountersigningAction.SUBMITTED, CountersigningAction.COUNTERSIGNED]
    log = list(AccessLogEntry.objects.filter(crn=document.offender.crn).values_list("username", "what"))
    assert ("om", "RoH screening 1: submitted for countersigning") in log
    assert ("spo", "RoH screening 1: countersigned and locked") in log
    assert document.history.count() >= 3  # created, submitted, locked


def test_an_offender_manager_cannot_countersign_their_own_work(world: World) -> None:
    document = _submitted(world)
    with pytest.raises(PermissionDenied, match="cannot countersign your own work"):
        services.countersign_document(world.user("om"), document, expected_version=document.version)


@pytest.mark.parametrize(
    "role", ["caseadmin", "aco", "vlo", "interventions", "partner", "prison", "inspector"]
)
def test_other_roles_cannot_countersign(world: World, role: str) -> None:
    document = _submitted(world)
    with pytest.raises(PermissionDenied, match="Only the author's manager"):
        services.countersign_document(world.user(role), document, expected_version=document.version)
    with pytest.raises(PermissionDenied, match="Only the author's manager"):
        services.roll_back_document(
            world.user(role), document, reason="no", expected_version=document.version
        )


def test_another_teams_manager_cannot_countersign_but_a_named_deputy_can(world: World) -> None:
    document = _submitted(world)
    other_spo = make_staff("SPO", world.area, world.other_team, username="otherspo")
    other_spo.manages_teams.add(world.other_team)
    with pytest.raises(PermissionDenied, match="Only the author's manager"):
        services.countersign_document(other_spo.user, document, expected_version=document.version)
    CountersigningDeputy.objects.create(
        team=world.team,
        deputy=other_spo,
        valid_from=timezone.localdate() - timedelta(days=1),
        reason="SPO on leave",
    )
    services.countersign_document(other_spo.user, document, expected_version=document.version)
    assert document.status == CountersigningStatus.LOCKED
    assert document.countersigned_by == other_spo


def test_a_lapsed_deputy_cannot_countersign(world: World) -> None:
    document = _submitted(world)
    deputy = make_staff("SPO", world.area, world.other_team, username="lapsed")
    CountersigningDeputy.objects.create(
        team=world.team, deputy=deputy, valid_from=date(2020, 1, 1), valid_until=date(2020, 2, 1)
    )
    with pytest.raises(PermissionDenied, match="Only the author's manager"):
        services.countersign_document(deputy.user, document, expected_version=document.version)


def test_roll_back_and_resubmit_as_many_times_as_needed(world: World) -> None:
    document = _submitted(world)
    with pytest.raises(CaseRuleError, match="Enter what must be improved"):
        services.roll_back_document(
            world.user("spo"), document, reason="  ", expected_version=document.version
        )
    for attempt in (1, 2):
        services.roll_back_document(
            world.user("spo"),
            document,
            reason=f"Risk to children not considered ({attempt})",
            expected_version=document.version,
        )
        assert document.status == CountersigningStatus.ROLLED_BACK
        assert document.rollback_count == attempt
        services.update_document(
            world.user("om"), document, {"notes": f"Improved {attempt}"}, expected_version=document.version
        )
        services.submit_document(world.user("om"), document, expected_version=document.version)
        assert document.status == CountersigningStatus.SUBMITTED
    services.countersign_document(world.user("spo"), document, expected_version=document.version)
    actions = list(CountersigningEvent.objects.filter(object_id=document.pk).values_list("action", "reason"))
    assert [a for a, _ in actions] == [
        "submitted",
        "rolled_back",
        "submitted",
        "rolled_back",
        "submitted",
        "countersigned",
    ]
    assert actions[1][1] == "Risk to children not considered (1)"
    changes = AccessLogEntry.objects.filter(crn=document.offender.crn, action="change").count()
    assert changes >= 8  # every submit, rollback, save and countersignature


def test_a_stale_save_is_refused_and_nothing_is_lost(world: World) -> None:
    document = _screening(world)
    opened_version = document.version
    services.update_document(world.user("om"), document, {"notes": "first"}, expected_version=opened_version)
    with pytest.raises(StaleRecordError, match="changed by someone else"):
        services.update_document(
            world.user("om"), document, {"notes": "second"}, expected_version=opened_version
        )
    document.refresh_from_db()
    assert document.notes == "first"


def test_a_locked_document_is_never_edited_and_reassessment_makes_a_new_version(world: World) -> None:
    document = _screening(world)
    services.update_document(
        world.user("om"), document, {"notes": "Calm at interview"}, expected_version=document.version
    )
    services.submit_document(world.user("om"), document, expected_version=document.version)
    assert document.status == CountersigningStatus.LOCKED
    with pytest.raises(CaseRuleError, match="start a new version"):
        services.update_document(
            world.user("om"), document, {"notes": "changed"}, expected_version=document.version
        )
    second = services.start_document(world.user("om"), document.offender, "screening", event=document.event)
    assert second.pk != document.pk
    assert second.sequence == 2 and second.previous_id == document.pk
    assert second.notes == "Calm at interview"  # starts from the last version: nothing re-keyed
    document.refresh_from_db()
    assert document.notes == "Calm at interview" and document.status == CountersigningStatus.LOCKED


def test_an_analysis_cannot_be_submitted_with_a_group_unconsidered(world: World) -> None:
    offender = world.cases["own"]
    analysis = services.start_document(world.user("om"), offender, "analysis")
    assert isinstance(analysis, RiskOfHarmAnalysis)
    levels = {
        f"{group}_{setting}": "medium"
        for group in ("public", "known_adult", "children", "staff", "prisoners")
        for setting in ("community", "custody")
    }
    del levels["children_community"]
    del levels["prisoners_community"]  # allowed: no community column for prisoners
    services.update_document(
        world.user("om"),
        analysis,
        {"levels": levels, "nature_of_risk": "Violence when drinking"},
        expected_version=analysis.version,
    )
    with pytest.raises(CaseRuleError, match="not been considered for: Children in community") as refused:
        services.submit_document(world.user("om"), analysis, expected_version=analysis.version)
    # The grid as a whole, then each unconsidered group on its own field (the page links each one).
    assert refused.value.field == "levels"
    assert (
        "children_community",
        "Choose the level of risk to children in community",
    ) in refused.value.problems
    analysis.refresh_from_db()
    assert analysis.status == CountersigningStatus.DRAFT


def test_a_screening_that_indicates_a_full_analysis_opens_one(world: World) -> None:
    document = _screening(world)
    services.update_document(
        world.user("om"),
        document,
        {"indicator_levels": {"children": "medium"}, "child_protection_concerns": True},
        expected_version=document.version,
    )
    assert document.full_analysis_needed
    assert document.reasons == ["Indicator 'Children' is medium", "There are child protection concerns"]
    _, opened = services.submit_document(world.user("om"), document, expected_version=document.version)
    assert isinstance(opened, RiskOfHarmAnalysis)
    assert opened.screening_id == document.pk and opened.status == CountersigningStatus.DRAFT


def test_locking_an_analysis_sets_the_cases_risk_of_harm_level(world: World) -> None:
    offender = world.cases["own"]
    analysis = services.start_document(world.user("om"), offender, "analysis")
    levels = {cell: "low" for cell in REQUIRED_CELL_NAMES}
    levels["known_adult_community"] = "high"
    services.update_document(
        world.user("om"),
        analysis,
        {"levels": levels, "nature_of_risk": "Threats to a former partner"},
        expected_version=analysis.version,
    )
    assert analysis.overall_level == "high"
    services.submit_document(world.user("om"), analysis, expected_version=analysis.version)
    # A PO's work on a high RoH case must be countersigned: the level changes only when it is locked.
    assert analysis.status == CountersigningStatus.SUBMITTED
    offender.refresh_from_db()
    assert offender.risk_of_harm_level == "low"
    services.countersign_document(world.user("spo"), analysis, expected_version=analysis.version)
    offender.refresh_from_db()
    assert offender.risk_of_harm_level == "high"
    assert offender.tier == "4"  # NOMS 2005: tier 4 because RoH is high


def test_an_area_policy_changes_who_must_countersign(world: World) -> None:
    CountersigningPolicy.objects.create(area=world.area, risk_of_harm_levels=["low"], author_grades=[])
    document = _screening(world)
    services.submit_document(world.user("om"), document, expected_version=document.version)
    assert document.status == CountersigningStatus.SUBMITTED


# ------------------------------------------------------------------------------- pages and queue
def _client(username: str) -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_the_queue_shows_work_oldest_first_with_working_days_and_overdue(world: World) -> None:
    first = _submitted(world)
    long_ago = timezone.now() - timedelta(days=70)
    RiskOfHarmScreening.objects.filter(pk=first.pk).update(submitted_at=long_ago, first_submitted_at=long_ago)
    second_case = make_case(world.area, world.staff["om"], risk_of_harm_level="very_high")
    second = services.start_document(
        world.user("om"), second_case, "screening", event=second_case.events.get()
    )
    services.submit_document(world.user("om"), second, expected_version=second.version)
    rows = countersigning.awaiting_countersignature(world.staff["spo"])
    assert [row.document.pk for row in rows] == [first.pk, second.pk]
    assert rows[0].overdue and rows[0].working_days_waiting >= 45
    assert not rows[1].overdue and rows[1].working_days_waiting == 0
    page = _client("spo").get("/risk/countersigning/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "1 overdue" in text and text.index(first.offender.crn) < text.index(second_case.crn)
    assert countersigning.awaiting_countersignature(world.staff["om"]) == []


def test_the_queue_page_runs_a_fixed_number_of_queries(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _submitted(world)
    client = _client("spo")
    with CaptureQueriesContext(connection) as small:
        client.get("/risk/countersigning/")
    for _ in range(6):
        case = make_case(world.area, world.staff["om"], risk_of_harm_level="high")
        doc = services.start_document(world.user("om"), case, "screening", event=case.events.get())
        services.submit_document(world.user("om"), doc, expected_version=doc.version)
    with CaptureQueriesContext(connection) as large:
        page = client.get("/risk/countersigning/")
    assert page.content.decode().count("RoH screening 1") == 7
    assert len(small) == len(large)


def test_only_spos_and_deputies_see_the_queue(world: World) -> None:
    assert _client("om").get("/risk/countersigning/").status_code == 403
    assert _client("caseadmin").get("/risk/countersigning/").status_code == 403
    assert "Countersigning" in _client("spo").get("/").content.decode()
    assert "Countersigning" not in _client("om").get("/").content.decode()


@pytest.mark.parametrize("role", ["inspector", "partner", "prison", "caseadmin", "aco"])
def test_readers_see_assessments_and_only_assessors_write(world: World, role: str) -> None:
    document = _screening(world)
    crn = world.cases["own"].crn
    client = _client(role)
    assert client.get(f"/risk/cases/{crn}/").status_code == 200
    assert client.get(f"/risk/cases/{crn}/screening/{document.pk}/").status_code == 200
    writes = client.post(f"/risk/cases/{crn}/analysis/start/")
    expected = 302 if role == "prison" else 403  # one record across custody and community
    assert writes.status_code == expected
    assert client.get(f"/risk/cases/{crn}/screening/{document.pk}/countersign/").status_code == 403


def test_a_case_outside_the_users_reach_is_refused_and_logged(world: World) -> None:
    crn = world.cases["other_area"].crn
    assert _client("om").get(f"/risk/cases/{crn}/").status_code == 403
    assert AccessLogEntry.objects.filter(crn=crn, action="refused", username="om").exists()


def test_the_web_form_names_the_unconsidered_group_in_the_error_summary(world: World) -> None:
    crn = world.cases["own"].crn
    client = _client("om")
    started = client.post(f"/risk/cases/{crn}/analysis/start/")
    edit_url = started["Location"]
    analysis = RiskOfHarmAnalysis.objects.get(offender=world.cases["own"])
    data = {
        "version": analysis.version,
        "public_community": "high",
        "nature_of_risk": "Robbery with a knife",
        "submit": "1",
    }
    page = client.post(edit_url, data)
    text = page.content.decode()
    assert page.status_code == 200
    assert "There is a problem" in text
    assert (
        "Risk of serious harm has not been considered for: Known adult in community, Children in community, "
        "Staff in community, Public in custody" in text
    )
    assert 'href="#id_known_adult_community"' in text
    analysis.refresh_from_db()
    assert analysis.levels == {"public_community": "high"}  # the draft was kept


def test_the_countersign_page_rolls_back_with_a_reason_and_then_countersigns(world: World) -> None:
    document = _submitted(world)
    crn = document.offender.crn
    client = _client("spo")
    url = f"/risk/cases/{crn}/screening/{document.pk}/countersign/"
    missing = client.post(url, {"version": document.version, "decision": "roll_back", "reason": ""})
    assert "Enter what must be improved" in missing.content.decode()
    client.post(url, {"version": document.version, "decision": "roll_back", "reason": "Say who is at risk"})
    document.refresh_from_db()
    assert document.status == CountersigningStatus.ROLLED_BACK
    om_page = _client("om").get(f"/risk/cases/{crn}/screening/{document.pk}/edit/")
    assert "Rolled back by your manager: Say who is at risk" in om_page.content.decode()


# --- the countersigning clock runs from the first submission (issue 10, rule 2) -----------------


def _waited_then_rolled_back_and_resubmitted(world: World) -> RiskOfHarmScreening:
    """Submitted 70 days ago (over 42 working days), rolled back today and resubmitted today."""
    document = _submitted(world)
    long_ago = timezone.now() - timedelta(days=70)
    RiskOfHarmScreening.objects.filter(pk=document.pk).update(
        submitted_at=long_ago, first_submitted_at=long_ago
    )
    document.refresh_from_db()
    services.roll_back_document(
        world.user("spo"),
        document,
        reason="Risk to children not considered",
        expected_version=document.version,
    )
    services.submit_document(world.user("om"), document, expected_version=document.version)
    return document


def test_a_roll_back_does_not_reset_the_countersigning_clock(world: World) -> None:
    from oms.standards.queries import actions

    document = _waited_then_rolled_back_and_resubmitted(world)
    assert document.first_submitted_at is not None and document.submitted_at is not None
    assert document.first_submitted_at < document.submitted_at
    (row,) = countersigning.awaiting_countersignature(world.staff["spo"])
    assert row.overdue and row.working_days_waiting >= 42
    services.countersign_document(world.user("spo"), document, expected_version=document.version)
    waited = document.working_days_to_lock()
    assert waited is not None and waited >= 42
    found = [
        a.status
        for a in actions(
            Offender.objects.filter(pk=document.offender_id), timezone.localdate(), open_only=False
        )
        if a.status.rule_key == "countersignature"
    ]
    assert [(s.status, s.trigger_date) for s in found] == [
        ("met_late", timezone.localdate(document.first_submitted_at))
    ]


def test_the_document_and_the_case_show_the_time_from_first_submission_to_lock(world: World) -> None:
    document = _waited_then_rolled_back_and_resubmitted(world)
    services.countersign_document(world.user("spo"), document, expected_version=document.version)
    waited = document.working_days_to_lock()
    words = f"{waited} working days from first submission"
    crn = document.offender.crn
    page = _client("om").get(f"/risk/cases/{crn}/screening/{document.pk}/").content.decode()
    assert words in page
    assert words in _client("om").get(f"/risk/cases/{crn}/").content.decode()


def test_the_queue_shows_the_first_submission_and_the_wait_since_it(world: World) -> None:
    document = _waited_then_rolled_back_and_resubmitted(world)
    text = _client("spo").get("/risk/countersigning/").content.decode()
    first = timezone.localtime(document.first_submitted_at)
    assert f"{first:%-d %B %Y}" in text  # the service's one date format, "8 July 2026"
    assert "1 overdue" in text


# --- the queue's edges ---------------------------------------------------------------------------

MON_2_JUL_2007 = date(2007, 7, 2)


@pytest.mark.parametrize(("today", "waited", "overdue"), [
    (date(2007, 7, 9), 5, False),  # the 5th working day after Monday 2 July: still on time
    (date(2007, 7, 10), 6, True),
])  # fmt: skip
def test_the_queue_flags_work_waiting_more_than_5_working_days(
    world: World, today: date, waited: int, overdue: bool
) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    document = _submitted(world)
    submitted = datetime(2007, 7, 2, 10, tzinfo=ZoneInfo("Europe/London"))
    RiskOfHarmScreening.objects.filter(pk=document.pk).update(
        submitted_at=submitted, first_submitted_at=submitted
    )
    (row,) = countersigning.awaiting_countersignature(world.staff["spo"], today)
    assert (row.working_days_waiting, row.overdue) == (waited, overdue)


def test_a_managers_own_work_is_not_in_their_own_queue(world: World) -> None:
    spo = world.staff["spo"]
    offender = _high_risk(world)
    document = services.start_document(world.user("spo"), offender, "screening", event=offender.events.get())
    services.submit_document(world.user("spo"), document, expected_version=document.version)
    assert document.author == spo
    assert countersigning.awaiting_countersignature(spo) == []


def test_a_deputy_may_countersign_on_the_last_day_named_and_not_after(world: World) -> None:
    document = _submitted(world)
    deputy = make_staff("SPO", world.area, world.other_team, username="deputy")
    last_day = timezone.localdate()
    CountersigningDeputy.objects.create(
        team=world.team, deputy=deputy, valid_from=last_day - timedelta(days=7), valid_until=last_day
    )
    assert [row.document.pk for row in countersigning.awaiting_countersignature(deputy, last_day)] == [
        document.pk
    ]
    assert countersigning.awaiting_countersignature(deputy, last_day + timedelta(days=1)) == []
    services.countersign_document(deputy.user, document, expected_version=document.version)
    assert document.countersigned_by == deputy
