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


def test_the_record_holds_the_assessments_tiers_and_sentence_plans(world: World) -> None:
    from oms.planning.models import Objective, SentencePlan
    from oms.risk import services as risk_services
    from oms.risk.models import RiskManagementPlan
    from oms.tiering.recalculation import recalculate_cases

    case = world.cases["own"]
    screening = risk_services.start_document(world.user("om"), case, "screening", event=case.events.get())
    risk_services.submit_document(world.user("om"), screening, expected_version=screening.version)
    RiskManagementPlan.objects.create(offender=case, author=world.staff["om"], actions=[{"action": "Visit"}])
    recalculate_cases([case.pk], trigger="test")
    plan = SentencePlan.objects.create(
        offender=case, author=world.staff["om"], planned_contact_level="weekly"
    )
    Objective.objects.create(plan=plan, number=1, objective="Find stable accommodation")
    record = _case_json(case.crn, "--as", "om")
    assessments = record["assessments"]
    assert isinstance(assessments, dict)
    (screened,) = assessments["roh_screenings"]
    assert (screened["status"], screened["sequence"], screened["working_days_first_submission_to_lock"]) == (
        "locked",
        1,
        0,
    )
    assert assessments["roh_analyses"] == [] and assessments["likelihood_of_reoffending"] == []
    assert assessments["risk_management_plans"][0]["actions"] == [{"action": "Visit"}]
    (decision,) = record["tier_decisions"]  # type: ignore[misc]
    assert decision["current"] is True and decision["provisional"] is False
    (written,) = record["sentence_plans"]  # type: ignore[misc]
    assert written["planned_contact_level"] == "weekly"
    assert [o["objective"] for o in written["objectives"]] == ["Find stable accommodation"]
