"""The shape of the demo area: Northamptonshire at the end of September 2006 (the report's Appendix 1).

Counts for a caseload of any size are scaled from these, rounding half up, so that the default of
2,338 cases reproduces the report's figures exactly.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

REPORT_CASELOAD = 2338
MAPPA_LEVEL_COUNTS = {1: 123, 2: 42, 3: 12}
PPO_CASES = 69
PERCENT_MALE = Decimal("88.1")
PERCENT_WHITE_OF_KNOWN = Decimal("95.6")
# Not in the report: the share whose ethnicity is "not stated", and the share never asked.
PERCENT_ETHNICITY_NOT_STATED = Decimal("3.5")
PERCENT_ETHNICITY_MISSING = Decimal("2.0")  # the report's "accurate and timely ethnicity data": 98%
APPROVED_PREMISES_BEDS = 23
APPROVED_PREMISES_RESIDENTS = 20
CASES_PER_OFFENDER_MANAGER = 40
# Event mix: community orders, suspended sentence orders, licences, custody (per cent of cases).
EVENT_MIX = {"community_order": 54, "suspended_sentence_order": 16, "licence": 20, "custody": 10}
# Risk of harm among cases not managed at MAPPA level 2 or 3 (per cent).
RISK_OF_HARM_MIX = {"low": 55, "medium": 37, "high": 7, "very_high": 1}
# PPOs are prolific acquisitive offenders: mostly medium RoH, some high (not in the report).
PPO_RISK_OF_HARM_MIX = {"medium": 75, "high": 25}
PERCENT_UNALLOCATED = Decimal("1.0")
PERCENT_TRANSFERRED_IN = Decimal("2.0")
# Former cases kept on record (transferred out or completed), not counted in the caseload.
PERCENT_FORMER_CASES = Decimal("3.0")


def scaled(count: int | Decimal, cases: int, of: int = REPORT_CASELOAD) -> int:
    return int((Decimal(count) * cases / of).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent_of(percent: Decimal, whole: int) -> int:
    return int((percent * whole / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
