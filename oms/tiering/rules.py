"""Tier rules: HMPPS 2021 (protect level A-D x change level 0-3) and NOMS 2005 (tiers 1-4).

From `spec/tiering-and-risk.md`, "Tiering". A tier decides how much of an offender manager's time a
case gets, so every result keeps its points breakdown and its reasons in words: the case page shows
why, and a manager overriding a tier can see exactly what they are overriding. Nothing here reads
the database; `services.py` gathers the inputs and records each decision with its reasons.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from oms.calculation_errors import CalculatorInputError
from oms.risk.levels import RiskOfHarmLevel
from oms.risk.needs import CriminogenicNeed, NeedSeverity, weighted_points
from oms.risk.ogrs3 import Gender, Ogrs3Band, band_for_two_year_percent
from oms.tiering.workload import StaffGrade, needs_manager_oversight, recommended_grade

MISSING_MANDATORY_INPUT = "MISSING_MANDATORY_INPUT"
INVALID_INPUT = "INVALID_INPUT"

# ===================================================================================================
# HMPPS 2021
# ===================================================================================================


class ProtectLevel(Enum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"


class ComplexityFactor(Enum):
    """spec: `complexity_factors` — each counts once, however often it is recorded."""

    MENTAL_HEALTH = "mental_health"
    SELF_HARM = "self_harm"
    VULNERABILITY = "vulnerability"
    CHILD_CONCERNS = "child_concerns"
    CHILD_PROTECTION = "child_protection"
    RISK_TO_CHILDREN = "risk_to_children"
    PUBLIC_INTEREST = "public_interest"
    ADULT_AT_RISK = "adult_at_risk"
    STREET_GANGS = "street_gangs"
    TERRORISM = "terrorism"


# spec, protect points: "RSR 7.00-99.99 → 20, 3.00-6.99 → 10". The ranges are read exactly as
# written, both ends included, as hmpps-tier reads them: a figure given to more places that falls
# between two ranges (6.995) is in neither and scores nothing.
RSR_HIGH_FROM = Decimal("7.00")
RSR_HIGH_TO = Decimal("99.99")
RSR_HIGH_POINTS = 20
RSR_MEDIUM_FROM = Decimal("3.00")
RSR_MEDIUM_TO = Decimal("6.99")
RSR_MEDIUM_POINTS = 10
RSR_MAXIMUM = Decimal("99.99")
# spec: "RoSH very high 150, high 20, medium 10" (low and no RoSH: 0)
ROSH_POINTS: dict[RiskOfHarmLevel, int] = {
    RiskOfHarmLevel.VERY_HIGH: 150,
    RiskOfHarmLevel.HIGH: 20,
    RiskOfHarmLevel.MEDIUM: 10,
    RiskOfHarmLevel.LOW: 0,
}
# spec: "MAPPA level 2 or 3 → 150, level 1 → 5"
MAPPA_POINTS: dict[int, int] = {1: 5, 2: 150, 3: 150}
COMPLEXITY_FACTOR_POINTS = 2  # spec: "each complexity factor 2"
# spec: "women only: 2 x (parenting responsibilities) + 2 x (impulsivity or temper control) — these two
# need an assessment — + 2 for previous enforcement activity"
PARENTING_RESPONSIBILITIES_POINTS = 2
IMPULSIVITY_OR_TEMPER_CONTROL_POINTS = 2
PREVIOUS_ENFORCEMENT_ACTIVITY_POINTS = 2
# spec: "A ≥ 150, B 20-149, C 10-19, D < 10"
PROTECT_A_FROM = 150
PROTECT_B_FROM = 20
PROTECT_C_FROM = 10

# spec, change: "≥ 20 → 3, 10-19 → 2, else 1"; "ogrs // 10"; "+ 2 if IOM nominal";
# "no mandate for change → level 0"; "no assessment → level 2".
CHANGE_3_FROM = 20
CHANGE_2_FROM = 10
OGRS_POINTS_DIVISOR = 10
IOM_NOMINAL_POINTS = 2
CHANGE_LEVEL_WITHOUT_MANDATE = 0
CHANGE_LEVEL_WITHOUT_ASSESSMENT = 2
UNSUPERVISED_SUFFIX = "S"  # spec: "with suffix "S" when unsupervised"


@dataclass(frozen=True)
class Tier2021Assessment:
    """The parts of the latest OASys assessment that tiering reads. A need left out is no need."""

    needs: Mapping[CriminogenicNeed, NeedSeverity] = field(default_factory=dict)
    parenting_responsibilities: bool = False
    impulsivity_or_temper_control: bool = False


@dataclass(frozen=True)
class Tier2021Inputs:
    gender: Gender
    has_mandate_for_change: bool
    rsr: Decimal | None = None
    ogrs: int | None = None
    rosh: RiskOfHarmLevel | None = None
    mappa_level: int | None = None
    complexity_factors: frozenset[ComplexityFactor] = frozenset()
    iom_nominal: bool = False
    unsupervised: bool = False
    previous_enforcement_activity: bool = False
    assessment: Tier2021Assessment | None = None


@dataclass(frozen=True)
class Tier2021Result:
    protect_level: ProtectLevel
    protect_points: int
    protect_breakdown: Mapping[str, int]
    change_level: int
    change_points: int
    change_breakdown: Mapping[str, Any]
    change_reason: str
    unsupervised: bool

    @property
    def tier(self) -> str:
        suffix = UNSUPERVISED_SUFFIX if self.unsupervised else ""
        return f"{self.protect_level.value}{self.change_level}{suffix}"

    def as_json(self) -> dict[str, Any]:
        return {
            "tier": self.tier,
            "protect_level": self.protect_level.value,
            "protect_points": self.protect_points,
            "change_level": self.change_level,
            "change_points": self.change_points,
            "breakdown": {
                "protect": dict(self.protect_breakdown),
                "change": {"reason": self.change_reason, **self.change_breakdown},
            },
        }


def rsr_points(rsr: Decimal | None) -> int:
    if rsr is None:
        return 0
    if RSR_HIGH_FROM <= rsr <= RSR_HIGH_TO:
        return RSR_HIGH_POINTS
    if RSR_MEDIUM_FROM <= rsr <= RSR_MEDIUM_TO:
        return RSR_MEDIUM_POINTS
    return 0


def protect_level_for_points(points: int) -> ProtectLevel:
    if points >= PROTECT_A_FROM:
        return ProtectLevel.A
    if points >= PROTECT_B_FROM:
        return ProtectLevel.B
    if points >= PROTECT_C_FROM:
        return ProtectLevel.C
    return ProtectLevel.D


def change_level_for_points(points: int) -> int:
    if points >= CHANGE_3_FROM:
        return 3
    if points >= CHANGE_2_FROM:
        return 2
    return 1


def protect_points_breakdown(inputs: Tier2021Inputs) -> dict[str, int]:
    """Each protect item with its points. RSR and RoSH measure much the same risk, so only the larger
    of the two counts: the smaller is taken off again as ``rsr_rosh_overlap``."""
    from_rsr = rsr_points(inputs.rsr)
    from_rosh = ROSH_POINTS[inputs.rosh] if inputs.rosh is not None else 0
    is_woman = inputs.gender is Gender.FEMALE
    assessment = inputs.assessment
    return {
        "rsr": from_rsr,
        "rosh": from_rosh,
        "rsr_rosh_overlap": -min(from_rsr, from_rosh),
        "mappa": MAPPA_POINTS.get(inputs.mappa_level, 0) if inputs.mappa_level is not None else 0,
        "complexity_factors": COMPLEXITY_FACTOR_POINTS * len(inputs.complexity_factors),
        "parenting_responsibilities": PARENTING_RESPONSIBILITIES_POINTS
        if is_woman and assessment is not None and assessment.parenting_responsibilities
        else 0,
        "impulsivity_or_temper_control": IMPULSIVITY_OR_TEMPER_CONTROL_POINTS
        if is_woman and assessment is not None and assessment.impulsivity_or_temper_control
        else 0,
        "previous_enforcement_activity": PREVIOUS_ENFORCEMENT_ACTIVITY_POINTS
        if is_woman and inputs.previous_enforcement_activity
        else 0,
    }


def tier_2021(inputs: Tier2021Inputs) -> Tier2021Result:
    """The HMPPS 2021 tier, with both breakdowns; the change rules apply in the spec's order."""
    protect_breakdown = protect_points_breakdown(inputs)
    protect_points = sum(protect_breakdown.values())

    change_breakdown: dict[str, Any] = {}
    if not inputs.has_mandate_for_change:
        change_level, change_points = CHANGE_LEVEL_WITHOUT_MANDATE, 0
        change_reason = (
            "No mandate for change: no current event is custodial or has a rehabilitative requirement."
        )
    elif inputs.assessment is None:
        change_level, change_points = CHANGE_LEVEL_WITHOUT_ASSESSMENT, 0
        change_reason = "No assessment: change level 2 until there is one."
    else:
        needs_points = {
            need.value: weighted_points(need, inputs.assessment.needs.get(need, NeedSeverity.NO_NEED))
            for need in CriminogenicNeed
        }
        change_breakdown = {
            "needs": needs_points,
            "ogrs": (inputs.ogrs or 0) // OGRS_POINTS_DIVISOR,
            "iom_nominal": IOM_NOMINAL_POINTS if inputs.iom_nominal else 0,
        }
        change_points = (
            sum(needs_points.values()) + change_breakdown["ogrs"] + change_breakdown["iom_nominal"]
        )
        change_level = change_level_for_points(change_points)
        change_reason = f"{change_points} change points from needs, OGRS and IOM."
    return Tier2021Result(
        protect_level=protect_level_for_points(protect_points),
        protect_points=protect_points,
        protect_breakdown=protect_breakdown,
        change_level=change_level,
        change_points=change_points,
        change_breakdown=change_breakdown,
        change_reason=change_reason,
        unsupervised=inputs.unsupervised,
    )


# --- reading JSON ----------------------------------------------------------------------------------


def _is_missing(payload: Mapping[str, Any], name: str) -> bool:
    return payload.get(name) is None


def _read_bool(payload: Mapping[str, Any], name: str, bad: list[str], prefix: str = "") -> bool:
    value = payload.get(name)
    if value is None:
        return False
    if not isinstance(value, bool):
        bad.append(prefix + name)
        return False
    return value


def _read_level(value: Any, name: str, bad: list[str]) -> RiskOfHarmLevel | None:
    if value is None:
        return None
    try:
        return RiskOfHarmLevel.from_text(str(value))
    except ValueError:
        bad.append(name)
        return None


def _read_mappa_level(value: Any, name: str, bad: list[str]) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in (1, 2, 3):
        bad.append(name)
        return None
    return value


def _read_percent(value: Any, name: str, bad: list[str], maximum: Decimal) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        bad.append(name)
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        bad.append(name)
        return None
    if not number.is_finite() or number < 0 or number > maximum:
        bad.append(name)
        return None
    return number


def _read_gender(payload: Mapping[str, Any], bad: list[str]) -> Gender:
    text = str(payload["gender"]).strip().lower()
    for gender in Gender:
        if gender.value == text:
            return gender
    bad.append("gender")
    return Gender.MALE


def _raise_if_missing(payload: Mapping[str, Any], names: tuple[str, ...]) -> None:
    if not isinstance(payload, Mapping):
        raise CalculatorInputError(INVALID_INPUT, "The input must be a JSON object.", [])
    missing = [name for name in names if _is_missing(payload, name)]
    if missing:
        raise CalculatorInputError(
            MISSING_MANDATORY_INPUT, "Missing mandatory input: " + ", ".join(missing) + ".", missing
        )


def _raise_if_bad(bad: list[str]) -> None:
    if bad:
        raise CalculatorInputError(INVALID_INPUT, "Cannot read: " + ", ".join(bad) + ".", bad)


TIER_2021_MANDATORY_FIELDS = ("gender", "has_mandate_for_change")
OGRS_MAXIMUM = Decimal(100)


def tier_2021_inputs_from_payload(payload: Mapping[str, Any]) -> Tier2021Inputs:
    """Read the JSON object of `oms calc tier-2021`: every missing field first, then every bad one."""
    _raise_if_missing(payload, TIER_2021_MANDATORY_FIELDS)
    bad: list[str] = []
    gender = _read_gender(payload, bad)
    has_mandate = payload["has_mandate_for_change"]
    if not isinstance(has_mandate, bool):
        bad.append("has_mandate_for_change")
    rsr = _read_percent(payload.get("rsr"), "rsr", bad, RSR_MAXIMUM)
    ogrs_percent = _read_percent(payload.get("ogrs"), "ogrs", bad, OGRS_MAXIMUM)
    rosh = _read_level(payload.get("rosh"), "rosh", bad)
    mappa_level = _read_mappa_level(payload.get("mappa_level"), "mappa_level", bad)

    factors: set[ComplexityFactor] = set()
    raw_factors = payload.get("complexity_factors") or []
    if not isinstance(raw_factors, list):
        bad.append("complexity_factors")
        raw_factors = []
    known_factors = {factor.value: factor for factor in ComplexityFactor}
    for index, raw in enumerate(raw_factors):
        factor = known_factors.get(str(raw).strip().lower())
        if factor is None:
            bad.append(f"complexity_factors[{index}]")
        else:
            factors.add(factor)

    assessment: Tier2021Assessment | None = None
    raw_assessment = payload.get("assessment")
    if raw_assessment is not None:
        if not isinstance(raw_assessment, Mapping):
            bad.append("assessment")
        else:
            needs: dict[CriminogenicNeed, NeedSeverity] = {}
            raw_needs = raw_assessment.get("needs") or {}
            if not isinstance(raw_needs, Mapping):
                bad.append("assessment.needs")
                raw_needs = {}
            known_needs = {need.value: need for need in CriminogenicNeed}
            for key, value in raw_needs.items():
                need = known_needs.get(str(key))
                try:
                    need_severity = NeedSeverity.from_text(str(value)) if value is not None else None
                except ValueError:
                    need_severity = None
                if need is None or (value is not None and need_severity is None):
                    bad.append(f"assessment.needs.{key}")
                elif need_severity is not None:
                    needs[need] = need_severity
            assessment = Tier2021Assessment(
                needs=needs,
                parenting_responsibilities=_read_bool(
                    raw_assessment, "parenting_responsibilities", bad, "assessment."
                ),
                impulsivity_or_temper_control=_read_bool(
                    raw_assessment, "impulsivity_or_temper_control", bad, "assessment."
                ),
            )
    iom_nominal = _read_bool(payload, "iom_nominal", bad)
    unsupervised = _read_bool(payload, "unsupervised", bad)
    previous_enforcement = _read_bool(payload, "previous_enforcement_activity", bad)
    _raise_if_bad(bad)
    return Tier2021Inputs(
        gender=gender,
        has_mandate_for_change=bool(has_mandate),
        rsr=rsr,
        ogrs=int(ogrs_percent) if ogrs_percent is not None else None,
        rosh=rosh,
        mappa_level=mappa_level,
        complexity_factors=frozenset(factors),
        iom_nominal=iom_nominal,
        unsupervised=unsupervised,
        previous_enforcement_activity=previous_enforcement,
        assessment=assessment,
    )


def calculate_tier_2021(payload: dict[str, Any]) -> dict[str, Any]:
    """`oms calc tier-2021`: the spec's JSON object in; tier, levels, points and breakdowns out."""
    return tier_2021(tier_2021_inputs_from_payload(payload)).as_json()


# ===================================================================================================
# NOMS 2005
# ===================================================================================================


@dataclass(frozen=True)
class NeedAssessed:
    severity: NeedSeverity
    linked_to_offending: bool


@dataclass(frozen=True)
class Tier2005Inputs:
    rosh: RiskOfHarmLevel | None = None
    mappa_level: int | None = None
    ogrs3_two_year: int | None = None
    ppo: bool = False
    needs: Mapping[CriminogenicNeed, NeedAssessed] = field(default_factory=dict)


@dataclass(frozen=True)
class Tier2005Rules:
    """The decision rules, as configuration. PC65/2005 Annex A is not to hand, so these defaults are the
    spec's: tier 4 if RoH high or very high, or MAPPA level 2 or 3; else tier 3 if RoH medium, OGRS3
    2-year band high or very high, or PPO; else tier 2 if OGRS3 band medium or any need at standard
    or above linked to offending; else tier 1."""

    tier_4_risk_of_harm_levels: frozenset[RiskOfHarmLevel] = frozenset(
        {RiskOfHarmLevel.HIGH, RiskOfHarmLevel.VERY_HIGH}
    )
    tier_4_mappa_levels: frozenset[int] = frozenset({2, 3})
    tier_3_risk_of_harm_levels: frozenset[RiskOfHarmLevel] = frozenset({RiskOfHarmLevel.MEDIUM})
    tier_3_ogrs3_bands: frozenset[Ogrs3Band] = frozenset({Ogrs3Band.HIGH, Ogrs3Band.VERY_HIGH})
    tier_3_if_ppo: bool = True
    tier_2_ogrs3_bands: frozenset[Ogrs3Band] = frozenset({Ogrs3Band.MEDIUM})
    tier_2_need_severities: frozenset[NeedSeverity] = frozenset({NeedSeverity.STANDARD, NeedSeverity.SEVERE})
    tier_2_need_must_be_linked_to_offending: bool = True


DEFAULT_TIER_2005_RULES = Tier2005Rules()


@dataclass(frozen=True)
class Tier2005Result:
    tier: int
    reasons: tuple[str, ...]
    ogrs3_band: Ogrs3Band | None
    recommended_grade: StaffGrade
    manager_oversight_needed: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "tier": self.tier,
            "reasons": list(self.reasons),
            "ogrs3_band": self.ogrs3_band.value if self.ogrs3_band is not None else None,
            "recommended_grade": self.recommended_grade.value,
            "manager_oversight_needed": self.manager_oversight_needed,
        }


def _tier_reasons(
    inputs: Tier2005Inputs, rules: Tier2005Rules, band: Ogrs3Band | None
) -> dict[int, list[str]]:
    """Every rule that holds, grouped by the tier it calls for; the highest tier with a reason wins."""
    reasons: dict[int, list[str]] = {4: [], 3: [], 2: []}
    rosh_words = inputs.rosh.label.lower() if inputs.rosh is not None else ""
    if inputs.rosh in rules.tier_4_risk_of_harm_levels:
        reasons[4].append(f"risk of harm is {rosh_words}")
    if inputs.mappa_level in rules.tier_4_mappa_levels:
        reasons[4].append(f"MAPPA level is {inputs.mappa_level}")
    if inputs.rosh in rules.tier_3_risk_of_harm_levels:
        reasons[3].append(f"risk of harm is {rosh_words}")
    if band is not None and band in rules.tier_3_ogrs3_bands:
        reasons[3].append(f"OGRS3 2-year score is {inputs.ogrs3_two_year}% ({band.value})")
    if rules.tier_3_if_ppo and inputs.ppo:
        reasons[3].append("the offender is a prolific and other priority offender")
    if band is not None and band in rules.tier_2_ogrs3_bands:
        reasons[2].append(f"OGRS3 2-year score is {inputs.ogrs3_two_year}% ({band.value})")
    for need, assessed in inputs.needs.items():
        linked_ok = assessed.linked_to_offending or not rules.tier_2_need_must_be_linked_to_offending
        if assessed.severity in rules.tier_2_need_severities and linked_ok:
            linked = " and linked to offending" if assessed.linked_to_offending else ""
            reasons[2].append(f"{need.label.lower()} is a {assessed.severity.label.lower()} need{linked}")
    return reasons


def tier_2005(inputs: Tier2005Inputs, rules: Tier2005Rules = DEFAULT_TIER_2005_RULES) -> Tier2005Result:
    """The NOMS 2005 tier with every reason for it, and the grade of officer it calls for."""
    band = band_for_two_year_percent(inputs.ogrs3_two_year) if inputs.ogrs3_two_year is not None else None
    by_tier = _tier_reasons(inputs, rules, band)
    tier = next((t for t in (4, 3, 2) if by_tier[t]), 1)
    if tier == 1:
        reasons: tuple[str, ...] = ("Tier 1 because no rule for a higher tier applies",)
    else:
        reasons = tuple(f"Tier {tier} because {reason}" for reason in by_tier[tier])
    grade = recommended_grade(tier, inputs.rosh)
    return Tier2005Result(
        tier=tier,
        reasons=reasons,
        ogrs3_band=band,
        recommended_grade=grade,
        manager_oversight_needed=needs_manager_oversight(tier, grade),
    )


def tier_2005_inputs_from_payload(payload: Mapping[str, Any]) -> Tier2005Inputs:
    """Read ``{"rosh", "mappa_level", "ogrs3_two_year", "ppo", "needs": {need: {"severity",
    "linked_to_offending"}}}``; all may be null or absent except that what is given must be readable."""
    _raise_if_missing(payload, ())
    bad: list[str] = []
    rosh = _read_level(payload.get("rosh"), "rosh", bad)
    mappa_level = _read_mappa_level(payload.get("mappa_level"), "mappa_level", bad)
    ogrs = _read_percent(payload.get("ogrs3_two_year"), "ogrs3_two_year", bad, OGRS_MAXIMUM)
    if ogrs is not None and ogrs != ogrs.to_integral_value():
        bad.append("ogrs3_two_year")
    ppo = _read_bool(payload, "ppo", bad)
    needs: dict[CriminogenicNeed, NeedAssessed] = {}
    raw_needs = payload.get("needs") or {}
    if not isinstance(raw_needs, Mapping):
        bad.append("needs")
        raw_needs = {}
    known_needs = {need.value: need for need in CriminogenicNeed}
    for key, raw in raw_needs.items():
        need = known_needs.get(str(key))
        if need is None or not isinstance(raw, Mapping):
            bad.append(f"needs.{key}")
            continue
        try:
            need_severity = NeedSeverity.from_text(str(raw.get("severity") or "no_need"))
        except ValueError:
            bad.append(f"needs.{key}.severity")
            continue
        linked = _read_bool(raw, "linked_to_offending", bad, f"needs.{key}.")
        needs[need] = NeedAssessed(need_severity, linked)
    _raise_if_bad(bad)
    return Tier2005Inputs(
        rosh=rosh,
        mappa_level=mappa_level,
        ogrs3_two_year=int(ogrs) if ogrs is not None else None,
        ppo=ppo,
        needs=needs,
    )


def calculate_tier_2005(payload: dict[str, Any]) -> dict[str, Any]:
    """`oms calc tier-2005`: the NOMS 2005 tier, reasons in words, and the recommended staff grade."""
    return tier_2005(tier_2005_inputs_from_payload(payload)).as_json()


# --- Overrides (report criterion 1.5; issue "one rule at every door"): lowering the tier of a high or
# very high RoH case, or of a MAPPA case, by two or more tiers is a decision for two people: the
# manager who overrides and a senior manager (ACO) who signs it off. -------------------------------
OVERRIDE_SECOND_SIGN_OFF_FROM_DROP = 2
# A 2021 tier is ranked by its protect level, as the 2005 tier it replaces: A as 4 down to D as 1.
PROTECT_LEVEL_RANK = {"A": 4, "B": 3, "C": 2, "D": 1}


def tier_rank(tier: str) -> int:
    """1-4 for a NOMS 2005 tier ("3") or an HMPPS 2021 tier by its protect level ("B2" -> 3)."""
    if not tier:
        return 1
    if tier[0].isdigit():
        return int(tier[0])
    return PROTECT_LEVEL_RANK.get(tier[0].upper(), 1)


def override_needs_second_sign_off(
    current_tier: str, new_tier: str, risk_of_harm_level: RiskOfHarmLevel | None, mappa_level: int | None
) -> bool:
    """Whether an override lowers a high-RoH or MAPPA case by two or more tiers."""
    serious = bool(mappa_level) or (
        risk_of_harm_level is not None and risk_of_harm_level.at_least(RiskOfHarmLevel.HIGH)
    )
    return serious and tier_rank(current_tier) - tier_rank(new_tier) >= OVERRIDE_SECOND_SIGN_OFF_FROM_DROP
