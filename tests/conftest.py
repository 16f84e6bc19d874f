from __future__ import annotations

from typing import Any

import pytest
from django.db.backends.signals import connection_created
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


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    # Argon2 is the production hasher (asserted in test_security); tests need not pay for it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def world(db: None) -> World:
    return build_world()
