"""Issue 2: seeding the demo area, and the SPO's team caseload page at 500 cases beside 50."""

from __future__ import annotations

import time
from datetime import date

from bench.environment import median_seconds

AS_OF = date(2026, 11, 27)


def run() -> list[str]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from oms.demo.area import seed_area
    from oms.organisation.models import Staff

    lines = []
    started = time.perf_counter()
    seed_area(
        cases=2338,
        seed=2007,
        area_name="Caseload only",
        as_of=AS_OF,
        with_logins=False,
        with_history=False,
    )
    seeded = time.perf_counter() - started
    lines.append(
        f"seed the 2,338-case demo area, without history ({connection.vendor}): {seeded:.1f} s (limit 60 s)"
    )

    # Six teams each: 3,000 cases gives teams of about 500, 300 cases teams of about 50.
    seed_area(cases=3000, seed=1, area_name="Large", as_of=AS_OF, with_logins=False, with_history=False)
    seed_area(cases=300, seed=1, area_name="Small", as_of=AS_OF, with_logins=False, with_history=False)
    results = {}
    for area in ("Large", "Small"):
        spo = Staff.objects.filter(area__name=area, grade__code="SPO").first()
        assert spo is not None
        user = get_user_model().objects.create_user(username=f"bench-spo-{area}")
        spo.user = user
        spo.save(update_fields=["user"])
        client = Client()
        client.force_login(user)
        team_cases = spo.manages_teams.get().members.all()
        count = sum(m.caseload.count() for m in team_cases)
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/cases/")
        assert response.status_code == 200, response.status_code
        queries = len(captured)  # read now: later requests reset the connection's query log
        seconds = median_seconds(lambda client=client: client.get("/cases/"))
        results[area] = (count, seconds, queries)
    (big_n, big_t, big_q), (small_n, small_t, small_q) = results["Large"], results["Small"]
    lines.append(
        f"SPO team caseload page, first page: {big_n} cases {big_t * 1000:.0f} ms {big_q} queries; "
        f"{small_n} cases {small_t * 1000:.0f} ms {small_q} queries; "
        f"time ratio {big_t / small_t:.2f}, query ratio {big_q / small_q:.2f}"
    )
    return lines
