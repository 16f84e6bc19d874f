"""In the browser: an SPO allocates a new case from the queue to a PSO under their recorded oversight,
and the PSO is emailed."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core import mail

from oms.cases.models import Allocation
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import PASSWORD, World, make_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_allocation_from_the_queue(page: Any, world: World) -> None:
    case = make_case(world.area, None, sentence_date=date(2026, 11, 2), tier="3", risk_of_harm_level="medium")
    sign_in(page, "spo", PASSWORD)
    page.click("text=Allocation")
    row = page.locator("#allocation-queue tr", has_text=case.crn)
    assert "Probation services officer (PSO)" in row.inner_text()
    screenshot(page, "tiering-allocation-1-queue")
    row.locator("text=Allocate").click()
    assert "Probation services officer (PSO)" in page.locator("#recommended-grade").inner_text()
    workloads = page.locator("#workloads").inner_text()
    assert world.teammate.full_name in workloads and "Recommended grade" in workloads
    page.select_option("#id_offender_manager", str(world.teammate.pk))
    page.click("button:has-text('Allocate')")
    assert "Enter why this offender manager was chosen" in page.locator(".govuk-error-summary").inner_text()
    page.fill("#id_reason", "PSO with the most capacity.")
    page.click("button:has-text('Allocate')")
    # A PSO holds a tier 3 case only under the SPO's recorded oversight: the page asks for it.
    assert "enter your decision and why" in page.locator(".govuk-error-summary").inner_text()
    page.fill("#id_manager_decision", "Tier 3 medium RoH under my oversight: monthly case discussion.")
    screenshot(page, "tiering-allocation-2-choose")
    page.click("button:has-text('Allocate')")
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert f"{case.crn} allocated to {world.teammate.full_name}" in banner
    screenshot(page, "tiering-allocation-3-done")
    allocation = Allocation.objects.get(offender=case)
    assert allocation.decided_by == world.staff["spo"]
    assert allocation.manager_decision.startswith("Tier 3 medium RoH under my oversight")
    assert [m.to for m in mail.outbox] == [[world.teammate.email]]
