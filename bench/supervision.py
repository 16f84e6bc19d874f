"""Issue 4: seeding the demo area with its full history, and the case timeline at 500 entries beside 20."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bench.environment import DEMO_AREA, median_seconds

AS_OF = date(2026, 11, 27)


def run() -> list[str]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from oms.cases.models import ContactType, Offender
    from oms.demo.area import seed_area
    from oms.supervision.models import Contact

    lines = []
    started = time.perf_counter()
    result = seed_area(
        cases=2338, seed=2007, area_name=DEMO_AREA, as_of=AS_OF, with_logins=False, with_history=True
    )
    seconds = time.perf_counter() - started
    contacts = Contact.objects.filter(offender__area=result.area).count()
    lines.append(
        f"seed the demo area with its full history ({connection.vendor}): {seconds:.1f} s (limit 180 s), {contacts} contacts"
    )

    user = get_user_model().objects.create_superuser(username="bench-timeline")
    client = Client()
    client.force_login(user)
    office = ContactType.objects.get(code="office")
    figures = []
    for entries in (20, 500):
        offender = Offender.objects.filter(area=result.area).order_by("crn")[entries]
        Contact.objects.filter(offender=offender).delete()
        start = datetime(2025, 1, 6, 10, tzinfo=ZoneInfo("Europe/London"))
        Contact.objects.bulk_create(
            Contact(
                offender=offender,
                contact_type=office,
                starts_at=start + timedelta(days=i),
                ends_at=start + timedelta(days=i, hours=1),
                outcome="attended_complied",
            )
            for i in range(entries)
        )
        url = f"/supervision/cases/{offender.crn}/timeline/"
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        queries = len(captured)
        figures.append((entries, median_seconds(lambda url=url: client.get(url)), queries))
    (small_n, small_t, small_q), (big_n, big_t, big_q) = figures
    lines.append(
        f"case timeline: {big_n}+ entries {big_t * 1000:.0f} ms {big_q} queries; {small_n}+ entries {small_t * 1000:.0f} ms {small_q} queries; query ratio {big_q / small_q:.2f}"
    )
    return lines
