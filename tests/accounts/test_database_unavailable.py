"""When the database cannot be reached, the service answers 503 with a GOV.UK page, no stack trace;
readiness says so, liveness does not (the process is fine), and the API answers in JSON."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from django.test import Client


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server_without_database() -> Iterator[str]:
    closed = _free_port()  # nothing listens here: PostgreSQL "is down"
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"postgres://oms@127.0.0.1:{closed}/oms"}
    # gunicorn, as in production (runserver itself refuses to start without its database).
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "oms.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/health/live", timeout=5)
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=5) as answer:
            return answer.status, answer.headers["Content-Type"], answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def test_503_page_while_the_database_is_unreachable(server_without_database: str) -> None:
    # A session cookie makes the request read the sessions table: the database is needed.
    status, _, body = _get(
        f"{server_without_database}/cases/", {"Cookie": "sessionid=abcdefghijklmnopqrstuvwxyz123456"}
    )
    assert status == 503
    assert "Sorry, the service is unavailable" in body
    assert "Traceback" not in body and "OperationalError" not in body


def test_the_api_answers_503_in_json_while_the_database_is_unreachable(server_without_database: str) -> None:
    status, content_type, body = _get(
        f"{server_without_database}/api/v1/cases/", {"Authorization": "Bearer oms_not-a-real-token"}
    )
    assert status == 503
    assert content_type.startswith("application/json") and "unavailable" in body


def test_readiness_fails_and_liveness_holds_while_the_database_is_unreachable(
    server_without_database: str,
) -> None:
    assert _get(f"{server_without_database}/health/live")[::2] == (200, "ok")
    assert _get(f"{server_without_database}/health/ready")[::2] == (503, "database unavailable")
    assert _get(f"{server_without_database}/health")[::2] == (503, "database unavailable")


def test_readiness_and_liveness_say_ok_without_signing_in_when_the_database_answers(db: None) -> None:
    client = Client()
    for url in ("/health", "/health/live", "/health/ready"):
        response = client.get(url)
        assert (response.status_code, response.content) == (200, b"ok"), url
