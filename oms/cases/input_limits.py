"""What any text or date a person sends may be, whatever the door (page, API, import, CLI).

Pure: no Django. The API's input schemas, the model guard in `oms/cases/stored_values.py` and the
forms call these, so SQLite (which stores anything) and PostgreSQL (which refuses NUL and over-long
text with a database error) give the same clear answer naming the field.
"""

from __future__ import annotations

from datetime import date, datetime

NUL = "\x00"
# A free-text field holds at most this many characters (about 15,000 words: longer than any report
# section an inspector or offender manager writes). A 2 MB note is a mistake or an attack.
MAXIMUM_TEXT_LENGTH = 100_000
# Dates a probation record can hold: births from 1900, licences ending within two centuries. Date
# arithmetic (working days, months) on a year-9999 date would overflow, so it never gets that far.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)


def text_problem(value: str, max_length: int | None = None) -> str | None:
    """Why this text cannot be stored, or None when it can."""
    if NUL in value:
        return "Remove the NUL character (\\x00): text cannot contain it"
    limit = min(max_length or MAXIMUM_TEXT_LENGTH, MAXIMUM_TEXT_LENGTH)
    if len(value) > limit:
        return f"Enter at most {limit:,} characters (this has {len(value):,})"
    return None


def date_problem(value: date) -> str | None:
    """Why this date (or the day of this time) cannot be a probation record's, or None."""
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        return f"Enter a date between {EARLIEST_DATE:%-d %B %Y} and {LATEST_DATE:%-d %B %Y}"
    return None
