"""The working-day calendar for England and Wales, and deadline arithmetic over it.

Every National Standards deadline counted in working days ("WD") goes through this module, so that a
deadline shown on a page, sent in a reminder and counted in a performance measure is the same date.
Bank holidays come from the `holidays` package (subdivision England), never from a hand-kept list,
so substitute days and one-off holidays (a royal funeral, a coronation) are counted without a code
change.

Day 0 is the trigger date whatever day it falls on; "within 5 WD" means the deadline is the 5th
working day after it (spec: national-standards.md, opening paragraph).

The actions-due engine asks for thousands of deadlines at once, so the calendar is precomputed as a
sorted list of working-day ordinals over a span of years, and each question is one or two binary
searches: no `holidays` object is built per call.
"""

from __future__ import annotations

import bisect
import calendar as _gregorian
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import holidays

from oms.calculation_errors import CalculatorInputError

# spec "The working day": bank holidays in England and Wales, from the `holidays` package.
HOLIDAY_COUNTRY = "GB"
HOLIDAY_SUBDIVISION = "ENG"

# Monday=0 .. Friday=4 are working days unless a bank holiday (spec: "Monday to Friday, less bank
# holidays").
LAST_WORKING_WEEKDAY = 4

# How many years either side of a requested year the precomputed index covers when it grows; wide
# enough that a whole caseload is served by one build, small enough to build in milliseconds.
INDEX_MARGIN_YEARS = 5

# The calculators refuse dates and counts beyond these, so a typing slip cannot make the server build
# a calendar of millennia. Wide enough for any sentence, report or archive question.
FIRST_SUPPORTED_YEAR = 1900
LAST_SUPPORTED_YEAR = 2200
MAX_WORKING_DAYS = 20_000  # about 80 years of working days


@cache
def bank_holidays(year: int) -> frozenset[dt.date]:
    """The bank holidays in England and Wales in `year`, cached: the package is slow to build."""
    calendar = holidays.country_holidays(HOLIDAY_COUNTRY, subdiv=HOLIDAY_SUBDIVISION, years=year)
    return frozenset(day for day in calendar if day.year == year)


@dataclass(frozen=True)
class _WorkingDayIndex:
    """Working days of the years `first_year`..`last_year` as sorted ordinals.

    `working_ordinals[i]` is the ordinal of the (i+1)th working day of the span, so the number of
    working days on or before a date is a single `bisect_right`.
    """

    first_year: int
    last_year: int
    working_ordinals: tuple[int, ...]

    @classmethod
    def build(cls, first_year: int, last_year: int) -> _WorkingDayIndex:
        ordinals: list[int] = []
        for year in range(first_year, last_year + 1):
            holidays_in_year = {day.toordinal() for day in bank_holidays(year)}
            start = dt.date(year, 1, 1).toordinal()
            end = dt.date(year, 12, 31).toordinal()
            weekday = dt.date(year, 1, 1).weekday()
            for ordinal in range(start, end + 1):
                if weekday <= LAST_WORKING_WEEKDAY and ordinal not in holidays_in_year:
                    ordinals.append(ordinal)
                weekday = (weekday + 1) % 7
        return cls(first_year, last_year, tuple(ordinals))

    def covers(self, first_year: int, last_year: int) -> bool:
        return self.first_year <= first_year and last_year <= self.last_year


_index: _WorkingDayIndex | None = None


def _index_covering(first_year: int, last_year: int) -> _WorkingDayIndex:
    """The shared index, grown (never shrunk) to cover the years asked for.

    A new index replaces the old one in a single assignment, so a reader in another thread sees
    either the old or the new index, both correct for the years they cover.
    """
    global _index
    index = _index
    if index is not None and index.covers(first_year, last_year):
        return index
    low = first_year - INDEX_MARGIN_YEARS
    high = last_year + INDEX_MARGIN_YEARS
    if index is not None:
        low = min(low, index.first_year)
        high = max(high, index.last_year)
    index = _WorkingDayIndex.build(max(dt.MINYEAR, low), min(dt.MAXYEAR, high))
    _index = index
    return index


def is_working_day(day: dt.date) -> bool:
    """True on a Monday to Friday that is not a bank holiday in England and Wales."""
    if day.weekday() > LAST_WORKING_WEEKDAY:
        return False
    return day not in bank_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The `days`-th working day after `start` (day 0), whatever day `start` is.

    `days == 0` returns `start` unchanged: an "at the trigger" deadline is the trigger date itself.
    A negative count goes back: -1 is the last working day before `start` (so "before release" on a
    Monday is the Friday). `working_days_between(d, add_working_days(d, n)) == n` for every n ≥ 0
    and, when `d` is itself a working day, for every n.
    """
    if days == 0:
        return start
    # A working day is at most a handful of calendar days away on average (5 in 7, less holidays);
    # size the index generously so the answer is in it.
    reach_years = abs(days) // 200 + 1
    if days > 0:
        index = _index_covering(start.year, start.year + reach_years)
        position = bisect.bisect_right(index.working_ordinals, start.toordinal()) + days - 1
    else:
        index = _index_covering(start.year - reach_years, start.year)
        position = bisect.bisect_left(index.working_ordinals, start.toordinal()) + days
    if not 0 <= position < len(index.working_ordinals):  # before year 1 or after 9999
        raise OverflowError("working-day arithmetic outside the supported calendar")
    return dt.date.fromordinal(index.working_ordinals[position])


def working_days_between(start: dt.date, end: dt.date) -> int:
    """The number of working days after `start` up to and including `end`.

    Negative when `end` is before `start` (minus the working days after `end` up to and including
    `start`), so that it is exactly the inverse of `add_working_days` counted from `start`. This is
    the figure an "overdue by N working days" message shows.
    """
    low, high = (start, end) if start <= end else (end, start)
    index = _index_covering(low.year, high.year)
    ordinals = index.working_ordinals
    return bisect.bisect_right(ordinals, end.toordinal()) - bisect.bisect_right(ordinals, start.toordinal())


def add_weeks(start: dt.date, weeks: int) -> dt.date:
    """`start` plus whole calendar weeks: "within 16 weeks" lands on the same weekday as the trigger."""
    return start + dt.timedelta(weeks=weeks)


def add_calendar_days(start: dt.date, days: int) -> dt.date:
    """`start` plus calendar days, weekends and bank holidays included."""
    return start + dt.timedelta(days=days)


def add_months(start: dt.date, months: int) -> dt.date:
    """`start` plus calendar months, kept to the last day of a shorter month (31 Jan + 1 = 28/29 Feb).

    Used for the CJA's "within 12 months" for unpaid work and "one contact a month".
    """
    month_index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(month_index, 12)
    month += 1
    last_day = _gregorian.monthrange(year, month)[1]
    return dt.date(year, month, min(start.day, last_day))


# --- CLI calculators (`oms calc add-working-days`, `oms calc working-days-between`) -------------


def _read_date(payload: Mapping[str, Any], name: str, missing: list[str], invalid: list[str]) -> dt.date:
    value = payload.get(name)
    if value is None:
        missing.append(name)
        return dt.date.min
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            day = None
        if day is not None and FIRST_SUPPORTED_YEAR <= day.year <= LAST_SUPPORTED_YEAR:
            return day
    invalid.append(name)
    return dt.date.min


def _require_object(payload: Any) -> Mapping[str, Any]:
    if not isinstance(payload, Mapping):
        raise CalculatorInputError("INVALID_INPUT", "The input must be a JSON object.", [])
    return payload


def _raise_for(missing: list[str], invalid_dates: list[str], invalid_numbers: list[str]) -> None:
    """One error naming every bad field; the code is that of the first kind of fault found."""
    if not (missing or invalid_dates or invalid_numbers):
        return
    parts = []
    if missing:
        parts.append("missing: " + ", ".join(missing))
    if invalid_dates:
        parts.append(
            f"not a date in the form YYYY-MM-DD between {FIRST_SUPPORTED_YEAR} and {LAST_SUPPORTED_YEAR}: "
            + ", ".join(invalid_dates)
        )
    if invalid_numbers:
        parts.append(f"not a whole number of at most {MAX_WORKING_DAYS}: " + ", ".join(invalid_numbers))
    if missing:
        code = "MISSING_MANDATORY_INPUT"
    elif invalid_dates:
        code = "INVALID_DATE"
    else:
        code = "INVALID_NUMBER"
    raise CalculatorInputError(code, "; ".join(parts) + ".", missing + invalid_dates + invalid_numbers)


def calculate_add_working_days(payload: Any) -> dict[str, str]:
    """`{"date": "2007-04-05", "days": 5}` → `{"date": "2007-04-16"}`: a deadline from a trigger."""
    data = _require_object(payload)
    missing: list[str] = []
    invalid_dates: list[str] = []
    invalid_numbers: list[str] = []
    start = _read_date(data, "date", missing, invalid_dates)
    days = data.get("days")
    if days is None:
        missing.append("days")
    elif isinstance(days, bool) or not isinstance(days, int) or abs(days) > MAX_WORKING_DAYS:
        invalid_numbers.append("days")
    _raise_for(missing, invalid_dates, invalid_numbers)
    assert isinstance(days, int)
    return {"date": add_working_days(start, days).isoformat()}


def calculate_working_days_between(payload: Any) -> dict[str, int]:
    """`{"start": ..., "end": ...}` → `{"days": n}`: working days after start up to and including end."""
    data = _require_object(payload)
    missing: list[str] = []
    invalid_dates: list[str] = []
    start = _read_date(data, "start", missing, invalid_dates)
    end = _read_date(data, "end", missing, invalid_dates)
    _raise_for(missing, invalid_dates, [])
    return {"days": working_days_between(start, end)}
