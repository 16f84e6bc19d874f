"""The access log's protection on PostgreSQL: the roles set up as the README says, `oms migrate` run as
the owner, and the application's role unable to TRUNCATE, DISABLE TRIGGER, UPDATE or DELETE the log."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings

from oms.cli import connect_schema_commands_as_owner

OWNER, APP, DATABASE = "oms_owner_test", "oms_app_test", "oms_roles_test"


def test_oms_migrate_connects_as_the_owner_and_names_the_application_role() -> None:
    environ = {
        "DATABASE_URL": "postgres://oms_app:secret@db:5432/oms",
        "OMS_MIGRATE_DATABASE_URL": "postgres://oms_owner:other@db:5432/oms",
    }
    connect_schema_commands_as_owner(["migrate"], environ)
    assert environ["DATABASE_URL"] == "postgres://oms_owner:other@db:5432/oms"
    assert environ["OMS_APP_DATABASE_ROLE"] == "oms_app"
    served = {"DATABASE_URL": "postgres://oms_app:secret@db:5432/oms", "OMS_MIGRATE_DATABASE_URL": "x"}
    connect_schema_commands_as_owner(["seed", "--cases", "5"], served)
    assert served["DATABASE_URL"] == "postgres://oms_app:secret@db:5432/oms"


def _url(role: str, database: str) -> str:
    server = settings.DATABASES["default"]
    return f"postgres://{role}@{server['HOST']}:{server['PORT']}/{database}"


def _admin() -> Any:
    import psycopg

    server = settings.DATABASES["default"]
    return psycopg.connect(_url(server["USER"], "postgres"), autocommit=True)


@pytest.fixture(scope="module")
def migrated_as_owner() -> Iterator[None]:
    """The README's setup: two roles, the database owned by the owner, `oms migrate` as the owner."""
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("database roles are PostgreSQL's (bin/with-postgres)")
    with _admin() as admin:
        admin.execute(f"CREATE ROLE {OWNER} LOGIN")
        admin.execute(f"CREATE ROLE {APP} LOGIN")
        admin.execute(f"CREATE DATABASE {DATABASE} OWNER {OWNER}")
    try:
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
        env |= {"DATABASE_URL": _url(APP, DATABASE), "OMS_MIGRATE_DATABASE_URL": _url(OWNER, DATABASE)}
        result = subprocess.run(
            [sys.executable, "-m", "oms.cli", "migrate", "-v0"],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stderr
        yield
    finally:
        with _admin() as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            admin.execute(f"DROP ROLE IF EXISTS {APP}")
            admin.execute(f"DROP ROLE IF EXISTS {OWNER}")


def _as_app(statement: str) -> str:
    """Run one statement as the application's role: "ok", or the database's refusal."""
    import psycopg

    with psycopg.connect(_url(APP, DATABASE), autocommit=True) as app:
        try:
            app.execute(statement)
        except psycopg.Error as error:
            return str(error).splitlines()[0]
    return "ok"


def test_the_application_role_owns_nothing_and_cannot_touch_the_access_log(migrated_as_owner: None) -> None:
    log = "accounts_accesslogentry"
    inserted = _as_app(
        f"INSERT INTO {log} (at, username, action, crn, what, path) VALUES (now(), 'om', 'view', '', 'x', '')"
    )
    assert inserted == "ok"
    assert _as_app(f"SELECT count(*) FROM {log}") == "ok"
    assert "permission denied" in _as_app(f"UPDATE {log} SET what = 'changed'")
    assert "permission denied" in _as_app(f"DELETE FROM {log}")
    assert "permission denied" in _as_app(f"TRUNCATE {log}")
    assert "must be owner" in _as_app(f"ALTER TABLE {log} DISABLE TRIGGER ALL")
    # Everything else the application does still works.
    assert _as_app("UPDATE organisation_area SET name = name") == "ok"
    assert _as_app("DELETE FROM django_session") == "ok"
    assert "permission denied" in _as_app("CREATE TABLE stray (id int)")


def test_a_too_broad_grant_still_cannot_truncate_or_rewrite_the_log(migrated_as_owner: None) -> None:
    """Someone grants the application ALL on the log by mistake: the triggers still refuse."""
    import psycopg

    with psycopg.connect(_url(OWNER, DATABASE), autocommit=True) as owner:
        owner.execute(f"GRANT ALL ON accounts_accesslogentry TO {APP}")
    try:
        _assert_the_triggers_refuse()
    finally:
        with psycopg.connect(_url(OWNER, DATABASE), autocommit=True) as owner:
            owner.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON accounts_accesslogentry FROM {APP}")


def _assert_the_triggers_refuse() -> None:
    assert "append-only: TRUNCATE refused" in _as_app("TRUNCATE accounts_accesslogentry")
    _as_app(
        "INSERT INTO accounts_accesslogentry (at, username, action, crn, what, path) VALUES (now(), 'om', 'view', '', 'x', '')"
    )
    assert "append-only: UPDATE refused" in _as_app("UPDATE accounts_accesslogentry SET what = 'changed'")
    assert "append-only: DELETE refused" in _as_app("DELETE FROM accounts_accesslogentry")
