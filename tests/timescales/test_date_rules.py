"""One rule for dates, everywhere (oms/timescales/date_rules.py): impossible dates are refused by name."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oms.timescales.date_rules import (
    DateKind,
    age_problem,
    appointment_warnings,
    date_problem,
    long_date,
)

TODAY = dt.date(2026, 12, 6)


@pytest.mark.parametrize(
    ("value", "kind", "message"),
    [
        (dt.date(2030, 1, 1), DateKind.DATE_OF_BIRTH, "Date must be in the past"),
        (
            dt.date(2020, 5, 1),
            DateKind.DATE_OF_BIRTH,
            "Date must be on or before 6 December 2016: nobody under 10 is on probation",
        ),
        (dt.date(1899, 12, 31), DateKind.DATE_OF_BIRTH, "Date must be on or after 1 January 1900"),
        (dt.date(2099, 1, 1), DateKind.HAPPENED, "Date must be today or in the past"),
        (dt.date(2026, 12, 7), DateKind.HAPPENED, "Date must be today or in the past"),
        (dt.date(2099, 1, 1), DateKind.ANY, "Date must be on or before 6 December 2056"),
        (dt.date(1850, 1, 1), DateKind.ANY, "Date must be on or after 1 January 1900"),
    ],
)
def test_impossible_dates_are_refused_with_the_reason(value: dt.date, kind: DateKind, message: str) -> None:
    assert date_problem(value, kind, TODAY, "Date") == message


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (dt.date(1980, 3, 31), DateKind.DATE_OF_BIRTH),
        (dt.date(2016, 12, 6), DateKind.DATE_OF_BIRTH),  # exactly 10 today
        (TODAY, DateKind.HAPPENED),
        (dt.date(2027, 6, 1), DateKind.ANY),  # a review next year
    ],
)
def test_possible_dates_pass(value: dt.date, kind: DateKind) -> None:
    assert date_problem(value, kind, TODAY, "Date") is None


def test_a_sentence_before_the_tenth_birthday_is_refused() -> None:
    born = dt.date(2016, 3, 1)  # 11 years old in 2027, 10 on 1 March 2026
    assert age_problem(born, dt.date(2026, 2, 28), "Sentence date") == (
        "Sentence date must be on or after 1 March 2026, the person's 10th birthday: nobody younger is sentenced"
    )
    assert age_problem(born, dt.date(2026, 3, 1), "Sentence date") is None


def test_someone_born_on_a_leap_day_turns_ten_on_1_march() -> None:
    born = dt.date(2016, 2, 29)
    assert date_problem(born, DateKind.DATE_OF_BIRTH, dt.date(2026, 2, 28), "Date") is not None
    assert date_problem(born, DateKind.DATE_OF_BIRTH, dt.date(2026, 3, 1), "Date") is None


@pytest.mark.parametrize(
    ("starts_at", "expected"),
    [
        (
            dt.datetime(2026, 12, 6, 3, 0),
            ["6 December 2026 is a Sunday", "03:00 is outside office hours (08:00 to 20:00)"],
        ),
        (dt.datetime(2026, 12, 5, 10, 0), ["5 December 2026 is a Saturday"]),
        (dt.datetime(2026, 12, 7, 20, 0), ["20:00 is outside office hours (08:00 to 20:00)"]),
        (dt.datetime(2026, 12, 7, 8, 0), []),
        (dt.datetime(2026, 12, 11, 19, 59), []),
    ],
)
def test_appointments_at_night_or_at_the_weekend_are_warned_about(
    starts_at: dt.datetime, expected: list[str]
) -> None:
    assert [w.text for w in appointment_warnings(starts_at)] == expected


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_nothing_that_happened_is_ever_after_today(value: dt.date) -> None:
    assert (date_problem(value, DateKind.HAPPENED, TODAY, "Date") is None) == (value <= TODAY)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_everyone_allowed_is_at_least_ten(value: dt.date) -> None:
    allowed = date_problem(value, DateKind.DATE_OF_BIRTH, TODAY, "Date") is None
    age = TODAY.year - value.year - ((TODAY.month, TODAY.day) < (value.month, value.day))
    assert allowed == (age >= 10)


def test_the_one_date_format_is_day_month_in_words_and_year() -> None:
    assert long_date(dt.date(2026, 7, 8)) == "8 July 2026"
