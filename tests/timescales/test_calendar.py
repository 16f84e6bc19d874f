"""The working-day calendar against spec/national-standards.md ("The working day" and its examples)."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oms.calculation_errors import CalculatorInputError
from oms.timescales.calendar import (
    add_calendar_days,
    add_months,
    add_weeks,
    add_working_days,
    bank_holidays,
    calculate_add_working_days,
    calculate_working_days_between,
    is_working_day,
    working_days_between,
)

BANK_HOLIDAYS_2007 = {
    date(2007, 1, 1),
    date(2007, 4, 6),  # Good Friday
    date(2007, 4, 9),  # Easter Monday
    date(2007, 5, 7),
    date(2007, 5, 28),
    date(2007, 8, 27),
    date(2007, 12, 25),
    date(2007, 12, 26),
}

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 12, 31))
counts = st.integers(min_value=0, max_value=400)


def test_bank_holidays_in_england_and_wales_2007_are_the_specs_list_exactly():
    assert bank_holidays(2007) == BANK_HOLIDAYS_2007


@pytest.mark.parametrize("day", sorted(BANK_HOLIDAYS_2007))
def test_a_bank_holiday_is_not_a_working_day(day):
    assert not is_working_day(day)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2007, 4, 5), True),  # Thursday before Easter
        (date(2007, 4, 7), False),  # Saturday
        (date(2007, 4, 8), False),  # Sunday
        (date(2007, 4, 10), True),  # Tuesday after Easter Monday
    ],
)
def test_monday_to_friday_less_bank_holidays(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "days", "deadline"),
    [
        (date(2007, 4, 5), 5, date(2007, 4, 16)),  # spec: Thursday 5 April + 5 WD, over Easter
        (date(2007, 4, 7), 1, date(2007, 4, 10)),  # spec: Saturday 7 April + 1 WD
        (date(2007, 4, 7), 0, date(2007, 4, 7)),  # day 0 is the trigger, whatever day it is
        (date(2007, 4, 5), 1, date(2007, 4, 10)),
        (date(2007, 12, 21), 2, date(2007, 12, 27)),  # over Christmas
        (date(2007, 4, 10), -1, date(2007, 4, 5)),  # back over Easter
        (date(2007, 4, 7), -1, date(2007, 4, 5)),  # the last working day before a Saturday
    ],
)
def test_add_working_days(start, days, deadline):
    assert add_working_days(start, days) == deadline


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (date(2007, 4, 5), date(2007, 4, 16), 5),
        (date(2007, 4, 16), date(2007, 4, 5), -5),
        (date(2007, 4, 5), date(2007, 4, 9), 0),  # only Good Friday, a weekend and Easter Monday
        (date(2007, 4, 5), date(2007, 4, 5), 0),
    ],
)
def test_working_days_between(start, end, days):
    assert working_days_between(start, end) == days


def test_add_weeks_and_months():
    assert add_weeks(date(2007, 4, 5), 16) == date(2007, 7, 26)
    assert add_months(date(2007, 1, 31), 1) == date(2007, 2, 28)
    assert add_months(date(2007, 4, 5), 12) == date(2008, 4, 5)


@settings(max_examples=200)
@given(dates, counts)
def test_adding_n_working_days_then_counting_back_gives_n(start, days):
    assert working_days_between(start, add_working_days(start, days)) == days


@settings(max_examples=200)
@given(dates.filter(is_working_day), st.integers(min_value=-400, max_value=400))
def test_from_a_working_day_the_round_trip_holds_backwards_too(start, days):
    assert working_days_between(start, add_working_days(start, days)) == days


@settings(max_examples=200)
@given(dates, st.integers(min_value=1, max_value=400))
def test_a_deadline_never_lands_on_a_weekend_or_bank_holiday(start, days):
    deadline = add_working_days(start, days)
    assert deadline.weekday() < 5
    assert deadline not in bank_holidays(deadline.year)
    assert deadline > start


@settings(max_examples=200)
@given(dates, counts, st.integers(min_value=0, max_value=30))
def test_deadlines_are_monotonic_in_start_and_count(start, days, later_by):
    assert add_working_days(start, days) <= add_working_days(start, days + 1)
    assert add_working_days(start, days) <= add_working_days(start + timedelta(days=later_by), days)


@settings(max_examples=200)
@given(dates, dates)
def test_counting_is_antisymmetric_and_matches_a_day_by_day_count(start, end):
    low, high = sorted((start, end))
    if (high - low).days <= 400:
        by_hand = sum(is_working_day(low + timedelta(days=k)) for k in range(1, (high - low).days + 1))
        assert working_days_between(low, high) == by_hand
    assert working_days_between(start, end) == -working_days_between(end, start)


def test_calculator_add_working_days():
    assert calculate_add_working_days({"date": "2007-04-05", "days": 5}) == {"date": "2007-04-16"}


def test_calculator_working_days_between():
    assert calculate_working_days_between({"start": "2007-04-05", "end": "2007-04-16"}) == {"days": 5}


@pytest.mark.parametrize(
    ("payload", "code", "fields"),
    [
        ({}, "MISSING_MANDATORY_INPUT", ["date", "days"]),
        ({"date": "2007-04-05"}, "MISSING_MANDATORY_INPUT", ["days"]),
        ({"date": "5/4/2007", "days": 5}, "INVALID_DATE", ["date"]),
        ({"date": "2007-04-05", "days": "five"}, "INVALID_NUMBER", ["days"]),
        ({"date": "2007-04-05", "days": 2.5}, "INVALID_NUMBER", ["days"]),
        ({"date": "2007-04-05", "days": True}, "INVALID_NUMBER", ["days"]),
        ({"date": "2007-02-30", "days": "x"}, "INVALID_DATE", ["date", "days"]),
        ({"date": "2007-04-05", "days": 10**9}, "INVALID_NUMBER", ["days"]),
    ],
)
def test_calculator_add_working_days_names_every_bad_field(payload, code, fields):
    with pytest.raises(CalculatorInputError) as raised:
        calculate_add_working_days(payload)
    assert raised.value.code == code
    assert raised.value.fields == fields


@pytest.mark.parametrize(
    ("payload", "code", "fields"),
    [
        ({"start": "2007-04-05"}, "MISSING_MANDATORY_INPUT", ["end"]),
        ({"start": "yesterday", "end": "2007-13-01"}, "INVALID_DATE", ["start", "end"]),
        ({"start": "0001-01-01", "end": "2007-04-05"}, "INVALID_DATE", ["start"]),
        ([], "INVALID_INPUT", []),
    ],
)
def test_calculator_working_days_between_names_every_bad_field(payload, code, fields):
    with pytest.raises(CalculatorInputError) as raised:
        calculate_working_days_between(payload)
    assert raised.value.code == code
    assert raised.value.fields == fields


# --- boundaries of the calculators: the words shown, the first and last supported year and count ---


def test_calendar_days_count_weekends_and_bank_holidays():
    # spec: "14 calendar days" style deadlines run through weekends and holidays alike.
    assert add_calendar_days(date(2007, 4, 5), 14) == date(2007, 4, 19)
    assert add_calendar_days(date(2007, 4, 5), -5) == date(2007, 3, 31)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({}, "missing: date, days."),
        ({"date": "5/4/2007", "days": "x"},
         "not a date in the form YYYY-MM-DD between 1900 and 2200: date; not a whole number of at most 20000: days."),
        ({"days": 1, "date": "2007-04-05x"}, "not a date in the form YYYY-MM-DD between 1900 and 2200: date."),
        ({"date": "2007-04-05", "days": "x"}, "not a whole number of at most 20000: days."),
    ],
)  # fmt: skip
def test_the_calculator_says_what_is_wrong_with_each_field(payload, message):
    with pytest.raises(CalculatorInputError) as raised:
        calculate_add_working_days(payload)
    assert raised.value.message == message


def test_dates_named_together_are_separated_by_commas():
    with pytest.raises(CalculatorInputError) as raised:
        calculate_working_days_between({"start": "x", "end": "y"})
    assert raised.value.message == "not a date in the form YYYY-MM-DD between 1900 and 2200: start, end."


def test_input_that_is_not_an_object_is_refused_in_words():
    with pytest.raises(CalculatorInputError) as raised:
        calculate_add_working_days(["2007-04-05", 5])
    assert (raised.value.code, raised.value.message, raised.value.fields) == (
        "INVALID_INPUT",
        "The input must be a JSON object.",
        [],
    )


@pytest.mark.parametrize(
    ("day", "accepted"),
    [("1899-12-31", False), ("1900-01-01", True), ("2200-12-31", True), ("2201-01-01", False)],
)
def test_dates_from_1900_to_2200_inclusive_are_accepted(day, accepted):
    payload = {"start": day, "end": "2007-04-05"}
    if accepted:
        assert isinstance(calculate_working_days_between(payload)["days"], int)
    else:
        with pytest.raises(CalculatorInputError) as raised:
            calculate_working_days_between(payload)
        assert raised.value.fields == ["start"]


def test_a_count_of_exactly_20000_working_days_is_accepted_and_one_more_is_not():
    assert calculate_add_working_days({"date": "2007-04-05", "days": 20_000})["date"] > "2080"
    with pytest.raises(CalculatorInputError) as raised:
        calculate_add_working_days({"date": "2007-04-05", "days": 20_001})
    assert raised.value.fields == ["days"]


def test_a_missing_start_is_named_before_the_end():
    with pytest.raises(CalculatorInputError) as raised:
        calculate_working_days_between({})
    assert (raised.value.code, raised.value.fields) == ("MISSING_MANDATORY_INPUT", ["start", "end"])


def test_the_working_day_index_holds_every_working_day_of_its_years_and_no_other():
    # The shared index is built once per process; building one afresh checks the building itself.
    from oms.timescales.calendar import _WorkingDayIndex

    index = _WorkingDayIndex.build(2006, 2007)
    days = [date.fromordinal(ordinal) for ordinal in index.working_ordinals]
    by_hand = [
        date(2006, 1, 1) + timedelta(days=k)
        for k in range(730)
        if is_working_day(date(2006, 1, 1) + timedelta(days=k))
    ]
    assert days == by_hand
    # 2006: 260 weekdays less 8 bank holidays; 2007: 261 less 8.
    assert (days[0], days[-1], len(days)) == (date(2006, 1, 3), date(2007, 12, 31), 252 + 253)
    assert index.covers(2006, 2007) and index.covers(2007, 2007)
    assert not index.covers(2005, 2007) and not index.covers(2006, 2008)


# --- the edges of the precomputed calendar: whichever years are asked first, and the years 1 and 9999 ---


@pytest.fixture
def fresh_calendar(monkeypatch):
    """The calendar as a new process has it: no year indexed yet, so each question grows the index."""
    from oms.timescales import calendar

    monkeypatch.setattr(calendar, "_index", None)
    return calendar


def count_by_hand(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`, one calendar day at a time."""
    return sum(is_working_day(start + timedelta(days=k)) for k in range(1, (end - start).days + 1))


def add_by_hand(start: date, days: int) -> date:
    """The `days`-th working day after `start` (before it when negative), one calendar day at a time."""
    step = 1 if days > 0 else -1
    day, left = start, abs(days)
    while left:
        day += timedelta(days=step)
        left -= is_working_day(day)
    return day


@pytest.mark.parametrize(
    "years_in_order",
    [(2007, 1950, 2150), (2150, 2007, 1950), (1950, 2150, 2007), (1901, 2199, 2007)],
)
def test_counts_are_right_in_every_year_whichever_year_the_calendar_was_asked_about_first(
    fresh_calendar, years_in_order
):
    for year in years_in_order:
        start, end = date(year, 3, 30), date(year, 5, 2)  # over Easter in most years
        assert working_days_between(start, end) == count_by_hand(start, end)
        assert add_working_days(start, 10) == add_by_hand(start, 10)
        assert add_working_days(end, -10) == add_by_hand(end, -10)
    # One index now serves every year asked about, however far apart (a whole caseload, one build).
    first, last = min(years_in_order), max(years_in_order)
    assert fresh_calendar._index.covers(first, last)


def test_the_first_year_asked_about_is_counted_to_its_first_and_last_days(fresh_calendar):
    assert working_days_between(date(2006, 12, 31), date(2007, 12, 31)) == 253
    assert working_days_between(date(2007, 12, 31), date(2006, 12, 31)) == -253


@pytest.mark.parametrize(
    ("start", "end"), [(date(1950, 1, 1), date(2150, 12, 31)), (date(2150, 12, 31), date(1950, 1, 1))]
)
def test_a_count_over_two_centuries_from_a_fresh_calendar_matches_a_day_by_day_count(
    fresh_calendar, start, end
):
    low, high = sorted((start, end))
    expected = count_by_hand(low, high)
    assert working_days_between(start, end) == (expected if start <= end else -expected)


@pytest.mark.parametrize("days", [20_000, -20_000, 1_234, -1_234])
def test_the_largest_counts_the_calculator_accepts_land_where_a_day_by_day_count_does(fresh_calendar, days):
    start = date(2007, 4, 5)
    assert add_working_days(start, days) == add_by_hand(start, days)


def test_the_first_working_day_of_the_calendar_can_be_reached_and_no_day_before_it(fresh_calendar):
    # 1 January of year 1 was a Monday, and the `holidays` package has no bank holidays that early.
    assert add_working_days(date(1, 1, 2), -1) == date(1, 1, 1)
    assert add_working_days(date(1, 1, 8), -5) == date(1, 1, 1)
    with pytest.raises(OverflowError) as raised:
        add_working_days(date(1, 1, 1), -1)
    assert str(raised.value) == "working-day arithmetic outside the supported calendar"


def test_the_last_working_day_of_the_calendar_can_be_reached_and_no_day_after_it(fresh_calendar):
    # 31 December 9999 is a Friday.
    assert add_working_days(date(9999, 12, 30), 1) == date(9999, 12, 31)
    with pytest.raises(OverflowError) as raised:
        add_working_days(date(9999, 12, 31), 1)
    assert str(raised.value) == "working-day arithmetic outside the supported calendar"
