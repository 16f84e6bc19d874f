"""Workload points and capacity, from spec/tiering-and-risk.md "Workload (allocation)"."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oms.calculation_errors import CalculatorInputError
from oms.risk.levels import RiskOfHarmLevel
from oms.tiering.workload import (
    DEFAULT_WEIGHTS_2005,
    DEFAULT_WEIGHTS_2021,
    CaseOnCaseload,
    CaseType,
    CourtReportType,
    StaffGrade,
    WorkloadWeights,
    available_points,
    calculate_workload,
    capacity_percent,
    caseload_points,
    grade_may_hold,
    recommended_grade,
)

COMMUNITY, LICENCE, CUSTODY = CaseType.COMMUNITY, CaseType.LICENCE, CaseType.CUSTODY
PO, PSO = StaffGrade.PROBATION_OFFICER, StaffGrade.PROBATION_SERVICES_OFFICER


@pytest.mark.parametrize(
    ("tier", "points"),
    [
        ("A3", 206), ("A2", 158), ("A1", 146), ("A0", 110),
        ("B3", 146), ("B2", 115), ("B1", 102), ("B0", 72),
        ("C3", 79), ("C2", 63), ("C1", 50), ("C0", 35),
        ("D3", 51), ("D2", 41), ("D1", 29), ("D0", 29),
    ],
)  # fmt: skip
def test_community_weights_2021(tier: str, points: int) -> None:
    assert DEFAULT_WEIGHTS_2021.case_points(tier, COMMUNITY) == points


def test_licence_and_custody_a3() -> None:
    assert DEFAULT_WEIGHTS_2021.case_points("A3", LICENCE) == 219
    assert DEFAULT_WEIGHTS_2021.case_points("A3", CUSTODY) == 75


def test_unconfigured_licence_weight_falls_back_to_community() -> None:
    assert DEFAULT_WEIGHTS_2021.case_points("B2", LICENCE) == 115


def test_unsupervised_tier_weighs_as_its_base_tier() -> None:
    assert DEFAULT_WEIGHTS_2021.case_points("B2S", COMMUNITY) == 115


@pytest.mark.parametrize(("tier", "points"), [(4, 158), (3, 102), (2, 50), (1, 29), ("4", 158)])
def test_community_weights_2005(tier: int | str, points: int) -> None:
    assert DEFAULT_WEIGHTS_2005.case_points(tier, COMMUNITY) == points


def test_weights_are_configuration() -> None:
    area = WorkloadWeights(community={"1": 30, "2": 55, "3": 110, "4": 170}, custody={"4": 60})
    assert area.case_points(4, CUSTODY) == 60
    assert area.case_points(4, COMMUNITY) == 170


def test_unknown_tier_is_refused() -> None:
    with pytest.raises(CalculatorInputError) as caught:
        DEFAULT_WEIGHTS_2021.case_points("E9", COMMUNITY)
    assert caught.value.fields == ["tier"]


def test_caseload_points_with_court_reports_sdr_138_fdr_65() -> None:
    cases = [CaseOnCaseload("A3", COMMUNITY), CaseOnCaseload("A3", LICENCE), CaseOnCaseload("D0", CUSTODY)]
    reports = {CourtReportType.STANDARD_DELIVERY: 2, CourtReportType.FAST_DELIVERY: 1}
    assert caseload_points(cases, reports) == 206 + 219 + 29 + 2 * 138 + 65


@pytest.mark.parametrize(
    ("hours", "reductions", "available"),
    [
        (37, [], 2176),  # nominal full time
        (18.5, [], 1088),  # half time
        (37, [20], 1741),  # newly qualified 20%: 1740.8 -> 1741
        (30, [20, 10], 1235),  # 2176 x 30/37 = 1764.32; x 0.7 = 1235.02
        (37, [60, 60], 0),  # never below nothing
    ],
)
def test_available_points(hours: float, reductions: list[float], available: int) -> None:
    assert available_points(hours, reductions) == available


def test_capacity_percent() -> None:
    assert capacity_percent(2176, 2176) == Decimal("100.0")
    assert capacity_percent(1741, 1741) == Decimal("100.0")
    assert capacity_percent(1000, 1741) == Decimal("57.4")
    assert capacity_percent(2500, 2176) == Decimal("114.9")


def test_capacity_with_no_available_points_is_refused() -> None:
    with pytest.raises(CalculatorInputError) as caught:
        capacity_percent(100, 0)
    assert caught.value.code == "NO_AVAILABLE_POINTS"


def test_bad_hours_and_reductions_named_together() -> None:
    with pytest.raises(CalculatorInputError) as caught:
        available_points(-1, [120])
    assert caught.value.fields == ["contracted_hours", "reduction_percents"]


@pytest.mark.parametrize(
    ("tier", "level", "grade"),
    [
        (1, RiskOfHarmLevel.LOW, PSO),
        (2, RiskOfHarmLevel.MEDIUM, PSO),
        (3, RiskOfHarmLevel.LOW, PSO),  # under a manager's oversight
        (3, RiskOfHarmLevel.MEDIUM, PSO),
        (3, RiskOfHarmLevel.HIGH, PO),
        (2, RiskOfHarmLevel.VERY_HIGH, PO),  # every high/very high case
        (4, RiskOfHarmLevel.LOW, PO),
        (4, None, PO),
        (1, None, PSO),
    ],
)
def test_recommended_grade(tier: int, level: RiskOfHarmLevel | None, grade: StaffGrade) -> None:
    assert recommended_grade(tier, level) is grade


def test_a_po_may_hold_anything_a_pso_not_high_risk() -> None:
    assert grade_may_hold(PO, 1, RiskOfHarmLevel.LOW)
    assert not grade_may_hold(PSO, 4, RiskOfHarmLevel.LOW)
    assert not grade_may_hold(PSO, 1, RiskOfHarmLevel.HIGH)


def test_json_face() -> None:
    result = calculate_workload(
        {
            "contracted_hours": 37,
            "reduction_percents": [20],
            "cases": [{"tier": "B2", "case_type": "community"}, {"tier": "A3", "case_type": "licence"}],
            "court_reports": {"sdr": 1},
        }
    )
    assert result == {"points": 115 + 219 + 138, "available_points": 1741, "capacity_percent": 27.1}
