"""Long imports as background jobs: a file of more than a few thousand rows is imported by
`oms worker`, not inside the web request that uploaded it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from oms.accounts.audit import record_access
from oms.cases.bulk import Row
from oms.jobs.queue import TaskContext, TaskResult, enqueue, progress_reporter, task

# The job's result lists this many errors; the count gives the rest.
ERRORS_IN_RESULT = 20


@task(takes_context=True)
def import_rows_job(
    context: TaskContext, user_id: int, kind: str, name: str, rows: list[Row], dry_run: bool
) -> dict[str, Any]:
    from oms.cases.bulk import import_rows_as
    from oms.cases.import_views import audit_entry

    report = progress_reporter(context)
    report(0, len(rows))
    user = get_user_model().objects.get(pk=user_id)
    result = import_rows_as(user, kind, rows, dry_run=dry_run)
    record_access(user, *audit_entry(kind, name, result, ""))
    report(len(rows), len(rows))
    outcome: dict[str, Any] = {
        "rows": result.rows,
        "dry run": result.dry_run,
        "added": result.created,
        "changed": result.updated,
        "unchanged": result.unchanged,
    }
    if result.errors:
        outcome = {
            "errors": f"{len(result.errors):,} in the file: nothing was imported",
            "first errors": "; ".join(
                f"row {e.row}, {e.field}: {e.reason}" for e in result.errors[:ERRORS_IN_RESULT]
            ),
        }
    return outcome


def enqueue_import(
    user: AbstractBaseUser | AnonymousUser, kind: str, name: str, rows: list[Row], dry_run: bool
) -> TaskResult:
    what = f"{'Check' if dry_run else 'Import'} {len(rows):,} {kind} rows from {name}"
    return enqueue(import_rows_job, user.pk, kind, name, rows, dry_run, what=what, user=user)
