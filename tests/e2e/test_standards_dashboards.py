"""Dashboards in the browser: my actions, team actions, and the enforcement tracker."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from oms.cases.models import ContactType
from oms.supervision.models import Contact
from oms.timescales.date_rules import long_date
from tests.e2e.conftest import fill_date, screenshot, sign_in
from tests.factories import PASSWORD, World, make_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_offender_manager_spo_and_case_administrator_see_their_deadlines(page, world: World) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    case = make_case(world.area, world.staff["om"], sentence_date=today - timedelta(days=40))
    missed = datetime.combine(
        today - timedelta(days=10), datetime.min.time(), tzinfo=ZoneInfo("Europe/London")
    ).replace(hour=10)
    Contact.objects.create(
        offender=case,
        event=case.events.get(),
        contact_type=ContactType.objects.get(code="office"),
        starts_at=missed,
        ends_at=missed,
        outcome="unacceptable_absence",
        outcome_recorded_at=missed,
    )

    sign_in(page, "om", PASSWORD)
    overdue = page.locator("#overdue-actions").inner_text()
    assert int(overdue) > 0
    page.click("text=Actions due")
    assert page.locator("h1").inner_text() == "Actions on my cases"
    assert case.crn in page.content() and "Overdue by" in page.content()
    screenshot(page, "standards-my-actions")
    page.click(f"text={case.family_name.upper()}")
    assert "What happens next" in page.content()

    page.context.clear_cookies()
    sign_in(page, "spo", PASSWORD)
    page.click("text=Actions due")
    assert page.locator("h1").inner_text() == "Team actions"
    page.select_option("#status", "overdue")
    page.click("button:has-text('Show actions')")
    assert case.crn in page.content()
    screenshot(page, "standards-team-actions")

    page.context.clear_cookies()
    sign_in(page, "caseadmin", PASSWORD)
    page.click("text=Actions due")
    assert page.locator("h1").inner_text() == "Area actions"
    # Triage: the warnings overdue on one case, found by its CRN.
    page.fill("#case", case.crn)
    page.select_option("#rule", "warning")
    page.select_option("#status", "overdue")
    page.click("button:has-text('Show actions')")
    group = page.locator(f"#case-{case.crn}")
    header = group.locator("th").inner_text()
    assert case.crn in header and "Tier" in header and "1 action" in header
    assert "Warning issued" in group.inner_text() and "working day" in group.inner_text()
    screenshot(page, "standards-area-actions-filtered")
    page.click("text=One list")
    assert page.locator("#rule").input_value() == "warning"  # the filters stay as chosen
    assert case.crn in page.locator("#actions-table").inner_text()
    page.click("a.oms-task-link")
    assert "/supervision/contacts/" in page.url and page.locator("#enforcement").count() == 1

    page.goto("/")
    page.click("text=Enforcement")
    assert page.locator("h1").inner_text() == "Enforcement tracker"
    table = page.locator("#enforcement-table").inner_text()
    assert case.crn in table and "Warning" in table
    screenshot(page, "standards-enforcement-tracker")
    # The tracker as of the day before the absence, typed in the date boxes: nothing to judge yet.
    fill_date(page, "#as_of", today - timedelta(days=11))
    page.click("#main-content button:has-text('Show')")
    assert f"as of {long_date(today - timedelta(days=11))}" in page.locator("h1 + p").inner_text()
    assert case.crn not in page.locator("#enforcement-table").inner_text()
    # A month left out is named; the tracker shows today meanwhile.
    page.fill("#as_of_month", "")
    page.click("#main-content button:has-text('Show')")
    assert page.title().startswith("Error: Enforcement tracker")
    assert "As of must include a month" in page.locator(".govuk-error-summary").inner_text()
    assert case.crn in page.locator("#enforcement-table").inner_text()
    screenshot(page, "standards-enforcement-wrong-date")
    page.locator("#enforcement-table a.oms-task-link").first.click()
    assert "/supervision/contacts/" in page.url  # the absence itself, not the case page
