"""Criminogenic needs (OASys sections 3-12) and how a section's score becomes a severity.

From `spec/tiering-and-risk.md`, "Criminogenic needs". The tier 2021 change level weighs these
severities, so the thresholds live here once, beside the need they belong to, and the tiering rules
read them rather than keeping a copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from oms.calculation_errors import CalculatorInputError

INVALID_INPUT = "INVALID_INPUT"


class CriminogenicNeed(Enum):
    """The ten need sections; the value is the stable key the spec and the JSON inputs use."""

    ACCOMMODATION = "accommodation"
    EDUCATION_TRAINING_EMPLOYABILITY = "education_training_employability"
    FINANCIAL_MANAGEMENT = "financial_management"
    RELATIONSHIPS = "relationships"
    LIFESTYLE_ASSOCIATES = "lifestyle_associates"
    DRUG_MISUSE = "drug_misuse"
    ALCOHOL_MISUSE = "alcohol_misuse"
    EMOTIONAL_WELLBEING = "emotional_wellbeing"
    THINKING_BEHAVIOUR = "thinking_behaviour"
    ATTITUDES = "attitudes"

    @property
    def label(self) -> str:
        return _NEED_LABELS[self]

    @property
    def oasys_section(self) -> int:
        """OASys numbers these sections 3 to 12, in the order above."""
        return list(CriminogenicNeed).index(self) + 3


_NEED_LABELS = {
    CriminogenicNeed.ACCOMMODATION: "Accommodation",
    CriminogenicNeed.EDUCATION_TRAINING_EMPLOYABILITY: "Education, training and employability",
    CriminogenicNeed.FINANCIAL_MANAGEMENT: "Financial management and income",
    CriminogenicNeed.RELATIONSHIPS: "Relationships",
    CriminogenicNeed.LIFESTYLE_ASSOCIATES: "Lifestyle and associates",
    CriminogenicNeed.DRUG_MISUSE: "Drug misuse",
    CriminogenicNeed.ALCOHOL_MISUSE: "Alcohol misuse",
    CriminogenicNeed.EMOTIONAL_WELLBEING: "Emotional well-being",
    CriminogenicNeed.THINKING_BEHAVIOUR: "Thinking and behaviour",
    CriminogenicNeed.ATTITUDES: "Attitudes",
}


class NeedSeverity(Enum):
    NO_NEED = "no_need"
    STANDARD = "standard"
    SEVERE = "severe"

    @property
    def points(self) -> int:
        """spec, tier 2021 change: "no_need 0, standard 1, severe 2"."""
        return {NeedSeverity.NO_NEED: 0, NeedSeverity.STANDARD: 1, NeedSeverity.SEVERE: 2}[self]

    @property
    def label(self) -> str:
        return {
            NeedSeverity.NO_NEED: "No need",
            NeedSeverity.STANDARD: "Standard",
            NeedSeverity.SEVERE: "Severe",
        }[self]

    @classmethod
    def from_text(cls, text: str) -> NeedSeverity:
        code = text.strip().lower().replace(" ", "_")
        for severity in cls:
            if severity.value == code:
                return severity
        raise ValueError(f"not a need severity: {text!r}")


@dataclass(frozen=True)
class NeedScoring:
    """One row of the spec's needs table. Thresholds are None where the need is never scored."""

    tier_2021_weight: int
    standard_from: int | None
    severe_from: int | None


# spec: "Criminogenic needs" table — need | weight (tier 2021) | standard ≥ | severe ≥
NEED_SCORING: dict[CriminogenicNeed, NeedScoring] = {
    CriminogenicNeed.ACCOMMODATION: NeedScoring(1, 2, 7),
    CriminogenicNeed.EDUCATION_TRAINING_EMPLOYABILITY: NeedScoring(1, 3, 7),
    CriminogenicNeed.RELATIONSHIPS: NeedScoring(1, 2, 5),
    CriminogenicNeed.LIFESTYLE_ASSOCIATES: NeedScoring(1, 2, 5),
    CriminogenicNeed.DRUG_MISUSE: NeedScoring(1, 2, 8),
    CriminogenicNeed.ALCOHOL_MISUSE: NeedScoring(1, 4, 7),
    CriminogenicNeed.THINKING_BEHAVIOUR: NeedScoring(2, 4, 7),
    CriminogenicNeed.ATTITUDES: NeedScoring(2, 2, 7),
    # Weighted 0 with no thresholds: these sections are assessed but never count towards a tier.
    CriminogenicNeed.FINANCIAL_MANAGEMENT: NeedScoring(0, None, None),
    CriminogenicNeed.EMOTIONAL_WELLBEING: NeedScoring(0, None, None),
}


def severity(need: CriminogenicNeed, score: int) -> NeedSeverity:
    """The severity of a section score. Financial management and emotional well-being are always
    no_need here, because the spec gives them no thresholds for tiering."""
    if isinstance(score, bool) or not isinstance(score, int) or score < 0:
        raise CalculatorInputError(
            INVALID_INPUT, f"The {need.label.lower()} score must be a whole number, 0 or more.", [need.value]
        )
    scoring = NEED_SCORING[need]
    if scoring.severe_from is not None and score >= scoring.severe_from:
        return NeedSeverity.SEVERE
    if scoring.standard_from is not None and score >= scoring.standard_from:
        return NeedSeverity.STANDARD
    return NeedSeverity.NO_NEED


def weighted_points(need: CriminogenicNeed, need_severity: NeedSeverity) -> int:
    """Tier 2021 change points for one need: weight x severity points."""
    return NEED_SCORING[need].tier_2021_weight * need_severity.points
