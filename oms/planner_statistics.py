"""Fresh planner statistics after a bulk load.

PostgreSQL plans a query from the statistics it last gathered. A table analysed while nearly empty
and then filled by a seed or an import keeps telling the planner it holds a handful of rows, and a
plan that is right for a handful (re-running a subquery per row) takes minutes over thousands. So
every bulk load ends by gathering statistics itself instead of waiting for autovacuum to get round
to it: the plans then do not depend on timing. SQLite plans without such statistics; nothing to do.
"""

from __future__ import annotations

from django.db import connection


def refresh_planner_statistics() -> None:
    """ANALYZE every table on PostgreSQL (a few hundred milliseconds for a seeded area)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # Inside a transaction ANALYZE counts the rows this transaction has written, so a seed or
        # an import analysed before its commit leaves statistics that match what it commits.
        cursor.execute("ANALYZE")
