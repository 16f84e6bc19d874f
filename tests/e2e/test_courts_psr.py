"""A pre-sentence report from the court's request to delivery, in the browser."""

from __future__ import annotations

import pytest

from oms.courts.models import PreSentenceReport
from tests.e2e.conftest import choose, fill_date, screenshot, sign_in
from tests.factories import PASSWORD, World, make_roh_screening

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_psr_from_request_to_delivery(page, world: World) -> None:  # type: ignore[no-untyped-def]
    offender = world.cases["own"]
    make_roh_screening(offender, world.staff["om"])
    sign_in(page, "om", PASSWORD)
    page.goto(f"/cases/{offender.crn}/")
    page.click("text=Record a report request")
    choose(page, "kind", "sdr")
    page.fill("#id_court", "Northampton Magistrates' Court")
    choose(page, "court_type", "magistrates")
    fill_date(page, "#id_requested_on", "2026-09-01")
    page.check("#id_remanded_in_custody")
    page.click("button:has-text('Save')")
    assert "due 15 September 2026" in page.locator(".govuk-notification-banner").inner_text()
    screenshot(page, "courts-psr-requested")

    page.click("text=Allocate an author")
    page.select_option("#id_author", str(world.staff["om"].pk))
    page.click("button:has-text('Allocate')")
    page.click("text=Record delivery")
    fill_date(page, "#id_delivered_on", "2026-09-14")
    page.click("button:has-text('Record delivery')")
    summary = page.locator(".govuk-error-summary")
    assert "Enter the risk of harm (RoH) section" in summary.inner_text()
    screenshot(page, "courts-psr-delivery-refused")

    page.click("text=Cancel")
    page.click("text=Write the report")
    page.fill("#id_risk_of_harm", "Medium risk of harm to known adults.")
    page.fill("#id_likelihood_of_reoffending", "OGRS3 52%: medium.")
    page.fill("#id_victim_information", "The victim was a neighbour.")
    page.fill("#id_self_harm", "No current concerns.")
    page.fill("#id_outline_sentence_plan", "Supervision for 12 months with Think First.")
    page.select_option("#id_proposal", "community_order")  # six sentences: still a list to choose from
    page.click("button:has-text('Save report')")
    page.click("text=Record delivery")
    fill_date(page, "#id_delivered_on", "2026-09-14")
    page.click("button:has-text('Record delivery')")
    assert "Report delivered on time" in page.locator(".govuk-notification-banner").inner_text()
    assert "on time" in page.locator("#delivered").inner_text()
    screenshot(page, "courts-psr-delivered")
    assert PreSentenceReport.objects.get(offender=offender).working_days_late == 0
