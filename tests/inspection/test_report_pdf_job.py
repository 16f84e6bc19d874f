"""Issue 12: the PDF of a report not yet published is made by a background job that `oms worker`
runs; the page that asked follows the job to the file, which only people who may see the inspection
may download, each download logged."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from oms.accounts.models import AccessLogEntry
from oms.inspection.models import ReportPdf
from tests.factories import World, build_world, ensure_reference_data
from tests.inspection.conftest import InspectionWorld
from tests.inspection.test_report_and_plan import assessed_inspection

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(transactional_db: None) -> World:
    """The test world, committed as it goes: the worker sees only what other connections could."""
    ensure_reference_data()
    return build_world()


def _signed_in(user_id: int) -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(pk=user_id))
    return client


def _run_the_worker() -> None:
    call_command("worker", "--batch", "--interval", "0", stdout=StringIO())


def test_the_lead_asks_for_the_pdf_watches_the_job_and_downloads_the_file(
    inspection_world: InspectionWorld,
) -> None:
    inspection = assessed_inspection(inspection_world)
    lead = _signed_in(inspection_world.lead.user_id)
    detail = lead.get(f"/inspection/{inspection.pk}/").content.decode()
    assert 'id="download-pdf" type="submit"' in detail, "a button that starts the job, not a link"
    # Opening the old link asks first; nothing is made by a GET.
    assert "Make the PDF" in lead.get(f"/inspection/{inspection.pk}/report.pdf").content.decode()
    assert not ReportPdf.objects.exists()

    started = lead.post(f"/inspection/{inspection.pk}/report.pdf")
    assert started.status_code == 302 and started.url.startswith("/jobs/")
    waiting = lead.get(started.url).content.decode()
    assert "PDF of the report of" in waiting and 'http-equiv="refresh"' in waiting
    assert 'id="job-link"' not in waiting
    assert ReportPdf.objects.get().pdf is None, "the request itself renders nothing"

    _run_the_worker()
    done = lead.get(started.url).content.decode()
    assert "Successful" in done and 'http-equiv="refresh"' not in done
    assert "Download the report (PDF)" in done and 'id="job-progress" max="100" value="100"' in done
    made = ReportPdf.objects.get()
    link = f"/inspection/{inspection.pk}/report-pdf/{made.pk}/"
    assert f'href="{link}"' in done

    download = lead.get(link)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF") and download.content == bytes(made.pdf or b"")
    assert "attachment;" in download["Content-Disposition"]
    assert AccessLogEntry.objects.filter(
        user_id=inspection_world.lead.user_id, action="export", what__startswith="report of", path=link
    ).exists()


def test_only_people_who_may_see_the_inspection_may_download_its_pdf(
    inspection_world: InspectionWorld,
) -> None:
    inspection = assessed_inspection(inspection_world)
    started = _signed_in(inspection_world.lead.user_id).post(f"/inspection/{inspection.pk}/report.pdf")
    _run_the_worker()
    made = ReportPdf.objects.get()
    link = f"/inspection/{inspection.pk}/report-pdf/{made.pk}/"
    # The area assessor is on the inspection's team: the file is theirs to read too.
    assessor = _signed_in(inspection_world.assessor.user_id)
    assert assessor.get(link).content.startswith(b"%PDF")
    # An offender manager of the area is not: no file, and the job's page is the starter's alone.
    offender_manager = _signed_in(inspection_world.user("om").pk)
    assert offender_manager.get(link).status_code in (403, 404)
    assert offender_manager.get(started.url).status_code == 404
    assert offender_manager.post(f"/inspection/{inspection.pk}/report.pdf").status_code in (403, 404)
    assert ReportPdf.objects.count() == 1, "a refused request starts no job"
    # A file of another inspection is not reachable through this one's address.
    assert assessor.get(f"/inspection/{inspection.pk}/report-pdf/{made.pk + 1}/").status_code == 404
