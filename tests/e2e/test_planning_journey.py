"""In the browser: a PSO writes a plan with two objectives, submits it, the SPO countersigns it from
the shared queue, and the PSO reviews it (a new version; the locked plan is untouched)."""

from __future__ import annotations

from typing import Any

import pytest

from oms.cases.models import Requirement, RequirementType
from oms.planning.models import SentencePlan
from oms.risk.countersigning import CountersigningStatus
from tests.e2e.conftest import choose, fill_date, screenshot, sign_in
from tests.factories import PASSWORD, World, make_case, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


def _objective(
    page: Any, index: int, *, text: str, need: str, purpose: str, intervention: str, target: str
) -> None:
    page.fill(f"#id_objectives-{index}-objective", text)
    if need:
        page.select_option(f"#id_objectives-{index}-need", need)
    choose(page, f"objectives-{index}-purpose", purpose)
    page.fill(f"#id_objectives-{index}-intervention", intervention)
    fill_date(page, f"#id_objectives-{index}-target_date", target)


def _agreement(page: Any) -> None:
    choose(page, "offender_participated", "yes")
    choose(page, "offender_agreed", "yes")
    fill_date(page, "#id_agreement_recorded_on", "2026-06-10")


def test_write_submit_countersign_review(page: Any, live_server: Any, world: World) -> None:
    pso = make_staff("PSO", world.area, world.team, username="pso")
    case = make_case(world.area, pso, tier="3")
    # Unpaid work and supervision: not an unpaid-work-only plan, so every objective applies.
    Requirement.objects.create(
        event=case.events.get(),
        requirement_type=RequirementType.objects.get(code="supervision"),
        length_months=12,
    )
    sign_in(page, "pso", PASSWORD)
    page.goto(f"/cases/{case.crn}/sentence-plan/")
    assert "No plan" in page.locator("#plan-status").inner_text()
    page.click("button:has-text('Write the sentence plan')")
    assert page.locator("h1").inner_text() == "Initial sentence plan (version 1)"

    # Submitting with nothing filled in is refused, naming the problem.
    page.click("button:has-text('Save and submit')")
    assert "Enter at least one objective" in page.locator(".govuk-error-summary").inner_text()

    page.fill("#id_sequencing_of_requirements", "Unpaid work starts first; housing advice alongside.")
    choose(page, "planned_contact_level", "standard")
    _agreement(page)
    page.fill("#id_offender_views", "Wants a placement outdoors.")
    _objective(
        page,
        0,
        text="Complete 100 hours of unpaid work",
        need="",
        purpose="punish",
        intervention="Unpaid work placement",
        target="2027-05-01",
    )
    page.check("#id_objectives-0-linked_to_risk_management_plan")
    choose(page, "objectives-0-delivered_by", "partner")
    page.fill("#id_objectives-0-partner_agency", "Community Payback")
    _objective(
        page,
        1,
        text="Find settled accommodation",
        need="accommodation",
        purpose="help",
        intervention="Housing advice referral",
        target="2026-09-01",
    )
    screenshot(page, "planning-1-write")
    page.click("button:has-text('Save and submit')")
    assert "submitted: awaiting countersignature" in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator(".objective-row").count() == 2

    spo = page.context.browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=live_server.url
    ).new_page()
    sign_in(spo, "spo", PASSWORD)
    spo.goto("/risk/countersigning/")
    spo.click("text=Sentence plan 1")
    assert "Find settled accommodation" in spo.locator("#objectives").inner_text()
    spo.check("input[name=decision][value=countersign]")
    screenshot(spo, "planning-2-countersign")
    spo.click("button:has-text('Record decision')")
    assert "countersigned and locked" in spo.locator(".govuk-notification-banner").inner_text()
    spo.context.close()

    page.goto(f"/cases/{case.crn}/sentence-plan/")
    assert "Locked" in page.locator("#plan-status").inner_text()
    assert "16 weeks from the last plan or review" in page.locator("#review-due").inner_text()
    screenshot(page, "planning-3-case-panel")
    page.click("text=Printable copy for Test")
    screenshot(page, "planning-4-printable")
    page.goto(f"/cases/{case.crn}/sentence-plan/")
    page.click("button:has-text('Review the sentence plan')")
    assert page.locator("h1").inner_text() == "Sentence plan review (version 2)"
    assert page.input_value("#id_objectives-1-objective") == "Find settled accommodation"
    page.fill("#id_review_reason", "16-week review")
    page.fill("#id_progress_summary", "40 hours worked; housing referral made.")
    page.select_option("#id_objectives-1-status", "in_progress")
    _agreement(page)
    screenshot(page, "planning-5-review")
    page.click("button:has-text('Save and submit')")
    assert "submitted: awaiting countersignature" in page.locator(".govuk-notification-banner").inner_text()

    first, review = SentencePlan.objects.filter(offender=case).order_by("sequence")
    assert (
        first.status == CountersigningStatus.LOCKED and first.objectives.get(number=2).status == "not_started"
    )
    assert review.previous_id == first.pk and review.objectives.get(number=2).status == "in_progress"
