"""Issue 12 item 2 and issue 10 rules 5-6: actions stored and kept current, each with its owner,
read by pages, API, CLI and digests, and proved equal to a fresh evaluation by `oms actions --verify`."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oms.cases.constants import EventKind
from oms.cases.models import OffenceCode, Offender
from oms.cases.services import allocate
from oms.cases.upkeep import flush_case_upkeep
from oms.demo.area import seed_area
from oms.standards.models import StoredAction
from oms.standards.reminders import ITEMS_SHOWN, OLDEST_SHOWN, build_digests
from oms.supervision.models import RecallRecommendation
from oms.supervision.services import ContactInput, record_contact
from tests.factories import World, make_area, make_case, make_staff

LONDON = ZoneInfo("Europe/London")


def _today() -> datetime:
    return timezone.localdate()  # type: ignore[return-value]


def _verify(*scope: str) -> str:
    out = StringIO()
    call_command("actions", "--verify", *scope, stdout=out)
    return out.getvalue()


def _cli(*arguments: str) -> list[dict[str, object]]:
    out = StringIO()
    call_command("actions", *arguments, "--json", stdout=out)
    return json.loads(out.getvalue())["actions"]  # type: ignore[no-any-return]


def _victim_case(world: World) -> Offender:
    """Custody of 2 years for a violent offence: statutory victim contact applies."""
    case = make_case(
        world.area, world.staff["om"], kind=EventKind.CUSTODY, sentence_date=_today() - timedelta(days=100)
    )
    event = case.events.get()
    event.offence = OffenceCode.objects.filter(is_violent_or_sexual=True).first()
    event.length_months = 24
    event.save()
    return case


# --- stored and current -------------------------------------------------------------------------


@pytest.mark.django_db
def test_verify_passes_on_a_seeded_area_with_every_apps_history() -> None:
    seed_area(cases=40, seed=3, area_name="Verifyshire", as_of=timezone.localdate(), with_logins=False)
    assert StoredAction.objects.filter(area__name="Verifyshire").exists(), "the seed ends with actions stored"
    assert "equal a fresh evaluation" in _verify("--area", "Verifyshire")


def test_a_service_write_stores_the_cases_actions_before_its_transaction_ends(world: World) -> None:
    case = make_case(world.area, None, sentence_date=_today() - timedelta(days=3))
    flush_case_upkeep()
    allocation = StoredAction.objects.get(offender=case, rule_key="allocate_offender_manager")
    assert allocation.status in ("due", "overdue") and allocation.owner_kind == "allocators"
    allocate(
        world.user("caseadmin"),
        case,
        world.staff["om"],
        reason="Capacity",
        on=timezone.localdate(),
        expected_version=case.version,
    )
    # Read straight from the table, with nothing flushed by a reader: the service left it current.
    allocation = StoredAction.objects.get(offender=case, rule_key="allocate_offender_manager")
    assert allocation.status in ("met_on_time", "met_late")
    first_contact = StoredAction.objects.get(offender=case, rule_key="first_contact_with_offender_manager")
    assert (first_contact.owner_kind, first_contact.owner_staff_id) == (
        "offender_manager",
        world.staff["om"].pk,
    )
    assert "equal a fresh evaluation" in _verify("--area", world.area.name)


def test_a_contact_recorded_through_the_service_meets_first_contact_in_the_table(world: World) -> None:
    case = make_case(world.area, world.staff["om"], sentence_date=_today() - timedelta(days=3))
    seen = datetime.combine(_today() - timedelta(days=1), datetime.min.time(), tzinfo=LONDON).replace(hour=10)
    record_contact(
        world.user("om"),
        case,
        ContactInput(contact_type="office", starts_at=seen, duration_minutes=30, outcome="attended_complied"),
    )
    row = StoredAction.objects.get(offender=case, rule_key="first_contact_with_offender_manager")
    assert row.status == "met_on_time" and row.completed_on == seen.date()
    assert "equal a fresh evaluation" in _verify("--staff", "om")


def test_verify_fails_with_exit_1_after_a_stored_row_is_tampered_with(world: World) -> None:
    case = make_case(world.area, world.staff["om"], sentence_date=_today() - timedelta(days=3))
    flush_case_upkeep()
    row = StoredAction.objects.filter(offender=case).first()
    assert row is not None
    StoredAction.objects.filter(pk=row.pk).update(deadline=row.deadline + timedelta(days=1))  # type: ignore[operator]
    out = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("actions", "--verify", "--area", world.area.name, stdout=out)
    assert failure.value.returncode == 1
    assert case.crn in out.getvalue() and row.rule_key in out.getvalue()


def test_verify_fails_when_a_stored_action_is_missing(world: World) -> None:
    case = make_case(world.area, world.staff["om"], sentence_date=_today() - timedelta(days=3))
    flush_case_upkeep()
    StoredAction.objects.filter(offender=case, rule_key="roh_screening").delete()
    with pytest.raises(CommandError) as failure:
        call_command("actions", "--verify", "--area", world.area.name, stdout=StringIO())
    assert failure.value.returncode == 1


def test_an_action_falls_overdue_when_its_deadline_passes_without_a_new_evaluation(world: World) -> None:
    case = make_case(world.area, world.staff["om"], sentence_date=_today() - timedelta(days=60))
    flush_case_upkeep()
    # Stored as due a month ago: by today its deadline has passed, so it reads as overdue.
    StoredAction.objects.filter(offender=case).update(evaluated_on=_today() - timedelta(days=59))
    StoredAction.objects.filter(offender=case, status="overdue").update(status="due")
    found = {a["rule"]: a for a in _cli("--staff", "om") if a["crn"] == case.crn}
    assert found["first_contact_with_offender_manager"]["status"] == "overdue"
    assert int(found["first_contact_with_offender_manager"]["working_days_overdue"]) > 30  # type: ignore[call-overload]


# --- owners ---------------------------------------------------------------------------------------


def test_the_cli_prints_each_actions_owner_and_role_and_filters_by_owner(world: World) -> None:
    victims = _victim_case(world)
    unallocated = make_case(world.area, None, sentence_date=_today() - timedelta(days=2))
    flush_case_upkeep()
    vlo = _cli("--owner", "vlo")
    assert {a["rule"] for a in vlo} >= {"statutory_victim_contact_offered"}
    assert all(a["owner_role"] == "victim liaison officers" and a["owner"] == "vlo" for a in vlo)
    assert {a["crn"] for a in vlo} == {victims.crn}
    admin = _cli("--owner", "caseadmin")
    assert {a["crn"] for a in admin} >= {unallocated.crn}
    allocation = next(
        a for a in admin if a["crn"] == unallocated.crn and a["rule"] == "allocate_offender_manager"
    )
    assert allocation["owner_role"] == "senior probation officer and case administrators"
    # Every other action on the unallocated case has no person: it goes to the case administrators.
    assert all(
        a["owner_role"] == "case administrators" for a in admin if a["rule"] != "allocate_offender_manager"
    )
    mine = _cli("--owner", "om")
    assert victims.crn in {a["crn"] for a in mine}
    assert all(a["owner"] == "om" and a["owner_role"] == "offender manager" for a in mine)
    out = StringIO()
    call_command("actions", "--owner", "vlo", stdout=out)
    assert "(vlo, victim liaison officers)" in out.getvalue()


def test_a_recall_waits_on_the_spo_then_the_aco(world: World) -> None:
    case = make_case(
        world.area, world.staff["om"], kind=EventKind.LICENCE, sentence_date=_today() - timedelta(days=30)
    )
    recall = RecallRecommendation.objects.create(
        offender=case,
        event=case.events.get(),
        recall_type="standard",
        reason="Further offence",
        recommended_on=_today(),
        recommended_by=world.staff["om"],
    )
    assert [a["owner"] for a in _cli("--owner", "spo") if a["rule"] == "recall_request"] == ["spo"]
    recall.status = "awaiting_aco"
    recall.save()
    assert [a["owner"] for a in _cli("--owner", "aco") if a["rule"] == "recall_request"] == ["aco"]
    assert not [a for a in _cli("--owner", "spo") if a["rule"] == "recall_request"]


def test_a_document_waiting_for_countersignature_belongs_to_the_countersigner(world: World) -> None:
    from oms.risk.models import RiskOfHarmScreening

    case = make_case(world.area, world.teammate, sentence_date=_today() - timedelta(days=3))
    RiskOfHarmScreening.objects.create(
        offender=case,
        event=case.events.get(),
        author=world.teammate,
        status="submitted",
        countersigning_required=True,
        submitted_at=timezone.now(),
    )
    waiting = [a for a in _cli("--owner", "spo") if a["rule"] == "countersignature"]
    assert [(a["crn"], a["owner_role"]) for a in waiting] == [(case.crn, "countersigner")]


# --- readers: fixed queries whatever the size ----------------------------------------------------


def _queries(client: Client, url: str) -> int:
    flush_case_upkeep()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_area_pages_run_the_same_queries_in_a_small_and_a_large_area(world: World) -> None:
    large, team, _ = make_area("Largeshire")
    large_aco = make_staff("ACO", large, username="large-aco")
    large_om = make_staff("PO", large, team)
    for _ in range(40):
        make_case(large, large_om, sentence_date=_today() - timedelta(days=30))
    small, large_client = Client(), Client()
    small.force_login(world.user("aco"))
    large_client.force_login(large_aco.user)  # type: ignore[arg-type]
    for url in (
        reverse("standards:actions"),
        reverse("standards:actions") + "?status=overdue&owner=mine",
        reverse("standards:enforcement"),
        "/api/v1/standards/actions",
        "/",
    ):
        assert _queries(small, url) == _queries(large_client, url), url


def test_the_api_pages_the_stored_actions(world: World) -> None:
    for _ in range(3):
        make_case(world.area, world.staff["om"], sentence_date=_today() - timedelta(days=30))
    client = Client()
    client.force_login(world.user("om"))
    flush_case_upkeep()
    everything = client.get("/api/v1/standards/actions?limit=500").json()
    page = client.get("/api/v1/standards/actions?limit=2&offset=1").json()
    assert page["count"] == everything["count"] > 2
    assert page["items"] == everything["items"][1:3]
    assert {item["owner_role"] for item in everything["items"]} == {"offender manager"}


# --- digests --------------------------------------------------------------------------------------


def test_each_owner_gets_their_own_work_and_managers_a_summary_by_team_and_rule(world: World) -> None:
    victims = _victim_case(world)
    unallocated = make_case(world.area, None, sentence_date=_today() - timedelta(days=2))
    many = [
        make_case(world.area, world.staff["om"], sentence_date=_today() - timedelta(days=90))
        for _ in range(12)
    ]
    flush_case_upkeep()
    digests = {d.staff.user.username: d for d in build_digests(timezone.localdate()) if d.staff.user}

    vlo = digests["vlo"]
    assert {a.offender.crn for a in vlo.own} == {victims.crn} and not vlo.escalations
    assert all(a.owner.kind == "victim_liaison_officer" for a in vlo.own)
    assert unallocated.crn in {a.offender.crn for a in digests["caseadmin"].own}

    om = digests["om"]
    assert len(om.own) == ITEMS_SHOWN and om.own_not_shown == om.own_count - ITEMS_SHOWN > 0
    assert all(a.owner.staff_id == world.staff["om"].pk for a in om.own)

    spo = digests["spo"]
    first_contact = spo.escalations[(world.team.name, "first_contact_with_offender_manager")]
    assert first_contact.count >= len(many) and len(first_contact.oldest) == OLDEST_SHOWN
    aco = digests["aco"]
    assert aco.escalated_count >= spo.escalated_count

    body = __import__("django.template.loader", fromlist=["render_to_string"]).render_to_string(
        "standards/digest.txt", {"digest": spo, "as_of": timezone.localdate()}
    )
    # A summary line per team and rule, never a line per case.
    assert body.count(many[0].crn) <= 1 and len(body.splitlines()) < 60
    assert f"{world.team.name}: {first_contact.count} x" in body


def test_remind_sends_each_owner_one_email(world: World) -> None:
    _victim_case(world)
    make_case(world.area, None, sentence_date=_today() - timedelta(days=2))
    flush_case_upkeep()
    out = StringIO()
    call_command("remind", stdout=out)
    recipients = {m.to[0] for m in mail.outbox}
    for role in ("om", "vlo", "caseadmin"):
        assert world.staff[role].email in recipients
    assert len(recipients) == len(mail.outbox)


def test_a_refused_service_write_leaves_the_other_changes_of_its_transaction_to_be_stored(
    world: World,
) -> None:
    from oms.cases.services import CaseRuleError

    case = make_case(world.area, None, sentence_date=_today() - timedelta(days=3))
    with pytest.raises(CaseRuleError):
        allocate(
            world.user("caseadmin"), case, world.staff["om"], reason=" ", on=_today(), expected_version=1
        )
    assert "equal a fresh evaluation" in _verify("--area", world.area.name)
