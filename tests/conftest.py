from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db.backends.signals import connection_created
from django.test.utils import CaptureQueriesContext
from django.utils import timezone as django_timezone
from hypothesis import HealthCheck, settings

from tests.factories import World, build_world

# A shared 2-core machine runs the suite: a slow example is load, not a defect. Speed is measured by
# `make bench`, never asserted in tests, so Hypothesis gets no deadline here.
settings.register_profile("oms", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("oms")

# A query with a bad plan fails in seconds, naming itself in the error, instead of hanging the run.
# The slowest statement the suite needs (seeding the 2,338-case area) takes a few seconds.
POSTGRES_STATEMENT_TIMEOUT = "60s"


def _fail_slow_statements(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = %s", [POSTGRES_STATEMENT_TIMEOUT])


connection_created.connect(_fail_slow_statements, dispatch_uid="oms-tests-statement-timeout")


def _stored_actions_current_before_counting(enter: Any) -> Any:
    """Tests write rows directly, not through services, inside one transaction; the first reader of
    the stored actions would bring them up to date and be charged for it. A query count measures the
    page, so the actions are made current first, as a service would have left them."""

    def entered(self: CaptureQueriesContext) -> CaptureQueriesContext:
        from oms.cases.upkeep import flush_case_upkeep

        flush_case_upkeep()
        return enter(self)  # type: ignore[no-any-return]

    return entered


CaptureQueriesContext.__enter__ = _stored_actions_current_before_counting(  # type: ignore[method-assign]
    CaptureQueriesContext.__enter__
)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    # Argon2 is the production hasher (asserted in test_security); tests need not pay for it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


# The day most tests' fixed dates are worked from (the demo area's and the inspection's "today").
FROZEN_NOW = datetime(2026, 11, 27, 12, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def frozen_today(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Friday 27 November 2026 at noon is "now" for the test: a test whose fixed dates must be in the
    past (a contact already held, an outcome already recordable) never depends on the real clock.
    Every `timezone.now()` and `timezone.localdate()` reads django.utils.timezone.now."""
    monkeypatch.setattr(django_timezone, "now", lambda: FROZEN_NOW)
    return FROZEN_NOW


@pytest.fixture
def world(db: None) -> World:
    return build_world()
