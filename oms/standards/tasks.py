"""The standards' background jobs: the nightly sweep (one job per area, so workers run areas in
parallel) and the daily digests. Cron only enqueues them (`oms sweep --enqueue`, `oms remind --enqueue`);
`oms worker` runs them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from oms.jobs.queue import TaskContext, TaskResult, enqueue, progress_reporter, task
from oms.organisation.models import Area


@task(takes_context=True)
def sweep_area_job(context: TaskContext, area_id: int) -> dict[str, Any]:
    """Re-evaluate every case of one area and store the result (moves due to overdue, starts clocks
    whose date has come), then the area's registered nightly work (oms/standards/nightly.py)."""
    from oms.standards.nightly import run_nightly_work
    from oms.standards.stored import sweep_area

    written = sweep_area(area_id, progress=progress_reporter(context))
    # Then the other apps' nightly work for the area (the performance figures).
    return {"area_id": area_id, "actions": written, **run_nightly_work(area_id)}


@task(takes_context=True)
def send_digests_job(context: TaskContext, as_of: str, dry_run: bool) -> dict[str, Any]:
    from oms.standards.reminders import send_digests

    report = progress_reporter(context)
    run = send_digests(date.fromisoformat(as_of), dry_run=dry_run, progress=report)
    return {"digests": len(run.digests), "sent": run.sent, "failed": run.failed}


def enqueue_sweep(
    areas: list[Area] | None = None, user: AbstractBaseUser | AnonymousUser | None = None
) -> list[TaskResult]:
    """One sweep job per area (every area when none is named)."""
    chosen = areas if areas is not None else list(Area.objects.order_by("name"))
    return [
        enqueue(sweep_area_job, area.pk, what=f"Bring the actions of {area.name} up to date", user=user)
        for area in chosen
    ]


def enqueue_digests(as_of: date, *, dry_run: bool) -> TaskResult:
    return enqueue(send_digests_job, as_of.isoformat(), dry_run, what=f"Daily digests for {as_of:%d %B %Y}")
