"""CJA 2003 requirement limits, from spec/domain.md "Community order or suspended sentence order"."""

from __future__ import annotations

from typing import Any

import pytest

from oms.cases.requirement_limits import (
    REQUIREMENT_FIELDS,
    LimitBreach,
    RequirementType,
    check_requirement,
    fields_for,
)

R = RequirementType


def test_stable_codes() -> None:
    assert [t.value for t in RequirementType] == [
        "unpaid_work",
        "supervision",
        "accredited_programme",
        "drug_rehabilitation",
        "alcohol_treatment",
        "mental_health_treatment",
        "residence",
        "specified_activity",
        "prohibited_activity",
        "exclusion",
        "curfew",
        "attendance_centre",
    ]
    assert set(REQUIREMENT_FIELDS) == set(RequirementType)


UNPAID = "Unpaid work must be between 40 and 300 hours"
CURFEW_HOURS = "A curfew must be between 2 and 12 hours a day"
CURFEW_LENGTH = "A curfew can last at most 6 months"
ACTIVITY = "A specified activity requirement can be for at most 60 days"
EXCLUSION = "An exclusion requirement can last at most 2 years"
DRUG = "A drug rehabilitation requirement must last at least 6 months"
ALCOHOL = "An alcohol treatment requirement must last at least 6 months"
CENTRE_HOURS = "An attendance centre requirement must be between 12 and 36 hours"
CENTRE_AGE = "An attendance centre requirement is only for offenders aged under 25"


@pytest.mark.parametrize(
    ("requirement_type", "figures", "breaches"),
    [
        (R.UNPAID_WORK, {"hours": 40}, []),
        (R.UNPAID_WORK, {"hours": 300}, []),
        (R.UNPAID_WORK, {"hours": 39}, [("hours", UNPAID)]),
        (R.UNPAID_WORK, {"hours": 301}, [("hours", UNPAID)]),
        (R.CURFEW, {"hours_per_day": 2, "length_months": 6}, []),
        (R.CURFEW, {"hours_per_day": 12, "length_days": 184}, []),
        (R.CURFEW, {"hours_per_day": 1, "length_months": 6}, [("hours_per_day", CURFEW_HOURS)]),
        (R.CURFEW, {"hours_per_day": 13, "length_months": 7},
         [("hours_per_day", CURFEW_HOURS), ("length_months", CURFEW_LENGTH)]),
        (R.CURFEW, {"hours_per_day": 8, "length_days": 185}, [("length_days", CURFEW_LENGTH)]),
        (R.SPECIFIED_ACTIVITY, {"days": 60}, []),
        (R.SPECIFIED_ACTIVITY, {"days": 61}, [("days", ACTIVITY)]),
        (R.EXCLUSION, {"length_months": 24}, []),
        (R.EXCLUSION, {"length_months": 25}, [("length_months", EXCLUSION)]),
        (R.EXCLUSION, {"length_days": 732}, [("length_days", EXCLUSION)]),
        (R.DRUG_REHABILITATION, {"length_months": 6}, []),
        (R.DRUG_REHABILITATION, {"length_months": 5}, [("length_months", DRUG)]),
        (R.DRUG_REHABILITATION, {"length_days": 180}, [("length_days", DRUG)]),
        (R.ALCOHOL_TREATMENT, {"length_months": 36}, []),
        (R.ALCOHOL_TREATMENT, {"length_months": 3}, [("length_months", ALCOHOL)]),
        (R.ATTENDANCE_CENTRE, {"hours": 12, "age_on_sentence": 24}, []),
        (R.ATTENDANCE_CENTRE, {"hours": 36, "age_on_sentence": 18}, []),
        (R.ATTENDANCE_CENTRE, {"hours": 11, "age_on_sentence": 20}, [("hours", CENTRE_HOURS)]),
        (R.ATTENDANCE_CENTRE, {"hours": 37, "age_on_sentence": 25},
         [("hours", CENTRE_HOURS), ("age_on_sentence", CENTRE_AGE)]),
        (R.SUPERVISION, {}, []),
        (R.SUPERVISION, {"length_months": 36}, []),
        (R.ACCREDITED_PROGRAMME, {"days": 30}, []),
        (R.MENTAL_HEALTH_TREATMENT, {}, []),
        (R.RESIDENCE, {"length_months": 12}, []),
        (R.PROHIBITED_ACTIVITY, {"days": 10}, []),
    ],
)  # fmt: skip
def test_limits(
    requirement_type: RequirementType, figures: dict[str, Any], breaches: list[tuple[str, str]]
) -> None:
    assert check_requirement(requirement_type, **figures) == [LimitBreach(f, m) for f, m in breaches]


@pytest.mark.parametrize(
    ("requirement_type", "fields"),
    [
        (R.UNPAID_WORK, ["hours"]),
        (R.CURFEW, ["hours_per_day", "length_months"]),
        (R.SPECIFIED_ACTIVITY, ["days"]),
        (R.EXCLUSION, ["length_months"]),
        (R.DRUG_REHABILITATION, ["length_months"]),
        (R.ALCOHOL_TREATMENT, ["length_months"]),
        (R.ATTENDANCE_CENTRE, ["hours", "age_on_sentence"]),
    ],
)
def test_missing_figures_are_each_named(requirement_type: RequirementType, fields: list[str]) -> None:
    assert [b.field for b in check_requirement(requirement_type)] == fields


def test_missing_message_is_plain() -> None:
    assert check_requirement(R.UNPAID_WORK) == [
        LimitBreach("hours", "An unpaid work requirement needs the number of hours")
    ]


def test_a_figure_that_does_not_apply_is_reported() -> None:
    assert check_requirement(R.UNPAID_WORK, hours=100, hours_per_day=3) == [
        LimitBreach("hours_per_day", "The hours a day does not apply to an unpaid work requirement")
    ]


@pytest.mark.parametrize("value", [0, -5, True])
def test_figures_must_be_positive_numbers(value: Any) -> None:
    breaches = check_requirement(R.UNPAID_WORK, hours=value)
    assert breaches == [LimitBreach("hours", "The number of hours must be a number above 0")]


def test_every_breach_at_once() -> None:
    breaches = check_requirement(R.CURFEW, hours_per_day=20, length_months=12, hours=5)
    assert [b.field for b in breaches] == ["hours", "hours_per_day", "length_months"]


@pytest.mark.parametrize("requirement_type", list(RequirementType))
def test_each_type_describes_its_fields(requirement_type: RequirementType) -> None:
    guide = fields_for(requirement_type)
    assert guide.description
    assert set(guide.required) <= set(guide.applicable)
