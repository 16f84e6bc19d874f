"""The inspection report, in the published report's order, as HTML and (from the same HTML) PDF.

Everything in it is computed when it is rendered: scores from the stored answers, findings from the
question results ("A RoH screening had been completed in 85% of cases (51 of 60)"), Appendix 1 from
the caseload. Inspectors' own words (summary, per-criterion text, recommendations) come from the
records they edit.
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
from oms.inspection.models import Inspection
from oms.inspection.queries import framework_of, improvement_plan_due_date, inspection_scores
from oms.inspection.scoring import criterion_findings, reinspection_sentence

# spec "Questionnaires": the report's sentence, e.g. "Of the 98 questionnaires sent to offenders, 24
# were completed and returned".
QUESTIONNAIRE_SENTENCE = (
    "Of the {sent} questionnaires sent to {kind}, {returned} were completed and returned."
)
# Where an app later provides the criterion 4.2 performance measures: a callable
# ``area_measures(area, date_from, date_to) -> list[{"measure", "target", "actual", "rag"}]``.
PERFORMANCE_PROVIDERS = ("oms.performance.queries", "oms.standards.queries")
PERFORMANCE_PERIOD_DAYS = 365
REPORT_CSS = Path(__file__).resolve().parent / "static" / "inspection" / "report.css"


@dataclass
class CriterionPart:
    criterion: Criterion
    result: dict[str, Any]
    strengths: list[str] = field(default_factory=list)
    areas_for_improvement: list[str] = field(default_factory=list)
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


def report_context(inspection: Inspection) -> dict[str, Any]:
    """Everything the report template shows, in a fixed number of queries."""
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
                findings = criterion_findings(framework, scores, criterion.id)
                part.strengths = findings["strengths"]
                part.areas_for_improvement = findings["areas_for_improvement"]
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
    as_of = inspection.published_on or timezone.localdate()
    performance = (
        provider(inspection.area, as_of - timedelta(days=PERFORMANCE_PERIOD_DAYS), as_of)
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
        "appendix_1": caseload_context(Offender.objects.filter(area_id=inspection.area_id)),
        "sample_size": inspection.sampled_cases.count(),
        "generated_on": timezone.localdate(),
    }


@lru_cache(maxsize=1)
def report_stylesheet() -> str:
    return REPORT_CSS.read_text(encoding="utf-8")


def render_report_html(
    inspection: Inspection, context: dict[str, Any] | None = None, *, self_contained: bool = True
) -> str:
    """The report page. Self-contained (stylesheet inlined) for files and the PDF; linked to the
    static stylesheet when served, as the pages' Content-Security-Policy refuses inline styles."""
    context = dict(context or report_context(inspection))
    context["inline_css"] = report_stylesheet() if self_contained else ""
    return render_to_string("inspection/report.html", context)


def render_report_pdf(inspection: Inspection, html: str | None = None) -> bytes:
    """The PDF from the same HTML (WeasyPrint), so page and PDF never disagree."""
    from weasyprint import HTML

    document = HTML(string=html or render_report_html(inspection))
    pdf: bytes = document.write_pdf()
    return pdf


def report_filename(inspection: Inspection, extension: str) -> str:
    day: date = inspection.published_on or inspection.fieldwork_start
    slug = inspection.area.name.lower().replace(" ", "-")
    return f"{inspection.kind.replace('_', '-')}-{slug}-{day:%Y-%m}.{extension}"
