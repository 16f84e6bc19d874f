"""The inspection report's PDF as a background job: WeasyPrint renders a whole report in seconds,
too long for a web request, so `oms worker` makes the file and the page that asked follows the job."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import reverse

from oms.inspection.models import ReportPdf
from oms.jobs.queue import (
    RESULT_LINK,
    RESULT_LINK_TEXT,
    TaskContext,
    TaskResult,
    enqueue,
    progress_reporter,
    task,
)

# The job's two steps: the report's HTML from the records, then the PDF from that HTML.
STEPS = 2


@task(takes_context=True)
def report_pdf_job(context: TaskContext, report_pdf_id: int) -> dict[str, Any]:
    from oms.inspection.report import render_live_pdf, render_report_html, report_filename
    from oms.inspection.services import store_report_pdf

    report = progress_reporter(context)
    report(0, STEPS)
    made = ReportPdf.objects.select_related("inspection__area").get(pk=report_pdf_id)
    html = render_report_html(made.inspection, self_contained=True)
    report(1, STEPS)
    store_report_pdf(made, render_live_pdf(html))
    report(STEPS, STEPS)
    return {
        "file": report_filename(made.inspection, "pdf"),
        "size": f"{len(made.pdf or b'') // 1024:,} KB",
        RESULT_LINK: reverse("inspection:report-pdf-file", args=[made.inspection_id, made.pk]),
        RESULT_LINK_TEXT: "Download the report (PDF)",
    }


def enqueue_report_pdf(made: ReportPdf, user: AbstractBaseUser | AnonymousUser) -> TaskResult:
    return enqueue(report_pdf_job, made.pk, what=f"PDF of the report of {made.inspection}", user=user)
