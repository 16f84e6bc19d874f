"""When the database cannot be reached, the service answers 503 with a GOV.UK page, no stack trace."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_503_page_while_the_database_is_unreachable() -> None:
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
    try:
        body, status = "", 0
        for _ in range(100):
            try:
                # A session cookie makes the request read the sessions table: the database is needed.
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/cases/",
                    headers={"Cookie": "sessionid=abcdefghijklmnopqrstuvwxyz123456"},
                )
                urllib.request.urlopen(request, timeout=5)
            except urllib.error.HTTPError as error:
                status, body = error.code, error.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert status == 503
        assert "Sorry, the service is unavailable" in body
        assert "Traceback" not in body and "OperationalError" not in body
    finally:
        server.terminate()
        server.wait(timeout=10)
