"""Tier overrides that lower a high-RoH or MAPPA case by two or more tiers need a senior manager's
(ACO's) second sign-off before they are in force; until then the tier stays as it was."""

from __future__ import annotations

import pytest
from django.test import Client

from oms.accounts.models import AccessAction, AccessLogEntry
from oms.cases.models import Offender
from oms.cases.services import CaseRuleError
from oms.risk.levels import RiskOfHarmLevel
from oms.tiering import services
from oms.tiering.models import OverrideSignOff, TierDecision
from oms.tiering.recalculation import recalculate_cases
from oms.tiering.rules import override_needs_second_sign_off, tier_rank
from tests.factories import World, make_staff

HIGH, VERY_HIGH, MEDIUM = RiskOfHarmLevel.HIGH, RiskOfHarmLevel.VERY_HIGH, RiskOfHarmLevel.MEDIUM


@pytest.mark.parametrize(
    ("current", "new", "level", "mappa", "needed"),
    [
        ("4", "2", HIGH, None, True),
        ("4", "3", HIGH, None, False),  # one tier down: the overriding manager's own decision
        ("4", "1", VERY_HIGH, None, True),
        ("4", "2", MEDIUM, None, False),  # neither high RoH nor MAPPA
        ("3", "1", MEDIUM, 1, True),  # any MAPPA level
        ("2", "4", HIGH, None, False),  # raising never needs it
        ("A2", "C1", HIGH, None, True),  # 2021 tiers by protect level: A to C is two
        ("A2", "B0", HIGH, None, False),
    ],
)
def test_which_overrides_need_a_second_sign_off(
    current: str, new: str, level: RiskOfHarmLevel, mappa: int | None, needed: bool
) -> None:
    assert override_needs_second_sign_off(current, new, level, mappa) is needed


@pytest.mark.parametrize(
    ("tier", "rank"),
    [("1", 1), ("4", 4), ("A3", 4), ("b1", 3), ("C0", 2), ("D2", 1), ("", 1)],
)
def test_tiers_rank_1_to_4_and_2021_tiers_by_their_protect_level(tier: str, rank: int) -> None:
    assert tier_rank(tier) == rank


def test_a_mappa_level_of_0_is_no_mappa_case() -> None:
    assert not override_needs_second_sign_off("4", "1", MEDIUM, 0)
    assert not override_needs_second_sign_off("4", "1", None, None)


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.user(role))
    return client


def _high_rosh_tier_4(world: World) -> Offender:
    offender = world.cases["own"]
    Offender.objects.filter(pk=offender.pk).update(risk_of_harm_level="high")
    offender.refresh_from_db()
    recalculate_cases([offender.pk], trigger="RoH high")
    offender.refresh_from_db()
    assert offender.tier == "4"
    return offender


def _override(world: World, offender: Offender, tier: str, who: str = "spo") -> TierDecision:
    current = TierDecision.objects.get(offender=offender, is_current=True)
    return services.override_tier(
        world.user(who), offender, tier=tier, reason="Stable for a year", expected_decision_id=current.pk
    )


def test_lowering_a_high_rosh_case_two_tiers_waits_for_the_acos_sign_off(world: World) -> None:
    offender = _high_rosh_tier_4(world)
    awaiting = _override(world, offender, "2")
    offender.refresh_from_db()
    assert awaiting.sign_off == OverrideSignOff.AWAITING and offender.tier == "4"
    spo_page = _client(world, "spo").get(f"/tiering/cases/{offender.crn}/").content.decode()
    assert "waiting for a senior manager" in spo_page and "Sign off or decline" not in spo_page
    with pytest.raises(CaseRuleError, match="waiting for a senior manager's sign-off"):
        _override(world, offender, "1")

    aco = _client(world, "aco")
    assert "Sign off or decline the override" in aco.get(f"/tiering/cases/{offender.crn}/").content.decode()
    done = aco.post(
        f"/tiering/cases/{offender.crn}/sign-off/",
        {"decision": awaiting.pk, "outcome": "sign_off", "note": ""},
    )
    assert done.status_code == 302
    offender.refresh_from_db()
    current = TierDecision.objects.get(offender=offender, is_current=True)
    assert offender.tier == "2" and current.pk == awaiting.pk
    assert current.sign_off == OverrideSignOff.SIGNED_OFF and current.signed_off_by == world.staff["aco"]


def test_a_declined_override_leaves_the_tier_and_needs_a_reason(world: World) -> None:
    offender = _high_rosh_tier_4(world)
    awaiting = _override(world, offender, "1")
    aco = _client(world, "aco")
    page = aco.post(
        f"/tiering/cases/{offender.crn}/sign-off/",
        {"decision": awaiting.pk, "outcome": "decline", "note": ""},
    ).content.decode()
    assert "Error: " in page and "Enter why the override is declined" in page
    aco.post(
        f"/tiering/cases/{offender.crn}/sign-off/",
        {"decision": awaiting.pk, "outcome": "decline", "note": "Police intelligence this month"},
    )
    offender.refresh_from_db()
    awaiting.refresh_from_db()
    assert offender.tier == "4" and awaiting.sign_off == OverrideSignOff.DECLINED and not awaiting.is_current


def test_no_decision_chosen_is_an_error_whose_link_lands_on_the_first_radio(world: World) -> None:
    offender = _high_rosh_tier_4(world)
    awaiting = _override(world, offender, "1")
    page = (
        _client(world, "aco")
        .post(f"/tiering/cases/{offender.crn}/sign-off/", {"decision": awaiting.pk, "note": ""})
        .content.decode()
    )
    assert '<a href="#id_outcome">Choose whether to sign off or decline the override</a>' in page
    assert 'aria-describedby="id_outcome-error"' in page and 'id="id_outcome-error"' in page
    assert 'id="id_outcome" name="outcome" type="radio" value="sign_off"' in page
    assert "<title>Error: Sign off a tier override" in page and "Error: Error:" not in page


def test_one_tier_down_is_in_force_at_once(world: World) -> None:
    offender = _high_rosh_tier_4(world)
    decision = _override(world, offender, "3")
    offender.refresh_from_db()
    assert offender.tier == "3" and decision.is_current and decision.sign_off == ""


def test_the_second_sign_off_is_never_the_overriding_managers_own(world: World) -> None:
    offender = _high_rosh_tier_4(world)
    awaiting = _override(world, offender, "2", who="aco")
    with pytest.raises(CaseRuleError, match="another senior manager's"):
        services.sign_off_override(world.user("aco"), awaiting, approve=True, note="")
    make_staff("ACO", world.area, username="aco2")
    second = world.user("aco").__class__.objects.get(username="aco2")
    services.sign_off_override(second, awaiting, approve=True, note="Agreed at the risk panel")
    offender.refresh_from_db()
    assert offender.tier == "2"


@pytest.mark.parametrize("role", ["spo", "om", "caseadmin"])
def test_only_a_senior_manager_signs_off_and_a_refusal_is_logged(world: World, role: str) -> None:
    offender = _high_rosh_tier_4(world)
    awaiting = _override(world, offender, "2")
    response = _client(world, role).post(
        f"/tiering/cases/{offender.crn}/sign-off/", {"decision": awaiting.pk, "outcome": "sign_off"}
    )
    assert response.status_code == 403
    assert AccessLogEntry.objects.filter(
        crn=offender.crn, action=AccessAction.REFUSED, what__contains="tier override sign-off"
    ).exists()
    offender.refresh_from_db()
    assert offender.tier == "4"
