"""A published report never changes: publishing stores the rendered report (HTML, page, PDF) with its
figures, stated dates and SHA-256s; rendering it again returns those bytes whatever happens to the
records; a correction is a new version with its reason, the earlier one kept (issue 14)."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from oms.cases.services import CaseRuleError
from oms.inspection import services
from oms.inspection.constants import InspectionStatus
from oms.inspection.models import Answer, PublishedReport
from oms.inspection.queries import framework_by_id, improvement_plan_reminders
from oms.inspection.report import render_report_html, render_report_pdf
from oms.inspection.scoring import strength_sentence
from oms.inspection.timetable import caseload_date, performance_period, timetable
from tests.factories import make_case
from tests.inspection.conftest import InspectionWorld
from tests.inspection.test_report_and_plan import assessed_inspection, client_for


def published(iw: InspectionWorld) -> PublishedReport:
    inspection = assessed_inspection(iw)
    lead = iw.lead.user
    services.change_status(lead, inspection, InspectionStatus.DRAFT, inspection.version)
    services.change_status(lead, inspection, InspectionStatus.PUBLISHED, inspection.version)
    return inspection.published_reports.get()


def test_rerendering_a_published_report_after_the_records_change_gives_the_same_bytes(
    inspection_world: InspectionWorld, tmp_path: Path
) -> None:
    version = published(inspection_world)
    inspection = version.inspection
    html, pdf = render_report_html(inspection), render_report_pdf(inspection)
    assert hashlib.sha256(html.encode()).hexdigest() == version.html_sha256
    assert hashlib.sha256(pdf).hexdigest() == version.pdf_sha256
    # The records move on: more cases, every answer turned to "no", a new rating and a new summary.
    for _ in range(5):
        make_case(inspection.area, inspection_world.world.staff["om"])
    Answer.objects.filter(sampled_case__inspection=inspection).update(value="no")
    lead = inspection_world.lead.user
    services.rate_criterion(lead, inspection, "4.3", "not met", "Found later.", None)
    inspection.refresh_from_db()
    services.save_summary(
        lead, inspection, summary="Rewritten", good_practice="", expected_version=inspection.version
    )
    assert render_report_html(inspection) == html
    assert render_report_pdf(inspection) == pdf
    page = client_for(inspection_world.lead.user_id).get(f"/inspection/{inspection.pk}/report.html")
    assert page.content.decode() == version.page_html
    assert "Rewritten" not in page.content.decode()
    out = tmp_path / "report.pdf"
    call_command(
        "inspection", "report", "--inspection", str(inspection.pk), "--format", "pdf", "--out", str(out),
        stderr=StringIO(),
    )  # fmt: skip
    assert hashlib.sha256(out.read_bytes()).hexdigest() == version.pdf_sha256


def test_the_published_report_states_the_caseload_day_and_the_performance_period(
    inspection_world: InspectionWorld,
) -> None:
    version = published(inspection_world)
    inspection = version.inspection
    # Fieldwork began on 26 November 2026: Appendix 1 counts the caseload at the end of October.
    assert version.caseload_as_of == date(2026, 10, 31)
    assert "Caseload at end of October 2026." in version.html
    assert (version.performance_from, version.performance_to) == performance_period(version.published_on)
    assert f"{version.performance_from:%B %Y} to {version.performance_to:%B %Y}" in version.html
    figures = version.figures
    assert figures["caseload_as_of"] == "2026-10-31"
    assert figures["ratings"]["4.1"] == {"rating": "satisfactorily met", "evidence": "Managers led well."}
    assert figures["scores"]["criteria"]["1.2"]["rounded"] is not None
    assert "Victim safety needed more attention" in figures["findings"]["1.2"]["areas_for_improvement"]
    assert inspection.published_on == version.published_on


def test_a_case_sentenced_after_the_stated_day_is_not_in_appendix_1(
    inspection_world: InspectionWorld,
) -> None:
    inspection = assessed_inspection(inspection_world)
    before = services.report_context(inspection)["appendix_1"]["total_caseload"]
    make_case(inspection.area, inspection_world.world.staff["om"], sentence_date=date(2026, 11, 15))
    assert services.report_context(inspection)["appendix_1"]["total_caseload"] == before


def test_a_correction_is_a_new_version_with_its_reason_and_the_old_one_is_kept(
    inspection_world: InspectionWorld,
) -> None:
    first = published(inspection_world)
    inspection = first.inspection
    lead = inspection_world.lead.user
    with pytest.raises(CaseRuleError, match="Say what the correction corrects"):
        services.publish_correction(lead, inspection, "  ")
    inspection.refresh_from_db()
    services.save_summary(
        lead, inspection, summary="Corrected summary of the findings.", good_practice="",
        expected_version=inspection.version,
    )  # fmt: skip
    second = services.publish_correction(lead, inspection, "The summary misnamed the area")
    assert second.number == 2 and second.reason == "The summary misnamed the area"
    assert (second.caseload_as_of, second.performance_from) == (first.caseload_as_of, first.performance_from)
    assert "Corrected summary of the findings." in render_report_html(inspection)
    assert "Version 2, corrected" in second.html and "The summary misnamed the area" in second.html
    client = client_for(inspection_world.lead.user_id)
    old = client.get(f"/inspection/{inspection.pk}/report/v1.html")
    assert old.content.decode() == first.page_html
    assert "Corrected summary" not in old.content.decode()
    detail = client.get(f"/inspection/{inspection.pk}/").content.decode()
    assert first.pdf_sha256 in detail and second.pdf_sha256 in detail
    assert PublishedReport.objects.filter(inspection=inspection).count() == 2


def test_a_report_not_yet_published_cannot_be_corrected(inspection_world: InspectionWorld) -> None:
    inspection = assessed_inspection(inspection_world)
    with pytest.raises(CaseRuleError, match="Only a published report"):
        services.publish_correction(inspection_world.lead.user, inspection, "Typo")


def test_section_4_2_shows_the_measures_met_near_missed_and_missed_beside_its_rating(
    inspection_world: InspectionWorld,
) -> None:
    inspection = assessed_inspection(inspection_world)
    context = services.report_context(inspection)
    evidence = context["performance_evidence"]
    assert sum(evidence.values()) == len(context["performance"])
    html = render_report_html(inspection)
    part = html[html.index('id="performance-evidence"') :]
    assert f"Of the {len(context['performance'])} measures, {evidence['met']} met the target" in part


@pytest.mark.parametrize(
    ("fieldwork_start", "caseload_day"),
    [
        (date(2006, 10, 9), date(2006, 9, 30)),
        (date(2007, 1, 1), date(2006, 12, 31)),
        (date(2008, 3, 3), date(2008, 2, 29)),
    ],
)
def test_appendix_1_counts_the_caseload_at_the_end_of_the_month_before_fieldwork(
    fieldwork_start: date, caseload_day: date
) -> None:
    assert caseload_date(fieldwork_start) == caseload_day


@pytest.mark.parametrize(
    ("published_on", "period"),
    [
        (date(2007, 1, 15), (date(2006, 4, 1), date(2006, 12, 31))),  # the report's April-December 2006
        (date(2007, 5, 2), (date(2007, 4, 1), date(2007, 4, 30))),
        (date(2007, 4, 20), (date(2006, 4, 1), date(2007, 3, 31))),
    ],
)
def test_the_performance_table_covers_the_financial_year_to_the_month_before_publication(
    published_on: date, period: tuple[date, date]
) -> None:
    assert performance_period(published_on) == period


def test_the_timetable_follows_appendix_2_with_a_reminder_before_each_step() -> None:
    fieldwork_end = date(2006, 10, 13)
    steps = {s.key: s for s in timetable(fieldwork_end, None)}
    assert steps["feedback"].due == fieldwork_end
    assert (steps["draft"].due, steps["draft"].due_by) == (date(2006, 11, 10), date(2006, 11, 24))
    assert steps["publication"].due == fieldwork_end + timedelta(weeks=12)
    assert steps["improvement_plan"].due == steps["publication"].due + timedelta(weeks=4)
    assert steps["draft"].state(date(2006, 11, 1)) == "to come"
    assert steps["draft"].state(date(2006, 11, 20)) == "due soon"
    assert steps["draft"].state(date(2006, 11, 25)) == "overdue"
    published_steps = {s.key: s for s in timetable(fieldwork_end, date(2007, 1, 20))}
    assert published_steps["draft"].state(date(2007, 2, 1)) == "done"
    assert published_steps["improvement_plan"].due == date(2007, 2, 17)


def test_a_finding_is_a_strength_or_an_area_for_improvement_by_the_inspectors_call(
    inspection_world: InspectionWorld,
) -> None:
    inspection = assessed_inspection(inspection_world)
    client = client_for(inspection_world.lead.user_id)
    counts = services.report_context(inspection)["scores"]["questions"]["1.2.a"]
    figure = strength_sentence(framework_by_id("omi-2007").questions_by_id["1.2.a"], counts)
    assert figure.startswith("A RoH screening had been completed") and "% of cases (" in figure
    html = render_report_html(inspection)
    part_1_2 = html[html.index('id="criterion-1.2"') :]
    to_call = part_1_2[part_1_2.index("Findings for the inspector to call") :]
    assert figure in to_call[: to_call.index("</ul>")]
    form = client.get(f"/inspection/{inspection.pk}/report-text/1.2/").content.decode()
    assert 'name="call_1.2.a"' in form and figure in form
    text = inspection.report_texts.get(criterion_id="1.2")
    response = client.post(
        f"/inspection/{inspection.pk}/report-text/1.2/",
        {"call_1.2.a": "area", "call_1.2.b": "strength", "strengths": "", "areas_for_improvement": "",
         "narrative": "Practice varied between teams.", "version": text.version},
    )  # fmt: skip
    assert response.status_code == 302
    context = services.report_context(inspection)
    part = next(p for s in context["scored_sections"] for p in s.criteria if p.criterion.id == "1.2")
    assert figure in part.areas_for_improvement
    assert figure not in part.strengths + part.to_call
    with pytest.raises(CaseRuleError, match="call it a strength, an area for improvement, or leave it out"):
        services.save_report_text(
            inspection_world.lead.user, inspection, "1.2", strengths="", areas_for_improvement="",
            narrative="", expected_version=None, finding_calls={"1.2.a": "maybe"},
        )  # fmt: skip


def test_section_4_ratings_are_decided_beside_their_evidence(inspection_world: InspectionWorld) -> None:
    inspection = assessed_inspection(inspection_world)
    client = client_for(inspection_world.lead.user_id)
    performance = services.report_context(inspection)["performance"]
    page = client.get(f"/inspection/{inspection.pk}/ratings/4.2/").content.decode()
    evidence = page[page.index('id="rating-evidence"') :]
    assert f"Of the {len(performance)} performance measures," in evidence
    assert (
        "The organisational risk register holds no open risk."
        in client.get(f"/inspection/{inspection.pk}/ratings/4.1/").content.decode()
    )
    workforce = client.get(f"/inspection/{inspection.pk}/ratings/4.4/").content.decode()
    assert "with offender contact" in workforce and "sickness absence averaged" in workforce
    assert "rating-evidence" not in client.get(f"/inspection/{inspection.pk}/ratings/4.3/").content.decode()
    html = render_report_html(inspection)
    assert "sickness absence averaged" in html[html.index('id="evidence-4.4"') :]


def test_the_lead_inspector_is_reminded_of_each_step_of_the_timetable(
    inspection_world: InspectionWorld,
) -> None:
    inspection = inspection_world.inspection
    lead = inspection_world.lead.user
    services.store_sample(lead, inspection, method="omi", size=6, seed="t", as_of=date(2026, 11, 27))
    inspection.refresh_from_db()
    services.change_status(lead, inspection, InspectionStatus.FIELDWORK, inspection.version)
    end = inspection.fieldwork_end

    def reminded(day: date) -> dict[str, bool]:
        return {
            r.what.split(": ", 1)[1]: r.overdue
            for r in improvement_plan_reminders(day)
            if r.inspection_id == inspection.pk and r.staff_id == inspection_world.lead.pk
        }

    assert reminded(end - timedelta(days=2)) == {"Summary verbal feedback to the area": False}
    assert reminded(end + timedelta(weeks=6, days=-3)) == {"Draft report sent to the area for comment": False}
    assert reminded(end + timedelta(weeks=6, days=1)) == {"Draft report sent to the area for comment": True}
    inspection.refresh_from_db()
    services.change_status(lead, inspection, InspectionStatus.DRAFT, inspection.version)
    assert reminded(end + timedelta(weeks=6, days=1)) == {}
    assert reminded(end + timedelta(weeks=12, days=-2)) == {"Publication": False}
    page = client_for(inspection_world.lead.user_id).get(f"/inspection/{inspection.pk}/").content.decode()
    assert "Draft report sent to the area for comment" in page[page.index('id="timetable"') :]
