"""Issue 5: every National Standards rule on the demo area, against the floor and a naive evaluation."""

from __future__ import annotations

import time
from datetime import date

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
    return [
        f"every rule ({len(rules)} judged) on {count} cases ({connection.vendor}): {full:.2f} s, {len(found)} statuses",
        f"floor (reading the same rows): {floor:.2f} s; ratio to floor {full / floor:.1f} (aim within 3)",
        f"naive per-case evaluation: {naive:.1f} s (timed on {len(sample)} cases, scaled); {naive / full:.0f}x slower (aim at least 20)",
    ]
