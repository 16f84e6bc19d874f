"""Sign-in hardening, security headers, error pages without stack traces, and the append-only log."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from oms.accounts.models import AccessLogAppendOnlyError, AccessLogEntry
from tests.factories import PASSWORD, World


def test_check_deploy_is_clean_with_production_settings() -> None:
    env = {
        **os.environ,
        "OMS_ENV": "production",
        "OMS_SECRET_KEY": "a-long-random-production-secret-key-for-the-deploy-check-0123456789",
        "OMS_ALLOWED_HOSTS": "oms.probation.example",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for their own process only
    result = subprocess.run(
        [sys.executable, "-m", "oms.cli", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {**os.environ, "OMS_ENV": "production", "OMS_SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "-m", "oms.cli", "check"], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode != 0
    assert "OMS_SECRET_KEY must be set" in result.stderr


def test_passwords_are_hashed_with_argon2_in_the_service() -> None:
    # The tests swap in a fast hasher; the service's own first hasher is Argon2.
    from importlib import reload

    import oms.settings as service_settings

    reload(service_settings)
    assert service_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_sessions_expire_after_thirty_minutes_of_inactivity() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_the_account_locks_after_five_failed_sign_ins(world: World) -> None:
    client = Client()
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "om", "password": "wrong-password"})
    response = client.post(reverse("login"), {"username": "om", "password": PASSWORD})
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()


def test_a_correct_sign_in_reaches_the_home_page(world: World) -> None:
    client = Client()
    response = client.post(reverse("login"), {"username": "om", "password": PASSWORD}, follow=True)
    assert "My caseload" in response.content.decode()


def test_security_headers(world: World) -> None:
    client = Client()
    client.force_login(world.user("om"))
    response = client.get(reverse("cases:list"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"


def test_404_page_is_the_gov_uk_page(world: World) -> None:
    client = Client()
    client.force_login(world.user("om"))
    response = client.get("/cases/NOPE123/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@override_settings(ROOT_URLCONF="tests.accounts.crashing_urls", DEBUG=False)
def test_500_page_shows_no_stack_trace(world: World) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(world.user("om"))
    response = client.get("/crash/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    assert "Traceback" not in page and "ZeroDivisionError" not in page


@pytest.mark.django_db
def test_the_access_log_has_no_update_or_delete_path() -> None:
    entry = AccessLogEntry.objects.create(username="om", action="view", crn="X1", what="viewed case")
    with pytest.raises(AccessLogAppendOnlyError):
        entry.what = "something else"
        entry.save()
    with pytest.raises(AccessLogAppendOnlyError):
        entry.delete()
    with pytest.raises(AccessLogAppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(what="x")
    with pytest.raises(AccessLogAppendOnlyError):
        AccessLogEntry.objects.all().delete()
    assert AccessLogEntry.objects.get(pk=entry.pk).what == "viewed case"


def test_managers_see_who_looked_at_a_case(world: World) -> None:
    case = world.cases["own"]
    om = Client()
    om.force_login(world.user("om"))
    om.get(reverse("cases:detail", args=[case.crn]))
    spo = Client()
    spo.force_login(world.user("spo"))
    page = spo.get(reverse("cases:access-log", args=[case.crn])).content.decode()
    assert "om" in page and "viewed case" in page


@pytest.mark.django_db
def test_on_postgresql_the_database_itself_refuses_changes_to_the_access_log() -> None:
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's; SQLite relies on the application's refusal (tested above)")
    entry = AccessLogEntry.objects.create(username="om", action="view", crn="X1", what="viewed case")
    for statement in (
        "UPDATE accounts_accesslogentry SET what = 'x' WHERE id = %s",
        "DELETE FROM accounts_accesslogentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
    assert AccessLogEntry.objects.get(pk=entry.pk).what == "viewed case"
