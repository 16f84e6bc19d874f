"""The report (HTML and PDF, with Chart 1, Tables 1 and 2 and Appendix 1), the improvement plan after
publication with its reminders, the self-assessment, and the API's live scores."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from oms.cases.models import Offender
from oms.cases.queries import caseload_context
from oms.cases.services import CaseRuleError
from oms.inspection import services
from oms.inspection.constants import InspectionKind, InspectionStatus, QuestionnaireKind
from oms.inspection.models import Inspection
from oms.inspection.queries import (
    framework_by_id,
    framework_of,
    improvement_plan_reminders,
    inspection_scores,
)
from oms.inspection.report import render_report_html, render_report_pdf
from tests.inspection.conftest import SAMPLE_DATE, InspectionWorld, add_caseload

FRAMEWORK = framework_by_id("omi-2007")
SVG = re.compile(r"<svg.*?</svg>", re.DOTALL)


def client_for(user_id: int) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(pk=user_id))
    return client


def assessed_inspection(iw: InspectionWorld) -> Inspection:
    """Sampled, in fieldwork, every case answered (1.2.a yes in two cases of three), rated, with
    questionnaires, a recommendation and an inspector's narrative."""
    lead = iw.lead.user
    services.store_sample(lead, iw.inspection, method="omi", size=12, seed="r", as_of=SAMPLE_DATE)
    iw.inspection.refresh_from_db()
    services.change_status(lead, iw.inspection, InspectionStatus.FIELDWORK, iw.inspection.version)
    for index, sampled in enumerate(iw.inspection.sampled_cases.select_related("offender")):
        answers = [
            services.AnswerInput(q, "yes" if (index + n) % 3 else "no")
            for n, q in enumerate(FRAMEWORK.questions_by_id)
            if not q.startswith("4.")
        ]
        services.save_answers(lead, sampled, answers)
    for criterion_id in ("4.1", "4.2"):
        services.rate_criterion(
            lead, iw.inspection, criterion_id, "satisfactorily met", "Managers led well.", None
        )
    services.record_questionnaire(
        lead, iw.inspection, QuestionnaireKind.OFFENDERS, sent=98, returned=24,
        answers_summary="Most comments were positive.", expected_version=None,
    )  # fmt: skip
    services.add_recommendation(lead, iw.inspection, "RoH screening is completed promptly in all cases")
    services.save_report_text(
        lead, iw.inspection, "1.2", strengths="", areas_for_improvement="Victim safety needed more attention",
        narrative="Practice varied between teams.", expected_version=None,
    )  # fmt: skip
    iw.inspection.refresh_from_db()
    return iw.inspection


def test_report_html_has_chart_1_tables_and_appendix_1(inspection_world: InspectionWorld) -> None:
    inspection = assessed_inspection(inspection_world)
    html = render_report_html(inspection)
    assert 'aria-label="Chart 1: criterion scores with the priority line"' in html
    assert "Table 1: Section 4" in html and "Table 2: Thread scores" in html
    assert "Satisfactorily met" in html and "Not yet rated" in html
    assert "Of the 98 questionnaires sent to offenders, 24 were completed and returned." in html
    assert "RoH screening is completed promptly in all cases" in html
    assert "Victim safety needed more attention" in html and "Practice varied between teams." in html
    scores = inspection_scores(inspection)
    assert f"{scores['threads']['roh']['rounded']}%" in html
    counts = scores["questions"]["1.2.a"]
    assert f"({counts['yes']} of {counts['yes'] + counts['no']})" in html
    figures = caseload_context(Offender.objects.filter(area=inspection.area))
    appendix = html[html.index('id="appendix-1"') :]
    assert f'<td class="number">{figures["total_caseload"]}</td>' in appendix
    assert f"{figures['percent_male']}%" in appendix
    table = html[html.index('id="table-performance"') :]
    assert "Enforcement: breach taken where required within ten working days" in table
    assert "90%" in table and "Staff sickness absence, average days a year" in table
    assert "improvement plan addressing the recommendations" in html
    assert "There will not be a further focused inspection in Northamptonshire." in html or (
        "A further focused inspection will be carried out in Northamptonshire" in html
    )


def test_the_same_chart_svg_in_the_page_and_the_report(inspection_world: InspectionWorld) -> None:
    inspection = assessed_inspection(inspection_world)
    page = client_for(inspection_world.lead.user_id).get(f"/inspection/{inspection.pk}/").content.decode()
    report = render_report_html(inspection)
    assert SVG.search(page).group(0) == SVG.search(report).group(0)  # type: ignore[union-attr]
    # The page's Content-Security-Policy refuses inline styles: the chart carries none.
    assert 'style="' not in SVG.search(page).group(0)  # type: ignore[union-attr]


def test_pdf_renders_and_the_cli_writes_both_formats(
    inspection_world: InspectionWorld, tmp_path: Path
) -> None:
    inspection = assessed_inspection(inspection_world)
    assert render_report_pdf(inspection).startswith(b"%PDF")
    for extension in ("html", "pdf"):
        out = tmp_path / f"report.{extension}"
        call_command(
            "inspection", "report", "--inspection", str(inspection.pk), "--format", extension, "--out", str(out),
            stderr=StringIO(),
        )  # fmt: skip
        assert out.stat().st_size > 1000
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    # On the web, a report not yet published gets its PDF from a background job (test_report_pdf_job).
    asked = client_for(inspection_world.lead.user_id).get(f"/inspection/{inspection.pk}/report.pdf")
    assert "Make the PDF" in asked.content.decode()


def test_publication_starts_the_improvement_plan_and_its_reminders(inspection_world: InspectionWorld) -> None:
    inspection = assessed_inspection(inspection_world)
    lead = inspection_world.lead.user
    recommendation = inspection.recommendations.get()
    aco = inspection_world.world.staff["aco"]
    with pytest.raises(CaseRuleError, match="starts when the report is published"):
        services.add_action(lead, recommendation, action="Audit screenings", owner=aco)
    services.change_status(lead, inspection, InspectionStatus.DRAFT, inspection.version)
    services.change_status(lead, inspection, InspectionStatus.PUBLISHED, inspection.version)
    action = services.add_action(lead, recommendation, action="Audit screenings monthly", owner=aco)
    assert inspection.published_on is not None
    assert action.due_date == inspection.published_on + timedelta(weeks=4)
    assert improvement_plan_reminders(inspection.published_on) == []
    due = improvement_plan_reminders(action.due_date - timedelta(days=2))
    assert {r.what.split(" (")[0] for r in due} >= {"Improvement plan action for recommendation 1"}
    assert all(r.staff_id == aco.pk for r in due)
    overdue = improvement_plan_reminders(action.due_date + timedelta(days=1))
    assert all(r.overdue for r in overdue)
    # The daily `oms remind` digest tells the owner.
    from django.core import mail
    from django.core.management import call_command

    call_command("remind", "--as-of", str(action.due_date + timedelta(days=1)), stdout=io.StringIO())
    to_owner = [m for m in mail.outbox if m.to == [aco.email]]
    assert to_owner and "Audit screenings monthly" in to_owner[0].body and "OVERDUE" in to_owner[0].body
    # The owner (ACO) records progress; the inspectorate sees it on the inspection page.
    aco_client = client_for(aco.user_id)
    response = aco_client.post(
        f"/inspection/{inspection.pk}/plan/{action.pk}/",
        {"progress": "First audit done", "done": "on", "version": str(action.version)},
    )
    assert response.status_code == 302
    page = client_for(inspection_world.lead.user_id).get(f"/inspection/{inspection.pk}/").content.decode()
    assert "First audit done" in page and "Done" in page
    # The plan is the area's: the lead inspector is not offered the owner's Update (it would refuse).
    update = f'href="/inspection/{inspection.pk}/plan/{action.pk}/"'
    assert update not in page and "Add an action" in page
    assert update in aco_client.get(f"/inspection/{inspection.pk}/").content.decode()
    assert improvement_plan_reminders(action.due_date) == []  # done: nothing more to remind


def test_self_assessment_by_the_area_shows_likely_scores_and_cases_below_the_line(
    inspection_world: InspectionWorld,
) -> None:
    world = inspection_world.world
    aco = client_for(world.staff["aco"].user_id)
    assert client_for(world.staff["om"].user_id).get("/inspection/self-assessment/new/").status_code == 403
    bad = aco.post(
        "/inspection/self-assessment/new/", {"fieldwork_start": "2026-11-27", "fieldwork_end": "2026-11-01"}
    )
    assert "must end on or after the day it starts" in bad.content.decode()
    created = aco.post(
        "/inspection/self-assessment/new/", {"fieldwork_start": "2026-11-27", "fieldwork_end": "2026-12-20"}
    )
    assert created.status_code == 302
    assessment = Inspection.objects.get(kind=InspectionKind.SELF_ASSESSMENT)
    sampled = aco.post(
        f"/inspection/{assessment.pk}/sample/",
        {"method": "stratified", "size": "10", "seed": "self", "as_of": "2026-11-27"},
    )
    assert sampled.status_code == 302
    assessment.refresh_from_db()
    aco.post(f"/inspection/{assessment.pk}/status/", {"status": "fieldwork", "version": assessment.version})
    first = assessment.sampled_cases.select_related("offender").first()
    assert first is not None
    response = aco.post(
        f"/inspection/{assessment.pk}/cases/{first.offender.crn}/", {"criterion": "1.2", "answer-1.2.s": "no"}
    )
    assert response.status_code == 302
    page = aco.get(f"/inspection/{assessment.pk}/").content.decode()
    assert "Likely scores" in page
    assert "Cases that fall below the line" in page
    below = page[page.index("Cases that fall below the line") :]
    assert f"{first.offender.crn}</a>: answered no to" in below, below[:1500]
    # The question's words are beside its id.
    question = framework_of(assessment).criterion("1.2").all_questions[-1]
    assert f"<li>{question.id}: {question.text}</li>" in below.replace("&#x27;", "'")
    # An inspector from outside has no business here.
    assert client_for(inspection_world.lead.user_id).get(f"/inspection/{assessment.pk}/").status_code == 403


def test_inspection_page_runs_the_same_queries_for_a_small_and_a_large_sample(
    inspection_world: InspectionWorld,
) -> None:
    add_caseload(inspection_world.world, 40)
    client = client_for(inspection_world.lead.user_id)
    counts = []
    for size in (5, 40):
        services.store_sample(
            inspection_world.lead.user,
            inspection_world.inspection,
            method="omi",
            size=size,
            seed="p",
            as_of=SAMPLE_DATE,
        )
        client.get(f"/inspection/{inspection_world.inspection.pk}/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/inspection/{inspection_world.inspection.pk}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_api_gives_live_scores_to_the_team_only(inspection_world: InspectionWorld) -> None:
    inspection = assessed_inspection(inspection_world)
    lead = client_for(inspection_world.lead.user_id)
    scores = lead.get(f"/api/v1/inspections/{inspection.pk}/scores").json()
    assert scores == inspection_scores(inspection)
    progress = lead.get(f"/api/v1/inspections/{inspection.pk}/progress").json()
    assert progress["cases"] == 12 and progress["cases_done"] == 12
    om = client_for(inspection_world.world.staff["om"].user_id)
    assert om.get(f"/api/v1/inspections/{inspection.pk}/scores").status_code == 404
    assert om.get("/api/v1/inspections/").json() == []
