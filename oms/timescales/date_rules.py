"""One rule for dates, everywhere: what makes a date possible for what it records.

Every form and the API ask this module, so a date of birth in 2030, a sentence passed on an
11-year-old, a victim contact offer dated 2099 or an agreement "recorded" next year are refused with
the same words wherever they are typed. Appointments at night or at the weekend are not refused
(an approved premises may see someone on a Sunday) but warned about before they are booked.

Pure: no Django. `today` is always passed in, so the rules are testable on any date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

# Nobody OMS records was born, sentenced or assessed before this day.
EARLIEST_PLAUSIBLE = dt.date(1900, 1, 1)
# The age of criminal responsibility in England and Wales (Children and Young Persons Act 1933, s.50):
# nobody younger is sentenced, so nobody younger is on an offender manager's caseload.
MINIMUM_AGE_YEARS = 10
# How far ahead a date for something planned (a review, a target, a hearing, a licence end) may be.
# Life licences aside, orders and licences run for at most a few decades; 2099 is a typing error.
LATEST_PLANNED_YEARS = 30

# Appointments: offices are open Monday to Friday, 08:00 to 20:00 (the reporting centre's late
# evening for people in work). Outside that, or at the weekend, booking asks "are you sure?".
OFFICE_OPENS = dt.time(8, 0)
OFFICE_CLOSES = dt.time(20, 0)
LAST_OFFICE_WEEKDAY = 4  # Friday


class DateKind(Enum):
    """What a date records, which decides the dates it may take."""

    DATE_OF_BIRTH = "date_of_birth"  # 1900 .. 10 years ago
    HAPPENED = "happened"  # something done or received: 1900 .. today
    ANY = "any"  # a plan or a deadline: 1900 .. 30 years ahead


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def _years_after(day: dt.date, years: int) -> dt.date:
    return _years_before(day, -years)


def long_date(day: dt.date) -> str:
    """The one date format of the service: "8 July 2026"."""
    return f"{day.day} {day:%B %Y}"


def date_problem(value: dt.date, kind: DateKind, today: dt.date, what: str) -> str | None:
    """The message for a date that cannot be right for `what` (a label such as "Date of birth"), or None."""
    if kind is DateKind.DATE_OF_BIRTH:
        if value > today:
            return f"{what} must be in the past"
        youngest = _years_before(today, MINIMUM_AGE_YEARS)
        if value > youngest:
            return (
                f"{what} must be on or before {long_date(youngest)}: "
                f"nobody under {MINIMUM_AGE_YEARS} is on probation"
            )
    if value < EARLIEST_PLAUSIBLE:
        return f"{what} must be on or after {long_date(EARLIEST_PLAUSIBLE)}"
    if kind is DateKind.HAPPENED and value > today:
        return f"{what} must be today or in the past"
    latest = _years_after(today, LATEST_PLANNED_YEARS)
    if kind is DateKind.ANY and value > latest:
        return f"{what} must be on or before {long_date(latest)}"
    return None


def age_problem(date_of_birth: dt.date, on: dt.date, what: str) -> str | None:
    """A date in the person's life (a sentence, an offence) before they were old enough to be sentenced."""
    tenth_birthday = _years_after(date_of_birth, MINIMUM_AGE_YEARS)
    if on < tenth_birthday:
        return (
            f"{what} must be on or after {long_date(tenth_birthday)}, the person's "
            f"{MINIMUM_AGE_YEARS}th birthday: nobody younger is sentenced"
        )
    return None


@dataclass(frozen=True)
class AppointmentWarning:
    text: str


def appointment_warnings(starts_at: dt.datetime) -> list[AppointmentWarning]:
    """Why an appointment time looks wrong (a Sunday, 03:00): shown before booking, never a refusal."""
    warnings = []
    if starts_at.weekday() > LAST_OFFICE_WEEKDAY:
        warnings.append(AppointmentWarning(f"{long_date(starts_at.date())} is a {starts_at:%A}"))
    clock = starts_at.time()
    if clock < OFFICE_OPENS or clock >= OFFICE_CLOSES:
        warnings.append(
            AppointmentWarning(
                f"{starts_at:%H:%M} is outside office hours ({OFFICE_OPENS:%H:%M} to {OFFICE_CLOSES:%H:%M})"
            )
        )
    return warnings
