"""Sign in as each role, open a case, and register an order with one invalid field, then fix it."""

from __future__ import annotations

import pytest

from oms.cases.models import Offender
from tests.e2e.conftest import choose, fill_date, screenshot, sign_in
from tests.factories import PASSWORD, ROLES, World

pytestmark = pytest.mark.django_db(transaction=True)

# What each role sees first on the home page, and whether the world's "own" case is theirs to open.
EXPECTED_HEADING = {"om": "My caseload"}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_signs_in_and_opens_a_case(page, world: World, role: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, role, PASSWORD)
    assert page.locator("h1").inner_text() == world.staff[role].full_name
    assert EXPECTED_HEADING.get(role, "Cases you can see") in page.content()
    page.click("text=Cases")
    crn = world.cases["own"].crn
    page.click(f"text={world.cases['own'].family_name.upper()}")
    assert page.locator(".govuk-caption-l").first.inner_text().startswith(f"CRN {crn}")
    assert "Unpaid work, 100 hours" in page.content()
    screenshot(page, f"foundation-case-as-{role}")
    # A case the role may not see answers with the GOV.UK 403 page, not the case.
    page.goto(f"/cases/{world.cases['other_area'].crn}/")
    assert "You do not have access" in page.content()


def test_case_administrator_registers_an_order_with_one_invalid_field_then_fixes_it(
    page, world: World
) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "caseadmin", PASSWORD)
    page.click("text=Register a case")
    page.fill("#id_person-first_name", "Rita")
    page.fill("#id_person-family_name", "Browserton")
    fill_date(page, "#id_person-date_of_birth", "1990-05-17")
    choose(page, "person-gender", "female")
    choose(page, "event-kind", "community_order")
    page.fill("#id_event-court", "Northampton Magistrates' Court")
    page.fill("#id_event-offence_code", "02801")
    fill_date(page, "#id_event-sentence_date", "2026-11-02")
    page.fill("#id_event-length_months", "12")
    page.select_option("#id_requirements-0-requirement_type", "unpaid_work")
    page.fill("#id_requirements-0-hours", "350")
    page.click("button:has-text('Register')")
    summary = page.locator(".govuk-error-summary")
    assert "Unpaid work must be between 40 and 300 hours" in summary.inner_text()
    screenshot(page, "foundation-register-invalid")
    assert not Offender.objects.filter(family_name="Browserton").exists()
    summary.locator("a").first.click()
    page.fill("#id_requirements-0-hours", "150")
    page.click("button:has-text('Register')")
    assert "registered" in page.locator(".govuk-notification-banner").inner_text()
    assert "Unpaid work, 150 hours" in page.content()
    screenshot(page, "foundation-register-fixed")
    assert Offender.objects.get(family_name="Browserton").events.get().requirements.get().hours == 150
