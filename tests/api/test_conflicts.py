"""Two people saving the same record at once: the second gets a clear conflict, nothing is lost."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from oms.cases.models import ContactType
from oms.supervision.models import Contact
from tests.factories import World

# Fixed dates in November 2026 must be in the past: "today" is frozen (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("frozen_today")


def test_the_second_of_two_outcome_saves_gets_409_and_the_first_is_kept(world: World) -> None:
    case = world.cases["own"]
    when = datetime(2026, 11, 2, 10, tzinfo=ZoneInfo("Europe/London"))
    contact = Contact.objects.create(
        offender=case,
        event=case.events.get(),
        contact_type=ContactType.objects.get(code="office"),
        starts_at=when,
        ends_at=when,
    )
    first, second = Client(), Client()
    first.force_login(world.user("om"))
    second.force_login(world.user("spo"))
    url = f"/api/v1/supervision/contacts/{contact.pk}/outcome"
    opened_at = contact.version
    saved = first.post(
        url,
        json.dumps({"outcome": "attended_complied", "version": opened_at}),
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.content
    conflict = second.post(
        url,
        json.dumps({"outcome": "acceptable_absence", "absence_reason": "Hospital", "version": opened_at}),
        content_type="application/json",
    )
    assert conflict.status_code == 409
    assert "changed by someone else" in conflict.json()["detail"]
    contact.refresh_from_db()
    assert contact.outcome == "attended_complied"
