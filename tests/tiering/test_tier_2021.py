"""HMPPS 2021 tiering, from spec/tiering-and-risk.md "HMPPS 2021: protect level A-D x change level 0-3"."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oms.calculation_errors import CalculatorInputError
from oms.risk.needs import CriminogenicNeed, NeedSeverity
from oms.risk.ogrs3 import Gender
from oms.tiering.rules import (
    ComplexityFactor,
    ProtectLevel,
    Tier2021Assessment,
    Tier2021Inputs,
    calculate_tier_2021,
    tier_2021,
)

ALL_FACTORS = [factor.value for factor in ComplexityFactor]


def case(**overrides: Any) -> dict[str, Any]:
    """A man with nothing to add protect points, a mandate for change and no assessment: D2."""
    base: dict[str, Any] = {
        "gender": "male",
        "rsr": None,
        "ogrs": None,
        "rosh": None,
        "mappa_level": None,
        "complexity_factors": [],
        "iom_nominal": False,
        "unsupervised": False,
        "has_mandate_for_change": True,
        "previous_enforcement_activity": False,
        "assessment": None,
    }
    base.update(overrides)
    return base


def assessment(needs: dict[str, str] | None = None, **flags: bool) -> dict[str, Any]:
    return {
        "needs": needs or {},
        "parenting_responsibilities": flags.get("parenting_responsibilities", False),
        "impulsivity_or_temper_control": flags.get("impulsivity_or_temper_control", False),
    }


def protect_points(**overrides: Any) -> int:
    return calculate_tier_2021(case(**overrides))["protect_points"]


def test_the_default_case_is_d2() -> None:
    assert calculate_tier_2021(case())["tier"] == "D2"


# --- Protect points: every row -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rsr", "points"),
    [(None, 0), (0, 0), (2.99, 0), (3.00, 10), (6.99, 10), (7.00, 20), (99.99, 20)],
)
def test_rsr_points(rsr: float | None, points: int) -> None:
    assert protect_points(rsr=rsr) == points


@pytest.mark.parametrize(("rsr", "points"), [("2.995", 0), ("6.995", 0), ("6.999", 0), ("3.001", 10)])
def test_rsr_between_the_specs_ranges_scores_as_the_ranges_are_written(rsr: str, points: int) -> None:
    assert protect_points(rsr=rsr) == points


@pytest.mark.parametrize("rsr", ["100", "99.991", "-0.01"])
def test_rsr_outside_0_to_99_99_is_refused_naming_the_field(rsr: str) -> None:
    with pytest.raises(CalculatorInputError, match="rsr"):
        calculate_tier_2021(case(rsr=rsr))


@pytest.mark.parametrize(
    ("rosh", "points"),
    [(None, 0), ("low", 0), ("medium", 10), ("high", 20), ("very high", 150), ("very_high", 150)],
)
def test_rosh_points(rosh: str | None, points: int) -> None:
    assert protect_points(rosh=rosh) == points


@pytest.mark.parametrize(("mappa_level", "points"), [(None, 0), (1, 5), (2, 150), (3, 150)])
def test_mappa_points(mappa_level: int | None, points: int) -> None:
    assert protect_points(mappa_level=mappa_level) == points


@pytest.mark.parametrize(
    ("rsr", "rosh", "total"),
    [
        # Total = RSR points + RoSH points - min(RSR points, RoSH points): only the larger counts.
        (7.5, "high", 20),  # 20 + 20 - 20
        (7.5, "medium", 20),  # 20 + 10 - 10
        (4.0, "high", 20),  # 10 + 20 - 10
        (4.0, "medium", 10),  # 10 + 10 - 10
        (7.5, "very high", 150),  # 20 + 150 - 20
        (1.0, "very high", 150),  # 0 + 150 - 0
        (7.5, "low", 20),  # 20 + 0 - 0
    ],
)
def test_rsr_and_rosh_overlap_counts_once(rsr: float, rosh: str, total: int) -> None:
    result = calculate_tier_2021(case(rsr=rsr, rosh=rosh))
    assert result["protect_points"] == total
    protect = result["breakdown"]["protect"]
    assert protect["rsr_rosh_overlap"] == -min(protect["rsr"], protect["rosh"])


@pytest.mark.parametrize("factor", ALL_FACTORS)
def test_each_complexity_factor_is_2(factor: str) -> None:
    assert protect_points(complexity_factors=[factor]) == 2


def test_complexity_factors_each_count_once() -> None:
    assert protect_points(complexity_factors=["mental_health", "mental_health", "self_harm"]) == 4
    assert protect_points(complexity_factors=ALL_FACTORS) == 20


@pytest.mark.parametrize(
    ("gender", "with_assessment", "parenting", "impulsivity", "enforcement", "points"),
    [
        ("female", True, True, False, False, 2),
        ("female", True, False, True, False, 2),
        ("female", True, True, True, True, 6),
        ("female", False, True, True, True, 2),  # parenting and impulsivity need an assessment
        ("female", False, False, False, True, 2),  # previous enforcement activity does not
        ("male", True, True, True, True, 0),  # women only
    ],
)
def test_items_for_women_only(
    gender: str, with_assessment: bool, parenting: bool, impulsivity: bool, enforcement: bool, points: int
) -> None:
    raw_assessment = (
        assessment(parenting_responsibilities=parenting, impulsivity_or_temper_control=impulsivity)
        if with_assessment
        else None
    )
    result = calculate_tier_2021(
        case(gender=gender, assessment=raw_assessment, previous_enforcement_activity=enforcement)
    )
    assert result["protect_points"] == points


@pytest.mark.parametrize(
    ("overrides", "points", "level"),
    [
        ({}, 0, "D"),
        ({"complexity_factors": ALL_FACTORS[:4]}, 8, "D"),
        ({"complexity_factors": ALL_FACTORS[:4], "mappa_level": 1}, 13, "C"),  # 8 + 5
        ({"rosh": "medium"}, 10, "C"),
        ({"rosh": "medium", "complexity_factors": ALL_FACTORS[:4], "mappa_level": 1}, 23, "B"),
        ({"rosh": "medium", "complexity_factors": ALL_FACTORS[:4]}, 18, "C"),
        ({"rosh": "medium", "complexity_factors": ALL_FACTORS[:5]}, 20, "B"),
        ({"rosh": "high", "complexity_factors": ALL_FACTORS[:4]}, 28, "B"),
        ({"rosh": "high", "mappa_level": 1, "complexity_factors": ALL_FACTORS}, 45, "B"),
        ({"rosh": "very high"}, 150, "A"),
        ({"mappa_level": 2}, 150, "A"),
    ],
)
def test_protect_level_boundaries_150_20_10(overrides: dict[str, Any], points: int, level: str) -> None:
    result = calculate_tier_2021(case(**overrides))
    assert (result["protect_points"], result["protect_level"]) == (points, level)


def test_protect_level_b_ends_at_149() -> None:
    # 20 (high RoSH) + 5 (MAPPA 1) + 20 (ten factors) = 45 is B; only 150 reaches A.
    from oms.tiering.rules import protect_level_for_points

    assert protect_level_for_points(149) is ProtectLevel.B
    assert protect_level_for_points(150) is ProtectLevel.A
    assert protect_level_for_points(19) is ProtectLevel.C
    assert protect_level_for_points(9) is ProtectLevel.D


# --- Change level ---------------------------------------------------------------------------------------


def test_no_mandate_for_change_comes_first() -> None:
    # Even with severe needs and an assessment, no mandate means level 0.
    result = calculate_tier_2021(
        case(
            has_mandate_for_change=False,
            ogrs=90,
            iom_nominal=True,
            assessment=assessment({need.value: "severe" for need in CriminogenicNeed}),
        )
    )
    assert (result["change_level"], result["change_points"]) == (0, 0)
    assert result["tier"] == "D0"
    assert result["breakdown"]["change"]["reason"].startswith("No mandate for change")


def test_no_mandate_and_no_assessment_is_still_level_0() -> None:
    assert calculate_tier_2021(case(has_mandate_for_change=False))["change_level"] == 0


def test_no_assessment_is_level_2() -> None:
    result = calculate_tier_2021(case(ogrs=99, iom_nominal=True))
    assert (result["change_level"], result["change_points"]) == (2, 0)


@pytest.mark.parametrize(
    ("needs", "ogrs", "iom", "points", "level"),
    [
        ({}, None, False, 0, 1),
        ({}, 9, False, 0, 1),  # ogrs // 10
        ({}, 19, False, 1, 1),
        ({"thinking_behaviour": "severe", "attitudes": "standard", "accommodation": "standard"}, 29, False, 9, 1),
        ({"thinking_behaviour": "severe", "attitudes": "severe"}, 59, False, 13, 2),  # 4 + 4 + 5
        ({"thinking_behaviour": "severe", "attitudes": "severe"}, 20, False, 10, 2),  # 4 + 4 + 2
        ({"thinking_behaviour": "severe", "attitudes": "severe", "accommodation": "standard"}, 0, True, 11, 2),
        (
            {"thinking_behaviour": "severe", "attitudes": "severe", "drug_misuse": "severe", "alcohol_misuse": "severe"},
            70, False, 19, 2,
        ),  # 4 + 4 + 2 + 2 + 7
        (
            {"thinking_behaviour": "severe", "attitudes": "severe", "drug_misuse": "severe", "alcohol_misuse": "severe"},
            70, True, 21, 3,
        ),
        (
            {"thinking_behaviour": "severe", "attitudes": "severe", "drug_misuse": "severe", "alcohol_misuse": "severe"},
            80, False, 20, 3,
        ),
        ({"financial_management": "severe", "emotional_wellbeing": "severe"}, None, False, 0, 1),
    ],
)  # fmt: skip
def test_change_points_and_boundaries_20_10(
    needs: dict[str, str], ogrs: int | None, iom: bool, points: int, level: int
) -> None:
    result = calculate_tier_2021(case(ogrs=ogrs, iom_nominal=iom, assessment=assessment(needs)))
    assert (result["change_points"], result["change_level"]) == (points, level)


def test_change_breakdown_shows_each_need_ogrs_and_iom() -> None:
    result = calculate_tier_2021(
        case(
            ogrs=45,
            iom_nominal=True,
            assessment=assessment({"thinking_behaviour": "standard", "drug_misuse": "severe"}),
        )
    )
    change = result["breakdown"]["change"]
    assert change["needs"]["thinking_behaviour"] == 2  # weight 2 x standard 1
    assert change["needs"]["drug_misuse"] == 2  # weight 1 x severe 2
    assert change["ogrs"] == 4
    assert change["iom_nominal"] == 2
    assert result["change_points"] == 10


# --- Tier and suffix ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("unsupervised", "tier"), [(False, "A2"), (True, "A2S")])
def test_suffix_s_when_unsupervised(unsupervised: bool, tier: str) -> None:
    assert calculate_tier_2021(case(mappa_level=3, unsupervised=unsupervised))["tier"] == tier


def test_output_keys() -> None:
    result = calculate_tier_2021(case())
    assert set(result) >= {
        "tier",
        "protect_level",
        "protect_points",
        "change_level",
        "change_points",
        "breakdown",
    }


def test_typed_function() -> None:
    result = tier_2021(
        Tier2021Inputs(
            gender=Gender.FEMALE,
            has_mandate_for_change=True,
            rosh=None,
            previous_enforcement_activity=True,
            assessment=Tier2021Assessment(
                needs={CriminogenicNeed.ATTITUDES: NeedSeverity.SEVERE}, parenting_responsibilities=True
            ),
        )
    )
    assert result.tier == "D1"
    assert result.protect_points == 4


# --- Errors --------------------------------------------------------------------------------------------


def test_missing_mandatory_fields_named_at_once() -> None:
    with pytest.raises(CalculatorInputError) as caught:
        calculate_tier_2021({"rsr": 5})
    assert caught.value.code == "MISSING_MANDATORY_INPUT"
    assert caught.value.fields == ["gender", "has_mandate_for_change"]


def test_every_bad_field_named_at_once() -> None:
    with pytest.raises(CalculatorInputError) as caught:
        calculate_tier_2021(
            case(
                gender="x",
                rsr=150,
                rosh="extreme",
                mappa_level=4,
                complexity_factors=["mental_health", "nonsense"],
                unsupervised="yes",
                assessment={"needs": {"accommodation": "awful", "hobbies": "severe"}},
            )
        )
    assert caught.value.code == "INVALID_INPUT"
    assert caught.value.fields == [
        "gender",
        "rsr",
        "rosh",
        "mappa_level",
        "complexity_factors[1]",
        "assessment.needs.accommodation",
        "assessment.needs.hobbies",
        "unsupervised",
    ]


# --- Properties ------------------------------------------------------------------------------------

PROTECT_ORDER = {"D": 0, "C": 1, "B": 2, "A": 3}

cases_2021 = st.fixed_dictionaries(
    {
        "gender": st.sampled_from(["male", "female"]),
        "rsr": st.one_of(st.none(), st.decimals(min_value=0, max_value="99.99", places=2)).map(
            lambda d: None if d is None else float(d)
        ),
        "ogrs": st.one_of(st.none(), st.integers(min_value=0, max_value=99)),
        "rosh": st.sampled_from([None, "low", "medium", "high", "very high"]),
        "mappa_level": st.sampled_from([None, 1, 2, 3]),
        "complexity_factors": st.lists(st.sampled_from(ALL_FACTORS), unique=True),
        "iom_nominal": st.booleans(),
        "unsupervised": st.booleans(),
        "has_mandate_for_change": st.booleans(),
        "previous_enforcement_activity": st.booleans(),
        "assessment": st.one_of(
            st.none(),
            st.builds(
                lambda needs, p, i: assessment(
                    needs, parenting_responsibilities=p, impulsivity_or_temper_control=i
                ),
                st.dictionaries(
                    st.sampled_from([n.value for n in CriminogenicNeed]),
                    st.sampled_from(["no_need", "standard", "severe"]),
                ),
                st.booleans(),
                st.booleans(),
            ),
        ),
    }
)


@settings(max_examples=200, deadline=None)
@given(cases_2021, st.sampled_from(ALL_FACTORS))
def test_adding_a_complexity_factor_never_lowers_protect_level(raw: dict[str, Any], factor: str) -> None:
    before = calculate_tier_2021(raw)
    after = calculate_tier_2021({**raw, "complexity_factors": [*raw["complexity_factors"], factor]})
    assert after["protect_points"] >= before["protect_points"]
    assert PROTECT_ORDER[after["protect_level"]] >= PROTECT_ORDER[before["protect_level"]]


@settings(max_examples=200, deadline=None)
@given(cases_2021)
def test_tier_is_always_well_formed(raw: dict[str, Any]) -> None:
    result = calculate_tier_2021(raw)
    assert result["tier"] == (
        f"{result['protect_level']}{result['change_level']}{'S' if raw['unsupervised'] else ''}"
    )
    assert result["protect_points"] == sum(result["breakdown"]["protect"].values())
    if not raw["has_mandate_for_change"]:
        assert result["change_level"] == 0


# --- boundaries: every protect item in the breakdown, the change reasons, each unreadable input ------


def test_a_womans_breakdown_shows_every_protect_item() -> None:
    result = calculate_tier_2021(
        case(
            gender="female",
            mappa_level=1,
            complexity_factors=["mental_health", "self_harm"],
            previous_enforcement_activity=True,
            assessment=assessment(parenting_responsibilities=True, impulsivity_or_temper_control=True),
        )
    )
    assert result["breakdown"]["protect"] == {
        "rsr": 0,
        "rosh": 0,
        "rsr_rosh_overlap": 0,
        "mappa": 5,
        "complexity_factors": 4,
        "parenting_responsibilities": 2,
        "impulsivity_or_temper_control": 2,
        "previous_enforcement_activity": 2,
    }
    assert result["protect_points"] == 15


def test_no_mappa_level_adds_no_protect_points() -> None:
    assert calculate_tier_2021(case())["breakdown"]["protect"]["mappa"] == 0


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({}, "No assessment: change level 2 until there is one."),
        ({"has_mandate_for_change": False},
         "No mandate for change: no current event is custodial or has a rehabilitative requirement."),
        ({"assessment": assessment({"thinking_behaviour": "severe"}), "ogrs": 35},
         "7 change points from needs, OGRS and IOM."),
    ],
)  # fmt: skip
def test_the_change_level_gives_its_reason(overrides: dict[str, Any], reason: str) -> None:
    assert calculate_tier_2021(case(**overrides))["breakdown"]["change"]["reason"] == reason


def test_no_ogrs_score_adds_no_change_points() -> None:
    result = calculate_tier_2021(case(ogrs=None, assessment=assessment()))
    assert result["breakdown"]["change"]["ogrs"] == 0
    assert result["change_points"] == 0


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"has_mandate_for_change": "yes"}, ["has_mandate_for_change"]),
        ({"ogrs": True}, ["ogrs"]),
        ({"rsr": [5]}, ["rsr"]),
        ({"ogrs": "lots"}, ["ogrs"]),
        ({"mappa_level": True}, ["mappa_level"]),
        ({"mappa_level": "2"}, ["mappa_level"]),
        ({"complexity_factors": "mental_health"}, ["complexity_factors"]),
        ({"assessment": ["needs"]}, ["assessment"]),
        ({"assessment": {"needs": ["attitudes"]}}, ["assessment.needs"]),
        ({"assessment": {"parenting_responsibilities": "yes", "impulsivity_or_temper_control": 1}},
         ["assessment.parenting_responsibilities", "assessment.impulsivity_or_temper_control"]),
        ({"iom_nominal": "no", "previous_enforcement_activity": 0}, ["iom_nominal", "previous_enforcement_activity"]),
    ],
)  # fmt: skip
def test_each_unreadable_input_is_named(overrides: dict[str, Any], fields: list[str]) -> None:
    with pytest.raises(CalculatorInputError) as caught:
        calculate_tier_2021(case(**overrides))
    assert (caught.value.code, caught.value.fields) == ("INVALID_INPUT", fields)
    assert caught.value.message == "Cannot read: " + ", ".join(fields) + "."


def test_a_need_given_as_null_is_no_need() -> None:
    result = calculate_tier_2021(case(assessment=assessment({"attitudes": None})))  # type: ignore[dict-item]
    assert result["change_points"] == 0


def test_missing_fields_and_a_non_object_are_refused_in_words() -> None:
    with pytest.raises(CalculatorInputError) as caught:
        calculate_tier_2021({})
    assert caught.value.message == "Missing mandatory input: gender, has_mandate_for_change."
    with pytest.raises(CalculatorInputError) as caught:
        calculate_tier_2021([])  # type: ignore[arg-type]
    assert (caught.value.code, caught.value.message, caught.value.fields) == (
        "INVALID_INPUT",
        "The input must be a JSON object.",
        [],
    )


def test_a_mappa_level_of_0_on_a_case_record_adds_no_protect_points() -> None:
    # The case record allows 0 for "not MAPPA" (as the override sign-off reads it); the payload reader
    # refuses it, but the recalculation passes the record's level straight to the typed function.
    def points(mappa_level: int | None) -> int:
        inputs = Tier2021Inputs(
            gender=Gender.MALE, has_mandate_for_change=True, rosh=None, mappa_level=mappa_level
        )
        return tier_2021(inputs).protect_points

    assert points(0) == points(None) == 0
    assert points(1) == 5
