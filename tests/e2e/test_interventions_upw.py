"""Unpaid work hours recorded by interventions staff, and hours beyond the order refused."""

from __future__ import annotations

import pytest

from oms.cases.models import Requirement
from tests.e2e.conftest import choose, fill_date, screenshot, sign_in
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.django_db(transaction=True)


def test_interventions_staff_record_unpaid_work_hours(page, world: World) -> None:  # type: ignore[no-untyped-def]
    offender = world.cases["own"]
    requirement = Requirement.objects.get(event__offender=offender, requirement_type="unpaid_work")
    sign_in(page, "interventions", PASSWORD)
    page.click("text=Interventions")
    page.goto(f"/interventions/cases/{offender.crn}/")
    for kind, hours in (("offered", "7"), ("worked", "7")):
        page.click("text=Record unpaid work hours")
        choose(page, "requirement", requirement.pk)
        page.check(f"input[name=kind][value={kind}]")
        fill_date(page, "#id_on", "2026-06-13")
        page.fill("#id_hours", hours)
        page.click("button:has-text('Record hours')")
        assert "Hours recorded" in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator("#hours-worked").inner_text() == "7"
    assert page.locator("#hours-remaining").inner_text() == "93"
    screenshot(page, "interventions-upw-recorded")

    page.click("text=Record unpaid work hours")
    choose(page, "requirement", requirement.pk)
    page.check("input[name=kind][value=worked]")
    fill_date(page, "#id_on", "2026-06-20")
    page.fill("#id_hours", "94")
    page.click("button:has-text('Record hours')")
    assert (
        "beyond the 100 hours ordered: only 93 hours remain"
        in page.locator(".govuk-error-summary").inner_text()
    )
    screenshot(page, "interventions-upw-refused")
