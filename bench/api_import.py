"""Issue 7: bulk import of 10,000 offenders with their events, and the API contact list at 1,000 beside 10."""

from __future__ import annotations

import csv
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.environment import median_seconds

OFFENDERS = 10_000


def _write_files(folder: Path, area_code: str) -> tuple[Path, Path]:
    offenders, events = folder / "offenders.csv", folder / "events.csv"
    with offenders.open("w", newline="") as o, events.open("w", newline="") as e:
        ow, ew = csv.writer(o), csv.writer(e)
        ow.writerow(["crn", "first_name", "family_name", "date_of_birth", "gender", "area", "ethnicity"])
        ew.writerow(
            ["crn", "event_number", "kind", "court", "offence_code", "sentence_date", "length_months"]
        )
        for n in range(OFFENDERS):
            crn = f"B{n:06d}"
            ow.writerow(
                [
                    crn,
                    "Bench",
                    f"Person{n}",
                    f"19{60 + n % 40}-0{1 + n % 9}-1{n % 9}",
                    "male" if n % 8 else "female",
                    area_code,
                    "W1",
                ]
            )
            ew.writerow(
                [
                    crn,
                    1,
                    "community_order",
                    "Northampton Magistrates' Court",
                    "02801",
                    f"2026-0{1 + n % 9}-1{n % 9}",
                    12,
                ]
            )
    return offenders, events


def run() -> list[str]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from oms.cases.bulk import import_file
    from oms.cases.models import ContactType, Offender
    from oms.demo.area import seed_area
    from oms.supervision.models import Contact

    area = seed_area(
        cases=50,
        seed=3,
        area_name="Import bench",
        as_of=date(2026, 11, 27),
        with_logins=False,
        with_history=False,
    ).area
    lines = []
    with tempfile.TemporaryDirectory() as folder:
        offenders, events = _write_files(Path(folder), area.code)
        started = time.perf_counter()
        import_file("offenders", offenders, dry_run=False)
        import_file("events", events, dry_run=False)
        seconds = time.perf_counter() - started
    rows = OFFENDERS * 2
    lines.append(
        f"import {OFFENDERS} offenders with their events ({connection.vendor}): {seconds:.1f} s, {rows / seconds:.0f} rows a second"
    )

    user = get_user_model().objects.create_superuser(username="bench-api")
    client = Client()
    client.force_login(user)
    office = ContactType.objects.get(code="office")
    figures = []
    for count in (10, 1000):
        offender = Offender.objects.filter(area=area).order_by("crn")[count % 7]
        Contact.objects.filter(offender=offender).delete()
        start = datetime(2024, 1, 1, 9, tzinfo=ZoneInfo("Europe/London"))
        Contact.objects.bulk_create(
            Contact(
                offender=offender,
                contact_type=office,
                starts_at=start + timedelta(hours=i),
                ends_at=start + timedelta(hours=i, minutes=30),
                outcome="attended_complied",
            )
            for i in range(count)
        )
        url = f"/api/v1/supervision/cases/{offender.crn}/contacts?limit=500"
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        queries = len(captured)
        figures.append((count, median_seconds(lambda url=url: client.get(url)), queries))
    (small_n, small_t, small_q), (big_n, big_t, big_q) = figures
    lines.append(
        f"API contact list (first page of 500): {big_n} contacts {big_t * 1000:.0f} ms {big_q} queries; {small_n} contacts {small_t * 1000:.0f} ms {small_q} queries"
    )
    return lines
