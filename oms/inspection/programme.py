"""HMI Probation's programme of Offender Management Inspections (report Appendix 2; spec/national.md).

Pure rules: which week each area is inspected in a three-year cycle taken region by region, and the
dates that follow from an inspection: feedback at the end of the fieldwork week, the draft four to
six weeks later, publication about 12 weeks after the inspection, the improvement plan four weeks
after publication, and a further focused inspection about 12 months later where the RoH thread
falls below the line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

# Appendix 2: "The OMI programme started in May 2006."
PROGRAMME_START = date(2006, 5, 1)
# Appendix 2: "All NOMS areas in England and Wales are being inspected over a three year cycle,
# region by region."
CYCLE_WEEKS = 3 * 52
# Appendix 2: "Each inspection takes place over one week" (Monday to Friday).
FIELDWORK_DAYS = 4
# Appendix 2: "A draft report is sent to the area for comment four to six weeks later."
DRAFT_WEEKS = (4, 6)
# Appendix 2: "Publication follows approximately 12 weeks after inspection."
PUBLICATION_WEEKS = 12
# spec/national.md: "the area's improvement plan four weeks after publication".
IMPROVEMENT_PLAN_WEEKS = 4
# spec/national.md: "a further focused inspection about 12 months later where the RoH thread falls
# below the line".
REINSPECTION_WEEKS = 52

# The report's own caution, quoted whenever scores of several areas are shown together.
COMPARISON_CAUTION = (
    "We advise readers of reports against attempting to compare scores area by area. Such "
    "comparisons are not entirely valid as the sizes of samples vary slightly, as does the profile "
    "of cases included in each area's sample. We believe the scoring is best seen as a simple summary "
    "of what we have found in an individual probation area and needs to be seen alongside the full "
    "findings and recommendations of any particular report."
)


@dataclass(frozen=True)
class Milestones:
    """The dates that follow from one inspection's fieldwork week."""

    fieldwork_start: date
    fieldwork_end: date
    feedback_on: date
    draft_from: date
    draft_by: date
    publication_on: date
    improvement_plan_on: date


@dataclass(frozen=True)
class PlannedWeek:
    area: str
    region: str
    cycle: int  # 1 for the first three years from PROGRAMME_START
    milestones: Milestones


def monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def milestones(fieldwork_start: date, fieldwork_end: date, published_on: date | None = None) -> Milestones:
    """Feedback, draft, publication and improvement plan dates; the actual publication if known."""
    publication = published_on or fieldwork_end + timedelta(weeks=PUBLICATION_WEEKS)
    return Milestones(
        fieldwork_start=fieldwork_start,
        fieldwork_end=fieldwork_end,
        feedback_on=fieldwork_end,
        draft_from=fieldwork_end + timedelta(weeks=DRAFT_WEEKS[0]),
        draft_by=fieldwork_end + timedelta(weeks=DRAFT_WEEKS[1]),
        publication_on=publication,
        improvement_plan_on=publication + timedelta(weeks=IMPROVEMENT_PLAN_WEEKS),
    )


def reinspection_due(fieldwork_end: date, roh_below_line: bool | None) -> date | None:
    """About 12 months after the inspection, only where the RoH thread fell below the line."""
    return fieldwork_end + timedelta(weeks=REINSPECTION_WEEKS) if roh_below_line else None


def plan_cycle(
    regions: Sequence[tuple[str, Sequence[str]]], cycle: int = 1, start: date = PROGRAMME_START
) -> list[PlannedWeek]:
    """Every area's fieldwork week in a cycle: regions in the order given, each area of a region in
    turn, the weeks spread evenly over the three years."""
    areas = [(region, area) for region, names in regions for area in names]
    if not areas:
        return []
    spacing = max(1, CYCLE_WEEKS // len(areas))
    first_monday = monday_on_or_after(start + timedelta(weeks=CYCLE_WEEKS * (cycle - 1)))
    planned = []
    for index, (region, area) in enumerate(areas):
        monday = first_monday + timedelta(weeks=index * spacing)
        planned.append(
            PlannedWeek(area, region, cycle, milestones(monday, monday + timedelta(days=FIELDWORK_DAYS)))
        )
    return planned


def cycle_of(day: date, start: date = PROGRAMME_START) -> int:
    """Which three-year cycle a day falls in (1 from the programme's start)."""
    return max(1, (day - start).days // (CYCLE_WEEKS * 7) + 1)
