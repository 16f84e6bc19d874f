"""Tier decisions: recalculated on each trigger, explained in words, overridden only by managers with a
reason, and recalculated for the whole area in a fixed number of queries."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from oms.cases import services as case_services
from oms.cases.constants import RegistrationKind
from oms.cases.models import Offender, Registration
from oms.cases.services import CaseRuleError
from oms.organisation.constants import TieringFramework
from oms.risk import services as risk_services
from oms.risk.models import REQUIRED_CELL_NAMES
from oms.tiering import services
from oms.tiering.models import TierDecision
from oms.tiering.recalculation import recalculate_all, recalculate_cases
from tests.factories import World, make_case


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _tier(offender: Offender) -> str:
    offender.refresh_from_db()
    return offender.tier


def test_a_registration_recalculates_the_tier(world: World, django_capture_on_commit_callbacks: Any) -> None:
    offender = world.cases["own"]
    recalculate_cases([offender.pk], trigger="first")
    assert _tier(offender) == "1"
    with django_capture_on_commit_callbacks(execute=True):
        Registration.objects.create(
            offender=offender,
            kind=RegistrationKind.MAPPA,
            mappa_category=2,
            mappa_level=2,
            start_date=date(2026, 6, 1),
        )
    assert _tier(offender) == "4"
    decision = TierDecision.objects.get(offender=offender, is_current=True)
    assert decision.trigger == "MAPPA registration recorded"
    assert decision.reasons == ["Tier 4 because MAPPA level is 2"]
    assert decision.inputs["mappa_level"] == 2


def test_a_ppo_registration_makes_tier_3(world: World, django_capture_on_commit_callbacks: Any) -> None:
    offender = world.cases["own"]
    with django_capture_on_commit_callbacks(execute=True):
        Registration.objects.create(offender=offender, kind=RegistrationKind.PPO, start_date=date(2026, 6, 1))
    assert _tier(offender) == "3"


def test_an_event_starting_and_ending_recalculates_the_tier(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    area = world.area
    area.tiering_framework = TieringFramework.HMPPS_2021
    area.save()
    offender = world.cases["own"]
    recalculate_cases([offender.pk], trigger="first")
    # The factory's order has only unpaid work: no mandate for change, and nobody supervises.
    assert _tier(offender) == "D0S"
    with django_capture_on_commit_callbacks(execute=True):
        event = case_services.add_event(
            world.user("caseadmin"),
            offender,
            case_services.EventInput(
                kind="community_order",
                court="Northampton Magistrates' Court",
                offence_code="02801",
                sentence_date=date(2026, 9, 1),
                length_months=12,
                requirements=(case_services.RequirementInput("supervision", length_months=12),),
            ),
        )
    # The event is saved before its requirements, so its own signal saw none; a later change sees them.
    with django_capture_on_commit_callbacks(execute=True):
        case_services.terminate_event(
            world.user("caseadmin"),
            offender.events.get(number=1),
            reason="completed",
            on=date(2026, 9, 2),
            notes="",
            expected_version=1,
        )
    assert _tier(offender) == "D2"  # mandate for change, no assessment yet: change level 2
    history = list(
        TierDecision.objects.filter(offender=offender)
        .order_by("decided_at", "id")
        .values_list("trigger", "tier")
    )
    assert history[0] == ("first", "D0S")
    assert history[-1] == ("Community order ended", "D2")
    assert event.pk


def test_locking_a_reoffending_assessment_recalculates_from_ogrs3_and_needs(world: World) -> None:
    offender = world.cases["own"]
    recalculate_cases([offender.pk], trigger="first")
    assessment = risk_services.start_document(world.user("om"), offender, "reoffending")
    risk_services.update_document(
        world.user("om"),
        assessment,
        {
            "date_of_current_conviction": date(2026, 5, 20),
            "date_of_start_of_follow_up": date(2026, 6, 1),
            "total_sanctions": 25,
            "age_at_first_sanction": 12,
            "offence_code": "05400",
            "needs": {
                need: {"score": 0, "linked_to_offending": False}
                for need in (
                    "accommodation",
                    "education_training_employability",
                    "financial_management",
                    "relationships",
                    "lifestyle_associates",
                    "drug_misuse",
                    "alcohol_misuse",
                    "emotional_wellbeing",
                    "thinking_behaviour",
                    "attitudes",
                )
            },
        },
        expected_version=assessment.version,
    )
    assert (assessment.ogrs3_two_year, assessment.ogrs3_band) == (67, "medium")
    risk_services.submit_document(world.user("om"), assessment, expected_version=assessment.version)
    assert _tier(offender) == "2"
    decision = TierDecision.objects.get(offender=offender, is_current=True)
    assert decision.trigger.startswith("likelihood of reoffending assessment 1")
    assert decision.reasons == ["Tier 2 because OGRS3 2-year score is 67% (medium)"]


def test_the_case_page_explains_the_tier_in_plain_words(world: World) -> None:
    offender = world.cases["own"]
    analysis = risk_services.start_document(world.user("om"), offender, "analysis")
    levels = dict.fromkeys(REQUIRED_CELL_NAMES, "low") | {"public_community": "high"}
    risk_services.update_document(
        world.user("om"),
        analysis,
        {"levels": levels, "nature_of_risk": "Knife carrying"},
        expected_version=analysis.version,
    )
    risk_services.submit_document(world.user("om"), analysis, expected_version=analysis.version)
    risk_services.countersign_document(world.user("spo"), analysis, expected_version=analysis.version)
    page = _client("om").get(f"/cases/{offender.crn}/risk/").content.decode()
    assert "Tier 4 because risk of harm is high" in page
    tier_page = _client("om").get(f"/tiering/cases/{offender.crn}/").content.decode()
    assert "Tier 4 because risk of harm is high" in tier_page
    assert "full RoH analysis 1 locked" in tier_page


def test_a_manager_overrides_with_a_reason_and_the_override_lapses_when_the_tier_changes(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    offender = world.cases["own"]
    recalculate_cases([offender.pk], trigger="first")
    current = TierDecision.objects.get(offender=offender, is_current=True)
    with pytest.raises(CaseRuleError, match="Enter why"):
        services.override_tier(
            world.user("spo"), offender, tier="3", reason=" ", expected_decision_id=current.pk
        )
    with pytest.raises(CaseRuleError, match="Choose a tier"):
        services.override_tier(
            world.user("spo"), offender, tier="B2", reason="x", expected_decision_id=current.pk
        )
    decision = services.override_tier(
        world.user("spo"),
        offender,
        tier="3",
        reason="Escalating domestic abuse reported by police",
        expected_decision_id=current.pk,
    )
    assert (
        _tier(offender) == "3"
        and decision.computed_tier == "1"
        and decision.overridden_by == world.staff["spo"]
    )
    recalculate_cases([offender.pk], trigger="nothing changed")
    assert _tier(offender) == "3"  # the override stands while the computed tier is the same
    with django_capture_on_commit_callbacks(execute=True):
        Registration.objects.create(
            offender=offender, kind=RegistrationKind.MAPPA, mappa_level=3, start_date=date(2026, 6, 1)
        )
    assert _tier(offender) == "4"
    latest = TierDecision.objects.get(offender=offender, is_current=True)
    assert "override to tier 3 lapsed" in latest.reasons[-1]


@pytest.mark.parametrize(
    ("role", "allowed"), [("spo", True), ("aco", True), ("om", False), ("caseadmin", False)]
)
def test_only_managers_may_override_on_the_page(world: World, role: str, allowed: bool) -> None:
    offender = world.cases["own"]
    recalculate_cases([offender.pk], trigger="first")
    client = _client(role)
    page = client.get(f"/tiering/cases/{offender.crn}/").content.decode()
    assert ("Override the tier" in page) is allowed
    response = client.post(f"/tiering/cases/{offender.crn}/", {"tier": "2", "reason": "Needs more contact"})
    assert response.status_code == (302 if allowed else 403)
    assert (_tier(offender) == "2") is allowed


def test_the_override_form_names_the_missing_reason(world: World) -> None:
    offender = world.cases["own"]
    recalculate_cases([offender.pk], trigger="first")
    page = (
        _client("spo").post(f"/tiering/cases/{offender.crn}/", {"tier": "2", "reason": ""}).content.decode()
    )
    assert "There is a problem" in page and "Enter why the computed tier is wrong for this case" in page


def test_recalculate_all_batches_its_reads(world: World) -> None:
    with CaptureQueriesContext(connection) as few:
        first = recalculate_all()
    for _ in range(15):
        make_case(world.area, world.staff["om"], risk_of_harm_level="medium")
    TierDecision.objects.all().update(is_current=False)
    with CaptureQueriesContext(connection) as many:
        second = recalculate_all()
    assert second.cases == first.cases + 15

    def reads(captured: CaptureQueriesContext) -> int:
        # Writes (the stored actions of the cases whose tier changed) go in batches sized by rows.
        return sum(q["sql"].startswith("SELECT") for q in captured.captured_queries)

    assert reads(few) == reads(many)
    again = recalculate_all()
    assert again.decisions_recorded == 0 and again.tiers_changed == 0


def test_the_cli_prints_how_many_changed(world: World) -> None:
    out = StringIO()
    call_command("tier", "--recalculate-all", stdout=out)
    assert (
        "5 cases recalculated: 5 tiers changed" in out.getvalue()
    )  # the factory's tier 2 was never computed
    out = StringIO()
    call_command("tier", "--recalculate-all", "--json", stdout=out)
    assert '"tiers_changed": 0' in out.getvalue()


def test_the_cli_refuses_an_unknown_area(world: World) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="area: no area called 'Atlantis'") as refused:
        call_command("tier", "--recalculate-all", "--area", "Atlantis")
    assert refused.value.returncode == 2


def test_a_registration_that_has_ended_no_longer_counts(world: World) -> None:
    offender = world.cases["own"]
    Registration.objects.create(
        offender=offender,
        kind=RegistrationKind.PPO,
        start_date=date(2020, 1, 1),
        end_date=date.today() - timedelta(days=1),
    )
    recalculate_cases([offender.pk], trigger="first")
    assert _tier(offender) == "1"


def test_a_tier_computed_before_any_roh_screening_is_shown_as_provisional(world: World) -> None:
    unscreened = make_case(world.area, world.staff["om"], risk_of_harm_level="")
    screened = world.cases["own"]  # low RoH from its screening
    recalculate_cases([unscreened.pk, screened.pk], trigger="first")
    provisional = TierDecision.objects.get(offender=unscreened, is_current=True)
    assert provisional.is_provisional
    assert not TierDecision.objects.get(offender=screened, is_current=True).is_provisional
    page = _client("om").get(f"/tiering/cases/{unscreened.crn}/").content.decode()
    assert 'id="tier-provisional">Provisional<' in page
    assert "computed before any RoH screening" in page
    risk_section = _client("om").get(f"/cases/{unscreened.crn}/risk/").content.decode()
    assert "Provisional" in risk_section
    screened_page = _client("om").get(f"/tiering/cases/{screened.crn}/").content.decode()
    assert (
        "tier-provisional" not in screened_page and "computed before any RoH screening" not in screened_page
    )
