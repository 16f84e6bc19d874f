"""Issue 12 item 7: the case page runs a fixed number of queries whatever the length of the history."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oms.cases.models import Address, Allocation, ContactType, Offender, Registration
from oms.risk.models import RiskOfHarmScreening
from oms.supervision.models import Contact, EnforcementWarning
from tests.factories import World, make_case

LONDON = ZoneInfo("Europe/London")
SENTENCED = date(2025, 1, 6)


def _history(world: World, case: Offender, size: int) -> None:
    """`size` of each kind of record a case gathers over the years."""
    event = case.events.get()
    office = ContactType.objects.get(code="office")
    for number in range(size):
        when = datetime(2025, 2, 3, 10, tzinfo=LONDON) + timedelta(days=7 * number)
        contact = Contact.objects.create(
            offender=case,
            event=event,
            contact_type=office,
            starts_at=when,
            ends_at=when + timedelta(minutes=30),
            outcome="unacceptable_absence" if number % 5 == 4 else "attended_complied",
            outcome_recorded_at=when,
        )
        if number % 5 == 4:
            EnforcementWarning.objects.create(
                offender=case, event=event, failure=contact, issued_on=when.date() + timedelta(days=1)
            )
        RiskOfHarmScreening.objects.create(
            offender=case,
            event=event,
            author=world.staff["om"],
            status="locked",
            sequence=number + 1,
            submitted_at=when,
            locked_at=when,
        )
        Allocation.objects.create(
            offender=case,
            offender_manager=world.staff["om"],
            start_date=SENTENCED + timedelta(days=number),
            reason=f"Reallocation {number}",
        )
        Address.objects.create(
            offender=case, lines=f"{number} High Street", postcode="NN1 1AA", from_date=SENTENCED
        )
        Registration.objects.create(offender=case, kind="ppo", start_date=SENTENCED + timedelta(days=number))


def _queries(client: Client, case: Offender) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("cases:detail", args=[case.crn])).status_code == 200
    return len(captured)


def test_the_case_page_runs_the_same_queries_for_a_short_and_a_long_history(world: World) -> None:
    short = make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    long = make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    _history(world, short, 1)
    _history(world, long, 40)
    for role in ("om", "caseadmin", "spo"):
        client = Client()
        client.force_login(world.user(role))
        assert _queries(client, short) == _queries(client, long), role
