"""Criminogenic needs, from spec/tiering-and-risk.md "Criminogenic needs (OASys sections 3-12)"."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oms.calculation_errors import CalculatorInputError
from oms.risk.needs import NEED_SCORING, CriminogenicNeed, NeedSeverity, severity, weighted_points

NO_NEED, STANDARD, SEVERE = NeedSeverity.NO_NEED, NeedSeverity.STANDARD, NeedSeverity.SEVERE

# need | weight (tier 2021) | standard >= | severe >=   -- the spec's table
NEEDS_TABLE = [
    ("accommodation", 1, 2, 7),
    ("education_training_employability", 1, 3, 7),
    ("relationships", 1, 2, 5),
    ("lifestyle_associates", 1, 2, 5),
    ("drug_misuse", 1, 2, 8),
    ("alcohol_misuse", 1, 4, 7),
    ("thinking_behaviour", 2, 4, 7),
    ("attitudes", 2, 2, 7),
]


def test_the_ten_sections_and_their_keys() -> None:
    assert [need.value for need in CriminogenicNeed] == [
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
    ]
    assert CriminogenicNeed.ACCOMMODATION.oasys_section == 3
    assert CriminogenicNeed.ATTITUDES.oasys_section == 12


@pytest.mark.parametrize(("key", "weight", "standard_from", "severe_from"), NEEDS_TABLE)
def test_severity_thresholds(key: str, weight: int, standard_from: int, severe_from: int) -> None:
    need = CriminogenicNeed(key)
    assert NEED_SCORING[need].tier_2021_weight == weight
    assert severity(need, 0) is NO_NEED
    assert severity(need, standard_from - 1) is NO_NEED
    assert severity(need, standard_from) is STANDARD
    assert severity(need, severe_from - 1) is STANDARD
    assert severity(need, severe_from) is SEVERE
    assert severity(need, severe_from + 10) is SEVERE
    assert weighted_points(need, SEVERE) == 2 * weight
    assert weighted_points(need, STANDARD) == weight


@pytest.mark.parametrize("key", ["financial_management", "emotional_wellbeing"])
@pytest.mark.parametrize("score", [0, 2, 7, 20])
def test_financial_and_emotional_never_count_for_tiering(key: str, score: int) -> None:
    need = CriminogenicNeed(key)
    assert severity(need, score) is NO_NEED
    assert NEED_SCORING[need].tier_2021_weight == 0
    assert weighted_points(need, SEVERE) == 0


@pytest.mark.parametrize("score", [-1, 2.5, True, "3"])
def test_a_score_must_be_a_whole_number(score: object) -> None:
    with pytest.raises(CalculatorInputError) as caught:
        severity(CriminogenicNeed.DRUG_MISUSE, score)  # type: ignore[arg-type]
    assert caught.value.fields == ["drug_misuse"]


@settings(max_examples=100)
@given(st.sampled_from(list(CriminogenicNeed)), st.integers(min_value=0, max_value=30))
def test_a_higher_score_never_lowers_severity(need: CriminogenicNeed, score: int) -> None:
    assert severity(need, score + 1).points >= severity(need, score).points
