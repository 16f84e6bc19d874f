"""Enqueueing long work and reporting its progress, on Django's tasks framework.

The `django-tasks` backport with the `django-tasks-db` database backend today; Django 6's built-in
`django.tasks` has the same `task` decorator and `TaskContext`, so only the import below changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

# On Django 6 this one import becomes `from django.tasks import ...`: the same names, the same API.
from django_tasks import TaskContext, TaskResult, TaskResultStatus, default_task_backend, task

from oms.jobs.models import JobProgress

__all__ = [
    "RESULT_LINK",
    "RESULT_LINK_TEXT",
    "TaskContext",
    "TaskResult",
    "TaskResultStatus",
    "default_task_backend",
    "task",
]

# A job whose result is a file returns these two keys: the job's page shows them as a button (the
# view behind the link checks the reader's right to the file) rather than as text.
RESULT_LINK = "link"
RESULT_LINK_TEXT = "link_text"


def enqueue(
    job: Any, *args: Any, what: str, user: AbstractBaseUser | AnonymousUser | None = None
) -> TaskResult:
    """Put a job on the queue, with a progress row the page that started it can show."""
    result = job.enqueue(*args)
    JobProgress.objects.create(
        task_id=str(result.id),
        what=what[:200],
        started_by_id=user.pk if user is not None and user.is_authenticated else None,
    )
    return result  # type: ignore[no-any-return]


def progress_reporter(context: TaskContext) -> Callable[[int, int], None]:
    """A `(done, total)` callback that records a running job's progress (a write every 1 %)."""
    task_id = str(context.task_result.id)
    last = {"percent": -1}

    def report(done: int, total: int) -> None:
        percent = 100 * done // total if total else 0
        if percent == last["percent"]:
            return
        last["percent"] = percent
        updated = JobProgress.objects.filter(task_id=task_id).update(done=done, total=total)
        if not updated:  # a job enqueued without `enqueue` (e.g. by the task's own .enqueue())
            JobProgress.objects.create(
                task_id=task_id, what=context.task_result.task.name, done=done, total=total
            )

    return report
