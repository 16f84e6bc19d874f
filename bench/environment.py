"""A throwaway database for benchmarks: SQLite in a temporary folder unless DATABASE_URL is set."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any


def setup_django() -> str:
    if "DATABASE_URL" not in os.environ:
        folder = tempfile.mkdtemp(prefix="oms-bench-")
        os.environ["OMS_VAR_DIR"] = folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oms.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    # As Django's test client does: keep one connection across requests, so queries can be counted.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    from django.db import connection

    return connection.vendor


def median_seconds(function: Callable[[], Any], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


DEMO_AREA = "Northamptonshire"


def demo_area() -> Any:
    """The demo area with its full history (seeded once per run, by the first benchmark that needs it)."""
    from datetime import date

    from oms.demo.area import seed_area
    from oms.organisation.models import Area

    area = Area.objects.filter(name=DEMO_AREA).first()
    if area is None:
        area = seed_area(
            cases=2338, seed=2007, area_name=DEMO_AREA, as_of=date(2026, 11, 27), with_logins=False
        ).area
    return area
