"""Inspection fixtures: the test world with a sample-able caseload and an inspection team."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AbstractUser

from oms.accounts.models import CaseAccessGrant
from oms.cases.models import Offender
from oms.inspection import services
from oms.inspection.constants import InspectionKind, TeamRole
from oms.inspection.models import Inspection
from oms.organisation.models import Staff
from tests.factories import World, make_case, make_staff

# Cases sentenced here are 4 to 8 months before the sample date: the OMI window (Appendix 2).
SAMPLE_DATE = date(2026, 11, 27)
SENTENCED = date(2026, 6, 1)


@dataclass
class InspectionWorld:
    world: World
    inspection: Inspection
    lead: Staff
    assessor: Staff
    cases: list[Offender]

    def user(self, role: str) -> AbstractUser:
        return self.world.user(role)


def add_caseload(world: World, count: int, start: date = SENTENCED) -> list[Offender]:
    """Cases of the world's area spread over its offender managers, sentenced a day apart."""
    managers = [world.staff["om"], world.teammate]
    return [
        make_case(world.area, managers[index % 2], sentence_date=start + timedelta(days=index % 20))
        for index in range(count)
    ]


@pytest.fixture
def inspection_world(world: World) -> InspectionWorld:
    # The foundation's world grants the inspector the "own" case for its own tests: not here, where an
    # inspector's only access must come from an inspection's sample.
    CaseAccessGrant.objects.filter(staff=world.staff["inspector"]).delete()
    cases = add_caseload(world, 24)
    lead = world.staff["inspector"]
    assessor = make_staff("AA", world.area, username="assessor")
    inspection = services.create_inspection(
        lead.user,
        area=world.area,
        kind=InspectionKind.INSPECTION,
        fieldwork_start=SAMPLE_DATE - timedelta(days=1),
        fieldwork_end=SAMPLE_DATE + timedelta(days=10),
    )
    services.add_team_member(lead.user, inspection, assessor, TeamRole.AREA_ASSESSOR)
    return InspectionWorld(world, inspection, lead, assessor, cases)
