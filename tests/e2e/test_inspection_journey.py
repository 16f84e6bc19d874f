"""A full inspection in the browser on a seeded area: create, team, sample, fieldwork (the inspector
opens a sampled case and assesses it), section 4, questionnaires, recommendation, publish, and the PDF
downloaded, with a PNG of its first pages under artifacts/screenshots/."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from django.utils import timezone

from oms.demo.area import DEMO_PASSWORD, seed_area
from oms.inspection.models import Answer, Inspection
from tests.e2e.conftest import SCREENSHOTS, choose, fill_date, screenshot, sign_in
from tests.factories import ensure_reference_data

pytestmark = pytest.mark.django_db(transaction=True)

AREA = "Testshire"


def test_full_inspection_from_sampling_to_published_pdf(page) -> None:  # type: ignore[no-untyped-def]
    ensure_reference_data()
    today = timezone.localdate()
    seed_area(cases=300, seed=11, area_name=AREA, as_of=today)
    # HMI Probation's programme lets an inspector create an inspection only of an area due one: the
    # demo area's published inspection is moved to the previous three-year cycle.
    last_cycle = today - timezone.timedelta(days=4 * 365)
    Inspection.objects.filter(area__name=AREA).update(
        fieldwork_start=last_cycle,
        fieldwork_end=last_cycle + timezone.timedelta(days=11),
        published_on=last_cycle + timezone.timedelta(days=110),
        sample_as_of=last_cycle,
    )
    sign_in(page, "inspector", DEMO_PASSWORD)
    page.click("#navigation >> text=Inspections")
    assert page.locator("h1").inner_text() == "Inspections"
    page.click("text=New inspection")
    page.get_by_role("radio", name=AREA).check()
    fill_date(page, "#id_fieldwork_start", today.isoformat())
    fill_date(page, "#id_fieldwork_end", (today + timezone.timedelta(days=10)).isoformat())
    page.click("button:has-text('Create inspection')")
    match = re.search(r"/inspection/(\d+)/$", page.url)
    assert match, page.url
    pk = int(match.group(1))

    page.click("text=Add a team member")
    option = page.locator("#id_staff option", has_text="Area assessor").first.get_attribute("value")
    page.select_option("#id_staff", option)
    choose(page, "role", "area_assessor")
    page.click("button:has-text('Add to team')")
    assert "added to the team" in page.locator(".govuk-notification-banner").inner_text()

    page.click("text=Draw the sample")
    choose(page, "method", "omi")
    page.fill("#id_size", "15")
    page.fill("#id_seed", "e2e")
    page.click("button:has-text('Draw sample')")
    assert "cases sampled" in page.locator(".govuk-notification-banner").inner_text()
    page.click("button:has-text('Start fieldwork')")
    assert page.locator("#status").inner_text() == "Fieldwork"
    screenshot(page, "inspection-fieldwork")

    # The lead inspector opens one of their sampled cases: the assessment, then the case record itself.
    mine = page.locator("#sampled-cases tr", has=page.locator(".govuk-tag", has_text="Yours")).first
    crn = mine.locator("a").first.inner_text()
    mine.locator("a").first.click()
    assert f"({crn})" in page.locator("h1").inner_text()
    # The assessment is a task list: one criterion per page.
    assert "You have completed 0 of" in page.locator("#criteria-progress").inner_text()
    # The records answer some questions before the inspector does (which ones depends on the case).
    assert "pre-filled from the records, to check" in page.locator("main").inner_text()
    screenshot(page, "inspection-assessment-task-list")
    page.click("[id='criterion-1.1'] a")
    assert page.locator("h1").inner_text().startswith("1.1 ")
    for question in ("1.1.a", "1.1.b", "1.1.c"):
        page.check(f"[id='answer-{question}-yes']")
    page.check("[id='answer-1.1.s-no']")
    page.fill("[id='note-1.1.s']", "Report lacked victim information")
    screenshot(page, "inspection-assessment-criterion")
    page.click("[id='save-1.1']")
    assert "Criterion 1.1: 4 answers saved" in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator("h1").inner_text().startswith("1.2 ")
    page.click("text=Back to the task list")
    assert "In progress" in page.locator("[id='status-1.1']").inner_text()
    screenshot(page, "inspection-assessment")
    case_page = page.goto(f"/cases/{crn}/")
    assert case_page is not None and case_page.status == 200
    assert page.locator(".govuk-caption-l").first.inner_text().startswith(f"CRN {crn}")
    assert "Open the assessment" in page.locator("#inspection-panel").inner_text()
    screenshot(page, "inspection-sampled-case-as-inspector")

    page.goto(f"/inspection/{pk}/ratings/4.1/")
    choose(page, "rating", "satisfactorily met")
    page.fill("#id_evidence", "The Board and senior managers led the changes well.")
    page.click("button:has-text('Save rating')")
    page.goto(f"/inspection/{pk}/questionnaires/offenders/")
    page.fill("#id_sent", "98")
    page.fill("#id_returned", "124")
    page.click("button:has-text('Save questionnaires')")
    assert "More questionnaires returned than were sent" in page.locator(".govuk-error-summary").inner_text()
    page.fill("#id_returned", "24")
    page.click("button:has-text('Save questionnaires')")
    page.goto(f"/inspection/{pk}/recommendations/new/")
    page.fill("#id_text", "RoH screening documents are completed promptly and accurately in all cases")
    page.click("button:has-text('Add recommendation')")
    assert "Chart 1" in page.locator("#chart-1").inner_text()
    page.click("button:has-text('Move to draft report')")
    page.click("button:has-text('Publish the report')")
    assert page.locator("#status").inner_text() == "Published"
    screenshot(page, "inspection-published")

    with page.expect_download() as download_info:
        page.click("#download-pdf")
    pdf_path = SCREENSHOTS / "inspection-report.pdf"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    download_info.value.save_as(str(pdf_path))
    assert pdf_path.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "3",
                str(pdf_path),
                str(SCREENSHOTS / "inspection-report-page"),
            ],
            check=True,
        )
        assert (SCREENSHOTS / "inspection-report-page-01.png").exists()

    # Published: the inspection team's access to the sampled cases has ended.
    page.goto(f"/cases/{crn}/")
    assert "You do not have access" in page.content()
    assert Answer.objects.filter(sampled_case__inspection_id=pk, confirmed_at__isnull=False).count() == 4
    assert Inspection.objects.get(pk=pk).published_on == today
