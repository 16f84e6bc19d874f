"""Risk of serious harm (RoSH) levels, the groups at risk, and the screening rule.

From `spec/tiering-and-risk.md`, "Risk of serious harm (OASys definitions)". The report's first
recommendation is prompt RoH screening: the screening rule below is what decides whether a full
analysis is owed (and so starts its 5-working-day clock), so it returns its reasons, in words, for
the case page and the reminder to quote.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any

from oms.calculation_errors import CalculatorInputError

MISSING_MANDATORY_INPUT = "MISSING_MANDATORY_INPUT"
INVALID_INPUT = "INVALID_INPUT"
# An overall level cannot be given while any group in any setting is still unconsidered: the highest
# of the levels so far might not be the highest of them all.
RISK_GROUP_NOT_CONSIDERED = "RISK_GROUP_NOT_CONSIDERED"


class RiskOfHarmLevel(StrEnum):
    """OASys risk of serious harm levels, lowest first; the value is the stable code.

    Defined here only: models, forms, the tiering rules, sampling and the National Standards engine
    all import it. A StrEnum, so a level equals its stored code ("high" == RiskOfHarmLevel.HIGH).
    """

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very_high"

    @property
    def label(self) -> str:
        return _LEVEL_LABELS[self]

    @property
    def meaning(self) -> str:
        return _LEVEL_MEANINGS[self]

    @property
    def rank(self) -> int:
        """Order of seriousness (0 = low), so that levels can be compared and the highest found."""
        return _LEVEL_ORDER.index(self)

    def at_least(self, other: RiskOfHarmLevel) -> bool:
        return self.rank >= other.rank

    @classmethod
    def from_text(cls, text: str) -> RiskOfHarmLevel:
        """Read a level as staff and the spec write it: "very high", "very_high", "VERY_HIGH"."""
        code = text.strip().lower().replace(" ", "_").replace("-", "_")
        for level in cls:
            if level.value == code:
                return level
        raise ValueError(f"not a risk of harm level: {text!r}")


_LEVEL_ORDER = (RiskOfHarmLevel.LOW, RiskOfHarmLevel.MEDIUM, RiskOfHarmLevel.HIGH, RiskOfHarmLevel.VERY_HIGH)
_LEVEL_LABELS = {
    RiskOfHarmLevel.LOW: "Low",
    RiskOfHarmLevel.MEDIUM: "Medium",
    RiskOfHarmLevel.HIGH: "High",
    RiskOfHarmLevel.VERY_HIGH: "Very high",
}
# For model and form fields: (code, label), lowest first.
RISK_OF_HARM_LEVEL_CHOICES = tuple((level.value, _LEVEL_LABELS[level]) for level in _LEVEL_ORDER)
# spec: the table of levels and their meanings.
_LEVEL_MEANINGS = {
    RiskOfHarmLevel.LOW: "Current evidence does not indicate likelihood of causing serious harm.",
    RiskOfHarmLevel.MEDIUM: (
        "There are identifiable indicators of risk of serious harm. The offender has the potential to "
        "cause serious harm but is unlikely to do so unless there is a change in circumstances."
    ),
    RiskOfHarmLevel.HIGH: (
        "There are identifiable indicators of risk of serious harm. The potential event could happen "
        "at any time and the impact would be serious."
    ),
    RiskOfHarmLevel.VERY_HIGH: (
        "There is an imminent risk of serious harm. The potential event is more likely than not to "
        "happen imminently and the impact would be serious."
    ),
}


class RiskGroup(Enum):
    """Who may be harmed; spec: "Assessed separately for the public, known adults, children, staff
    and prisoners"."""

    PUBLIC = "public"
    KNOWN_ADULT = "known_adult"
    CHILDREN = "children"
    STAFF = "staff"
    PRISONERS = "prisoners"

    @property
    def label(self) -> str:
        return {
            RiskGroup.PUBLIC: "Public",
            RiskGroup.KNOWN_ADULT: "Known adult",
            RiskGroup.CHILDREN: "Children",
            RiskGroup.STAFF: "Staff",
            RiskGroup.PRISONERS: "Prisoners",
        }[self]


class RiskSetting(Enum):
    COMMUNITY = "community"
    CUSTODY = "custody"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True)
class RiskCell:
    """One group in one setting: the unit in which OASys records a level."""

    group: RiskGroup
    setting: RiskSetting

    @property
    def field_name(self) -> str:
        """The name forms and error messages use, e.g. ``known_adult_custody``."""
        return f"{self.group.value}_{self.setting.value}"

    @property
    def label(self) -> str:
        return f"{self.group.label} in {self.setting.value}"


ALL_CELLS: tuple[RiskCell, ...] = tuple(RiskCell(g, s) for s in RiskSetting for g in RiskGroup)
# Risk to prisoners only arises in custody (OASys has no community column for prisoners), so that one
# cell may be left blank; every other group must be considered in both settings.
REQUIRED_CELLS: tuple[RiskCell, ...] = tuple(
    cell
    for cell in ALL_CELLS
    if not (cell.group is RiskGroup.PRISONERS and cell.setting is RiskSetting.COMMUNITY)
)


def overall_level(levels: Iterable[RiskOfHarmLevel]) -> RiskOfHarmLevel:
    """The overall level is the highest of the levels (spec: "The overall level is the highest")."""
    levels = list(levels)
    if not levels:
        raise CalculatorInputError(
            MISSING_MANDATORY_INPUT, "No risk of harm levels given: the overall level needs at least one.", []
        )
    return max(levels, key=lambda level: level.rank)


def overall_level_for_assessment(levels: Mapping[RiskCell, RiskOfHarmLevel | None]) -> RiskOfHarmLevel:
    """The overall level of a full assessment, refused until every group has been considered.

    A blank group is not "low": giving an overall level while a group is unconsidered could hide the
    highest risk, so every unconsidered cell is named in one error.
    """
    unconsidered = [cell.field_name for cell in REQUIRED_CELLS if levels.get(cell) is None]
    if unconsidered:
        labels = ", ".join(cell.label for cell in REQUIRED_CELLS if levels.get(cell) is None)
        raise CalculatorInputError(
            RISK_GROUP_NOT_CONSIDERED,
            f"Risk of serious harm has not been considered for: {labels}.",
            unconsidered,
        )
    return overall_level(level for level in levels.values() if level is not None)


def levels_from_payload(payload: Mapping[str, Any]) -> dict[RiskCell, RiskOfHarmLevel | None]:
    """Read ``{"public": {"community": "high", "custody": "low"}, ...}`` into cells.

    Unreadable levels are all named at once (fields like ``public_community``).
    """
    levels: dict[RiskCell, RiskOfHarmLevel | None] = {}
    unreadable: list[str] = []
    for cell in ALL_CELLS:
        group_levels = payload.get(cell.group.value) or {}
        value = group_levels.get(cell.setting.value) if isinstance(group_levels, Mapping) else None
        if value is None:
            levels[cell] = None
            continue
        try:
            levels[cell] = RiskOfHarmLevel.from_text(str(value))
        except ValueError:
            unreadable.append(cell.field_name)
    if unreadable:
        raise CalculatorInputError(
            INVALID_INPUT, "Risk of harm levels must be low, medium, high or very high.", unreadable
        )
    return levels


def calculate_overall_risk_of_harm(payload: dict[str, Any]) -> dict[str, Any]:
    """JSON face of `overall_level_for_assessment`: levels per group and setting in, overall out."""
    level = overall_level_for_assessment(levels_from_payload(payload))
    return {"overall": level.value, "label": level.label}


# --- Screening (spec: "A screening decides whether a full analysis is needed") -----------------------
SCREENING_INDICATOR_THRESHOLD = RiskOfHarmLevel.MEDIUM  # spec: "any indicator of medium or above"


@dataclass(frozen=True)
class RiskOfHarmScreening:
    """What the screening records. ``indicator_levels`` maps each indicator's name to its level."""

    indicator_levels: Mapping[str, RiskOfHarmLevel]
    current_offence_violence: bool
    current_offence_sexual: bool
    previous_serious_harm: bool
    mappa_eligible: bool
    child_protection_concerns: bool
    concerns_from_other_agencies: bool


@dataclass(frozen=True)
class ScreeningOutcome:
    full_analysis_needed: bool
    reasons: tuple[str, ...]


# spec: "any of: current offence of violence or sex, previous serious harm, MAPPA eligibility, child
# protection concerns, concerns from other agencies" — each with the words the case page shows.
_SCREENING_FACTS = (
    ("current_offence_violence", "The current offence involves violence"),
    ("current_offence_sexual", "The current offence is a sexual offence"),
    ("previous_serious_harm", "There is a history of serious harm"),
    ("mappa_eligible", "The offender is eligible for MAPPA"),
    ("child_protection_concerns", "There are child protection concerns"),
    ("concerns_from_other_agencies", "Other agencies have raised concerns"),
)


def screening_indicates_full_analysis(screening: RiskOfHarmScreening) -> ScreeningOutcome:
    """Whether a full RoH analysis is owed, with every reason that makes it so (none if not)."""
    reasons: list[str] = [
        f"Indicator '{name}' is {level.label.lower()}"
        for name, level in screening.indicator_levels.items()
        if level.at_least(SCREENING_INDICATOR_THRESHOLD)
    ]
    reasons.extend(text for attribute, text in _SCREENING_FACTS if getattr(screening, attribute))
    return ScreeningOutcome(full_analysis_needed=bool(reasons), reasons=tuple(reasons))
