"""The pure sentence planning rules, read against the spec and the report."""

from __future__ import annotations

from datetime import date

import pytest

from oms.planning.rules import (
    ALL_PURPOSES,
    SentencePurpose,
    initial_plan_due,
    is_unpaid_work_only,
    objectives_that_apply,
    purposes_for_tier,
    review_due,
)

P, H, C, K = SentencePurpose.PUNISH, SentencePurpose.HELP, SentencePurpose.CHANGE, SentencePurpose.CONTROL


# spec/tiering-and-risk.md: "Tier 1 punish; tier 2 punish + help; tier 3 punish + help + change;
# tier 4 punish + help + change + control".
@pytest.mark.parametrize(
    ("tier", "purposes"),
    [
        ("1", {P}),
        ("2", {P, H}),
        ("3", {P, H, C}),
        ("4", {P, H, C, K}),
        ("D0", {P}),
        ("D1", {P, H}),
        ("C2", {P, H, C}),
        ("B3", {P, H, C, K}),
        ("A0", {P, K}),
        ("", set(ALL_PURPOSES)),
        (None, set(ALL_PURPOSES)),
    ],
)
def test_each_tier_delivers_its_purposes(tier: str | None, purposes: set[SentencePurpose]) -> None:
    assert purposes_for_tier(tier) == purposes


@pytest.mark.parametrize(
    ("requirements", "only_unpaid_work"),
    [
        (["unpaid_work"], True),
        (["unpaid_work", "unpaid_work"], True),  # two orders, both unpaid work only
        (["unpaid_work", "supervision"], False),
        (["supervision"], False),
        ([], False),  # a licence: no requirements at all
    ],
)
def test_an_unpaid_work_only_case(requirements: list[str], only_unpaid_work: bool) -> None:
    assert is_unpaid_work_only(requirements) is only_unpaid_work


class _Objective:
    def __init__(self, purpose: str) -> None:
        self.purpose = purpose


STANDARD_PLAN = [_Objective(p.value) for p in (P, H, C, K)] + [_Objective("")]


@pytest.mark.parametrize(
    ("tier", "shown"),
    [
        ("1", ["punish", ""]),
        ("2", ["punish", "help", ""]),
        ("3", ["punish", "help", "change", ""]),
        ("4", ["punish", "help", "change", "control", ""]),
    ],
)
def test_report_1_5c_an_unpaid_work_only_plan_shows_only_what_its_tier_delivers(
    tier: str, shown: list[str]
) -> None:
    result = objectives_that_apply(STANDARD_PLAN, tier=tier, current_requirement_types=["unpaid_work"])
    assert [o.purpose for o in result.shown] == shown
    assert len(result.shown) + len(result.left_out) == len(STANDARD_PLAN)
    assert result.unpaid_work_only
    if result.left_out:
        assert "Unpaid work is the only current requirement" in result.reason_left_out


def test_any_other_plan_shows_every_objective() -> None:
    result = objectives_that_apply(
        STANDARD_PLAN, tier="1", current_requirement_types=["unpaid_work", "supervision"]
    )
    assert len(result.shown) == len(STANDARD_PLAN)
    assert not result.left_out
    assert result.reason_left_out == ""


def test_review_every_16_weeks() -> None:
    # spec: "sentence plan review | last plan or review | every 16 weeks"
    assert review_due(date(2026, 1, 5)) == date(2026, 4, 27)


@pytest.mark.parametrize(
    ("kind", "tier", "custody_months", "months_to_release", "due"),
    [
        # 15 working days; 1 June 2026 is a Monday; no bank holiday in the 3 weeks.
        ("community_order", "2", None, None, date(2026, 6, 22)),
        ("licence", "3", None, None, date(2026, 6, 22)),
        ("community_order", "4", None, None, date(2026, 6, 8)),  # tier 4: 5 WD
        ("custody", "3", 18, 9, date(2026, 7, 27)),  # under 2 years to release: 8 weeks
        ("custody", "3", 60, 30, date(2026, 9, 21)),  # else 16 weeks
        ("custody", "3", 6, 3, None),  # custody under 12 months: no plan required
    ],
)
def test_initial_plan_due(
    kind: str, tier: str, custody_months: int | None, months_to_release: int | None, due: date | None
) -> None:
    assert (
        initial_plan_due(
            event_kind=kind,
            start=date(2026, 6, 1),
            tier=tier,
            custody_months=custody_months,
            months_to_release=months_to_release,
        )
        == due
    )
