"""Two PostgreSQL roles: the owner runs `oms migrate`; the application's role owns nothing.

A role that owns a table may DISABLE TRIGGER or TRUNCATE it, so the access log's append-only
triggers protect nothing from the owner. The application therefore connects as a role that owns
nothing and may only SELECT, INSERT, UPDATE and DELETE, and on the access log only SELECT and
INSERT. `oms migrate`, connected as the owner (OMS_MIGRATE_DATABASE_URL), grants exactly that to the
application's role (OMS_APP_DATABASE_ROLE, or the user of DATABASE_URL) after every migration, so a
new table is never forgotten.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

ACCESS_LOG_TABLE = "accounts_accesslogentry"


def app_role_statements(role: str, quote: Any) -> list[str]:
    """The SQL that leaves `role` with exactly the application's rights on the current schema."""
    who = quote(role)
    return [
        f"GRANT USAGE ON SCHEMA public TO {who}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {who}",
        # UPDATE on sequences: an area import resets the id sequences it filled.
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {who}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {quote(ACCESS_LOG_TABLE)} FROM {who}",
    ]


def grant_app_role(connection: BaseDatabaseWrapper, role: str) -> None:
    with connection.cursor() as cursor:
        for statement in app_role_statements(role, connection.ops.quote_name):
            cursor.execute(statement)


def grant_after_migrate(using: str = "default", **kwargs: Any) -> None:
    """post_migrate: give the application's role its rights, when migrations ran as another role."""
    role = settings.OMS_APP_DATABASE_ROLE
    connection = connections[using]
    if connection.vendor != "postgresql" or not role:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        if cursor.fetchone()[0] == role:
            return
    grant_app_role(connection, role)
