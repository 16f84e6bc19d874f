"""NOMS 2005 tiers 1-4, from spec/tiering-and-risk.md "NOMS 2005" (the spec's default rules)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oms.calculation_errors import CalculatorInputError
from oms.risk.levels import RiskOfHarmLevel
from oms.risk.needs import CriminogenicNeed, NeedSeverity
from oms.tiering.rules import (
    NeedAssessed,
    Tier2005Inputs,
    Tier2005Rules,
    calculate_tier_2005,
    tier_2005,
)
from oms.tiering.workload import StaffGrade


def tier_of(**payload: Any) -> dict[str, Any]:
    return calculate_tier_2005(payload)


@pytest.mark.parametrize(
    ("payload", "tier", "reason"),
    [
        ({"rosh": "very high"}, 4, "Tier 4 because risk of harm is very high"),
        ({"rosh": "high"}, 4, "Tier 4 because risk of harm is high"),
        ({"mappa_level": 2}, 4, "Tier 4 because MAPPA level is 2"),
        ({"mappa_level": 3, "rosh": "low"}, 4, "Tier 4 because MAPPA level is 3"),
        ({"rosh": "medium"}, 3, "Tier 3 because risk of harm is medium"),
        ({"mappa_level": 1, "rosh": "medium"}, 3, "Tier 3 because risk of harm is medium"),
        ({"ogrs3_two_year": 75}, 3, "Tier 3 because OGRS3 2-year score is 75% (high)"),
        ({"ogrs3_two_year": 90}, 3, "Tier 3 because OGRS3 2-year score is 90% (very high)"),
        ({"ppo": True}, 3, "Tier 3 because the offender is a prolific and other priority offender"),
        ({"ogrs3_two_year": 74}, 2, "Tier 2 because OGRS3 2-year score is 74% (medium)"),
        ({"ogrs3_two_year": 50}, 2, "Tier 2 because OGRS3 2-year score is 50% (medium)"),
        (
            {"needs": {"drug_misuse": {"severity": "standard", "linked_to_offending": True}}},
            2,
            "Tier 2 because drug misuse is a standard need and linked to offending",
        ),
        ({"ogrs3_two_year": 49}, 1, "Tier 1 because no rule for a higher tier applies"),
        (
            {"needs": {"drug_misuse": {"severity": "severe", "linked_to_offending": False}}},
            1,
            "Tier 1 because no rule for a higher tier applies",
        ),
        (
            {"rosh": "low", "mappa_level": 1, "ppo": False},
            1,
            "Tier 1 because no rule for a higher tier applies",
        ),
        ({}, 1, "Tier 1 because no rule for a higher tier applies"),
    ],
)
def test_default_rules(payload: dict[str, Any], tier: int, reason: str) -> None:
    result = calculate_tier_2005(payload)
    assert result["tier"] == tier
    assert reason in result["reasons"]


def test_every_reason_for_the_tier_is_given() -> None:
    result = tier_of(rosh="high", mappa_level=2, ppo=True)
    assert result["reasons"] == ["Tier 4 because risk of harm is high", "Tier 4 because MAPPA level is 2"]


@pytest.mark.parametrize(
    ("payload", "grade", "oversight"),
    [
        ({}, "PSO", False),  # tier 1
        ({"ogrs3_two_year": 60}, "PSO", False),  # tier 2
        ({"ppo": True, "rosh": "low"}, "PSO", True),  # tier 3, low RoH: PSO under a manager's oversight
        ({"rosh": "medium"}, "PSO", True),  # tier 3, medium RoH
        ({"rosh": "high"}, "PO", False),
        ({"mappa_level": 2, "rosh": "low"}, "PO", False),  # tier 4
    ],
)
def test_recommended_grade(payload: dict[str, Any], grade: str, oversight: bool) -> None:
    result = calculate_tier_2005(payload)
    assert (result["recommended_grade"], result["manager_oversight_needed"]) == (grade, oversight)


def test_thresholds_are_configurable() -> None:
    strict = Tier2005Rules(tier_3_if_ppo=False, tier_2_need_must_be_linked_to_offending=False)
    inputs = Tier2005Inputs(
        ppo=True,
        needs={CriminogenicNeed.ALCOHOL_MISUSE: NeedAssessed(NeedSeverity.SEVERE, linked_to_offending=False)},
    )
    assert tier_2005(inputs).tier == 3
    result = tier_2005(inputs, strict)
    assert result.tier == 2
    assert result.reasons == ("Tier 2 because alcohol misuse is a severe need",)
    assert result.recommended_grade is StaffGrade.PROBATION_SERVICES_OFFICER


def test_every_bad_field_is_named() -> None:
    with pytest.raises(CalculatorInputError) as caught:
        calculate_tier_2005(
            {
                "rosh": "extreme",
                "mappa_level": 0,
                "ogrs3_two_year": 101,
                "ppo": "yes",
                "needs": {"gambling": {"severity": "severe"}, "drug_misuse": {"severity": "bad"}},
            }
        )
    assert caught.value.code == "INVALID_INPUT"
    assert caught.value.fields == [
        "rosh",
        "mappa_level",
        "ogrs3_two_year",
        "ppo",
        "needs.gambling",
        "needs.drug_misuse.severity",
    ]


inputs_2005 = st.builds(
    Tier2005Inputs,
    rosh=st.sampled_from([None, *RiskOfHarmLevel]),
    mappa_level=st.sampled_from([None, 1, 2, 3]),
    ogrs3_two_year=st.one_of(st.none(), st.integers(min_value=1, max_value=99)),
    ppo=st.booleans(),
    needs=st.dictionaries(
        st.sampled_from(list(CriminogenicNeed)),
        st.builds(NeedAssessed, st.sampled_from(list(NeedSeverity)), st.booleans()),
    ),
)


@settings(max_examples=200)
@given(inputs_2005, st.sampled_from(list(RiskOfHarmLevel)), st.sampled_from(list(RiskOfHarmLevel)))
def test_tier_is_monotonic_in_risk_of_harm(
    inputs: Tier2005Inputs, one: RiskOfHarmLevel, other: RiskOfHarmLevel
) -> None:
    lower, higher = sorted((one, other), key=lambda level: level.rank)
    assert tier_2005(replace(inputs, rosh=higher)).tier >= tier_2005(replace(inputs, rosh=lower)).tier
    assert tier_2005(replace(inputs, rosh=lower)).tier >= tier_2005(replace(inputs, rosh=None)).tier


@settings(max_examples=100)
@given(inputs_2005)
def test_high_risk_of_harm_is_always_held_by_a_po(inputs: Tier2005Inputs) -> None:
    result = tier_2005(inputs)
    if inputs.rosh in (RiskOfHarmLevel.HIGH, RiskOfHarmLevel.VERY_HIGH) or result.tier == 4:
        assert result.recommended_grade is StaffGrade.PROBATION_OFFICER


# --- boundaries: the whole answer, and each unreadable input named by its own field ----------------


def test_the_calculator_gives_the_band_the_grade_and_the_oversight_with_the_tier() -> None:
    assert tier_of(ogrs3_two_year=75, rosh="medium") == {
        "tier": 3,
        "reasons": [
            "Tier 3 because risk of harm is medium",
            "Tier 3 because OGRS3 2-year score is 75% (high)",
        ],
        "ogrs3_band": "high",
        "recommended_grade": "PSO",
        "manager_oversight_needed": True,
    }
    assert tier_of()["ogrs3_band"] is None


def test_a_high_risk_case_on_a_low_ogrs3_score_is_still_held_by_a_po() -> None:
    assert tier_of(rosh="high", ogrs3_two_year=10)["recommended_grade"] == "PO"


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"ogrs3_two_year": 74.5}, ["ogrs3_two_year"]),  # a percentage, but not a whole one
        ({"needs": ["drug_misuse"]}, ["needs"]),
        ({"needs": {"drug_misuse": "severe"}}, ["needs.drug_misuse"]),
        (
            {"needs": {"gambling": {}, "drug_misuse": {"severity": "severe", "linked_to_offending": "yes"}}},
            ["needs.gambling", "needs.drug_misuse.linked_to_offending"],
        ),
        (  # each bad severity is named, not only the first
            {"needs": {"alcohol_misuse": {"severity": "bad"}, "drug_misuse": {"severity": "worse"}}},
            ["needs.alcohol_misuse.severity", "needs.drug_misuse.severity"],
        ),
    ],
)
def test_each_unreadable_input_is_named(payload: dict[str, Any], fields: list[str]) -> None:
    with pytest.raises(CalculatorInputError) as caught:
        calculate_tier_2005(payload)
    assert caught.value.fields == fields


def test_a_need_with_no_severity_is_no_need_and_later_needs_are_still_read() -> None:
    result = tier_of(
        needs={
            "accommodation": {"linked_to_offending": True},
            "drug_misuse": {"severity": "standard", "linked_to_offending": True},
        }
    )
    assert result["reasons"] == ["Tier 2 because drug misuse is a standard need and linked to offending"]


def test_empty_needs_are_no_needs() -> None:
    assert tier_of(needs=None)["tier"] == 1
    assert tier_of(needs={})["tier"] == 1


def test_a_high_risk_case_is_held_by_a_po_even_where_local_rules_put_it_at_tier_3() -> None:
    only_very_high_is_tier_4 = Tier2005Rules(
        tier_4_risk_of_harm_levels=frozenset({RiskOfHarmLevel.VERY_HIGH}),
        tier_3_risk_of_harm_levels=frozenset({RiskOfHarmLevel.MEDIUM, RiskOfHarmLevel.HIGH}),
    )
    result = tier_2005(Tier2005Inputs(rosh=RiskOfHarmLevel.HIGH), only_very_high_is_tier_4)
    assert (result.tier, result.recommended_grade) == (3, StaffGrade.PROBATION_OFFICER)
