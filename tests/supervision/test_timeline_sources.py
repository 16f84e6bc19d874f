"""The case timeline holds assessments and plans, their countersigning and rollbacks, tier changes and MAPPA."""

from __future__ import annotations

import re
from datetime import date

from django.test import Client

from oms.cases.models import Offender
from oms.interventions.models import MappaMeeting
from oms.planning import services as planning_services
from oms.risk import services as risk_services
from oms.risk.countersigning import CountersigningStatus
from oms.tiering.models import TierDecision
from tests.factories import World


def _timeline(world: World, role: str = "om") -> str:
    client = Client()
    client.force_login(world.user(role))
    return client.get(f"/supervision/cases/{world.cases['own'].crn}/timeline/").content.decode()


def test_an_assessment_its_submission_and_its_rollback_are_on_the_timeline(world: World) -> None:
    offender = world.cases["own"]
    # High RoH: a PO's screening goes to the SPO for countersigning.
    Offender.objects.filter(pk=offender.pk).update(risk_of_harm_level="high")
    offender.refresh_from_db()
    screening = risk_services.start_document(
        world.user("om"), offender, "screening", event=offender.events.get()
    )
    risk_services.submit_document(world.user("om"), screening, expected_version=screening.version)
    assert screening.status == CountersigningStatus.SUBMITTED
    risk_services.roll_back_document(
        world.user("spo"),
        screening,
        reason="No evidence for the indicators",
        expected_version=screening.version,
    )
    page = _timeline(world, "spo")
    assert f"{screening.title} begun" in page
    assert "submitted for countersigning" in page
    assert "rolled back" in page and "No evidence for the indicators" in page
    assert 'govuk-tag--red">Rolled back</strong>' in page


def test_tier_changes_and_mappa_meetings_are_on_the_timeline(world: World) -> None:
    offender = world.cases["own"]
    TierDecision.objects.create(
        offender=offender, framework="noms_2005", computed_tier="2", tier="2", trigger="registered"
    )
    TierDecision.objects.create(
        offender=offender, framework="noms_2005", computed_tier="2", tier="2", trigger="recalculated"
    )
    TierDecision.objects.create(
        offender=offender,
        framework="noms_2005",
        computed_tier="3",
        tier="4",
        trigger="MAPPA level 2",
        override_reason="Escalating risk",
    )
    MappaMeeting.objects.create(
        offender=offender, held_on=date(2026, 10, 11), level=2, summary="Risk reviewed; the plan continues."
    )
    page = _timeline(world)
    assert "Tier 2" in page and "Tier 4 (override)" in page and "Escalating risk" in page
    assert page.count("Tier 2</a>") == 1  # a recalculation that changed nothing is not news
    assert "MAPPA level 2 meeting" in page and "Risk reviewed; the plan continues." in page


def test_every_link_on_the_timeline_opens_for_its_reader(world: World) -> None:
    """A partner agency worker sees that a plan was begun, but is not sent to a plan their role may
    not open; everyone else who sees the timeline is linked to it, and every link opens."""
    offender = world.cases["own"]
    event = offender.events.get()
    risk_services.start_document(world.user("om"), offender, "screening", event=event)
    plan = planning_services.start_plan(world.user("om"), offender)
    for role in ("om", "partner", "prison"):
        client = Client()
        client.force_login(world.user(role))
        page = client.get(f"/supervision/cases/{offender.crn}/timeline/").content.decode()
        assert f"{plan.title} begun" in page
        links = set(re.findall(r'href="(/(?:risk|planning)/[^"#]*)', page))
        assert any(link.startswith("/planning/") for link in links) is (role != "partner"), (role, links)
        assert {link: client.get(link).status_code for link in links} == dict.fromkeys(links, 200)
