"""Every API module answers the service's refusals the same way, through the one handler
(oms/api/errors.py): a broken rule is 422 in JSON naming its field, a stale save 409 in JSON.

The courts API once answered a stale save with 422 where the README promises 409; these tests hold
each module that writes to the same two answers (the inspection API's: tests/inspection/test_answers_api_errors.py).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from oms.cases.models import ContactType
from oms.courts.models import PreSentenceReport
from oms.interventions.models import UnpaidWorkEntry
from oms.supervision.models import Contact
from tests.factories import World

pytestmark = pytest.mark.usefixtures("frozen_today")


def _post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def _signed_in(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.user(role))
    return client


def _rule_broken(response: Any, field: str) -> None:
    assert response.status_code == 422, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["field"] == field
    assert body["detail"].startswith(f"{field}: ")


def _stale(response: Any) -> None:
    assert response.status_code == 409, response.content
    assert response["Content-Type"].startswith("application/json")
    assert "changed by someone else" in response.json()["detail"]


def _past_appointment(world: World) -> Contact:
    case = world.cases["own"]
    when = datetime(2026, 11, 2, 10, tzinfo=ZoneInfo("Europe/London"))
    return Contact.objects.create(
        offender=case,
        event=case.events.get(),
        contact_type=ContactType.objects.get(code="office"),
        starts_at=when,
        ends_at=when + timedelta(hours=1),
    )


def test_supervision_a_broken_rule_is_422_naming_the_field_and_a_stale_outcome_409(world: World) -> None:
    contact = _past_appointment(world)
    client = _signed_in(world, "om")
    url = f"/api/v1/supervision/contacts/{contact.pk}/outcome"
    no_reason = {"outcome": "acceptable_absence", "version": contact.version}
    _rule_broken(_post(client, url, no_reason), "absence_reason")
    assert _post(client, url, {"outcome": "attended_complied", "version": contact.version}).status_code == 200
    late = {"outcome": "acceptable_absence", "absence_reason": "Hospital", "version": contact.version}
    _stale(_post(client, url, late))
    contact.refresh_from_db()
    assert contact.outcome == "attended_complied"


def test_courts_a_broken_rule_is_422_naming_the_field(world: World) -> None:
    case = world.cases["own"]
    request = {
        "kind": "sdr",
        "court": "Northampton Magistrates' Court",
        "requested_on": "2026-11-20",
        "hearing_date": "2026-11-10",
    }
    _rule_broken(
        _post(_signed_in(world, "om"), f"/api/v1/courts/cases/{case.crn}/reports", request), "hearing_date"
    )
    assert not PreSentenceReport.objects.filter(offender=case).exists()


def test_interventions_a_broken_rule_is_422_naming_the_field(world: World) -> None:
    case = world.cases["own"]
    requirement = case.events.get().requirements.get(requirement_type="unpaid_work")
    future = {"requirement_id": requirement.pk, "kind": "worked", "on": "2026-12-20", "hours": 3}
    client = _signed_in(world, "interventions")
    _rule_broken(_post(client, f"/api/v1/interventions/cases/{case.crn}/unpaid-work", future), "on")
    assert not UnpaidWorkEntry.objects.filter(requirement=requirement).exists()
