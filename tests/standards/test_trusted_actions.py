"""Actions you can trust (issue 10): each rule that was wrong, built from real records and judged.

Each test builds the scenario the issue describes and checks the action staff would see.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from oms.cases.constants import EventKind
from oms.cases.models import Offender
from oms.standards.queries import actions
from tests.factories import World, make_case

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
SENTENCED = date(2007, 4, 5)  # Thursday before Easter 2007


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def judged(case: Offender, rule: str, as_of: date) -> list[tuple[str, str | None]]:
    """(status, deadline) of each action of `rule` on the case, as the actions list shows them."""
    found = [a.as_json() for a in actions(Offender.objects.filter(pk=case.pk), as_of, open_only=False)]
    return [(str(a["status"]), a["deadline"]) for a in found if a["rule"] == rule]


# --- 1. RoH review: a locked re-screening reviews the RoH -------------------------------------


def test_a_locked_re_screening_completes_the_16_week_roh_review(world: World) -> None:
    from oms.risk.models import RiskOfHarmScreening

    case = make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    first = RiskOfHarmScreening.objects.create(
        offender=case, event=case.events.get(), author=world.staff["om"], status="locked",
        submitted_at=at(date(2007, 4, 10)), locked_at=at(date(2007, 4, 10)),
    )  # fmt: skip
    # 16 weeks from 5 April 2007 is Thursday 26 July; re-screened on Monday 23 July.
    RiskOfHarmScreening.objects.create(
        offender=case, event=case.events.get(), author=world.staff["om"], status="locked", sequence=2,
        previous=first, submitted_at=at(date(2007, 7, 23)), locked_at=at(date(2007, 7, 23)),
    )  # fmt: skip
    assert judged(case, "roh_review", date(2007, 8, 1)) == [
        ("met_on_time", "2007-07-26"),
        ("due", "2007-11-12"),
    ]


def test_a_first_screening_is_not_a_review(world: World) -> None:
    from oms.risk.models import RiskOfHarmScreening

    case = make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    RiskOfHarmScreening.objects.create(
        offender=case, event=case.events.get(), author=world.staff["om"], status="locked",
        submitted_at=at(date(2007, 7, 23)), locked_at=at(date(2007, 7, 23)),
    )  # fmt: skip
    assert judged(case, "roh_review", date(2007, 8, 1)) == [("overdue", "2007-07-26")]


# --- 3. Work done before release counts ----------------------------------------------------------


def test_a_risk_management_plan_made_in_custody_before_release_meets_the_release_rule(world: World) -> None:
    from oms.risk.models import RiskManagementPlan, RiskOfHarmScreening

    # make_case releases a licence case 10 days after the sentence date: released Sunday 15 April 2007.
    case = make_case(
        world.area,
        world.staff["om"],
        kind=EventKind.LICENCE,
        sentence_date=SENTENCED,
        risk_of_harm_level="high",
    )
    RiskManagementPlan.objects.create(
        offender=case, author=world.staff["om"], status="locked",
        submitted_at=at(date(2007, 3, 20)), locked_at=at(date(2007, 3, 20)),
    )  # fmt: skip
    RiskOfHarmScreening.objects.create(
        offender=case, event=case.events.get(), author=world.staff["om"], status="locked",
        submitted_at=at(date(2007, 3, 19)), locked_at=at(date(2007, 3, 19)),
    )  # fmt: skip
    assert judged(case, "roh_assessment_and_plan_high_roh_and_ppo", date(2007, 5, 1)) == [
        ("met_on_time", "2007-04-20")
    ]
    assert judged(case, "roh_screening", date(2007, 5, 1)) == [("met_on_time", "2007-04-20")]
