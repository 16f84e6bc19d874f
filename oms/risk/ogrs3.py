"""OGRS3: the Offender Group Reconviction Scale, version 3 (likelihood of proven reoffending).

The figures are those of `spec/tiering-and-risk.md`, section "OGRS3". The scale is a published
logistic regression; every coefficient below is a named constant so that a reader can hold this
module against the spec line by line. Nothing here imports Django: the case pages, the tiering rules
and `oms calc ogrs3` all call the same function.

Two ages feed the score and they are deliberately different: the age at the current conviction feeds
the Copas rate (how fast the offender has been sanctioned over their criminal career), while the age
at the start of follow-up (community sentence date or release from custody) feeds the age/gender
coefficient (how likely someone of that age and gender is to reoffend from now on).
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

from oms.calculation_errors import CalculatorInputError

# --- Error codes (spec: OGRS3, "Errors, each with its code") ---------------------------------------
MISSING_MANDATORY_INPUT = "MISSING_MANDATORY_INPUT"
# Not in the spec's list: a value that is present but cannot be read (a date that is not
# YYYY-MM-DD, a gender other than male/female, a count that is not a whole number).
INVALID_INPUT = "INVALID_INPUT"
TOTAL_NUMBER_OF_SANCTIONS_LESS_THAN_ONE = "TOTAL_NUMBER_OF_SANCTIONS_LESS_THAN_ONE"
OFFENCE_CODE_INCORRECT_FORMAT = "OFFENCE_CODE_INCORRECT_FORMAT"
CONVICTION_DATE_BEFORE_BIRTH = "CONVICTION_DATE_BEFORE_BIRTH"
FOLLOW_UP_DATE_BEFORE_BIRTH = "FOLLOW_UP_DATE_BEFORE_BIRTH"
AGE_AT_CURRENT_CONVICTION_LESS_THAN_TEN = "AGE_AT_CURRENT_CONVICTION_LESS_THAN_TEN"
# Not in the spec's list: the age/gender table starts at 10, so a follow-up that starts before the
# offender's tenth birthday (only possible when it starts before the conviction) cannot be scored.
AGE_AT_START_OF_FOLLOW_UP_LESS_THAN_TEN = "AGE_AT_START_OF_FOLLOW_UP_LESS_THAN_TEN"
AGE_AT_FIRST_SANCTION_AFTER_AGE_AT_CURRENT_CONVICTION = (
    "AGE_AT_FIRST_SANCTION_AFTER_AGE_AT_CURRENT_CONVICTION"
)
NEED_DETAILS_OF_EXACT_OFFENCE = "NEED_DETAILS_OF_EXACT_OFFENCE"
OFFENCE_CODE_MAPPING_NOT_FOUND = "OFFENCE_CODE_MAPPING_NOT_FOUND"

MANDATORY_FIELDS = (
    "gender",
    "date_of_birth",
    "date_of_current_conviction",
    "date_of_start_of_follow_up",
    "total_sanctions",
    "age_at_first_sanction",
    "offence_code",
)

# --- The model (spec: OGRS3 formula block) ---------------------------------------------------------
CONVICTION_STATUS_FIRST_SANCTION = 0.12614  # spec: conviction_status when total_sanctions == 1
CONVICTION_STATUS_REPEAT = 0.46306  # spec: conviction_status otherwise
COPAS_MULTIPLIER = 1.25112  # spec: copas = 1.25112 x ln(...)
COPAS_CAREER_YEARS_OFFSET = 10  # spec: ... / (10 + age_at_current_conviction - age_at_first_sanction)
ONE_YEAR_INTERCEPT = 1.40256  # spec: one_year = logistic(1.40256 + x)
TWO_YEAR_INTERCEPT = 2.1217  # spec: two_year = logistic(2.1217 + x)
MINIMUM_AGE = 10  # spec: the age/gender table starts at 10; AGE_AT_CURRENT_CONVICTION_LESS_THAN_TEN

# spec: "Each probability is rounded to 5 decimal places (half up), then x100 and rounded to a whole
# percent (half up), then clamped to 1-99."
PROBABILITY_DECIMAL_PLACES = Decimal("0.00001")
MINIMUM_PERCENT = 1
MAXIMUM_PERCENT = 99

OFFENCE_CODE_LENGTH = 5  # spec: five-digit Home Office code, category 3 digits + subcategory 2 digits
OFFENCE_CODES_FILE = Path(__file__).parent / "data" / "ogrs3-offence-codes.csv"


class Gender(Enum):
    MALE = "male"
    FEMALE = "female"


class Ogrs3Band(Enum):
    """Band on the whole 2-year percent. Values are spelled as the spec spells them."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very high"

    @property
    def label(self) -> str:
        return self.value.capitalize()


# spec: "Band on the whole 2-year percent: 0-49 low, 50-74 medium, 75-89 high, 90+ very high."
BAND_MEDIUM_FROM = 50
BAND_HIGH_FROM = 75
BAND_VERY_HIGH_FROM = 90


def band_for_two_year_percent(two_year_percent: int) -> Ogrs3Band:
    """The band of a whole 2-year percent; the tiering rules band OGRS3 scores the same way."""
    if two_year_percent >= BAND_VERY_HIGH_FROM:
        return Ogrs3Band.VERY_HIGH
    if two_year_percent >= BAND_HIGH_FROM:
        return Ogrs3Band.HIGH
    if two_year_percent >= BAND_MEDIUM_FROM:
        return Ogrs3Band.MEDIUM
    return Ogrs3Band.LOW


# spec: "Age/gender coefficients (inclusive bands)": (lowest age of the band, male, female).
# Each band runs up to the year before the next band's lowest age; the last (50+) is open-ended.
AGE_GENDER_COEFFICIENTS: tuple[tuple[int, float, float], ...] = (
    (10, 0.0, 0.785),  # 10-11
    (12, 0.08392, 0.61385),  # 12-13
    (14, 0.07578, 0.66952),  # 14-15
    (16, -0.0616, -0.9592),  # 16-17
    (18, -0.6251, -0.8975),  # 18-20
    (21, -1.0515, -1.0285),  # 21-24
    (25, -1.1667, -1.0528),  # 25-29
    (30, -1.326, -1.1291),  # 30-34
    (35, -1.368, -1.4219),  # 35-39
    (40, -1.4997, -1.5247),  # 40-49
    (50, -2.0253, -2.4498),  # 50+
)


def age_gender_coefficient(age: int, gender: Gender) -> float:
    """The coefficient for a whole age at the start of follow-up; the table starts at 10."""
    if age < MINIMUM_AGE:
        raise ValueError(f"OGRS3 has no age/gender coefficient below {MINIMUM_AGE}")
    chosen = AGE_GENDER_COEFFICIENTS[0]
    for row in AGE_GENDER_COEFFICIENTS:
        if age >= row[0]:
            chosen = row
    return chosen[1] if gender is Gender.MALE else chosen[2]


class OffenceCategory(Enum):
    """OGRS3 offence categories with their coefficients (spec: "Offence categories and coefficients").

    The value is the category name as `data/ogrs3-offence-codes.csv` spells it.
    """

    VIOLENCE = ("Violence", 0.0)
    OTHER_OFFENCE = ("Other offence", -0.0607)
    ABSCONDING_OR_BAIL = ("Absconding or bail offences", 0.7334)
    BURGLARY_DOMESTIC = ("Burglary (domestic)", -0.1239)
    BURGLARY_OTHER = ("Burglary (other)", 0.2406)
    CRIMINAL_DAMAGE = ("Criminal damage", 0.205)
    DRINK_DRIVING = ("Drink driving and related offences", -0.1214)
    DRUG_IMPORT_EXPORT_PRODUCTION = ("Drug import/export/production", -0.7956)
    DRUG_POSSESSION_SUPPLY = ("Drug possession/supply", 0.0772)
    FRAUD_AND_FORGERY = ("Fraud and forgery", 0.1599)
    HANDLING_STOLEN_GOODS = ("Handling stolen goods", 0.3519)
    OTHER_MOTORING = ("Other motoring", 0.2622)
    PUBLIC_ORDER = ("Public order", 0.1819)
    ROBBERY = ("Robbery", -0.6348)
    SEXUAL_AGAINST_CHILD = ("Sexual (against child)", -0.6534)
    SEXUAL_NOT_AGAINST_CHILD = ("Sexual (not against child)", 0.0328)
    SOLICITING_OR_PROSTITUTION = ("Soliciting or prostitution", 0.7606)
    TAKING_AND_DRIVING_AWAY = ("Taking & driving away and related offences", 0.3801)
    THEFT_NON_MOTOR = ("Theft (non-motor)", 0.6612)
    THEFT_FROM_VEHICLES = ("Theft from vehicles", 0.4272)

    @property
    def label(self) -> str:
        return self.value[0]

    @property
    def coefficient(self) -> float:
        return self.value[1]


_CATEGORY_BY_LABEL = {category.label: category for category in OffenceCategory}


@dataclass(frozen=True)
class OffenceCodeMapping:
    """One row of the offence code table: the category, or the reason the code cannot be scored."""

    offence_code: str
    category: OffenceCategory | None
    error_code: str | None


@cache
def offence_code_table() -> Mapping[str, OffenceCodeMapping]:
    """Read the offence code table once, on first use; it is reference data shipped with the code."""
    table: dict[str, OffenceCodeMapping] = {}
    with OFFENCE_CODES_FILE.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["offence_code"].strip()
            category = _CATEGORY_BY_LABEL.get(row["ogrs3_category"].strip())
            if category is not None and row["ogrs3_coefficient"].strip():
                # The table repeats the category's coefficient; the category's named constant wins,
                # and tests check that the two agree for every row.
                table[code] = OffenceCodeMapping(code, category, None)
            else:
                table[code] = OffenceCodeMapping(code, None, row["error_code"].strip() or None)
    return table


@dataclass(frozen=True)
class Ogrs3Inputs:
    gender: Gender
    date_of_birth: date
    date_of_current_conviction: date
    date_of_start_of_follow_up: date
    total_sanctions: int
    age_at_first_sanction: int
    offence_code: str


@dataclass(frozen=True)
class Ogrs3Components:
    age_gender: float
    conviction_status: float
    copas: float
    offence: float


@dataclass(frozen=True)
class Ogrs3Result:
    one_year: int
    two_year: int
    band: Ogrs3Band
    components: Ogrs3Components
    age_at_current_conviction: int
    age_at_start_of_follow_up: int
    offence_category: OffenceCategory

    def as_json(self) -> dict[str, Any]:
        return {
            "one_year": self.one_year,
            "two_year": self.two_year,
            "band": self.band.value,
            "components": {
                "age_gender": self.components.age_gender,
                "conviction_status": self.components.conviction_status,
                "copas": self.components.copas,
                "offence": self.components.offence,
            },
        }


def age_in_whole_years(date_of_birth: date, on: date) -> int:
    """Completed years on a date: the birthday itself counts; a 29 February birthday falls on 1 March."""
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def logistic(z: float) -> float:
    return math.exp(z) / (1 + math.exp(z))


def probability_to_percent(probability: float) -> int:
    """Round as the spec says: 5 dp half up, then a whole percent half up, then clamp to 1-99.

    Rounding twice is the spec's rule, not an accident: 0.494995 becomes 0.49500 and then 50%, so the
    medium band starts a little below a probability of 0.495. The float is read through its shortest
    decimal representation (``str``), which is the number a person would see and check.
    """
    five_places = Decimal(str(probability)).quantize(PROBABILITY_DECIMAL_PLACES, rounding=ROUND_HALF_UP)
    percent = int((five_places * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return max(MINIMUM_PERCENT, min(MAXIMUM_PERCENT, percent))


@dataclass(frozen=True)
class _Problem:
    code: str
    message: str
    fields: tuple[str, ...]


def _raise_problems(problems: list[_Problem]) -> None:
    """One error naming every bad field; its code is that of the first problem in the spec's order."""
    if not problems:
        return
    fields: list[str] = []
    for problem in problems:
        fields.extend(f for f in problem.fields if f not in fields)
    raise CalculatorInputError(problems[0].code, " ".join(p.message for p in problems), fields)


def _validate(inputs: Ogrs3Inputs) -> OffenceCategory:
    """Check the rules of the spec's error list, in its order, and return the offence category."""
    problems: list[_Problem] = []
    if inputs.total_sanctions < 1:
        problems.append(
            _Problem(
                TOTAL_NUMBER_OF_SANCTIONS_LESS_THAN_ONE,
                "Total sanctions must be at least 1 (it includes the current conviction).",
                ("total_sanctions",),
            )
        )
    code_format_ok = len(inputs.offence_code) == OFFENCE_CODE_LENGTH
    if not code_format_ok:
        problems.append(
            _Problem(
                OFFENCE_CODE_INCORRECT_FORMAT,
                "Offence code must be the 5-character Home Office code (category and subcategory).",
                ("offence_code",),
            )
        )
    conviction_after_birth = inputs.date_of_current_conviction > inputs.date_of_birth
    follow_up_after_birth = inputs.date_of_start_of_follow_up > inputs.date_of_birth
    if not conviction_after_birth:
        problems.append(
            _Problem(
                CONVICTION_DATE_BEFORE_BIRTH,
                "Date of current conviction must be after the date of birth.",
                ("date_of_current_conviction", "date_of_birth"),
            )
        )
    if not follow_up_after_birth:
        problems.append(
            _Problem(
                FOLLOW_UP_DATE_BEFORE_BIRTH,
                "Date of start of follow-up must be after the date of birth.",
                ("date_of_start_of_follow_up", "date_of_birth"),
            )
        )
    if conviction_after_birth:
        age_at_conviction = age_in_whole_years(inputs.date_of_birth, inputs.date_of_current_conviction)
        if age_at_conviction < MINIMUM_AGE:
            problems.append(
                _Problem(
                    AGE_AT_CURRENT_CONVICTION_LESS_THAN_TEN,
                    f"Age at current conviction is {age_at_conviction}; OGRS3 needs 10 or over.",
                    ("date_of_current_conviction", "date_of_birth"),
                )
            )
        if inputs.age_at_first_sanction > age_at_conviction:
            problems.append(
                _Problem(
                    AGE_AT_FIRST_SANCTION_AFTER_AGE_AT_CURRENT_CONVICTION,
                    f"Age at first sanction ({inputs.age_at_first_sanction}) is after the age at "
                    f"current conviction ({age_at_conviction}).",
                    ("age_at_first_sanction",),
                )
            )
    if follow_up_after_birth:
        age_at_follow_up = age_in_whole_years(inputs.date_of_birth, inputs.date_of_start_of_follow_up)
        if age_at_follow_up < MINIMUM_AGE:
            problems.append(
                _Problem(
                    AGE_AT_START_OF_FOLLOW_UP_LESS_THAN_TEN,
                    f"Age at start of follow-up is {age_at_follow_up}; OGRS3 needs 10 or over.",
                    ("date_of_start_of_follow_up",),
                )
            )
    category: OffenceCategory | None = None
    if code_format_ok:
        mapping = offence_code_table().get(inputs.offence_code)
        if mapping is not None and mapping.category is not None:
            category = mapping.category
        elif mapping is not None and mapping.error_code == NEED_DETAILS_OF_EXACT_OFFENCE:
            problems.append(
                _Problem(
                    NEED_DETAILS_OF_EXACT_OFFENCE,
                    f"Offence code {inputs.offence_code} is too general: give the exact offence.",
                    ("offence_code",),
                )
            )
        else:
            problems.append(
                _Problem(
                    OFFENCE_CODE_MAPPING_NOT_FOUND,
                    f"Offence code {inputs.offence_code} has no OGRS3 offence category.",
                    ("offence_code",),
                )
            )
    _raise_problems(problems)
    assert category is not None  # no problems means the code mapped to a category
    return category


def ogrs3(inputs: Ogrs3Inputs) -> Ogrs3Result:
    """Score OGRS3 for validated, typed inputs; raises CalculatorInputError naming every bad field."""
    category = _validate(inputs)
    age_at_conviction = age_in_whole_years(inputs.date_of_birth, inputs.date_of_current_conviction)
    age_at_follow_up = age_in_whole_years(inputs.date_of_birth, inputs.date_of_start_of_follow_up)

    age_gender = age_gender_coefficient(age_at_follow_up, inputs.gender)
    conviction_status = (
        CONVICTION_STATUS_FIRST_SANCTION if inputs.total_sanctions == 1 else CONVICTION_STATUS_REPEAT
    )
    career_years = COPAS_CAREER_YEARS_OFFSET + age_at_conviction - inputs.age_at_first_sanction
    copas = COPAS_MULTIPLIER * math.log(inputs.total_sanctions / career_years)
    offence = category.coefficient
    x = age_gender + conviction_status + copas + offence

    two_year = probability_to_percent(logistic(TWO_YEAR_INTERCEPT + x))
    return Ogrs3Result(
        one_year=probability_to_percent(logistic(ONE_YEAR_INTERCEPT + x)),
        two_year=two_year,
        band=band_for_two_year_percent(two_year),
        components=Ogrs3Components(age_gender, conviction_status, copas, offence),
        age_at_current_conviction=age_at_conviction,
        age_at_start_of_follow_up=age_at_follow_up,
        offence_category=category,
    )


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _read_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _read_whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value.strip())
    return None


def inputs_from_payload(payload: Mapping[str, Any]) -> Ogrs3Inputs:
    """Read the JSON object of `oms calc ogrs3`: every missing field first, then every unreadable one."""
    if not isinstance(payload, Mapping):
        raise CalculatorInputError(INVALID_INPUT, "The input must be a JSON object.", [])
    missing = [
        name
        for name in MANDATORY_FIELDS
        if payload.get(name) is None or (isinstance(payload.get(name), str) and not payload[name].strip())
    ]
    if missing:
        raise CalculatorInputError(
            MISSING_MANDATORY_INPUT, "Missing mandatory input: " + ", ".join(missing) + ".", missing
        )
    unreadable: list[str] = []
    gender_text = str(payload["gender"]).strip().lower()
    gender = {g.value: g for g in Gender}.get(gender_text)
    if gender is None:
        unreadable.append("gender")
    dates = {
        name: _read_date(payload[name])
        for name in ("date_of_birth", "date_of_current_conviction", "date_of_start_of_follow_up")
    }
    unreadable.extend(name for name, value in dates.items() if value is None)
    total_sanctions = _read_whole_number(payload["total_sanctions"])
    if total_sanctions is None:
        unreadable.append("total_sanctions")
    age_at_first_sanction = _read_whole_number(payload["age_at_first_sanction"])
    if age_at_first_sanction is None or age_at_first_sanction < 0:
        unreadable.append("age_at_first_sanction")
    offence_code = payload["offence_code"]
    if not isinstance(offence_code, str):
        unreadable.append("offence_code")
    if unreadable:
        raise CalculatorInputError(
            INVALID_INPUT,
            "Cannot read: "
            + ", ".join(unreadable)
            + " (gender is male or female; dates are YYYY-MM-DD; counts and ages are whole numbers).",
            unreadable,
        )
    date_of_birth = dates["date_of_birth"]
    date_of_current_conviction = dates["date_of_current_conviction"]
    date_of_start_of_follow_up = dates["date_of_start_of_follow_up"]
    assert gender is not None and total_sanctions is not None and age_at_first_sanction is not None
    assert date_of_birth and date_of_current_conviction and date_of_start_of_follow_up
    return Ogrs3Inputs(
        gender=gender,
        date_of_birth=date_of_birth,
        date_of_current_conviction=date_of_current_conviction,
        date_of_start_of_follow_up=date_of_start_of_follow_up,
        total_sanctions=total_sanctions,
        age_at_first_sanction=age_at_first_sanction,
        offence_code=str(offence_code).strip(),
    )


def calculate_ogrs3(payload: dict[str, Any]) -> dict[str, Any]:
    """`oms calc ogrs3`: the spec's JSON object in, `one_year`, `two_year`, `band`, `components` out."""
    return ogrs3(inputs_from_payload(payload)).as_json()
