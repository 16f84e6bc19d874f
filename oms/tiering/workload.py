"""Workload points and capacity for allocation, and the staff grade a case calls for.

From `spec/tiering-and-risk.md`, "Workload (allocation)" and the NOMS 2005 staff grade rule. Every
weight is configuration: an area passes its own `WorkloadWeights`; the defaults are the spec's.
Points are whole numbers and capacity is a percentage, so that a team leader can check a caseload by
hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import Any

from oms.calculation_errors import CalculatorInputError
from oms.risk.levels import RiskOfHarmLevel

INVALID_INPUT = "INVALID_INPUT"
MISSING_MANDATORY_INPUT = "MISSING_MANDATORY_INPUT"
NO_AVAILABLE_POINTS = "NO_AVAILABLE_POINTS"


class CaseType(Enum):
    COMMUNITY = "community"
    LICENCE = "licence"
    CUSTODY = "custody"


class CourtReportType(Enum):
    STANDARD_DELIVERY = "sdr"
    FAST_DELIVERY = "fdr"


class StaffGrade(Enum):
    PROBATION_OFFICER = "PO"
    PROBATION_SERVICES_OFFICER = "PSO"
    TRAINEE_PROBATION_OFFICER = "TPO"

    @property
    def label(self) -> str:
        return {
            StaffGrade.PROBATION_OFFICER: "Probation officer",
            StaffGrade.PROBATION_SERVICES_OFFICER: "Probation services officer",
            StaffGrade.TRAINEE_PROBATION_OFFICER: "Trainee probation officer",
        }[self]


# spec: "Community weights for the 2021 tiers: A3 206, A2 158, ..."
COMMUNITY_WEIGHTS_2021: dict[str, int] = {
    "A3": 206, "A2": 158, "A1": 146, "A0": 110,
    "B3": 146, "B2": 115, "B1": 102, "B0": 72,
    "C3": 79, "C2": 63, "C1": 50, "C0": 35,
    "D3": 51, "D2": 41, "D1": 29, "D0": 29,
}  # fmt: skip
# spec: "(licence A3 219, custody A3 75; others configurable)". The spec gives no other licence or
# custody weights, so a tier without one falls back to its community weight until the area sets it.
LICENCE_WEIGHTS_2021: dict[str, int] = {"A3": 219}
CUSTODY_WEIGHTS_2021: dict[str, int] = {"A3": 75}
# spec: "For NOMS 2005 tiers, default community weights: tier 4 158, tier 3 102, tier 2 50, tier 1 29."
COMMUNITY_WEIGHTS_2005: dict[str, int] = {"4": 158, "3": 102, "2": 50, "1": 29}

# spec: "court reports (SDR 138, FDR 65)"
COURT_REPORT_POINTS: dict[CourtReportType, int] = {
    CourtReportType.STANDARD_DELIVERY: 138,
    CourtReportType.FAST_DELIVERY: 65,
}
# spec: "a nominal 2,176 points for a full-time (37 hours) offender manager"
NOMINAL_POINTS_FULL_TIME = 2176
FULL_TIME_HOURS = 37


@dataclass(frozen=True)
class WorkloadWeights:
    """Points per case by tier and case type. Tiers are keyed as text ("B2", or "1"-"4" for 2005)."""

    community: Mapping[str, int]
    licence: Mapping[str, int] = field(default_factory=dict)
    custody: Mapping[str, int] = field(default_factory=dict)
    court_reports: Mapping[CourtReportType, int] = field(default_factory=lambda: dict(COURT_REPORT_POINTS))
    nominal_points_full_time: int = NOMINAL_POINTS_FULL_TIME
    full_time_hours: int = FULL_TIME_HOURS

    def case_points(self, tier: str | int, case_type: CaseType) -> int:
        key = tier_key(tier)
        table = {
            CaseType.COMMUNITY: self.community,
            CaseType.LICENCE: self.licence,
            CaseType.CUSTODY: self.custody,
        }[case_type]
        if key in table:
            return table[key]
        if key in self.community:
            return self.community[key]
        raise CalculatorInputError(INVALID_INPUT, f"No workload weight for tier {tier}.", ["tier"])


DEFAULT_WEIGHTS_2021 = WorkloadWeights(
    community=COMMUNITY_WEIGHTS_2021, licence=LICENCE_WEIGHTS_2021, custody=CUSTODY_WEIGHTS_2021
)
DEFAULT_WEIGHTS_2005 = WorkloadWeights(community=COMMUNITY_WEIGHTS_2005)


def tier_key(tier: str | int) -> str:
    """The weight table's key for a tier: "B2S" weighs as "B2" (the spec has no unsupervised weights)."""
    key = str(tier).strip().upper()
    if len(key) == 3 and key.endswith("S"):
        key = key[:2]
    return key


@dataclass(frozen=True)
class CaseOnCaseload:
    tier: str | int
    case_type: CaseType


def caseload_points(
    cases: Iterable[CaseOnCaseload],
    court_reports: Mapping[CourtReportType, int] | None = None,
    weights: WorkloadWeights = DEFAULT_WEIGHTS_2021,
) -> int:
    """Total points: every case by tier and type, plus each court report in hand."""
    total = sum(weights.case_points(case.tier, case.case_type) for case in cases)
    for report_type, count in (court_reports or {}).items():
        total += weights.court_reports[report_type] * count
    return total


def available_points(
    contracted_hours: float,
    reduction_percents: Iterable[float] = (),
    weights: WorkloadWeights = DEFAULT_WEIGHTS_2021,
) -> Decimal:
    """The points an offender manager can carry: the nominal full-time figure pro rata to hours, less
    recorded reductions. Reductions add up (20% newly qualified + 10% union duties = 30%) and never
    take the figure below nothing."""
    bad = []
    if contracted_hours is None or contracted_hours < 0:
        bad.append("contracted_hours")
    reductions = list(reduction_percents)
    if any(r is None or r < 0 or r > 100 for r in reductions):
        bad.append("reduction_percents")
    if bad:
        raise CalculatorInputError(
            INVALID_INPUT, "Hours must be 0 or more and each reduction between 0 and 100 percent.", bad
        )
    pro_rata = (
        Decimal(weights.nominal_points_full_time) * Decimal(str(contracted_hours)) / weights.full_time_hours
    )
    remaining = max(Decimal(0), 100 - sum((Decimal(str(r)) for r in reductions), Decimal(0))) / 100
    return (pro_rata * remaining).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def capacity_percent(points: int | Decimal, available: int | Decimal) -> Decimal:
    """Capacity = points / available points, as a percentage to one decimal place (half up)."""
    if Decimal(available) <= 0:
        raise CalculatorInputError(
            NO_AVAILABLE_POINTS,
            "Capacity cannot be worked out: no points are available.",
            ["contracted_hours"],
        )
    return (Decimal(points) * 100 / Decimal(available)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- Staff grade (spec, NOMS 2005: "PSOs hold tiers 1-2 and low/medium RoH tier 3 under a manager's
# oversight; POs hold tiers 3-4 and every high/very high RoH case.") -------------------------------
PSO_HIGHEST_TIER = 2
PSO_WITH_OVERSIGHT_TIER = 3
PO_ONLY_RISK_FROM = RiskOfHarmLevel.HIGH
# Report criterion 1.5 (grade and tier at allocation): trainee probation officers hold tiers 1-2.
TPO_HIGHEST_TIER = 2
# Allocation warns, and asks why, when the offender manager would be above their capacity.
CAPACITY_WARNING_ABOVE_PERCENT = Decimal(100)


def recommended_grade(tier: int, risk_of_harm_level: RiskOfHarmLevel | None) -> StaffGrade:
    """The lowest grade allowed to hold the case, so PO time goes where the rule requires it.

    A low/medium RoH tier 3 case is recommended to a PSO, who may hold it only under a manager's
    oversight (see `needs_manager_oversight`). A case with no RoH level yet is treated as low.
    """
    if risk_of_harm_level is not None and risk_of_harm_level.at_least(PO_ONLY_RISK_FROM):
        return StaffGrade.PROBATION_OFFICER
    if tier <= PSO_WITH_OVERSIGHT_TIER:
        return StaffGrade.PROBATION_SERVICES_OFFICER
    return StaffGrade.PROBATION_OFFICER


def needs_manager_oversight(tier: int, grade: StaffGrade) -> bool:
    """A PSO holding a tier 3 case does so under a manager's oversight."""
    return grade is StaffGrade.PROBATION_SERVICES_OFFICER and tier == PSO_WITH_OVERSIGHT_TIER


def grade_may_hold(grade: StaffGrade, tier: int, risk_of_harm_level: RiskOfHarmLevel | None) -> bool:
    """Whether an allocation is within the rule: POs may hold anything; PSOs tiers 1-3 below high RoH;
    TPOs tiers 1-2 below high RoH."""
    return outside_grade_rules(grade, tier, risk_of_harm_level) is None


def outside_grade_rules(
    grade: StaffGrade, tier: int, risk_of_harm_level: RiskOfHarmLevel | None
) -> str | None:
    """Why a person of this grade may not hold the case under the grade rules, or None when they may.
    (A PSO's tier 3 case is within the rules but needs oversight: `needs_manager_oversight`.)"""
    if grade is StaffGrade.PROBATION_OFFICER:
        return None
    if risk_of_harm_level is not None and risk_of_harm_level.at_least(PO_ONLY_RISK_FROM):
        return f"{risk_of_harm_level.label} RoH cases are held by probation officers"
    highest = PSO_WITH_OVERSIGHT_TIER if grade is StaffGrade.PROBATION_SERVICES_OFFICER else TPO_HIGHEST_TIER
    if tier > highest:
        return f"A {grade.label.lower()} holds cases up to tier {highest}; this case is tier {tier}"
    return None


def calculate_workload(payload: dict[str, Any]) -> dict[str, Any]:
    """JSON face: ``{"framework": "2021"|"2005", "contracted_hours": 37, "reduction_percents": [20],
    "cases": [{"tier": "B2", "case_type": "community"}], "court_reports": {"sdr": 1, "fdr": 0}}``."""
    missing = [name for name in ("contracted_hours",) if payload.get(name) is None]
    if missing:
        raise CalculatorInputError(
            MISSING_MANDATORY_INPUT, "Missing mandatory input: contracted_hours.", missing
        )
    weights = (
        DEFAULT_WEIGHTS_2005 if str(payload.get("framework", "2021")) == "2005" else DEFAULT_WEIGHTS_2021
    )
    bad: list[str] = []
    cases: list[CaseOnCaseload] = []
    for index, raw in enumerate(payload.get("cases") or []):
        try:
            case = CaseOnCaseload(raw["tier"], CaseType(str(raw.get("case_type", "community")).lower()))
            weights.case_points(case.tier, case.case_type)
            cases.append(case)
        except (KeyError, ValueError, TypeError, AttributeError, CalculatorInputError):
            bad.append(f"cases[{index}]")
    reports: dict[CourtReportType, int] = {}
    for name, count in (payload.get("court_reports") or {}).items():
        try:
            reports[CourtReportType(str(name).lower())] = int(count)
        except (ValueError, TypeError):
            bad.append(f"court_reports.{name}")
    if bad:
        raise CalculatorInputError(INVALID_INPUT, "Cannot read: " + ", ".join(bad) + ".", bad)
    points = caseload_points(cases, reports, weights)
    available = available_points(
        payload["contracted_hours"], payload.get("reduction_percents") or [], weights
    )
    return {
        "points": points,
        "available_points": int(available),
        "capacity_percent": float(capacity_percent(points, available)),
    }
