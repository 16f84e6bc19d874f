"""Section 4 ratings decided beside their evidence, as the report's section 4 pages give it.

The demo once rated 4.2 "Well met" above a table with 11 of 18 measures red: the evidence was a page
away. Here each rated criterion that OMS holds figures for carries them beside the rating, on the
rating page and in the report: 4.1 the organisational risk register, 4.2 the performance measures met,
near missed and missed, 4.4 the workforce (supervision, appraisal, sickness, training).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from oms.organisation.models import Area, Staff
from oms.performance.queries import risk_register, workforce

# The report's criterion 4.2 table: met (green), near miss (amber, marked *), missed (red).
PERFORMANCE_OUTCOMES = {"Green": "met", "Amber": "near_miss", "Red": "missed"}


def performance_evidence(performance: list[dict[str, Any]] | None) -> dict[str, int] | None:
    """Criterion 4.2's evidence beside its rating: how many measures were met, near missed, missed."""
    if performance is None:
        return None
    counts = {"met": 0, "near_miss": 0, "missed": 0, "no_data": 0}
    for row in performance:
        counts[PERFORMANCE_OUTCOMES.get(row["rag"], "no_data")] += 1
    return counts


def performance_lines(performance: list[dict[str, Any]] | None) -> list[str]:
    counts = performance_evidence(performance)
    if counts is None or performance is None:
        return []
    line = (
        f"Of the {len(performance)} performance measures, {counts['met']} met the target, "
        f"{counts['near_miss']} were near misses and {counts['missed']} were missed"
    )
    if counts["no_data"]:
        line += f"; {counts['no_data']} had no data"
    missed = [row["measure"] for row in performance if row["rag"] == "Red"]
    lines = [line + "."]
    if missed:
        lines.append("Missed: " + "; ".join(missed) + ".")
    return lines


def risk_register_lines(area: Area) -> list[str]:
    rated, heat_map = risk_register(area)
    if not rated:
        return ["The organisational risk register holds no open risk."]
    by_rag = heat_map.by_rag
    lines = [
        f"The organisational risk register holds {heat_map.total} open risks: {by_rag.get('red', 0)} red, "
        f"{by_rag.get('amber', 0)} amber, {by_rag.get('green', 0)} green."
    ]
    top = rated[0][0]
    lines.append(f"Highest scored: {top.title} ({top.likelihood} x {top.impact} = {top.score}).")
    return lines


def workforce_lines(area: Area, as_of: date) -> list[str]:
    rows = workforce(Staff.objects.filter(area=area, is_active=True), as_of)
    if not rows:
        return ["No staff are recorded for the area."]
    supervised = [r for r in rows if r.needs_supervision]
    behind_supervision = sum(1 for r in supervised if "supervision" in r.behind)
    behind_appraisal = sum(1 for r in rows if "appraisal" in r.behind)
    sickness = sum((r.sickness_days_last_year for r in rows), Decimal(0)) / len(rows)
    return [
        f"{len(rows)} staff; of the {len(supervised)} with offender contact, {len(supervised) - behind_supervision} "
        f"had the supervision required in the last quarter.",
        f"{len(rows) - behind_appraisal} of {len(rows)} appraised within the year; sickness absence averaged "
        f"{sickness.quantize(Decimal('0.1'))} days a year; {sum(1 for r in rows if 'training' in r.behind)} with "
        "open training needs.",
    ]


def section_4_evidence(
    area: Area, performance: list[dict[str, Any]] | None, as_of: date
) -> dict[str, list[str]]:
    """The evidence lines shown beside each section 4 rating OMS holds figures for."""
    return {
        "4.1": risk_register_lines(area),
        "4.2": performance_lines(performance),
        "4.4": workforce_lines(area, as_of),
    }
