"""The inspection report, in the published report's order, as HTML and (from the same HTML) PDF.

A draft is computed when it is rendered: scores from the stored answers, findings from the question
results ("A RoH screening had been completed in 85% of cases (51 of 60)"), Appendix 1 from the caseload
on its stated day, the performance table over its stated period. Inspectors' own words (summary,
per-criterion text, recommendations) come from the records they edit.

A published report is frozen (``services.publish_report``): rendering it returns the stored version's
bytes, never a recomputation, so a report published on 27 October still says what it said then.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from oms.cases.models import Offender
from oms.cases.queries import caseload_context
from oms.inspection.chart import chart_1_svg
from oms.inspection.constants import IMPROVEMENT_PLAN_DUE_WEEKS, QuestionnaireKind
from oms.inspection.framework import Criterion
from oms.inspection.models import Inspection, PublishedReport
from oms.inspection.queries import framework_of, improvement_plan_due_date, inspection_scores
from oms.inspection.scoring import criterion_findings, reinspection_sentence
from oms.inspection.section4 import performance_evidence, section_4_evidence
from oms.inspection.timetable import caseload_date, performance_period

# spec "Questionnaires": the report's sentence, e.g. "Of the 98 questionnaires sent to offenders, 24
# were completed and returned".
QUESTIONNAIRE_SENTENCE = (
    "Of the {sent} questionnaires sent to {kind}, {returned} were completed and returned."
)
# Where an app later provides the criterion 4.2 performance measures: a callable
# ``area_measures(area, date_from, date_to) -> list[{"measure", "target", "actual", "rag"}]``.
PERFORMANCE_PROVIDERS = ("oms.performance.queries", "oms.standards.queries")
REPORT_CSS = Path(__file__).resolve().parent / "static" / "inspection" / "report.css"


@dataclass
class CriterionPart:
    criterion: Criterion
    result: dict[str, Any]
    strengths: list[str] = field(default_factory=list)
    areas_for_improvement: list[str] = field(default_factory=list)
    to_call: list[str] = field(default_factory=list)  # findings the inspector has not yet called
    narrative: str = ""
    rating: str = ""
    evidence: str = ""


@dataclass
class SectionPart:
    id: str
    title: str
    result: dict[str, Any] | None
    is_rated: bool
    criteria: list[CriterionPart]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _performance_provider() -> Callable[..., list[dict[str, Any]]] | None:
    for module_name in PERFORMANCE_PROVIDERS:
        if find_spec(module_name) is None:
            continue
        provider = getattr(import_module(module_name), "area_measures", None)
        if callable(provider):
            return provider  # type: ignore[no-any-return]
    return None


@dataclass(frozen=True)
class StatedDates:
    """The days a report's figures are stated for: Appendix 1's caseload, the performance period."""

    caseload_as_of: date
    performance_from: date
    performance_to: date

    @property
    def caseload_label(self) -> str:
        """ "end of September 2006" for a month end (as the report says it), else the day."""
        if (self.caseload_as_of + timedelta(days=1)).day == 1:
            return f"end of {self.caseload_as_of:%B %Y}"
        return f"{self.caseload_as_of.day} {self.caseload_as_of:%B %Y}"

    @classmethod
    def default_for(cls, inspection: Inspection, published_on: date) -> StatedDates:
        performance_from, performance_to = performance_period(published_on)
        return cls(caseload_date(inspection.fieldwork_start), performance_from, performance_to)


def report_context(inspection: Inspection, stated: StatedDates | None = None) -> dict[str, Any]:
    """Everything the report template shows, in a fixed number of queries."""
    stated = stated or StatedDates.default_for(inspection, inspection.published_on or timezone.localdate())
    framework = framework_of(inspection)
    scores = inspection_scores(inspection)
    texts = {t.criterion_id: t for t in inspection.report_texts.all()}
    ratings = {r.criterion_id: r for r in inspection.ratings.all()}
    sections: list[SectionPart] = []
    for section in framework.sections:
        parts = []
        for criterion in section.criteria:
            text = texts.get(criterion.id)
            part = CriterionPart(criterion, scores["criteria"].get(criterion.id, {}))
            if not section.is_rated:
                findings = criterion_findings(
                    framework, scores, criterion.id, text.finding_calls if text is not None else None
                )
                part.strengths = findings["strengths"]
                part.areas_for_improvement = findings["areas_for_improvement"]
                part.to_call = findings["to_call"]
            if text is not None:
                part.strengths += _lines(text.strengths)
                part.areas_for_improvement += _lines(text.areas_for_improvement)
                part.narrative = text.narrative
            rating = ratings.get(criterion.id)
            if rating is not None:
                part.rating, part.evidence = rating.rating, rating.evidence
            parts.append(part)
        sections.append(
            SectionPart(
                section.id, section.title, scores["sections"].get(section.id), section.is_rated, parts
            )
        )
    thread_rows = [
        {"name": thread.name, **scores["threads"][thread.id], "reinspection_below": thread.reinspection_below}
        for thread in framework.threads
    ]
    questionnaires = [
        {
            "kind": q.get_kind_display(),
            "sentence": QUESTIONNAIRE_SENTENCE.format(
                sent=q.sent, kind=q.get_kind_display(), returned=q.returned
            ),
            "answers": _lines(q.answers_summary),
        }
        for q in sorted(inspection.questionnaires.all(), key=lambda q: QuestionnaireKind.values.index(q.kind))
    ]
    provider = _performance_provider()
    performance = (
        provider(inspection.area, stated.performance_from, stated.performance_to)
        if provider is not None
        else None
    )
    return {
        "inspection": inspection,
        "area": inspection.area,
        "framework": framework,
        "scores": scores,
        "chart_svg": chart_1_svg(framework, scores),
        "sections": sections,
        "scored_sections": [s for s in sections if not s.is_rated],
        "rated_sections": [s for s in sections if s.is_rated],
        "threads": thread_rows,
        "recommendations": list(inspection.recommendations.all()),
        "plan_due": improvement_plan_due_date(inspection),
        "plan_weeks": IMPROVEMENT_PLAN_DUE_WEEKS,
        "reinspection_sentence": reinspection_sentence(scores, inspection.area.name),
        "questionnaires": questionnaires,
        "performance": performance,
        "performance_evidence": performance_evidence(performance),
        "section_4_evidence": section_4_evidence(inspection.area, performance, stated.performance_to),
        "stated": stated,
        "appendix_1": caseload_context(
            Offender.objects.filter(area_id=inspection.area_id), as_of=stated.caseload_as_of
        ),
        "sample_size": inspection.sampled_cases.count(),
        "generated_on": timezone.localdate(),
    }


@lru_cache(maxsize=1)
def report_stylesheet() -> str:
    return REPORT_CSS.read_text(encoding="utf-8")


def rating_evidence(inspection: Inspection, criterion_id: str) -> list[str]:
    """The evidence beside one section 4 rating on the rating page: the figures the report will state."""
    stated = StatedDates.default_for(inspection, inspection.published_on or timezone.localdate())
    performance = None
    if criterion_id == "4.2" and (provider := _performance_provider()) is not None:
        performance = provider(inspection.area, stated.performance_from, stated.performance_to)
    return section_4_evidence(inspection.area, performance, stated.performance_to).get(criterion_id, [])


def frozen_figures(context: dict[str, Any]) -> dict[str, Any]:
    """What a published version stores beside its bytes: the figures it shows, as JSON."""
    stated: StatedDates = context["stated"]
    return {
        "caseload_as_of": stated.caseload_as_of.isoformat(),
        "performance_period": [stated.performance_from.isoformat(), stated.performance_to.isoformat()],
        "appendix_1": context["appendix_1"],
        "performance": context["performance"],
        "performance_evidence": context["performance_evidence"],
        "section_4_evidence": context["section_4_evidence"],
        "scores": context["scores"],
        "ratings": {
            part.criterion.id: {"rating": part.rating, "evidence": part.evidence}
            for section in context["rated_sections"]
            for part in section.criteria
            if part.rating
        },
        "findings": {
            part.criterion.id: {
                "strengths": part.strengths,
                "areas_for_improvement": part.areas_for_improvement,
                "not_called": part.to_call,
            }
            for section in context["scored_sections"]
            for part in section.criteria
        },
    }


def latest_published(inspection: Inspection) -> PublishedReport | None:
    """The version a published report shows: the latest correction, or the report as first published."""
    return inspection.published_reports.order_by("-number").first()


def render_live_html(
    inspection: Inspection, context: dict[str, Any] | None = None, *, self_contained: bool = True
) -> str:
    """The report computed from the records now (a draft, or the version being published)."""
    context = dict(context or report_context(inspection))
    context["inline_css"] = report_stylesheet() if self_contained else ""
    return render_to_string("inspection/report.html", context)


def render_live_pdf(html: str) -> bytes:
    """The PDF from the same HTML (WeasyPrint), so page and PDF never disagree."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def render_report_html(inspection: Inspection, *, self_contained: bool = True) -> str:
    """The report page. Self-contained (stylesheet inlined) for files and the PDF; linked to the
    static stylesheet when served, as the pages' Content-Security-Policy refuses inline styles.
    A published report returns its stored version."""
    stored = latest_published(inspection)
    if stored is not None:
        return stored.html if self_contained else stored.page_html
    return render_live_html(inspection, self_contained=self_contained)


def render_report_pdf(inspection: Inspection, html: str | None = None) -> bytes:
    """The PDF; a published report's is the stored one."""
    stored = latest_published(inspection)
    if stored is not None:
        return bytes(stored.pdf)
    return render_live_pdf(html or render_live_html(inspection))


def report_filename(inspection: Inspection, extension: str) -> str:
    day: date = inspection.published_on or inspection.fieldwork_start
    slug = inspection.area.name.lower().replace(" ", "-")
    return f"{inspection.kind.replace('_', '-')}-{slug}-{day:%Y-%m}.{extension}"
