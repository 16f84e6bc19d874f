"""Reads shared by the risk pages, the case panel and the API: a fixed number of queries per case.

`case_risk_overview` loads every assessment and plan of a case in one query per kind, then works out
in Python what the panel says: the current RoH and OGRS3, the needs, whether a plan is owed, what
awaits countersignature, and how RoH, needs and OGRS3 changed between locked versions (the progress
the report says was rarely measured).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import Any

from django.db.models import QuerySet

from oms.cases.models import Event, Offender
from oms.risk.countersigning import CountersignedDocument, CountersigningEvent, CountersigningStatus
from oms.risk.levels import ALL_CELLS, RiskOfHarmLevel
from oms.risk.models import (
    DOCUMENT_KINDS,
    ReoffendingAssessment,
    RiskManagementPlan,
    RiskOfHarmAnalysis,
    RiskOfHarmScreening,
)
from oms.risk.needs import CriminogenicNeed, severity
from oms.timescales.calendar import add_working_days

# spec/national-standards.md: "RoH screening completed | sentence or release | 5 WD" and
# "risk management plan | ... | 5 WD | medium and above".
SCREENING_WORKING_DAYS = 5
PLAN_FROM_LEVEL = RiskOfHarmLevel.MEDIUM


@dataclass
class Change:
    what: str
    before: str
    after: str


@dataclass
class VersionChanges:
    kind: str
    from_sequence: int
    to_sequence: int
    locked_on: date | None
    changes: list[Change]


@dataclass
class ScreeningDue:
    event: Event
    due: date
    screening: RiskOfHarmScreening | None


@dataclass
class RiskOverview:
    offender: Offender
    documents: dict[str, list[Any]]
    events: list[CountersigningEvent]
    risk_of_harm_level: RiskOfHarmLevel | None
    latest_analysis: RiskOfHarmAnalysis | None
    latest_reoffending: ReoffendingAssessment | None
    latest_plan: RiskManagementPlan | None
    plan_needed: bool
    plan_groups_missing: list[str]
    awaiting_countersignature: list[CountersignedDocument]
    rolled_back: list[CountersignedDocument]
    screenings_due: list[ScreeningDue]
    analysis_needed_not_done: bool
    changes: list[VersionChanges] = field(default_factory=list)


def _latest_locked(documents: list[Any]) -> Any:
    locked = [d for d in documents if d.status == CountersigningStatus.LOCKED]
    return max(locked, key=lambda d: d.sequence) if locked else None


def _label(code: str | None) -> str:
    return RiskOfHarmLevel(code).label if code else "not considered"


def analysis_changes(before: RiskOfHarmAnalysis, after: RiskOfHarmAnalysis) -> list[Change]:
    changes = []
    if before.overall_level != after.overall_level:
        changes.append(Change("Overall RoH", _label(before.overall_level), _label(after.overall_level)))
    for cell in ALL_CELLS:
        old, new = before.levels.get(cell.field_name), after.levels.get(cell.field_name)
        if old != new:
            changes.append(Change(f"Risk to {cell.label.lower()}", _label(old), _label(new)))
    return changes


def reoffending_changes(before: ReoffendingAssessment, after: ReoffendingAssessment) -> list[Change]:
    changes = []
    if before.ogrs3_two_year != after.ogrs3_two_year:
        changes.append(
            Change(
                "OGRS3 two-year",
                f"{before.ogrs3_two_year}% ({before.ogrs3_band})"
                if before.ogrs3_two_year is not None
                else "not scored",
                f"{after.ogrs3_two_year}% ({after.ogrs3_band})"
                if after.ogrs3_two_year is not None
                else "not scored",
            )
        )
    for need in CriminogenicNeed:
        old = (before.needs.get(need.value) or {}).get("score")
        new = (after.needs.get(need.value) or {}).get("score")
        if old != new:
            changes.append(Change(need.label, _need_words(need, old), _need_words(need, new)))
    return changes


def _need_words(need: CriminogenicNeed, score: int | None) -> str:
    if not isinstance(score, int):
        return "not scored"
    return f"{score} ({severity(need, score).label.lower()})"


def _version_changes(kind: str, documents: list[Any], differ: Any) -> list[VersionChanges]:
    locked = sorted(
        (d for d in documents if d.status == CountersigningStatus.LOCKED), key=lambda d: d.sequence
    )
    result = []
    for before, after in pairwise(locked):
        result.append(
            VersionChanges(
                kind,
                before.sequence,
                after.sequence,
                after.locked_at.date() if after.locked_at else None,
                differ(before, after),
            )
        )
    return list(reversed(result))


def documents_of(offender: Offender) -> dict[str, list[Any]]:
    """Every assessment and plan of the case, newest first: one query per kind."""
    result: dict[str, list[Any]] = {}
    for kind, model in DOCUMENT_KINDS.items():
        queryset: QuerySet[Any] = model.objects.filter(offender=offender).select_related(
            "author__grade", "countersigned_by", "event"
        )
        result[kind] = list(queryset.order_by("-sequence"))
    return result


def case_risk_overview(offender: Offender, today: date) -> RiskOverview:
    """Everything the case's risk panel and risk page show, in a fixed number of queries (6)."""
    documents = documents_of(offender)
    events = list(
        CountersigningEvent.objects.filter(offender=offender).select_related("by").order_by("-at", "-id")
    )
    current_events = list(offender.events.filter(is_active=True).order_by("sentence_date"))
    latest_analysis = _latest_locked(documents["analysis"])
    latest_reoffending = _latest_locked(documents["reoffending"])
    plans = documents["plan"]
    latest_plan = plans[0] if plans else None
    level_code = (latest_analysis.overall_level if latest_analysis else "") or offender.risk_of_harm_level
    level = RiskOfHarmLevel(level_code) if level_code else None
    plan_needed = level is not None and level.at_least(PLAN_FROM_LEVEL)
    missing: list[str] = []
    if latest_plan is not None and latest_analysis is not None:
        groups = [g for g in latest_analysis.groups_above_low()]
        missing = [g.label for g in groups if g.value not in latest_plan.groups_addressed]
    all_documents = [d for docs in documents.values() for d in docs]
    screenings = documents["screening"]
    screenings_due = []
    for event in current_events:
        for_event = [s for s in screenings if s.event_id == event.pk]
        screenings_due.append(
            ScreeningDue(
                event,
                add_working_days(event.start_date, SCREENING_WORKING_DAYS),
                max(for_event, key=lambda s: s.sequence) if for_event else None,
            )
        )
    locked_screenings = [s for s in screenings if s.status == CountersigningStatus.LOCKED]
    analysis_needed_not_done = (
        any(s.full_analysis_needed for s in locked_screenings) and latest_analysis is None
    )
    overview = RiskOverview(
        offender=offender,
        documents=documents,
        events=events,
        risk_of_harm_level=level,
        latest_analysis=latest_analysis,
        latest_reoffending=latest_reoffending,
        latest_plan=latest_plan,
        plan_needed=plan_needed,
        plan_groups_missing=missing,
        awaiting_countersignature=[d for d in all_documents if d.status == CountersigningStatus.SUBMITTED],
        rolled_back=[d for d in all_documents if d.status == CountersigningStatus.ROLLED_BACK],
        screenings_due=screenings_due,
        analysis_needed_not_done=analysis_needed_not_done,
    )
    overview.changes = _version_changes(
        "Full RoH analysis", documents["analysis"], analysis_changes
    ) + _version_changes("Likelihood of reoffending", documents["reoffending"], reoffending_changes)
    return overview


def document_rows(document: CountersignedDocument) -> list[tuple[str, str]]:
    """A document's answers as (question, answer) rows for its read-only page."""
    rows: list[tuple[str, str]] = []
    if isinstance(document, RiskOfHarmScreening):
        for group, level in document.indicator_levels.items():
            rows.append((f"Indicator: {group.replace('_', ' ')}", _label(level)))
        for name in (
            "current_offence_violence",
            "current_offence_sexual",
            "previous_serious_harm",
            "mappa_eligible",
            "child_protection_concerns",
            "concerns_from_other_agencies",
        ):
            rows.append((name.replace("_", " ").capitalize(), "Yes" if getattr(document, name) else "No"))
        rows.append(
            (
                "Full analysis needed",
                "Yes: " + "; ".join(document.reasons) if document.full_analysis_needed else "No",
            )
        )
        rows.append(("Notes", document.notes))
    elif isinstance(document, RiskOfHarmAnalysis):
        for cell in ALL_CELLS:
            rows.append((f"Risk to {cell.label.lower()}", _label(document.levels.get(cell.field_name))))
        rows.append(("Overall RoH", _label(document.overall_level)))
        rows.append(("Nature of the risk", document.nature_of_risk))
        used = [
            label
            for flag, label in (
                (document.mappa_assessment_used, "MAPPA"),
                (document.prison_assessment_used, "prison"),
                (document.yot_assessment_used, "YOT"),
            )
            if flag
        ]
        rows.append(("Other agencies' assessments used", ", ".join(used) or "None"))
        rows.append(("Other assessments", document.other_assessments))
        rows.append(("Victim safety issues", document.victim_safety_issues))
    elif isinstance(document, ReoffendingAssessment):
        ogrs = (
            f"{document.ogrs3_one_year}% one year, {document.ogrs3_two_year}% two years ({document.ogrs3_band})"
            if document.ogrs3_two_year is not None
            else "Not scored yet"
        )
        rows.append(("OGRS3", ogrs))
        for row in document.need_rows():
            score = row["score"]
            words = "Not scored" if score is None else f"score {score}, {row['severity'].label.lower()}"
            if row["linked_to_offending"]:
                words += ", linked to offending"
            rows.append((f"{row['need'].oasys_section}. {row['need'].label}", words))
        rows.append(("Positive factors", document.positive_factors))
        rows.append(
            (
                "Risk of self-harm",
                f"{document.get_self_harm_risk_display()} {document.self_harm_notes}".strip(),
            )
        )
        rows.append(("Learning style", document.get_learning_style_display()))
        rows.append(("Motivation", document.get_motivation_display()))
        rows.append(("Literacy need", "Yes" if document.literacy_need else "No"))
        rows.append(("Diversity needs", document.diversity_needs))
    elif isinstance(document, RiskManagementPlan):
        from oms.risk.models import RMP_SECTIONS

        for name, label in RMP_SECTIONS:
            rows.append((label, getattr(document, name)))
        rows.append(
            ("Groups addressed", ", ".join(g.replace("_", " ") for g in document.groups_addressed) or "None")
        )
        for action in document.actions:
            rows.append(("Action", f"{action.get('action')} — {action.get('who')}, by {action.get('by')}"))
        missing = document.groups_not_addressed()
        if missing:
            rows.append(("Not addressed", ", ".join(g.label for g in missing)))
    return rows


def has_completed_roh_screening(offender: Offender) -> bool:
    """Whether an RoH screening of this person has been completed (submitted or locked): what a
    pre-sentence report's RoH section must rest on (report criterion 1.1). One query."""
    return RiskOfHarmScreening.objects.filter(
        offender=offender,
        status__in=(CountersigningStatus.SUBMITTED, CountersigningStatus.LOCKED),
    ).exists()
