"""A refused submit lists every gap at once (RoH analysis, risk management plan), never one per try."""

from __future__ import annotations

from django.test import Client

from oms.risk.models import RiskManagementPlan, RiskOfHarmAnalysis
from tests.factories import World


def _client(world: World) -> Client:
    client = Client()
    client.force_login(world.user("om"))
    return client


def test_an_empty_risk_management_plan_names_every_section_and_the_missing_action(world: World) -> None:
    offender = world.cases["own"]
    client = _client(world)
    edit_url = client.post(f"/risk/cases/{offender.crn}/plan/start/")["Location"]
    plan = RiskManagementPlan.objects.get(offender=offender)
    page = client.post(edit_url, {"version": plan.version, "submit": "1"}).content.decode()
    assert "<title>Error: " in page
    for section in (
        "further considerations",
        "supervision",
        "monitoring and control",
        "interventions and treatment",
        "victim safety planning",
        "contingency",
    ):
        assert f"Enter the {section} section" in page
    assert "Enter at least one action: who does what by when" in page
    plan.refresh_from_db()
    assert plan.submitted_at is None


def test_an_analysis_without_levels_or_nature_of_risk_names_both(world: World) -> None:
    offender = world.cases["own"]
    client = _client(world)
    edit_url = client.post(f"/risk/cases/{offender.crn}/analysis/start/")["Location"]
    analysis = RiskOfHarmAnalysis.objects.get(offender=offender)
    page = client.post(edit_url, {"version": analysis.version, "submit": "1"}).content.decode()
    # The summary links each unconsidered group to its own box.
    assert '<a href="#id_children_community">' in page
    assert "Choose the level of risk to children in community" in page
    assert "Describe the nature of the risk: who is at risk, of what, and when" in page
