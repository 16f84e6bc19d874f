"""Rate limits that hold: per token as documented, exact under concurrency, bad tokens throttled by
address, and the client's address read through trusted proxies only (sign-in lockout included)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from oms.accounts.client_address import client_address
from oms.accounts.rate_limits import Rate, count_request
from oms.accounts.tokens import create_token
from tests.factories import PASSWORD, World

PROXY = "10.0.0.1"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_limit_is_per_token_not_per_user(world: World, settings: Any) -> None:
    settings.OMS_API_RATE = "3/m"
    first = create_token(world.user("om"), name="first", scope="read", lifetime_days=1).plaintext
    second = create_token(world.user("om"), name="second", scope="read", lifetime_days=1).plaintext
    client = Client()
    assert [client.get("/api/v1/cases/", headers=_bearer(first)).status_code for _ in range(4)] == [
        200,
        200,
        200,
        429,
    ]
    refused = client.get("/api/v1/cases/", headers=_bearer(first))
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert client.get("/api/v1/cases/", headers=_bearer(second)).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_never_pass_more_than_the_limit() -> None:
    """Eighty requests at once against a limit of fifty: exactly fifty pass (several servers share
    PostgreSQL; SQLite has one writer at a time by construction, and its in-memory test database
    refuses a second writer instead of waiting, so this runs on PostgreSQL)."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (bin/with-postgres)")
    rate = Rate.parse("50/m")
    counts: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def caller() -> None:
        try:
            start.wait()
            for _ in range(10):
                counts.append(count_request("api:token:concurrency", rate, now=1_800_000_000))
        except BaseException as error:  # a lost count must fail the test, not vanish in a thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=caller) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sorted(counts) == list(range(1, 81)), "every request saw its own count"
    assert sum(count <= rate.limit for count in counts) == 50


def test_bad_tokens_are_throttled_by_address(world: World, settings: Any) -> None:
    settings.OMS_API_BAD_TOKEN_RATE = "5/m"
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [guesser.get("/api/v1/cases/", headers=_bearer(f"oms_guess{n}")).status_code for n in range(7)]
    assert statuses == [401] * 5 + [429] * 2
    good = create_token(world.user("om"), name="good", scope="read", lifetime_days=1).plaintext
    assert guesser.get("/api/v1/cases/", headers=_bearer(good)).status_code == 429
    elsewhere = Client(REMOTE_ADDR="203.0.113.10")
    assert elsewhere.get("/api/v1/cases/", headers=_bearer("oms_guess")).status_code == 401
    assert elsewhere.get("/api/v1/cases/", headers=_bearer(good)).status_code == 200


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "seen"),
    [
        ("203.0.113.9", "", [], "203.0.113.9"),
        # Without trust the header is the client's to write: ignored.
        ("203.0.113.9", "198.51.100.1", [], "203.0.113.9"),
        ("203.0.113.9", "198.51.100.1", [PROXY], "203.0.113.9"),
        # Through a trusted proxy: the address the proxy saw, even if the client sent a header of its own.
        (PROXY, "203.0.113.9", [PROXY], "203.0.113.9"),
        (PROXY, "198.51.100.1, 203.0.113.9", [PROXY], "203.0.113.9"),
        (PROXY, "203.0.113.9, 10.0.0.2", ["10.0.0.0/8"], "203.0.113.9"),
        (PROXY, "not-an-address", [PROXY], PROXY),
    ],
)
def test_the_client_address_is_read_through_trusted_proxies_only(
    settings: Any, remote: str, forwarded: str, trusted: list[str], seen: str
) -> None:
    settings.OMS_TRUSTED_PROXIES = trusted
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = Client().get("/health/live", **meta).wsgi_request
    assert client_address(request) == seen


def test_behind_a_trusted_proxy_lockout_stays_per_username_and_address(world: World, settings: Any) -> None:
    settings.OMS_TRUSTED_PROXIES = [PROXY]
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    for _ in range(5):
        attacker.post(reverse("login"), {"username": "om", "password": "wrong-password"})
    assert attacker.post(reverse("login"), {"username": "om", "password": PASSWORD}).status_code == 429
    colleague = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.10")
    response = colleague.post(reverse("login"), {"username": "om", "password": PASSWORD})
    assert response.status_code == 302, "the owner signs in from their own address"
