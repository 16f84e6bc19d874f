"""In the browser: screening → full analysis → risk management plan → countersigned; rollback and resubmit."""

from __future__ import annotations

from typing import Any

import pytest

from oms.cases.models import Offender
from oms.risk.models import RiskManagementPlan, RiskOfHarmAnalysis, RiskOfHarmScreening
from tests.e2e.conftest import choose, fill_date, screenshot, sign_in
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.django_db(transaction=True)


def _second_page(page: Any, live_server: Any, username: str) -> Any:
    """Another person at another desk: a fresh browser context signed in as them."""
    context = page.context.browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=live_server.url
    )
    other = context.new_page()
    sign_in(other, username, PASSWORD)
    return other


def _countersign(spo: Any, link_text: str, name: str) -> None:
    spo.goto("/risk/countersigning/")
    spo.click(f"text={link_text}")
    spo.check("input[name=decision][value=countersign]")
    screenshot(spo, name)
    spo.click("button:has-text('Record decision')")
    assert "countersigned and locked" in spo.locator(".govuk-notification-banner").inner_text()


def test_screening_to_full_analysis_to_plan_to_countersignature(
    page: Any, live_server: Any, world: World
) -> None:
    crn = world.cases["own"].crn
    sign_in(page, "om", PASSWORD)
    page.goto(f"/cases/{crn}/risk/")
    page.click("button:has-text('Start RoH screening')")
    choose(page, "indicator_public", "high")
    page.check("#id_current_offence_violence")
    page.fill("#id_notes", "Robbery with a knife; threats to the victim since.")
    screenshot(page, "risk-1-screening")
    page.click("button:has-text('Save and submit')")
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert "indicates a full RoH analysis, which is now open" in banner
    assert "The current offence involves violence" in banner
    assert page.locator("h1").inner_text() == "Full RoH analysis 1"

    # Submitting with a group left unconsidered is refused, naming it.
    choose(page, "public_community", "high")
    page.fill("#id_nature_of_risk", "Violence to strangers in the town centre when drinking.")
    page.click("button:has-text('Save and submit')")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Risk of serious harm has not been considered for: Known adult in community" in summary
    screenshot(page, "risk-2-analysis-refused")
    for field in ("known_adult", "children", "staff"):
        choose(page, f"{field}_community", "low")
    for field in ("public", "known_adult", "children", "staff", "prisoners"):
        choose(page, f"{field}_custody", "medium")
    page.check("#id_mappa_assessment_used")
    page.fill("#id_victim_safety_issues", "The victim lives two streets away.")
    page.click("button:has-text('Save and submit')")
    assert "submitted: awaiting countersignature" in page.locator(".govuk-notification-banner").inner_text()

    spo = _second_page(page, live_server, "spo")
    _countersign(spo, "Full RoH analysis 1", "risk-3-countersign-analysis")
    assert Offender.objects.get(crn=crn).risk_of_harm_level == "high"

    page.goto(f"/cases/{crn}/risk/")
    assert "Tier 4 because risk of harm is high" in page.locator("#tier-explanation").inner_text()
    assert "risk management plan is needed" in page.content()
    page.click("text=All assessments and plans")
    page.click("button:has-text('Start the risk management plan')")
    page.fill("#id_further_considerations", "Review at any change of address.")
    page.fill("#id_supervision", "Weekly appointments; home visit within 10 working days.")
    page.fill("#id_monitoring_and_control", "Exclusion zone around the victim's street.")
    page.fill("#id_interventions_and_treatment", "Alcohol treatment requirement.")
    page.fill("#id_victim_safety_planning", "VLO informed; police marker on the victim's address.")
    page.fill("#id_contingency", "Breach of the exclusion zone: recall considered the same day.")
    page.check("#id_addresses_public")
    page.fill("#id_actions-0-action", "Home visit")
    page.fill("#id_actions-0-who", "Offender manager")
    fill_date(page, "#id_actions-0-by", "2026-12-10")
    screenshot(page, "risk-4-plan")
    page.click("button:has-text('Save and submit')")
    assert "Awaiting countersignature" in page.content()
    _countersign(spo, "Risk management plan 1", "risk-5-countersign-plan")

    page.goto(f"/cases/{crn}/risk/")
    panel = page.locator("#risk-panel").inner_text()
    assert "High (full analysis 1" in panel and "Locked version 1" in panel.replace("\n", " ")
    screenshot(page, "risk-6-case-panel")
    assert RiskOfHarmScreening.objects.get().status == "locked"
    assert RiskOfHarmAnalysis.objects.get().countersigned_by == world.staff["spo"]
    assert RiskManagementPlan.objects.get().status == "locked"


def test_rollback_and_resubmit(page: Any, live_server: Any, world: World) -> None:
    offender = world.cases["own"]
    Offender.objects.filter(pk=offender.pk).update(risk_of_harm_level="very_high")
    sign_in(page, "om", PASSWORD)
    page.goto(f"/cases/{offender.crn}/risk/")
    page.click("button:has-text('Start RoH screening')")
    page.fill("#id_notes", "First attempt.")
    page.click("button:has-text('Save and submit')")
    assert "awaiting countersignature" in page.locator(".govuk-notification-banner").inner_text()

    spo = _second_page(page, live_server, "spo")
    spo.goto("/risk/countersigning/")
    spo.click("text=RoH screening 1")
    spo.check("input[name=decision][value=roll_back]")
    spo.click("button:has-text('Record decision')")
    assert "Enter what must be improved" in spo.locator(".govuk-error-summary").inner_text()
    spo.fill("#id_reason", "Risk to children not considered: there is a child protection registration.")
    screenshot(spo, "risk-rollback-1-reason")
    spo.click("button:has-text('Record decision')")
    assert "rolled back" in spo.locator(".govuk-notification-banner").inner_text()

    page.goto(f"/risk/cases/{offender.crn}/")
    page.click("text=RoH screening 1")
    assert "Risk to children not considered" in page.locator("#rollback-reason").inner_text()
    page.click("text=Continue RoH screening")
    choose(page, "indicator_children", "medium")
    page.check("#id_child_protection_concerns")
    screenshot(page, "risk-rollback-2-resubmit")
    page.click("button:has-text('Save and submit')")

    _countersign(spo, "RoH screening 1", "risk-rollback-3-countersign")
    page.goto(f"/risk/cases/{offender.crn}/")
    history = page.locator("#countersigning-history").inner_text()
    for step in ("Submitted for countersigning", "Rolled back", "Countersigned and locked"):
        assert step in history
    screenshot(page, "risk-rollback-4-history")
