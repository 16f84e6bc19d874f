"""Issue 5: every National Standards rule on the demo area, against the floor and a naive evaluation."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from bench.environment import demo_area

AS_OF = date(2026, 11, 27)
NAIVE_SAMPLE = 400  # the naive way is timed on this many cases and scaled to the area


def run() -> list[str]:
    from django.db import connection

    from oms.cases.models import Offender
    from oms.standards import engine
    from oms.standards.facts import build_case_facts
    from oms.standards.queries import actions, judged_rules, rules_for_area
    from oms.standards.sources import collect

    area = demo_area()
    cases = Offender.objects.filter(area=area)
    current = cases.filter(events__is_active=True).distinct()
    count = current.count()
    rules = judged_rules(rules_for_area(area.pk))

    started = time.perf_counter()
    found = actions(cases, AS_OF, open_only=False)
    full = time.perf_counter() - started

    # The floor: read the same rows every source reads, and nothing else.
    ids = list(current.values_list("pk", flat=True))
    started = time.perf_counter()
    collect(Offender.objects.filter(pk__in=ids), ids)
    floor = time.perf_counter() - started

    # The naive way: each case read and evaluated on its own.
    sample = list(current.order_by("pk")[:NAIVE_SAMPLE])
    started = time.perf_counter()
    for offender in sample:
        for _, _, facts in build_case_facts(Offender.objects.filter(pk=offender.pk)):
            engine.evaluate_all(rules, [facts], AS_OF)
    naive = (time.perf_counter() - started) * count / len(sample)
    stored_lines = _stored(area)
    return [
        *stored_lines,
        f"every rule ({len(rules)} judged) on {count} cases ({connection.vendor}): {full:.2f} s, {len(found)} statuses",
        f"floor (reading the same rows): {floor:.2f} s; ratio to floor {full / floor:.1f} (aim within 3)",
        f"naive per-case evaluation: {naive:.1f} s (timed on {len(sample)} cases, scaled); {naive / full:.0f}x slower (aim at least 20)",
    ]


def _stored(area: object) -> list[str]:
    """Issue 12 item 2: the stored actions against the caseload list, the sweep and the check."""
    from io import StringIO

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from bench.environment import median_seconds
    from oms.organisation.models import Staff
    from oms.standards.models import StoredAction
    from oms.standards.stored import sweep_area

    clients = {}
    for code in ("ACO", "CA"):
        person = Staff.objects.filter(area=area, grade__code=code).first()
        assert person is not None
        if person.user is None:
            person.user = get_user_model().objects.create_user(username=f"bench-{code.lower()}")
            person.save(update_fields=["user"])
        clients[code] = Client()
        clients[code].force_login(person.user)
    # Issue 12/13: each area-wide page against the same person's caseload list, in the same run.
    pages = (
        ("ACO", "caseload list", "/cases/"),
        ("ACO", "area actions", "/standards/actions/"),
        # Issue 13: the performance page with its 18 charts in it, over the demo's year to date.
        ("ACO", "performance", f"/performance/?date_from=2026-04-01&date_to={AS_OF:%Y-%m-%d}"),
        ("CA", "caseload list", "/cases/"),
        ("CA", "area actions", "/standards/actions/"),
        ("CA", "area actions as one list", "/standards/actions/?view=list"),
        ("CA", "enforcement tracker", "/standards/enforcement/"),
    )
    # The performance page reads the figures the nightly sweep stores: store them first, timed.
    from oms.performance.stored import store_area_figures

    started = time.perf_counter()
    figure_rows = store_area_figures(area.pk)  # type: ignore[attr-defined]
    figures_stored = time.perf_counter() - started
    timings: dict[tuple[str, str], float] = {}
    queries: dict[tuple[str, str], int] = {}
    for code, name, url in pages:
        client = clients[code]
        counted: list[str] = []

        def count(execute: Any, sql: str, *rest: Any, counted: list[str] = counted) -> Any:
            counted.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(count):
            assert client.get(url).status_code == 200
        queries[(code, name)] = len(counted)
        timings[(code, name)] = median_seconds(lambda client=client, url=url: client.get(url))
    page_lines = []
    for code, name, _url in pages:
        if name == "caseload list":
            continue
        base = timings[(code, "caseload list")]
        page_lines.append(
            f"{code}: {name} {timings[(code, name)] * 1000:.0f} ms; the caseload list {base * 1000:.0f} ms; "
            f"ratio {timings[(code, name)] / base:.2f} (aim within 3); {queries[(code, name)]} queries"
        )
    started = time.perf_counter()
    written = sweep_area(area.pk)  # type: ignore[attr-defined]
    swept = time.perf_counter() - started
    started = time.perf_counter()
    call_command("actions", "--area", area.name, "--json", stdout=StringIO())  # type: ignore[attr-defined]
    listed = time.perf_counter() - started
    started = time.perf_counter()
    call_command("actions", "--verify", "--area", area.name, stdout=StringIO())  # type: ignore[attr-defined]
    verified = time.perf_counter() - started
    return [
        *page_lines,
        f"stored actions: {StoredAction.objects.filter(area=area).count()} rows; sweep of the area {swept:.1f} s "
        f"({written} rows); `oms actions --area` {listed:.1f} s; `--verify` {verified:.1f} s",
        f"stored performance figures: {figure_rows} rows, stored in {figures_stored:.1f} s (nightly, per area)",
    ]
