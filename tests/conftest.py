from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from tests.factories import World, build_world

# A shared 2-core machine runs the suite: a slow example is load, not a defect. Speed is measured by
# `make bench`, never asserted in tests, so Hypothesis gets no deadline here.
settings.register_profile("oms", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("oms")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    # Argon2 is the production hasher (asserted in test_security); tests need not pay for it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def world(db: None) -> World:
    return build_world()
