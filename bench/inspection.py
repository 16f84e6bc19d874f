"""Issue 6: scoring 100 cases x 250 questions, rendering the PDF report, and pre-filling 10 vs 100 cases."""

from __future__ import annotations

import random
import time
from datetime import date

from bench.environment import demo_area, median_seconds


def run() -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from oms.cases.models import Offender
    from oms.inspection.framework import load_framework
    from oms.inspection.models import Inspection
    from oms.inspection.prefill import compute_prefill
    from oms.inspection.report import render_report_html, render_report_pdf
    from oms.inspection.scoring import score_answers

    framework = load_framework("omi-2007")
    scored = [q.id for q in framework.questions_by_id.values()]
    rng = random.Random(1)
    question_ids = (scored * 2)[:250]
    payload = {
        "cases": [
            {"case": f"C{n}", "answers": {q: rng.choice(["yes", "yes", "no", "na"]) for q in question_ids}}
            for n in range(100)
        ]
    }
    scoring = median_seconds(lambda: score_answers(framework, payload))

    area = demo_area()
    inspection = Inspection.objects.filter(area=area).order_by("pk").first()
    lines = [f"scoring 100 cases x 250 answers: {scoring * 1000:.1f} ms (aim under 100 ms)"]
    if inspection is not None:
        started = time.perf_counter()
        render_report_pdf(inspection, render_report_html(inspection))
        pdf = time.perf_counter() - started
        sampled = inspection.sampled_cases.count()
        lines.append(f"PDF report of a {sampled}-case inspection: {pdf:.1f} s (aim under 10 s)")
    figures = []
    for size in (10, 100):
        offenders = list(
            Offender.objects.filter(area=area, events__is_active=True).distinct().order_by("crn")[:size]
        )
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            decided = compute_prefill(framework, offenders, date(2026, 11, 27))
            seconds = time.perf_counter() - started
        figures.append((size, seconds, len(captured), len(decided)))
    (small, small_t, small_q, small_d), (big, big_t, big_q, big_d) = figures
    lines.append(
        f"pre-fill ({connection.vendor}): {big} cases {big_t * 1000:.0f} ms {big_q} queries {big_d} answers; "
        f"{small} cases {small_t * 1000:.0f} ms {small_q} queries {small_d} answers"
    )
    return lines
