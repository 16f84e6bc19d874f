"""Reads that may go to a read replica: the national reports (issue 12).

The national report, and the regional and England and Wales columns beside an area's figures, read
every area's records. At national scale they can be served by a PostgreSQL streaming replica so they
never load the primary: set `DATABASE_REPLICA_URL` and the reads made inside `national_reads()` go
there. Everything else (every case page, every write, the access log) stays on the primary. A replica
lags the primary by a moment; national figures over months do not notice, a case page would, which is
why only these reads move. Without `DATABASE_REPLICA_URL` nothing changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings

REPLICA = "replica"

_national: ContextVar[bool] = ContextVar("oms_national_reads", default=False)


@contextmanager
def national_reads() -> Iterator[None]:
    """Reads inside go to the replica, when one is configured (also a decorator)."""
    token = _national.set(True)
    try:
        yield
    finally:
        _national.reset(token)


@contextmanager
def primary_reads() -> Iterator[None]:
    """Reads inside go to the primary even within `national_reads()`: work that writes from what it
    reads (bringing changed cases' stored actions up to date) must never read a lagging copy."""
    token = _national.set(False)
    try:
        yield
    finally:
        _national.reset(token)


class ReplicaRouter:
    """Django's database router for the replica: reads in `national_reads()`, and nothing else."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return REPLICA if _national.get() and REPLICA in settings.DATABASES else None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return None

    def allow_relation(self, first: Any, second: Any, **hints: Any) -> bool | None:
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # The replica copies the primary's tables: it is never migrated itself.
        return False if db == REPLICA else None
