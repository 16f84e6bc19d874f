"""HMI Probation's programme as a page reads it: every area, region by region, with its inspection
(or its planned week), published scores and re-inspection due. A fixed number of queries whatever
the number of areas: areas, inspections, and the published inspections' answers and ratings."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from oms.inspection.constants import InspectionKind, InspectionStatus
from oms.inspection.models import Answer, Inspection, Section4Rating
from oms.inspection.programme import (
    CYCLE_WEEKS,
    PROGRAMME_START,
    Milestones,
    cycle_of,
    milestones,
    monday_on_or_after,
    plan_cycle,
    reinspection_due,
)
from oms.inspection.queries import framework_by_id
from oms.inspection.scoring import score_answers
from oms.organisation.models import Area
from oms.organisation.national import region_position

# The thread whose score decides a further focused inspection (framework omi-2007, threads.roh).
ROH_THREAD = "roh"


@dataclass(frozen=True)
class ProgrammeRow:
    area: Area
    status: str  # an InspectionStatus value, or "planned" for a week not yet booked
    status_label: str
    inspection: Inspection | None
    dates: Milestones
    section_scores: list[tuple[str, int | None]] = field(default_factory=list)  # published only
    roh_score: int | None = None
    reinspection_due: date | None = None


@dataclass(frozen=True)
class ProgrammeRegion:
    name: str
    rows: list[ProgrammeRow]


def _published_scores(inspections: list[Inspection]) -> dict[int, dict[str, Any]]:
    """Each published inspection's scores from its stored answers: two queries for all of them."""
    ids = [i.pk for i in inspections]
    payloads: dict[int, dict[str, Any]] = {pk: {"cases": {}, "ratings": {}} for pk in ids}
    for inspection_id, case_id, question_id, value in (
        Answer.objects.filter(sampled_case__inspection_id__in=ids)
        .exclude(value="")
        .values_list("sampled_case__inspection_id", "sampled_case_id", "question_id", "value")
    ):
        payloads[inspection_id]["cases"].setdefault(str(case_id), {})[question_id] = value
    for inspection_id, criterion_id, rating in Section4Rating.objects.filter(
        inspection_id__in=ids
    ).values_list("inspection_id", "criterion_id", "rating"):
        payloads[inspection_id]["ratings"][criterion_id] = rating
    scores = {}
    for inspection in inspections:
        payload = payloads[inspection.pk]
        scores[inspection.pk] = score_answers(
            framework_by_id(inspection.framework_id),
            {
                "cases": [
                    {"case": case, "answers": answers} for case, answers in sorted(payload["cases"].items())
                ],
                "ratings": payload["ratings"],
            },
        )
    return scores


def inspection_programme(today: date) -> list[ProgrammeRegion]:
    """Every area in its region (the spec's order): its latest inspection, or its planned week in
    the current three-year cycle."""
    areas = list(Area.objects.select_related("region"))
    areas.sort(key=lambda a: (region_position(a.region.name), a.region.name, a.name))
    latest: dict[int, Inspection] = {}
    for inspection in Inspection.objects.filter(kind=InspectionKind.INSPECTION).order_by(
        "fieldwork_start", "pk"
    ):
        latest[inspection.area_id] = inspection
    published = [i for i in latest.values() if i.status == InspectionStatus.PUBLISHED]
    scores = _published_scores(published)
    by_region: dict[str, list[Area]] = defaultdict(list)
    for area in areas:
        by_region[area.region.name].append(area)
    planned = {
        week.area: week
        for week in plan_cycle(
            [(region, [a.name for a in members]) for region, members in by_region.items()], cycle_of(today)
        )
    }
    regions = []
    for region, members in by_region.items():
        rows = []
        for area in members:
            found_inspection = latest.get(area.pk)
            if found_inspection is None:
                rows.append(ProgrammeRow(area, "planned", "Planned", None, planned[area.name].milestones))
                continue
            inspection = found_inspection
            dates = milestones(inspection.fieldwork_start, inspection.fieldwork_end, inspection.published_on)
            row = ProgrammeRow(area, inspection.status, inspection.get_status_display(), inspection, dates)
            found = scores.get(inspection.pk)
            if found is not None:
                framework = framework_by_id(inspection.framework_id)
                thread = found["threads"].get(ROH_THREAD, {})
                row = ProgrammeRow(
                    area,
                    inspection.status,
                    inspection.get_status_display(),
                    inspection,
                    dates,
                    section_scores=[
                        (section.title, found["sections"].get(section.id, {}).get("rounded"))
                        for section in framework.scored_sections
                    ],
                    roh_score=thread.get("rounded"),
                    reinspection_due=reinspection_due(inspection.fieldwork_end, thread.get("reinspection")),
                )
            rows.append(row)
        regions.append(ProgrammeRegion(region, rows))
    return regions


def areas_due_an_inspection(today: date) -> list[Area]:
    """The areas HMI Probation's programme has an inspection to come for: not yet inspected in the
    current three-year cycle, or due a further focused inspection (RoH thread below the line); never
    an area whose inspection is already planned or under way. Inspectors create inspections of these
    areas only, so an inspection (and the case grants its sample brings) follows the programme."""
    cycle_start = monday_on_or_after(PROGRAMME_START + timedelta(weeks=CYCLE_WEEKS * (cycle_of(today) - 1)))
    due = []
    for region in inspection_programme(today):
        for row in region.rows:
            inspection = row.inspection
            never_this_cycle = inspection is None or inspection.fieldwork_start < cycle_start
            published = inspection is None or row.status == InspectionStatus.PUBLISHED
            if published and (never_this_cycle or row.reinspection_due is not None):
                due.append(row.area)
    return due
