"""Whether a measure met its target, and where a risk sits on the 5 x 5 matrix. Pure: no Django.

spec/inspection.md, "Performance measures (report criterion 4.2)": "Met" is at or beyond target;
"near miss" is within 5 percentage points below target (for a percentage) and is marked with an
asterisk as the report does; a measure in days is met at or under target and has no near miss.
RAG: green met, amber near miss, red missed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

# spec/inspection.md, Performance measures: "within 5 percentage points below target".
NEAR_MISS_PERCENTAGE_POINTS = Decimal(5)

# The organisational risk matrix: likelihood and impact each 1 to 5 (report 4.1(d): "the Home Office
# recommended matrix and RAG system"). The bands below are a common local convention, not a national
# figure: red at 15 or more, amber 8 to 14, green 7 or less. An area can set its own (RiskMatrixBands).
RISK_SCALE = range(1, 6)
DEFAULT_RED_FROM = 15
DEFAULT_AMBER_FROM = 8


class Status(StrEnum):
    MET = "met"
    NEAR_MISS = "near_miss"
    MISSED = "missed"
    NO_DATA = "no_data"


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NONE = "none"


class Unit(StrEnum):
    PERCENT = "%"
    DAYS = "days"


class Direction(StrEnum):
    """Which way is better: a percentage is met at or above target, days at or below."""

    HIGHER_IS_BETTER = "higher"
    LOWER_IS_BETTER = "lower"


STATUS_LABELS = {
    Status.MET: "Met",
    Status.NEAR_MISS: "Near miss",
    Status.MISSED: "Missed",
    Status.NO_DATA: "No data",
}

RAG_FOR_STATUS = {
    Status.MET: Rag.GREEN,
    Status.NEAR_MISS: Rag.AMBER,
    Status.MISSED: Rag.RED,
    Status.NO_DATA: Rag.NONE,
}


def judge(value: Decimal | None, target: Decimal, unit: Unit, direction: Direction) -> Status:
    """Met, near miss or missed for a value against its target; no data when there is no value."""
    if value is None:
        return Status.NO_DATA
    if direction is Direction.LOWER_IS_BETTER:
        return Status.MET if value <= target else Status.MISSED
    if value >= target:
        return Status.MET
    if unit is Unit.PERCENT and value >= target - NEAR_MISS_PERCENTAGE_POINTS:
        return Status.NEAR_MISS
    return Status.MISSED


def shows_asterisk(status: Status) -> bool:
    """The report's "* Asterisk indicates met target or 'near miss'"."""
    return status in (Status.MET, Status.NEAR_MISS)


@dataclass(frozen=True)
class RiskBands:
    red_from: int = DEFAULT_RED_FROM
    amber_from: int = DEFAULT_AMBER_FROM

    def __post_init__(self) -> None:
        if not 1 <= self.amber_from < self.red_from <= 25:
            raise ValueError("Risk bands need 1 <= amber_from < red_from <= 25")

    def rag(self, likelihood: int, impact: int) -> Rag:
        score = risk_score(likelihood, impact)
        if score >= self.red_from:
            return Rag.RED
        if score >= self.amber_from:
            return Rag.AMBER
        return Rag.GREEN


def risk_score(likelihood: int, impact: int) -> int:
    if likelihood not in RISK_SCALE or impact not in RISK_SCALE:
        raise ValueError("Likelihood and impact are each from 1 to 5")
    return likelihood * impact


def percentage(numerator: int, denominator: int) -> Decimal | None:
    """A percentage to one decimal place, or None when nothing was measured."""
    if denominator <= 0:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"))
