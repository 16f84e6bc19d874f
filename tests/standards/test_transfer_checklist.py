"""A case transferred in shows its checklist: complete OASys received, first appointment, home visit."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from oms.cases.models import ContactType, Transfer
from oms.supervision.models import Contact
from tests.factories import World, make_case

# Fixed dates in November 2026 must be in the past: "today" is frozen (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("frozen_today")


def test_the_checklist_shows_each_check_with_its_clock(world: World) -> None:
    case = make_case(world.area, world.staff["om"], sentence_date=date(2026, 3, 2))
    Transfer.objects.create(
        offender=case,
        direction="in",
        other_area="Bedfordshire",
        transfer_date=date(2026, 11, 2),
        complete_oasys_received=True,
    )
    seen = datetime(2026, 11, 4, 10, tzinfo=ZoneInfo("Europe/London"))
    Contact.objects.create(
        offender=case,
        event=case.events.get(),
        contact_type=ContactType.objects.get(code="office"),
        starts_at=seen,
        ends_at=seen,
        outcome="attended_complied",
    )
    client = Client()
    client.force_login(world.user("om"))
    page = client.get(reverse("cases:detail", args=[case.crn])).content.decode()
    checklist = page[page.index('id="transfer-checklist"') :]
    checklist = checklist[: checklist.index("</section>")]
    assert "Transfer in from Bedfordshire" in checklist
    assert "A complete, current OASys received" in checklist and "Done 2 November 2026" in checklist
    assert "First appointment" in checklist and "Done 4 November 2026" in checklist
    assert "Home visit" in checklist


def test_no_checklist_without_a_transfer_in(world: World) -> None:
    client = Client()
    client.force_login(world.user("om"))
    assert (
        'id="transfer-checklist"'
        not in client.get(reverse("cases:detail", args=[world.cases["own"].crn])).content.decode()
    )
