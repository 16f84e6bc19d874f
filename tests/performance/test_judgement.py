"""spec/inspection.md, Performance measures: met at or beyond target, near miss within 5 points below
(percentages only, with an asterisk), days met at or under target with no near miss; RAG from status."""

from decimal import Decimal

import pytest

from oms.performance.judgement import (
    RAG_FOR_STATUS,
    Direction,
    Rag,
    RiskBands,
    Status,
    Unit,
    judge,
    percentage,
    risk_score,
    shows_asterisk,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("90", Status.MET),
        ("95", Status.MET),
        ("85", Status.NEAR_MISS),
        ("89.9", Status.NEAR_MISS),
        ("84.9", Status.MISSED),
    ],
)
def test_percentage_target_90_met_near_miss_missed(value: str, expected: Status) -> None:
    assert judge(Decimal(value), Decimal(90), Unit.PERCENT, Direction.HIGHER_IS_BETTER) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("9", Status.MET), ("8.5", Status.MET), ("9.1", Status.MISSED), ("11", Status.MISSED)],
)
def test_days_target_met_at_or_under_and_no_near_miss(value: str, expected: Status) -> None:
    assert judge(Decimal(value), Decimal(9), Unit.DAYS, Direction.LOWER_IS_BETTER) is expected


def test_no_value_is_no_data() -> None:
    assert judge(None, Decimal(90), Unit.PERCENT, Direction.HIGHER_IS_BETTER) is Status.NO_DATA
    assert RAG_FOR_STATUS[Status.NO_DATA] is Rag.NONE


def test_rag_and_asterisk_as_the_report() -> None:
    assert RAG_FOR_STATUS[Status.MET] is Rag.GREEN
    assert RAG_FOR_STATUS[Status.NEAR_MISS] is Rag.AMBER
    assert RAG_FOR_STATUS[Status.MISSED] is Rag.RED
    assert shows_asterisk(Status.MET) and shows_asterisk(Status.NEAR_MISS)
    assert not shows_asterisk(Status.MISSED)


def test_percentage_of_nothing_is_none() -> None:
    assert percentage(0, 0) is None
    assert percentage(17, 20) == Decimal("85.0")


@pytest.mark.parametrize(
    ("likelihood", "impact", "rag"),
    [
        (5, 3, Rag.RED),
        (3, 5, Rag.RED),
        (5, 5, Rag.RED),
        (3, 4, Rag.AMBER),
        (2, 4, Rag.AMBER),
        (2, 3, Rag.GREEN),
        (1, 1, Rag.GREEN),
    ],
)
def test_default_risk_bands_red_15_amber_8_green_7(likelihood: int, impact: int, rag: Rag) -> None:
    assert RiskBands().rag(likelihood, impact) is rag


def test_risk_score_is_likelihood_times_impact_on_a_5_by_5_matrix() -> None:
    assert risk_score(4, 4) == 16
    with pytest.raises(ValueError):
        risk_score(6, 1)


def test_area_bands_can_be_set() -> None:
    assert RiskBands(red_from=20, amber_from=10).rag(4, 4) is Rag.AMBER
    with pytest.raises(ValueError):
        RiskBands(red_from=8, amber_from=10)
