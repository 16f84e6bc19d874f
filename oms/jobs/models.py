"""How far a background job has got, for the page that started it and for `oms worker`'s logs.

The queue itself is the tasks framework's (django-tasks with its database backend: one row per job,
claimed by a worker with SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL, so several workers share
it). This table adds what the framework does not keep: who started the job, what it is doing, and
how much of it is done.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class JobProgress(models.Model):
    task_id = models.CharField(max_length=64, unique=True)
    what = models.CharField(max_length=200)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.what}: {self.done} of {self.total}"

    @property
    def percent(self) -> int:
        return 100 * self.done // self.total if self.total else 0
