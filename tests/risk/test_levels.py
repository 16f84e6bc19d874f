"""Risk of serious harm levels and screening, from spec/tiering-and-risk.md "Risk of serious harm"."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oms.calculation_errors import CalculatorInputError
from oms.risk.levels import (
    ALL_CELLS,
    REQUIRED_CELLS,
    RiskCell,
    RiskGroup,
    RiskOfHarmLevel,
    RiskOfHarmScreening,
    RiskSetting,
    calculate_overall_risk_of_harm,
    overall_level,
    overall_level_for_assessment,
    screening_indicates_full_analysis,
)

LOW, MEDIUM, HIGH, VERY_HIGH = (
    RiskOfHarmLevel.LOW,
    RiskOfHarmLevel.MEDIUM,
    RiskOfHarmLevel.HIGH,
    RiskOfHarmLevel.VERY_HIGH,
)


@pytest.mark.parametrize(
    ("level", "code", "label"),
    [
        (LOW, "low", "Low"),
        (MEDIUM, "medium", "Medium"),
        (HIGH, "high", "High"),
        (VERY_HIGH, "very_high", "Very high"),
    ],
)
def test_levels_have_stable_codes_and_labels(level: RiskOfHarmLevel, code: str, label: str) -> None:
    assert level.value == code
    assert level.label == label
    assert level.meaning


@pytest.mark.parametrize("text", ["very high", "very_high", "VERY_HIGH", "Very High"])
def test_very_high_is_read_however_staff_write_it(text: str) -> None:
    assert RiskOfHarmLevel.from_text(text) is VERY_HIGH


def test_five_groups_in_two_settings() -> None:
    assert [g.value for g in RiskGroup] == ["public", "known_adult", "children", "staff", "prisoners"]
    assert [s.value for s in RiskSetting] == ["community", "custody"]
    assert len(ALL_CELLS) == 10


@pytest.mark.parametrize(
    ("levels", "overall"),
    [
        ([LOW], LOW),
        ([LOW, MEDIUM, LOW], MEDIUM),
        ([HIGH, LOW, MEDIUM], HIGH),
        ([LOW, VERY_HIGH, HIGH], VERY_HIGH),
    ],
)
def test_overall_level_is_the_highest(levels: list[RiskOfHarmLevel], overall: RiskOfHarmLevel) -> None:
    assert overall_level(levels) is overall


def test_overall_level_of_nothing_is_refused() -> None:
    with pytest.raises(CalculatorInputError):
        overall_level([])


def test_overall_level_refused_while_a_group_is_unconsidered_naming_every_one() -> None:
    levels: dict[RiskCell, RiskOfHarmLevel | None] = {cell: LOW for cell in ALL_CELLS}
    levels[RiskCell(RiskGroup.CHILDREN, RiskSetting.COMMUNITY)] = None
    del levels[RiskCell(RiskGroup.STAFF, RiskSetting.CUSTODY)]
    with pytest.raises(CalculatorInputError) as caught:
        overall_level_for_assessment(levels)
    assert caught.value.code == "RISK_GROUP_NOT_CONSIDERED"
    assert caught.value.fields == ["children_community", "staff_custody"]
    assert "Children in community" in caught.value.message


def test_prisoners_need_not_be_rated_in_the_community() -> None:
    levels = {cell: LOW for cell in REQUIRED_CELLS}
    levels[RiskCell(RiskGroup.KNOWN_ADULT, RiskSetting.COMMUNITY)] = HIGH
    assert overall_level_for_assessment(levels) is HIGH


def test_json_face_of_the_overall_level() -> None:
    payload = {group.value: {"community": "low", "custody": "low"} for group in RiskGroup}
    payload["public"]["custody"] = "very high"
    assert calculate_overall_risk_of_harm(payload) == {"overall": "very_high", "label": "Very high"}
    del payload["staff"]
    with pytest.raises(CalculatorInputError) as caught:
        calculate_overall_risk_of_harm(payload)
    assert caught.value.fields == ["staff_community", "staff_custody"]


@settings(max_examples=100)
@given(st.lists(st.sampled_from(list(RiskOfHarmLevel)), min_size=1))
def test_overall_is_never_below_any_level(levels: list[RiskOfHarmLevel]) -> None:
    overall = overall_level(levels)
    assert all(overall.at_least(level) for level in levels)
    assert overall in levels


# --- Screening ----------------------------------------------------------------------------------------


def screening(**facts: object) -> RiskOfHarmScreening:
    base: dict[str, object] = {
        "indicator_levels": {},
        "current_offence_violence": False,
        "current_offence_sexual": False,
        "previous_serious_harm": False,
        "mappa_eligible": False,
        "child_protection_concerns": False,
        "concerns_from_other_agencies": False,
    }
    base.update(facts)
    return RiskOfHarmScreening(**base)  # type: ignore[arg-type]


def test_nothing_of_concern_needs_no_full_analysis() -> None:
    outcome = screening_indicates_full_analysis(screening(indicator_levels={"weapons": LOW}))
    assert not outcome.full_analysis_needed
    assert outcome.reasons == ()


@pytest.mark.parametrize(("level", "needed"), [(LOW, False), (MEDIUM, True), (HIGH, True), (VERY_HIGH, True)])
def test_any_indicator_of_medium_or_above(level: RiskOfHarmLevel, needed: bool) -> None:
    outcome = screening_indicates_full_analysis(
        screening(indicator_levels={"weapons": LOW, "threats": level})
    )
    assert outcome.full_analysis_needed is needed
    if needed:
        assert outcome.reasons == (f"Indicator 'threats' is {level.label.lower()}",)


@pytest.mark.parametrize(
    ("fact", "reason"),
    [
        ("current_offence_violence", "The current offence involves violence"),
        ("current_offence_sexual", "The current offence is a sexual offence"),
        ("previous_serious_harm", "There is a history of serious harm"),
        ("mappa_eligible", "The offender is eligible for MAPPA"),
        ("child_protection_concerns", "There are child protection concerns"),
        ("concerns_from_other_agencies", "Other agencies have raised concerns"),
    ],
)
def test_each_fact_alone_calls_for_a_full_analysis(fact: str, reason: str) -> None:
    outcome = screening_indicates_full_analysis(screening(**{fact: True}))
    assert outcome.full_analysis_needed
    assert outcome.reasons == (reason,)


def test_every_reason_is_given() -> None:
    outcome = screening_indicates_full_analysis(
        screening(indicator_levels={"threats": HIGH}, mappa_eligible=True, previous_serious_harm=True)
    )
    assert len(outcome.reasons) == 3
