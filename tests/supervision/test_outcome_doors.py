"""Judging an appointment is one rule at every door: the page, the API and the service give one answer.

The attack the issue found: a partner agency worker (or interventions staff), refused by the page,
recorded an unacceptable absence on the offender manager's appointment through the API and so issued
a formal warning. Only those who manage the case judge any appointment; the others judge only the
contacts they booked themselves.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from oms.cases.models import ContactType, Offender
from oms.organisation.models import Staff
from oms.supervision import services
from oms.supervision.constants import ContactOutcome
from oms.supervision.models import Contact, EnforcementWarning
from tests.factories import World

pytestmark = pytest.mark.django_db


def appointment(offender: Offender, booked_by: Staff | None, code: str = "office") -> Contact:
    """Yesterday's appointment (booking refuses the past, so the test sets it up directly)."""
    start = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=1), time(10, 0)))
    return Contact.objects.create(
        offender=offender,
        event=offender.events.get(number=1),
        contact_type=ContactType.objects.get(code=code),
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        staff=offender.offender_manager,
        booked_by=booked_by,
    )


def signed_in(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.user(role))
    return client


UNACCEPTABLE = {"outcome": ContactOutcome.UNACCEPTABLE_ABSENCE, "version": 1}


@pytest.mark.parametrize("role", ["partner", "interventions"])
def test_staff_who_only_record_contacts_cannot_judge_the_offender_managers_appointment_through_the_api(
    world: World, role: str
) -> None:
    # The "own" case is granted to the partner and in the interventions worker's area: both can read it.
    contact = appointment(world.cases["own"], booked_by=world.staff["om"])
    response = signed_in(world, role).post(
        f"/api/v1/supervision/contacts/{contact.pk}/outcome", UNACCEPTABLE, content_type="application/json"
    )
    assert response.status_code == 403, response.content
    assert response.json()["detail"] == "You cannot record the outcome of this appointment"
    contact.refresh_from_db()
    assert contact.outcome == "" and contact.version == 1
    assert not EnforcementWarning.objects.exists()


@pytest.mark.parametrize("role", ["partner", "interventions"])
def test_the_page_refuses_the_same_judgement(world: World, role: str) -> None:
    contact = appointment(world.cases["own"], booked_by=world.staff["om"])
    response = signed_in(world, role).post(f"/supervision/contacts/{contact.pk}/", UNACCEPTABLE)
    assert response.status_code == 403
    contact.refresh_from_db()
    assert contact.outcome == ""
    assert not EnforcementWarning.objects.exists()


def test_the_service_itself_refuses_whoever_calls_it(world: World) -> None:
    contact = appointment(world.cases["own"], booked_by=world.staff["om"])
    with pytest.raises(PermissionDenied):
        services.record_outcome(
            world.user("partner"),
            contact,
            services.OutcomeInput(ContactOutcome.UNACCEPTABLE_ABSENCE),
            expected_version=1,
        )
    assert not EnforcementWarning.objects.exists()


def test_a_partner_agency_worker_judges_the_contact_they_booked_through_the_api(world: World) -> None:
    contact = appointment(world.cases["own"], booked_by=world.staff["partner"], code="partner_agency")
    response = signed_in(world, "partner").post(
        f"/api/v1/supervision/contacts/{contact.pk}/outcome",
        {"outcome": ContactOutcome.ATTENDED_COMPLIED, "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    contact.refresh_from_db()
    assert contact.outcome == ContactOutcome.ATTENDED_COMPLIED


def test_the_offender_manager_judges_through_the_api_and_the_warning_follows(world: World) -> None:
    contact = appointment(world.cases["own"], booked_by=None)
    response = signed_in(world, "om").post(
        f"/api/v1/supervision/contacts/{contact.pk}/outcome", UNACCEPTABLE, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["action"] == "warning"
    assert EnforcementWarning.objects.filter(failure=contact).exists()


@pytest.mark.parametrize("role", ["partner", "interventions"])
def test_staff_who_only_record_contacts_cannot_give_a_warning_or_book(world: World, role: str) -> None:
    contact = appointment(world.cases["own"], booked_by=world.staff["om"])
    Contact.objects.filter(pk=contact.pk).update(
        outcome=ContactOutcome.UNACCEPTABLE_ABSENCE, enforceable=False
    )
    contact.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.give_warning(world.user(role), contact)
    tomorrow = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=1), time(10, 0)))
    response = signed_in(world, role).post(
        f"/api/v1/supervision/cases/{world.cases['own'].crn}/appointments",
        {"contact_type": "office", "starts_at": tomorrow.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not EnforcementWarning.objects.exists()
    assert Contact.objects.count() == 1
