"""In the browser: a few-choice question is radios, and the follow-up an answer needs stays out of the
way until that answer is chosen (GOV.UK conditional reveal); a missed question is a GOV.UK error."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from oms.cases.models import ContactType
from oms.planning import services as planning
from oms.supervision.models import Contact
from tests.e2e.conftest import choose, screenshot, sign_in
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_sentence_plan_reveals_the_partner_agency_only_when_a_partner_delivers(
    page: Any, world: World
) -> None:
    case = world.cases["own"]
    plan = planning.start_plan(world.user("om"), case)
    sign_in(page, "om", PASSWORD)
    page.goto(f"/planning/cases/{case.crn}/{plan.pk}/edit/")
    partner_agency = page.locator("#id_objectives-0-partner_agency")
    agreed_on = page.locator("#id_agreement_recorded_on_day")
    assert not partner_agency.is_visible() and not agreed_on.is_visible()
    assert page.get_by_role("radio", name="The offender manager").first.is_checked()

    choose(page, "objectives-0-delivered_by", "partner")
    choose(page, "offender_agreed", "yes")
    assert partner_agency.is_visible() and agreed_on.is_visible()
    assert page.locator("#id_objectives-0-delivered_by-3").get_attribute("aria-expanded") == "true"
    screenshot(page, "radios-sentence-plan")

    choose(page, "objectives-0-delivered_by", "staff")
    assert not partner_agency.is_visible()
    assert page.locator("#id_objectives-0-delivered_by_staff optgroup").count() >= 1


def test_an_outcome_left_unchosen_is_an_error_on_the_radios_and_an_absence_asks_why(
    page: Any, world: World
) -> None:
    case = world.cases["own"]
    start = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=1), time(10)))
    contact = Contact.objects.create(
        offender=case,
        event=case.events.get(number=1),
        contact_type=ContactType.objects.get(code="office"),
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        staff=case.offender_manager,
    )
    sign_in(page, "om", PASSWORD)
    page.goto(f"/supervision/contacts/{contact.pk}/")
    page.click("button:has-text('Save outcome')")
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    assert "Choose the outcome" in summary.inner_text()
    summary.locator("a", has_text="Choose the outcome").click()
    # The summary's link lands on the first answer, as GOV.UK's error summary does.
    assert page.evaluate("document.activeElement.id") == "id_outcome"
    assert "Choose the outcome" in page.locator("#id_outcome-error").inner_text()

    reason = page.locator("#id_absence_reason")
    assert not reason.is_visible()
    choose(page, "outcome", "acceptable_absence")
    assert reason.is_visible()
    screenshot(page, "radios-contact-outcome")
    reason.fill("At hospital with her son")
    page.click("button:has-text('Save outcome')")
    assert "Outcome recorded" in page.content()
    contact.refresh_from_db()
    assert contact.outcome == "acceptable_absence" and contact.absence_reason == "At hospital with her son"
