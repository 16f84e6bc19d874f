"""OGRS3, tested against spec/tiering-and-risk.md section "OGRS3" row by row."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oms.calculation_errors import CalculatorInputError
from oms.risk.ogrs3 import (
    OFFENCE_CODES_FILE,
    Gender,
    OffenceCategory,
    Ogrs3Band,
    Ogrs3Inputs,
    age_in_whole_years,
    calculate_ogrs3,
    inputs_from_payload,
    offence_code_table,
    ogrs3,
    probability_to_percent,
)

# The spec's table, copied into the repository so the conformance test always runs; the shared spec
# beside the checkout, where present, must still be the same table.
SPEC_CSV = Path(__file__).resolve().parents[1] / "data" / "spec" / "ogrs3-offence-codes.csv"
SHARED_SPEC_CSV = Path(__file__).resolve().parents[3] / "shared" / "spec" / "data" / "ogrs3-offence-codes.csv"

# One offence code per OGRS3 category, taken from data/ogrs3-offence-codes.csv.
BURGLARY_DOMESTIC = "02800"
THEFT_NON_MOTOR = "03800"
VIOLENCE = "00100"


def payload(**overrides: Any) -> dict[str, Any]:
    """A valid input (male, 26 at conviction and follow-up, 5 sanctions, first at 16, burglary)."""
    base: dict[str, Any] = {
        "gender": "male",
        "date_of_birth": "1980-05-10",
        "date_of_current_conviction": "2007-03-01",
        "date_of_start_of_follow_up": "2007-03-01",
        "total_sanctions": 5,
        "age_at_first_sanction": 16,
        "offence_code": BURGLARY_DOMESTIC,
    }
    base.update(overrides)
    return base


def error_of(data: dict[str, Any]) -> CalculatorInputError:
    with pytest.raises(CalculatorInputError) as caught:
        calculate_ogrs3(data)
    return caught.value


# --- Two examples worked by hand -------------------------------------------------------------------


def test_hand_worked_example_male_repeat_burglar() -> None:
    # Male, born 10 May 1980; convicted and starting follow-up 1 March 2007: 26 completed years.
    # age_gender (male 25-29)               = -1.1667
    # conviction_status (5 sanctions > 1)   =  0.46306
    # copas = 1.25112 x ln(5 / (10 + 26 - 16)) = 1.25112 x ln(0.25) = 1.25112 x -1.386294 = -1.734421
    # offence (02800 burglary domestic)     = -0.1239
    # x = -1.1667 + 0.46306 - 1.734421 - 0.1239 = -2.561961
    # one year: z = 1.40256 - 2.561961 = -1.159401; e^z = 0.313674; p = 0.313674 / 1.313674 = 0.238776
    #           -> 0.23878 (5 dp) -> 23.878 -> 24%
    # two year: z = 2.1217 - 2.561961 = -0.440261; e^z = 0.643869; p = 0.643869 / 1.643869 = 0.391679
    #           -> 0.39168 -> 39.168 -> 39% -> band low (0-49)
    result = calculate_ogrs3(payload())
    assert result["one_year"] == 24
    assert result["two_year"] == 39
    assert result["band"] == "low"
    assert result["components"]["age_gender"] == -1.1667
    assert result["components"]["conviction_status"] == 0.46306
    assert result["components"]["copas"] == pytest.approx(-1.734421, abs=1e-6)
    assert result["components"]["offence"] == -0.1239


def test_hand_worked_example_female_first_sanction_released_at_18() -> None:
    # Female, born 15 July 1990; convicted 14 July 2007, the day before her 17th birthday: age 16.
    # Follow-up starts on release, 15 July 2008, her 18th birthday: age 18.
    # age_gender (female 18-20, from the follow-up age) = -0.8975
    # conviction_status (first sanction)               =  0.12614
    # copas = 1.25112 x ln(1 / (10 + 16 - 16)) = 1.25112 x ln(0.1) = 1.25112 x -2.302585 = -2.880810
    # offence (03800 theft non-motor)                  =  0.6612
    # x = -0.8975 + 0.12614 - 2.880810 + 0.6612 = -2.990970
    # one year: z = 1.40256 - 2.990970 = -1.588410; e^z = 0.204250; p = 0.204250 / 1.204250 = 0.169608
    #           -> 0.16961 -> 16.961 -> 17%
    # two year: z = 2.1217 - 2.990970 = -0.869270; e^z = 0.419257; p = 0.419257 / 1.419257 = 0.295406
    #           -> 0.29541 -> 29.541 -> 30% -> band low
    result = calculate_ogrs3(
        payload(
            gender="female",
            date_of_birth="1990-07-15",
            date_of_current_conviction="2007-07-14",
            date_of_start_of_follow_up="2008-07-15",
            total_sanctions=1,
            age_at_first_sanction=16,
            offence_code=THEFT_NON_MOTOR,
        )
    )
    assert result == {
        "one_year": 17,
        "two_year": 30,
        "band": "low",
        "components": {
            "age_gender": -0.8975,
            "conviction_status": 0.12614,
            "copas": pytest.approx(-2.880810, abs=1e-6),
            "offence": 0.6612,
        },
    }


# --- Ages are whole completed years ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("date_of_birth", "on", "age"),
    [
        (date(1990, 7, 15), date(2007, 7, 14), 16),  # day before the birthday
        (date(1990, 7, 15), date(2007, 7, 15), 17),  # on the birthday
        (date(1992, 2, 29), date(2010, 2, 28), 17),  # leap-day birthday: not yet 18 on 28 February
        (date(1992, 2, 29), date(2010, 3, 1), 18),
    ],
)
def test_age_is_whole_completed_years(date_of_birth: date, on: date, age: int) -> None:
    assert age_in_whole_years(date_of_birth, on) == age


# --- Age/gender table: every row, both ends of each band --------------------------------------------

AGE_GENDER_TABLE = [
    # (from, to, male, female) exactly as the spec's table
    (10, 11, 0.0, 0.785),
    (12, 13, 0.08392, 0.61385),
    (14, 15, 0.07578, 0.66952),
    (16, 17, -0.0616, -0.9592),
    (18, 20, -0.6251, -0.8975),
    (21, 24, -1.0515, -1.0285),
    (25, 29, -1.1667, -1.0528),
    (30, 34, -1.326, -1.1291),
    (35, 39, -1.368, -1.4219),
    (40, 49, -1.4997, -1.5247),
    (50, 90, -2.0253, -2.4498),  # 50+
]


def _age_gender_cases() -> list[tuple[int, str, float]]:
    cases = []
    for low, high, male, female in AGE_GENDER_TABLE:
        for age in (low, high):
            cases.append((age, "male", male))
            cases.append((age, "female", female))
    return cases


@pytest.mark.parametrize(("age", "gender", "coefficient"), _age_gender_cases())
def test_age_gender_coefficient_uses_age_at_start_of_follow_up(
    age: int, gender: str, coefficient: float
) -> None:
    # Born 1 January 1900 + ...: follow-up starts on the birthday that makes the age; conviction at 10.
    born = date(1950, 6, 1)
    result = calculate_ogrs3(
        payload(
            gender=gender,
            date_of_birth=born.isoformat(),
            date_of_current_conviction=date(1960, 6, 1).isoformat(),
            date_of_start_of_follow_up=date(1950 + age, 6, 1).isoformat(),
            total_sanctions=1,
            age_at_first_sanction=10,
        )
    )
    assert result["components"]["age_gender"] == coefficient


# --- Conviction status and Copas ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total_sanctions", "conviction_status"), [(1, 0.12614), (2, 0.46306), (40, 0.46306)]
)
def test_conviction_status(total_sanctions: int, conviction_status: float) -> None:
    assert calculate_ogrs3(payload(total_sanctions=total_sanctions))["components"]["conviction_status"] == (
        conviction_status
    )


def test_copas_uses_age_at_current_conviction_not_follow_up() -> None:
    # Convicted at 26, released at 30: copas = 1.25112 x ln(5 / (10 + 26 - 16)), as in the first example.
    result = calculate_ogrs3(payload(date_of_start_of_follow_up="2010-06-01"))
    assert result["components"]["copas"] == pytest.approx(-1.734421, abs=1e-6)
    assert result["components"]["age_gender"] == -1.326  # male 30-34


# --- Offence categories: every coefficient ------------------------------------------------------------

OFFENCE_COEFFICIENTS = [
    # (category as the spec names it, a code in that category, coefficient)
    ("Violence", "00100", 0.0),
    ("Other offence", "00832", -0.0607),
    ("Absconding or bail offences", "08000", 0.7334),
    ("Burglary (domestic)", "02800", -0.1239),
    ("Burglary (other)", "03000", 0.2406),
    ("Criminal damage", "00900", 0.205),
    ("Drink driving and related", "00406", -0.1214),
    ("Drug import/export/production", "07750", -0.7956),
    ("Drug possession/supply", "07700", 0.0772),
    ("Fraud and forgery", "05000", 0.1599),
    ("Handling stolen goods", "05400", 0.3519),
    ("Other motoring", "00404", 0.2622),
    ("Public order", "06400", 0.1819),
    ("Robbery", "03400", -0.6348),
    ("Sexual (against child)", "01612", -0.6534),
    ("Sexual (not against child)", "00839", 0.0328),
    ("Soliciting or prostitution", "02400", 0.7606),
    ("Taking and driving away and related", "03700", 0.3801),
    ("Theft (non-motor)", "03800", 0.6612),
    ("Theft from vehicles", "04500", 0.4272),
]


@pytest.mark.parametrize(("category", "offence_code", "coefficient"), OFFENCE_COEFFICIENTS)
def test_offence_coefficient(category: str, offence_code: str, coefficient: float) -> None:
    assert calculate_ogrs3(payload(offence_code=offence_code))["components"]["offence"] == coefficient


def test_every_category_of_the_spec_is_covered() -> None:
    assert len(OFFENCE_COEFFICIENTS) == len(OffenceCategory) == 20
    assert sorted(c for _, _, c in OFFENCE_COEFFICIENTS) == sorted(c.coefficient for c in OffenceCategory)


def test_offence_table_has_every_code_and_agrees_with_the_category_coefficients() -> None:
    table = offence_code_table()
    assert len(table) == 3028
    with OFFENCE_CODES_FILE.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            mapping = table[row["offence_code"]]
            if row["ogrs3_coefficient"]:
                assert mapping.category is not None
                assert mapping.category.coefficient == float(row["ogrs3_coefficient"])
            else:
                assert mapping.category is None


def test_shipped_offence_table_is_the_spec_table() -> None:
    assert OFFENCE_CODES_FILE.read_bytes() == SPEC_CSV.read_bytes()


@pytest.mark.skipif(not SHARED_SPEC_CSV.exists(), reason="shared spec folder not beside the checkout")
def test_the_copied_spec_table_is_still_the_shared_spec() -> None:
    assert SPEC_CSV.read_bytes() == SHARED_SPEC_CSV.read_bytes()


# --- Rounding, clamping and bands --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("probability", "percent"),
    [
        (0.494995, 50),  # 5 dp half up gives 0.49500, then 49.5 half up gives 50: two roundings
        (0.4949949, 49),
        (0.745, 75),
        (0.744994, 74),
        (0.004, 1),  # clamped up to 1
        (0.996, 99),  # clamped down to 99
        (0.99, 99),
        (0.015, 2),
    ],
)
def test_probability_rounding_and_clamping(probability: float, percent: int) -> None:
    assert probability_to_percent(probability) == percent


@pytest.mark.parametrize(
    ("two_year", "band"),
    [(1, "low"), (49, "low"), (50, "medium"), (74, "medium"), (75, "high"), (89, "high"), (90, "very high"),
     (99, "very high")],
)  # fmt: skip
def test_band_boundaries_on_whole_two_year_percent(two_year: int, band: str) -> None:
    from oms.risk.ogrs3 import band_for_two_year_percent

    assert band_for_two_year_percent(two_year).value == band


def _scored(gender: str, age: int, sanctions: int, first: int, code: str) -> dict[str, Any]:
    """Convicted and starting follow-up on the same day at `age`."""
    return calculate_ogrs3(
        payload(
            gender=gender,
            date_of_birth="1960-01-01",
            date_of_current_conviction=f"{1960 + age}-06-01",
            date_of_start_of_follow_up=f"{1960 + age}-06-01",
            total_sanctions=sanctions,
            age_at_first_sanction=first,
            offence_code=code,
        )
    )


@pytest.mark.parametrize(
    ("age", "sanctions", "first", "code", "raw_two_year", "two_year", "band"),
    [
        # Each raw probability is below the band's threshold minus 0.005, so a single rounding would
        # give one percent less and the band below; the spec's 5 dp half-up step lifts it over.
        # male 40, 23 sanctions, first at 17, sexual (against child): p = 0.4949974 -> 0.49500 -> 50
        (40, 23, 17, "01612", 0.4949974, 50, "medium"),
        # male 40, 27 sanctions, first at 19, fraud and forgery: p = 0.7449994 -> 0.74500 -> 75
        (40, 27, 19, "05000", 0.7449994, 75, "high"),
        # male 35, 17 sanctions, first at 35, other motoring: p = 0.8949978 -> 0.89500 -> 90
        (35, 17, 35, "00404", 0.8949978, 90, "very high"),
    ],
)
def test_band_boundaries_reached_only_through_half_up_rounding(
    age: int, sanctions: int, first: int, code: str, raw_two_year: float, two_year: int, band: str
) -> None:
    assert round(raw_two_year * 100) == two_year - 1  # one rounding alone would miss the boundary
    result = _scored("male", age, sanctions, first, code)
    assert result["two_year"] == two_year
    assert result["band"] == band


def test_output_has_exactly_the_spec_keys() -> None:
    result = calculate_ogrs3(payload())
    assert set(result) == {"one_year", "two_year", "band", "components"}
    assert set(result["components"]) == {"age_gender", "conviction_status", "copas", "offence"}


def test_typed_function_gives_the_same_answer() -> None:
    result = ogrs3(
        Ogrs3Inputs(
            gender=Gender.MALE,
            date_of_birth=date(1980, 5, 10),
            date_of_current_conviction=date(2007, 3, 1),
            date_of_start_of_follow_up=date(2007, 3, 1),
            total_sanctions=5,
            age_at_first_sanction=16,
            offence_code=BURGLARY_DOMESTIC,
        )
    )
    assert (result.one_year, result.two_year, result.band) == (24, 39, Ogrs3Band.LOW)
    assert result.offence_category is OffenceCategory.BURGLARY_DOMESTIC
    assert result.as_json() == calculate_ogrs3(payload())


# --- Errors: every code of the spec ------------------------------------------------------------------


def test_every_missing_field_is_named_at_once() -> None:
    error = error_of({"gender": "male", "offence_code": "", "total_sanctions": None})
    assert error.code == "MISSING_MANDATORY_INPUT"
    assert error.fields == [
        "date_of_birth",
        "date_of_current_conviction",
        "date_of_start_of_follow_up",
        "total_sanctions",
        "age_at_first_sanction",
        "offence_code",
    ]


@pytest.mark.parametrize(
    ("overrides", "code", "fields"),
    [
        ({"total_sanctions": 0}, "TOTAL_NUMBER_OF_SANCTIONS_LESS_THAN_ONE", ["total_sanctions"]),
        ({"offence_code": "0280"}, "OFFENCE_CODE_INCORRECT_FORMAT", ["offence_code"]),
        ({"offence_code": "028000"}, "OFFENCE_CODE_INCORRECT_FORMAT", ["offence_code"]),
        (
            {"date_of_current_conviction": "1980-05-10"},
            "CONVICTION_DATE_BEFORE_BIRTH",
            ["date_of_current_conviction", "date_of_birth"],
        ),
        (
            {"date_of_start_of_follow_up": "1979-01-01"},
            "FOLLOW_UP_DATE_BEFORE_BIRTH",
            ["date_of_start_of_follow_up", "date_of_birth"],
        ),
        (
            {"date_of_current_conviction": "1990-05-09", "date_of_start_of_follow_up": "1990-06-01",
             "age_at_first_sanction": 9},
            "AGE_AT_CURRENT_CONVICTION_LESS_THAN_TEN",
            ["date_of_current_conviction", "date_of_birth"],
        ),
        ({"age_at_first_sanction": 27}, "AGE_AT_FIRST_SANCTION_AFTER_AGE_AT_CURRENT_CONVICTION",
         ["age_at_first_sanction"]),
        ({"offence_code": "08800"}, "NEED_DETAILS_OF_EXACT_OFFENCE", ["offence_code"]),
        ({"offence_code": "95000"}, "OFFENCE_CODE_MAPPING_NOT_FOUND", ["offence_code"]),
        ({"offence_code": "ABCDE"}, "OFFENCE_CODE_MAPPING_NOT_FOUND", ["offence_code"]),
        ({"gender": "unknown", "date_of_birth": "10/05/1980"}, "INVALID_INPUT", ["gender", "date_of_birth"]),
        ({"offence_code": 2800}, "INVALID_INPUT", ["offence_code"]),  # a number, not the 5-character code
    ],
)  # fmt: skip
def test_error_codes(overrides: dict[str, Any], code: str, fields: list[str]) -> None:
    error = error_of(payload(**overrides))
    assert error.code == code
    assert error.fields == fields
    assert error.as_json()["error"]["code"] == code


def test_age_at_first_sanction_equal_to_age_at_conviction_is_allowed() -> None:
    assert calculate_ogrs3(payload(age_at_first_sanction=26))["two_year"] >= 1


def test_several_rule_errors_name_every_bad_field_under_the_first_code() -> None:
    error = error_of(payload(total_sanctions=0, offence_code="123", age_at_first_sanction=40))
    assert error.code == "TOTAL_NUMBER_OF_SANCTIONS_LESS_THAN_ONE"
    assert error.fields == ["total_sanctions", "offence_code", "age_at_first_sanction"]


# --- Properties ------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    gender=st.sampled_from(["male", "female"]),
    age=st.integers(min_value=10, max_value=80),
    data=st.data(),
    sanctions=st.integers(min_value=1, max_value=150),
    code=st.sampled_from([code for _, code, _ in OFFENCE_COEFFICIENTS]),
)
def test_more_previous_sanctions_never_lowers_the_score(
    gender: str, age: int, data: st.DataObject, sanctions: int, code: str
) -> None:
    first = data.draw(st.integers(min_value=0, max_value=age), label="age_at_first_sanction")
    fewer = _scored(gender, age, sanctions, first, code)
    more = _scored(gender, age, sanctions + 1, first, code)
    assert more["one_year"] >= fewer["one_year"]
    assert more["two_year"] >= fewer["two_year"]


@settings(max_examples=100, deadline=None)
@given(age=st.integers(min_value=10, max_value=80), sanctions=st.integers(min_value=1, max_value=150))
def test_scores_stay_within_1_and_99(age: int, sanctions: int) -> None:
    result = _scored("male", age, sanctions, 10, "03800")
    assert 1 <= result["one_year"] <= result["two_year"] <= 99


# --- the words of each refusal, and the edges of what is read ---------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"total_sanctions": 0}, "Total sanctions must be at least 1 (it includes the current conviction)."),
        ({"offence_code": "0280"},
         "Offence code must be the 5-character Home Office code (category and subcategory)."),
        ({"date_of_current_conviction": "1980-05-10"},  # the day of birth itself is not after it
         "Date of current conviction must be after the date of birth."),
        ({"date_of_start_of_follow_up": "1980-05-10"},
         "Date of start of follow-up must be after the date of birth."),
        ({"date_of_current_conviction": "1990-05-09", "date_of_start_of_follow_up": "2007-03-01",
          "age_at_first_sanction": 9},
         "Age at current conviction is 9; OGRS3 needs 10 or over."),
        ({"date_of_start_of_follow_up": "1990-05-09"},
         "Age at start of follow-up is 9; OGRS3 needs 10 or over."),
        ({"age_at_first_sanction": 27}, "Age at first sanction (27) is after the age at current conviction (26)."),
        ({"offence_code": "08800"}, "Offence code 08800 is too general: give the exact offence."),
        ({"offence_code": "95000"}, "Offence code 95000 has no OGRS3 offence category."),
        ({"total_sanctions": 0, "offence_code": "95000"},
         "Total sanctions must be at least 1 (it includes the current conviction). "
         "Offence code 95000 has no OGRS3 offence category."),
        ({"gender": "x", "total_sanctions": 2.5, "age_at_first_sanction": -1},
         "Cannot read: gender, total_sanctions, age_at_first_sanction (gender is male or female; dates are "
         "YYYY-MM-DD; counts and ages are whole numbers)."),
        ({"date_of_birth": None, "offence_code": " "}, "Missing mandatory input: date_of_birth, offence_code."),
    ],
)  # fmt: skip
def test_each_refusal_says_what_is_wrong(overrides: dict[str, Any], message: str) -> None:
    assert error_of(payload(**overrides)).message == message


def test_follow_up_under_10_names_only_the_follow_up_date() -> None:
    error = error_of(payload(date_of_start_of_follow_up="1990-05-09"))
    assert (error.code, error.fields) == (
        "AGE_AT_START_OF_FOLLOW_UP_LESS_THAN_TEN",
        ["date_of_start_of_follow_up"],
    )


def test_input_that_is_not_an_object_is_refused() -> None:
    error = error_of(["male"])  # type: ignore[arg-type]
    assert (error.code, error.message, error.fields) == (
        "INVALID_INPUT",
        "The input must be a JSON object.",
        [],
    )


@pytest.mark.parametrize(
    ("overrides", "readable"),
    [
        ({"total_sanctions": "5"}, True),
        ({"total_sanctions": " 5 "}, True),
        ({"total_sanctions": 5.0}, True),
        ({"total_sanctions": 5.5}, False),
        ({"total_sanctions": "five"}, False),
        ({"total_sanctions": True}, False),
        ({"total_sanctions": [5]}, False),
        ({"age_at_first_sanction": 0}, True),
        ({"age_at_first_sanction": "-1"}, False),
        ({"date_of_birth": " 1980-05-10 "}, True),
        ({"date_of_birth": date(1980, 5, 10)}, True),
        ({"date_of_birth": "1980-5-10"}, False),
        ({"date_of_birth": "1980-02-30"}, False),
        ({"date_of_birth": 19800510}, False),
        ({"gender": " Female "}, True),
        ({"offence_code": 2800}, False),
    ],
)
def test_what_the_calculator_can_read(overrides: dict[str, Any], readable: bool) -> None:
    if readable:
        assert calculate_ogrs3(payload(**overrides))["two_year"] >= 1
    else:
        assert error_of(payload(**overrides)).code == "INVALID_INPUT"


def test_whole_numbers_given_as_text_or_floats_score_as_the_numbers() -> None:
    assert calculate_ogrs3(payload(total_sanctions="7", age_at_first_sanction=14.0)) == calculate_ogrs3(
        payload(total_sanctions=7, age_at_first_sanction=14)
    )


def test_the_result_carries_the_ages_it_used() -> None:
    result = ogrs3(inputs_from_payload(payload(date_of_start_of_follow_up="2009-06-01")))
    assert (result.age_at_current_conviction, result.age_at_start_of_follow_up) == (26, 29)
