"""The performance page and the risk register heat map in a real browser, with screenshots."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from oms.performance.models import OrganisationalRisk, RiskAction
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import PASSWORD, build_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_senior_manager_sees_the_performance_table_and_trend_charts(page) -> None:  # type: ignore[no-untyped-def]
    build_world()
    sign_in(page, "aco", PASSWORD)
    page.goto("/performance/?date_from=2026-04-01&date_to=2026-09-30")
    table = page.locator("#performance-table")
    assert "Court report timeliness" in table.inner_text()
    assert "Accurate and timely ethnicity data" in table.inner_text()
    # The 18 trend charts come with the page as inline SVG images, each named for screen readers.
    charts = page.locator('figure svg[role="img"]')
    assert charts.count() == 18
    assert "trend by month against the target" in charts.first.locator("title").text_content()
    assert "Ranking of units" in page.content()
    # The figures are the stored ones (the first view stored them): the page says when, and the
    # manager can recalculate them now, back on the same period.
    assert "they are recalculated every night" in page.locator("#figures-as-at").inner_text()
    screenshot(page, "performance-table")
    page.click("text=Recalculate now")
    assert "recalculated from its records" in page.content()
    assert "date_from=2026-04-01" in page.url and "30 September 2026" in table.inner_text()


def test_risk_register_heat_map_has_text_in_every_cell(page) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    today = date.today()
    owner = world.staff["aco"]
    for title, likelihood, impact in [("Sickness", 4, 4), ("Countersigning delays", 3, 4), ("Outage", 1, 3)]:
        risk = OrganisationalRisk.objects.create(
            area=world.area,
            title=title,
            owner=owner,
            likelihood=likelihood,
            impact=impact,
            next_review_on=today + timedelta(days=30),
        )
        if likelihood * impact >= 8:
            RiskAction.objects.create(
                risk=risk, description="Action plan", owner=owner, due_on=today + timedelta(days=20)
            )
    sign_in(page, "aco", PASSWORD)
    page.click("text=Risk register")
    cells = page.locator("#heat-map td[data-likelihood]")
    assert cells.count() == 25
    assert "1 risk" in page.locator('#heat-map td[data-likelihood="4"][data-impact="4"]').inner_text()
    assert "Red, score 16" in page.locator('#heat-map td[data-likelihood="4"][data-impact="4"]').inner_text()
    assert (
        "Amber, score 12" in page.locator('#heat-map td[data-likelihood="3"][data-impact="4"]').inner_text()
    )
    screenshot(page, "risk-register-heat-map")
