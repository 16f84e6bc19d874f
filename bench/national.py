"""Issue 12: national scale: one area's pages beside all 42 areas, the national report, whole commands.

Run on PostgreSQL by `make bench` (`bin/with-postgres .venv/bin/python -m bench national`). First one
area ("Solo", Northamptonshire's size at the chosen scale) alone in the database: its pages and the
national report over one area. Then the 42 areas of spec/national.md are seeded beside it and the
same pages are read again by the same people, so each figure is a ratio measured in one run:
- the area pages (actions due, performance, the national report page) against the caseload list,
  with their SQL queries: a page whose queries or time grow with the nation shows here;
- the national report (`national_report`, every area's measures in a fixed number of queries);
- whole commands with their peak resident memory (resource.getrusage of the child): `oms actions
  --area` and `oms remind --dry-run` (the hooks for the stored actions' sweep and digests).

OMS_BENCH_NATIONAL_SCALE sets the scale (default 0.05: about 9,500 cases, about a minute to seed).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from typing import Any

from bench.environment import median_seconds

AS_OF = date(2007, 3, 31)
PERIOD = "date_from=2006-04-01&date_to=2007-03-31"
SOLO = "Solo"
# Each page: who reads it, and where. The caseload list is the baseline the others are divided by.
PAGES = {
    "caseload list (om)": ("bench-om", "/cases/"),
    "caseload list (aco, area)": ("bench-aco", "/cases/"),
    # Today's actions, read from the stored table (another date would be evaluated afresh).
    "actions due (aco, area)": ("bench-aco", "/standards/actions/"),
    "performance (aco, area beside region and E&W)": ("bench-aco", f"/performance/?{PERIOD}"),
    "national report page (national user)": ("bench-national", f"/performance/national/?{PERIOD}"),
}
BASELINE = "caseload list (om)"
# An area page is divided by the same reader's caseload list over the same area (issue 12: "no more
# than about three times the area's caseload list"); the om's own list is the other pages' baseline.
AREA_BASELINE = "caseload list (aco, area)"


def _solo_area(scale: Decimal) -> None:
    from django.contrib.auth import get_user_model

    from oms.demo.area import seed_area
    from oms.demo.national import caseload_for
    from oms.organisation.models import Grade, Staff
    from oms.organisation.national import AREAS_BY_NAME

    area = seed_area(
        cases=caseload_for(AREAS_BY_NAME["Northamptonshire"], scale),
        seed=12,
        area_name=SOLO,
        region_name="East Midlands",
        as_of=AS_OF,
        with_logins=False,
        with_history=False,
    ).area
    users = get_user_model().objects
    om = max(Staff.objects.filter(area=area, grade__code="PO"), key=lambda s: s.caseload.count())
    aco = Staff.objects.filter(area=area, grade__code="ACO").first()
    national = Staff.objects.create(
        first_name="Bench", family_name="National", grade=Grade.objects.get(code="NPD"), organisation="NPD"
    )
    for username, staff in (("bench-om", om), ("bench-aco", aco), ("bench-national", national)):
        assert staff is not None
        staff.user = users.create_user(username=username)
        staff.save(update_fields=["user"])


def _pages() -> dict[str, tuple[float, int]]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from oms.organisation.models import Area
    from oms.performance.stored import store_area_figures

    # The performance pages read the figures the nightly sweep stores: every area's, as it leaves them.
    for area_id in Area.objects.values_list("pk", flat=True):
        store_area_figures(area_id)
    found = {}
    for label, (username, url) in PAGES.items():
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
        found[label] = (median_seconds(lambda c=client, u=url: c.get(u), runs=3), queries)
    return found


def _rows_read(username: str) -> str:
    """PostgreSQL's own count of the case rows the user's case list query reads beside those it
    returns: a read that grows with the nation shows here even when noise hides it in the times."""
    from django.contrib.auth import get_user_model

    from oms.accounts.permissions import visible_cases

    def scans(node: dict[str, Any]) -> list[dict[str, Any]]:
        found = [node] if node.get("Relation Name") == "cases_offender" else []
        for child in node.get("Plans", []):
            if child.get("Parent Relationship") not in ("SubPlan", "InitPlan"):
                found += scans(child)
        return found

    plan = json.loads(
        visible_cases(get_user_model().objects.get(username=username)).explain(format="json", analyze=True)
    )[0]["Plan"]
    node = scans(plan)[0]
    returned = node["Actual Rows"] * node.get("Actual Loops", 1)
    read = returned + node.get("Rows Removed by Filter", 0)
    return f"{returned} returned, {read} read ({node['Node Type']})"


def _national_report_seconds() -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from oms.performance.national import national_report

    with CaptureQueriesContext(connection) as captured:
        national_report(date(2006, 4, 1), date(2007, 3, 31))
    seconds = median_seconds(lambda: national_report(date(2006, 4, 1), date(2007, 3, 31)), runs=3)
    return seconds, len(captured)


def _command(*args: str) -> tuple[float, float, float]:
    """A whole `oms` command in a child process: wall seconds, CPU seconds and peak memory (MB) of
    that child alone (a fresh wrapper process, so RUSAGE_CHILDREN holds only it)."""
    script = (
        "import resource, subprocess, sys, time\n"
        "started = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
        "seconds = time.perf_counter() - started\n"
        "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)\n"
    )
    oms = os.path.join(os.path.dirname(sys.executable), "oms")
    out = subprocess.run(
        [sys.executable, "-c", script, oms, *args], check=True, capture_output=True, text=True
    ).stdout.split()
    return float(out[0]), float(out[1]), int(out[2]) / 1024  # ru_maxrss is in kilobytes on Linux


def _commands(area: str) -> list[str]:
    """`oms check` is the baseline: starting Python and Django, which every command pays."""
    lines = []
    baseline = None
    for label, args in (
        ("oms check (start-up baseline)", ("check",)),
        # Today's: read from the stored actions, as cron and staff run them.
        (f"oms actions --area {area}", ("actions", "--area", area, "--json")),
        ("oms remind --dry-run (every area)", ("remind", "--dry-run")),
        (f"oms actions --verify --area {area}", ("actions", "--verify", "--area", area)),
    ):
        seconds, cpu, megabytes = _command(*args)
        baseline = baseline or cpu
        lines.append(
            f"{label}: {seconds:.1f} s wall, {cpu:.1f} s CPU ({cpu / baseline:.1f}x start-up), "
            f"peak memory {megabytes:.0f} MB"
        )
    return lines


def _page_lines(found: dict[str, tuple[float, int]]) -> list[str]:
    om_base, _ = found[BASELINE]
    area_base, _ = found[AREA_BASELINE]
    lines = []
    for label, (seconds, queries) in found.items():
        ratios = f"{seconds / om_base:.2f}x the om's caseload list"
        if "area" in label or "national" in label:
            ratios += f", {seconds / area_base:.2f}x the area's caseload list"
        lines.append(f"{label}: {seconds * 1000:.0f} ms ({ratios}), {queries} queries")
    return lines


def run() -> list[str]:
    from django.db import connection

    from oms.demo.national import seed_nation
    from oms.organisation.models import Area

    scale = Decimal(os.environ.get("OMS_BENCH_NATIONAL_SCALE", "0.05"))
    lines = [f"national profile on {connection.vendor}, scale {scale}, no history"]
    _solo_area(scale)
    lines.append(f"-- 1 area ({SOLO}) in the database")
    one = _pages()
    lines += _page_lines(one)
    lines.append(f"visible cases of the om (the caseload list's query): {_rows_read('bench-om')}")
    one_report = _national_report_seconds()
    lines.append(f"national report over 1 area: {one_report[0] * 1000:.0f} ms, {one_report[1]} queries")
    lines += _commands(SOLO)

    started = time.perf_counter()
    nation = seed_nation(scale=scale, seed=2007, as_of=AS_OF, with_history=False)
    seeded = time.perf_counter() - started
    areas = Area.objects.count()
    lines.append(
        f"-- all areas: seeded {len(nation.areas)} areas, {nation.cases} cases in {seeded:.1f} s; "
        f"{areas} areas in the database"
    )
    every = _pages()
    lines += _page_lines(every)
    lines.append(f"visible cases of the om (the caseload list's query): {_rows_read('bench-om')}")
    all_report = _national_report_seconds()
    lines.append(
        f"national report over {areas} areas: {all_report[0] * 1000:.0f} ms, {all_report[1]} queries "
        f"({all_report[0] / one_report[0]:.1f}x the 1-area report's time, "
        f"{all_report[1] / one_report[1]:.2f}x its queries)"
    )
    lines += _commands(SOLO)
    for label in PAGES:
        (t1, q1), (tn, qn) = one[label], every[label]
        lines.append(f"{label}: {areas} areas / 1 area: time {tn / t1:.2f}x, queries {qn}/{q1}")
    lines.append(json.dumps({"scale": float(scale), "cases": nation.cases, "areas": areas}))
    return lines
