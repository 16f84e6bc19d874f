"""The case page in a browser: the header, one section per URL under the sub-navigation, and 320 px reflow."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import screenshot, sign_in
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.django_db(transaction=True)


def test_offender_manager_moves_through_the_case_sections(page, world: World) -> None:  # type: ignore[no-untyped-def]
    case = world.cases["own"]
    sign_in(page, "om", PASSWORD)
    page.goto(f"/cases/{case.crn}/")
    header = page.locator("#case-header").inner_text()
    case.refresh_from_db()  # the tier is recalculated from the records
    assert case.full_name in header and "Date of birth" in header and f"Tier {case.tier}" in header
    nav = page.locator("nav.moj-sub-navigation")
    assert nav.locator("[aria-current=page]").inner_text() == "Overview"
    screenshot(page, "case-1-overview")
    for label, heading in [
        ("Risk", "Risk, likelihood of reoffending and tier"),
        ("Contacts", "Contacts"),
        ("Enforcement", "Enforcement"),
        ("Personal details", "Personal details"),
    ]:
        nav.locator(f"text={label}").first.click()
        assert nav.locator("[aria-current=page]").inner_text() == label
        assert heading in page.locator("h2").all_inner_texts()
        assert page.title().startswith(f"{label} – ")
        screenshot(page, f"case-2-{label.lower().replace(' ', '-')}")
    nav.locator("text=Timeline").click()
    assert page.url.endswith(f"/supervision/cases/{case.crn}/timeline/")
    assert page.locator("#case-header").is_visible()


def test_at_320_pixels_the_service_menu_collapses_and_nothing_scrolls_sideways(page, world: World) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "spo", PASSWORD)
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(f"/cases/{world.cases['own'].crn}/person/")
    toggle = page.locator(".govuk-service-navigation__toggle")
    assert toggle.is_visible() and not page.locator("#navigation").is_visible()
    toggle.click()
    assert page.locator("#navigation").is_visible()
    assert page.locator("#navigation [aria-current=page]").inner_text() == "Cases"
    # WCAG 1.4.10: the page itself never scrolls sideways; wide tables scroll in their own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    screenshot(page, "case-3-personal-details-320px")
    page.goto("/cases/?sort=tier&order=desc")
    assert page.locator("th[aria-sort=descending]").inner_text().startswith("Tier")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    screenshot(page, "case-4-caseload-320px")
