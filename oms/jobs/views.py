"""A background job's page: what it is doing, how far it has got, and its result when done."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from oms.jobs.models import JobProgress
from oms.jobs.queue import RESULT_LINK, RESULT_LINK_TEXT, TaskResultStatus, default_task_backend

FINISHED = frozenset({TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED})


def job_view(request: HttpRequest, task_id: str) -> HttpResponse:
    """Only the person who started the job (or an administrator) sees it."""
    progress = JobProgress.objects.filter(task_id=task_id).first()
    if progress is None or not (
        getattr(request.user, "is_superuser", False) or progress.started_by_id == request.user.pk
    ):
        raise Http404("No such job")
    result = default_task_backend.get_result(task_id)
    finished = result.status in FINISHED
    return_value = dict(result.return_value or {}) if result.status == TaskResultStatus.SUCCESSFUL else {}
    link, link_text = return_value.pop(RESULT_LINK, None), return_value.pop(RESULT_LINK_TEXT, None)
    # Counts in the result (rows imported, actions written) are shown with thousands separators.
    shown = {
        key: f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else value
        for key, value in return_value.items()
    }
    return render(
        request,
        "jobs/job.html",
        {
            "progress": progress,
            "status": result.status,
            "status_label": str(result.status).replace("_", " ").lower(),
            "finished": finished,
            "failed": result.status == TaskResultStatus.FAILED,
            "return_value": shown,
            "link": link,
            "link_text": link_text or "Open the result",
        },
    )
