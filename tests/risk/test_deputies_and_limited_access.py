"""Limited access holds for countersigning deputies and in the countersigning queue.

The issue's attack: a deputy named for a team read a limited-access case of that team they were
excluded from, or not on the restricted-to list of (risk documents, the plan's printable PDF, the risk
and planning API), and the queue listed such a case to an SPO excluded from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from oms.cases.models import Offender
from oms.organisation.models import Staff
from oms.planning import services as planning_services
from oms.planning.models import SentencePlan
from oms.risk import countersigning
from oms.risk import services as risk_services
from oms.risk.countersigning import CountersigningDeputy, CountersigningStatus
from oms.risk.models import RiskOfHarmScreening
from tests.factories import World, make_case, make_staff

pytestmark = pytest.mark.django_db


@dataclass
class Scene:
    case: Offender
    deputy: Staff
    screening: RiskOfHarmScreening
    plan: SentencePlan


@pytest.fixture
def scene(world: World) -> Scene:
    """A PSO's case in the SPO's team with a screening waiting for countersignature and a plan; a
    deputy from the other team named for this team."""
    pso = make_staff("PSO", world.area, world.team, username="pso")
    case = make_case(world.area, pso, limited_access=True)
    assert pso.user is not None
    screening = risk_services.start_document(pso.user, case, "screening", event=case.events.get())
    assert isinstance(screening, RiskOfHarmScreening)
    risk_services.submit_document(pso.user, screening, expected_version=screening.version)
    assert screening.status == CountersigningStatus.SUBMITTED
    plan = planning_services.start_plan(pso.user, case)
    deputy = make_staff("SPO", world.area, world.other_team, username="deputy")
    CountersigningDeputy.objects.create(
        team=world.team, deputy=deputy, valid_from=timezone.localdate() - timedelta(days=1), reason="leave"
    )
    return Scene(case, deputy, screening, plan)


def _client(staff: Staff) -> Client:
    client = Client()
    assert staff.user is not None
    client.force_login(staff.user)
    return client


def _doors(scene: Scene) -> dict[str, str]:
    crn = scene.case.crn
    return {
        "risk page": f"/risk/cases/{crn}/",
        "risk document": f"/risk/cases/{crn}/screening/{scene.screening.pk}/",
        "plan print PDF": f"/planning/cases/{crn}/{scene.plan.pk}/print.pdf",
        "risk API": f"/api/v1/risk/cases/{crn}",
        "planning API": f"/api/v1/planning/cases/{crn}",
    }


def _queued(staff: Staff) -> list[str]:
    return [row.document.offender.crn for row in countersigning.awaiting_countersignature(staff)]


def test_a_deputy_reads_a_limited_case_of_their_team_when_no_list_keeps_them_out(scene: Scene) -> None:
    client = _client(scene.deputy)
    for door, url in _doors(scene).items():
        assert client.get(url).status_code == 200, door
    assert _queued(scene.deputy) == [scene.case.crn]


def test_a_deputy_on_the_excluded_from_list_is_refused_at_every_door(scene: Scene) -> None:
    scene.case.excluded_from.add(scene.deputy)
    client = _client(scene.deputy)
    for door, url in _doors(scene).items():
        assert client.get(url).status_code == 403, door
    assert _queued(scene.deputy) == []
    assert not countersigning.may_countersign(scene.deputy.user, scene.screening)  # type: ignore[arg-type]


def test_a_deputy_left_off_the_restricted_to_list_is_refused_at_every_door(scene: Scene) -> None:
    assert scene.case.offender_manager is not None
    scene.case.restricted_to.add(scene.case.offender_manager)
    client = _client(scene.deputy)
    for door, url in _doors(scene).items():
        assert client.get(url).status_code == 403, door
    assert _queued(scene.deputy) == []


def test_the_queue_does_not_list_a_case_to_the_spo_excluded_from_it(world: World, scene: Scene) -> None:
    spo = world.staff["spo"]
    assert _queued(spo) == [scene.case.crn]
    scene.case.excluded_from.add(spo)
    assert _queued(spo) == []
    client = _client(spo)
    assert scene.case.crn not in client.get("/risk/countersigning/").content.decode()
    assert scene.case.crn not in client.get("/api/v1/risk/countersigning").content.decode()
    assert not countersigning.may_countersign(world.user("spo"), scene.screening)
