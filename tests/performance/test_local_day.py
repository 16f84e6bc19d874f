"""A contact's day is its day in London, worked out fast (once per UTC hour) and right across the
changes of the clocks."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from oms.performance.measures import _local_day


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        (datetime(2026, 1, 15, 23, 30, tzinfo=UTC), date(2026, 1, 15)),  # GMT: the same day
        (datetime(2026, 6, 30, 23, 30, tzinfo=UTC), date(2026, 7, 1)),  # BST: half past midnight
        (datetime(2026, 3, 29, 0, 59, tzinfo=UTC), date(2026, 3, 29)),  # just before the clocks go forward
        (datetime(2026, 3, 28, 23, 59, tzinfo=UTC), date(2026, 3, 28)),
        (datetime(2026, 10, 24, 23, 0, tzinfo=UTC), date(2026, 10, 25)),  # still BST: midnight on the 25th
        (datetime(2026, 10, 25, 23, 30, tzinfo=UTC), date(2026, 10, 25)),  # GMT again
        (datetime(2026, 7, 1, 9, 0), date(2026, 7, 1)),  # a naive time is taken as it stands
        (date(2026, 7, 1), date(2026, 7, 1)),
    ],
)
def test_a_moment_falls_on_its_day_in_london(moment: datetime | date, day: date) -> None:
    assert _local_day(moment) == day
