"""A small world for tests: two areas, teams, one person per role, and cases in each relation."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.utils import timezone

from oms.accounts.models import CaseAccessGrant
from oms.cases.constants import EventKind, Gender
from oms.cases.models import Allocation, EthnicityCode, Event, Offender, Requirement, RequirementType
from oms.cases.reference_data import load_reference_data
from oms.organisation.models import Area, Grade, Region, Staff, Team, Unit

PASSWORD = "test-password-123"
_numbers = itertools.count(1)


def make_area(name: str) -> tuple[Area, Team, Team]:
    region, _ = Region.objects.get_or_create(name="East Midlands")
    area = Area.objects.create(region=region, name=name, code=name[:4].upper() + str(next(_numbers)))
    unit = Unit.objects.create(area=area, name=f"{name} unit")
    return (
        area,
        Team.objects.create(unit=unit, name=f"{name} team A"),
        Team.objects.create(unit=unit, name=f"{name} team B"),
    )


def make_staff(
    grade: str, area: Area | None, team: Team | None = None, *, username: str | None = None, **extra: Any
) -> Staff:
    number = next(_numbers)
    user = None
    if username:
        user = get_user_model().objects.create_user(
            username=username, password=PASSWORD, email=f"{username}@probation.example"
        )
    return Staff.objects.create(
        user=user,
        first_name=f"{grade.title()}",
        family_name=f"Person{number}",
        email=f"staff{number}@probation.example",
        grade=Grade.objects.get(code=grade),
        area=area,
        team=team,
        **extra,
    )


def make_case(
    area: Area,
    offender_manager: Staff | None,
    *,
    kind: str = EventKind.COMMUNITY_ORDER,
    sentence_date: date | None = None,
    **extra: Any,
) -> Offender:
    number = next(_numbers)
    offender = Offender.objects.create(
        crn=f"T{number:06d}",
        first_name="Test",
        family_name=f"Case{number}",
        date_of_birth=date(1980, 1, 1),
        gender=extra.pop("gender", Gender.MALE),
        ethnicity=EthnicityCode.objects.get(code=extra.pop("ethnicity", "W1")),
        area=area,
        offender_manager=offender_manager,
        tier=extra.pop("tier", "2"),
        risk_of_harm_level=extra.pop("risk_of_harm_level", "low"),
        **extra,
    )
    sentence = sentence_date or date(2026, 6, 1)
    event = Event.objects.create(
        offender=offender,
        number=1,
        kind=kind,
        court="Northampton Magistrates' Court",
        offence_id="02801",
        sentence_date=sentence,
        length_months=12,
        release_date=sentence + timedelta(days=10) if kind == EventKind.LICENCE else None,
        prison="HMP Onley" if kind in (EventKind.LICENCE, EventKind.CUSTODY) else "",
    )
    if kind == EventKind.COMMUNITY_ORDER:
        Requirement.objects.create(
            event=event, requirement_type=RequirementType.objects.get(code="unpaid_work"), hours=100
        )
    if offender_manager:
        Allocation.objects.create(
            offender=offender,
            offender_manager=offender_manager,
            start_date=sentence,
            reason="Initial allocation",
        )
    return offender


def make_roh_screening(offender: Offender, author: Staff, status: str = "submitted") -> Any:
    """An RoH screening of the person's first event, completed by its author (submitted by default)."""
    from oms.risk.models import RiskOfHarmScreening

    return RiskOfHarmScreening.objects.create(
        offender=offender,
        event=offender.events.order_by("number").first(),
        author=author,
        status=status,
        submitted_at=timezone.now() if status != "draft" else None,
    )


ROLES = ["om", "spo", "caseadmin", "aco", "vlo", "interventions", "partner", "prison", "inspector"]
RELATIONS = ["own", "team", "other_team", "other_area", "limited"]


@dataclass
class World:
    area: Area
    other_area: Area
    team: Team
    other_team: Team
    staff: dict[str, Staff]
    cases: dict[str, Offender]
    teammate: Staff

    def user(self, role: str) -> AbstractUser:
        user = self.staff[role].user
        assert user is not None
        return user


def ensure_reference_data() -> None:
    """Transactional tests flush the tables the data migration filled; put the reference data back."""
    if not Grade.objects.exists():
        load_reference_data(apps.get_model)


def build_world() -> World:
    ensure_reference_data()
    area, team, other_team = make_area("Northamptonshire")
    other_area, far_team, _ = make_area("Leicestershire")
    staff = {
        "om": make_staff("PO", area, team, username="om"),
        "spo": make_staff("SPO", area, team, username="spo"),
        "caseadmin": make_staff("CA", area, username="caseadmin"),
        "aco": make_staff("ACO", area, username="aco"),
        "vlo": make_staff("VLO", area, username="vlo"),
        "interventions": make_staff("INT", area, username="interventions"),
        "partner": make_staff("PA", area, username="partner", organisation="Northamptonshire Police"),
        "prison": make_staff("POS", None, username="prison", organisation="HMP Onley"),
        "inspector": make_staff(
            "INSP", None, username="inspector", organisation="HM Inspectorate of Probation"
        ),
    }
    staff["spo"].manages_teams.add(team)
    teammate = make_staff("PSO", area, team)
    other_team_om = make_staff("PO", area, other_team)
    far_om = make_staff("PO", other_area, far_team)
    cases = {
        "own": make_case(area, staff["om"]),
        "team": make_case(area, teammate),
        "other_team": make_case(area, other_team_om),
        "other_area": make_case(other_area, far_om),
        "limited": make_case(area, teammate, limited_access=True),
    }
    # Limited access: restricted to the teammate who holds it, so nobody in the matrix may see it.
    cases["limited"].restricted_to.add(teammate)
    for role in ("partner", "prison", "inspector"):
        CaseAccessGrant.objects.create(
            offender=cases["own"], staff=staff[role], reason="test grant", valid_from=date(2020, 1, 1)
        )
    return World(
        area=area,
        other_area=other_area,
        team=team,
        other_team=other_team,
        staff=staff,
        cases=cases,
        teammate=teammate,
    )


def make_reoffending_assessment(
    offender: Offender, author: Staff, on: date, needs: dict[str, tuple[int, bool]], *, sequence: int = 1
) -> Any:
    """A locked likelihood-of-reoffending assessment with these need scores (score, linked to offending);
    needs not named score 0 and are not linked."""
    from django.utils import timezone

    from oms.risk.countersigning import CountersigningStatus
    from oms.risk.models import ReoffendingAssessment
    from oms.risk.needs import CriminogenicNeed

    at = timezone.make_aware(datetime.combine(on, time(10)))
    return ReoffendingAssessment.objects.create(
        offender=offender,
        event=offender.events.order_by("number").first(),
        author=author,
        status=CountersigningStatus.LOCKED,
        sequence=sequence,
        created_at=at,
        updated_at=at,
        submitted_at=at,
        locked_at=at,
        needs={
            need.value: {
                "score": needs.get(need.value, (0, False))[0],
                "linked_to_offending": needs.get(need.value, (0, False))[1],
            }
            for need in CriminogenicNeed
        },
    )
