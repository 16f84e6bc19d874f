"""The countersigning rules on their own (no database): who must countersign, when the wait is
overdue, and the days a named deputy may countersign. test_countersigning.py shows them at work in
the queue and the services."""

from __future__ import annotations

from datetime import date

import pytest

from oms.risk.countersigning_rules import (
    COUNTERSIGNING_WORKING_DAYS,
    CountersigningConfig,
    countersigning_overdue,
    countersigning_required,
    deputy_in_post,
)

# spec/national-standards.md: "where countersigning is required (high/very high RoH, PSO authors, TPOs)"
RULE = [
    ("PO", "low", False),
    ("PO", "medium", False),
    ("PO", "high", True),
    ("PO", "very_high", True),
    ("PO", None, False),
    ("PSO", "low", True),
    ("TPO", "low", True),
    ("TPO", None, True),
    ("SPO", "medium", False),
]


@pytest.mark.parametrize(("grade", "level", "required"), RULE)
def test_who_must_countersign_by_default(grade: str, level: str | None, required: bool) -> None:
    assert countersigning_required(grade, level) is required


def test_an_area_can_choose_its_own_rule() -> None:
    every_medium_case = CountersigningConfig(frozenset({"medium", "high", "very_high"}), frozenset())
    assert countersigning_required("PO", "medium", every_medium_case)
    assert not countersigning_required("PSO", "low", every_medium_case)


def test_the_standard_gives_the_countersigner_5_working_days() -> None:
    # spec/national-standards.md: "submitted for countersigning | 5 WD"
    assert COUNTERSIGNING_WORKING_DAYS == 5


@pytest.mark.parametrize(("waited", "overdue"), [(0, False), (4, False), (5, False), (6, True), (20, True)])
def test_work_is_overdue_only_after_the_5th_working_day(waited: int, overdue: bool) -> None:
    assert countersigning_overdue(waited) is overdue


FROM, UNTIL = date(2007, 7, 2), date(2007, 7, 13)


@pytest.mark.parametrize(
    ("on", "in_post"),
    [
        (date(2007, 7, 1), False),  # the day before the first day named
        (FROM, True),
        (date(2007, 7, 9), True),
        (UNTIL, True),  # the last day named
        (date(2007, 7, 14), False),
    ],
)
def test_a_deputy_countersigns_from_the_first_to_the_last_day_named(on: date, in_post: bool) -> None:
    assert deputy_in_post(FROM, UNTIL, on) is in_post


def test_a_deputy_named_with_no_end_date_stays_in_post_but_not_before_the_first_day() -> None:
    assert deputy_in_post(FROM, None, date(2030, 1, 1))
    assert not deputy_in_post(FROM, None, date(2007, 7, 1))
