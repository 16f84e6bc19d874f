"""Grade and tier at allocation (report criterion 1.5), one rule at every door: POs hold every high and
very high RoH case and tier 4; a PSO holds tier 3 only under an SPO's recorded oversight; TPOs hold
tiers 1-2. A case administrator cannot allocate outside the rules; an SPO can, recording why; and the
SPO sees every case held outside them. Above 100% of capacity the allocator says why."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from oms.cases import services
from oms.cases.models import Allocation
from oms.cases.services import CaseRuleError
from oms.risk.levels import RiskOfHarmLevel
from oms.tiering.workload import StaffGrade, needs_manager_oversight, outside_grade_rules
from tests.factories import World, make_case, make_staff

PO, PSO, TPO = (
    StaffGrade.PROBATION_OFFICER,
    StaffGrade.PROBATION_SERVICES_OFFICER,
    StaffGrade.TRAINEE_PROBATION_OFFICER,
)
LOW, MEDIUM, HIGH, VERY_HIGH = (
    RiskOfHarmLevel.LOW,
    RiskOfHarmLevel.MEDIUM,
    RiskOfHarmLevel.HIGH,
    RiskOfHarmLevel.VERY_HIGH,
)


# ---------------------------------------------------------------- the rule, as a table


@pytest.mark.parametrize(
    ("grade", "tier", "level", "within"),
    [
        (PO, 4, VERY_HIGH, True),
        (PO, 1, LOW, True),
        (PSO, 1, LOW, True),
        (PSO, 2, MEDIUM, True),
        (PSO, 3, MEDIUM, True),  # within the rules, under oversight (below)
        (PSO, 4, LOW, False),
        (PSO, 2, HIGH, False),
        (PSO, 1, VERY_HIGH, False),
        (TPO, 1, LOW, True),
        (TPO, 2, MEDIUM, True),
        (TPO, 3, LOW, False),
        (TPO, 2, HIGH, False),
        (PSO, 2, None, True),  # no RoH level yet: read as low
    ],
)
def test_who_may_hold_which_case(
    grade: StaffGrade, tier: int, level: RiskOfHarmLevel | None, within: bool
) -> None:
    assert (outside_grade_rules(grade, tier, level) is None) is within


@pytest.mark.parametrize(
    ("grade", "tier", "oversight"), [(PSO, 3, True), (PSO, 2, False), (PO, 3, False), (TPO, 2, False)]
)
def test_only_a_psos_tier_3_case_needs_oversight(grade: StaffGrade, tier: int, oversight: bool) -> None:
    assert needs_manager_oversight(tier, grade) is oversight


# ---------------------------------------------------------------- the service, whatever the door


def _allocate(world: World, who: str, case_id: int, to: object, **extra: str) -> Allocation:
    from oms.cases.models import Offender

    offender = Offender.objects.get(pk=case_id)
    return services.allocate(
        world.user(who),
        offender,
        to,  # type: ignore[arg-type]
        reason="Capacity",
        on=date(2026, 11, 3),
        expected_version=offender.version,
        **extra,  # type: ignore[arg-type]
    )


def test_a_case_administrator_cannot_give_a_pso_a_high_rosh_case(world: World) -> None:
    case = make_case(world.area, None, tier="2", risk_of_harm_level="high")
    with pytest.raises(CaseRuleError, match="High RoH cases are held by probation officers") as refused:
        _allocate(world, "caseadmin", case.pk, world.teammate, manager_decision="I say so")
    assert refused.value.field == "offender_manager"
    assert "Only a senior probation officer can make this allocation" in str(refused.value)
    assert not Allocation.objects.filter(offender=case).exists()


def test_a_case_administrator_cannot_give_a_pso_a_tier_3_case_or_a_tpo_a_tier_3_case(world: World) -> None:
    tpo = make_staff("TPO", world.area, world.team)
    case = make_case(world.area, None, tier="3", risk_of_harm_level="medium")
    with pytest.raises(CaseRuleError, match="under a senior probation officer's oversight"):
        _allocate(world, "caseadmin", case.pk, world.teammate)
    with pytest.raises(CaseRuleError, match="trainee probation officer holds cases up to tier 2"):
        _allocate(world, "caseadmin", case.pk, tpo)
    allocation = _allocate(world, "caseadmin", case.pk, world.staff["om"])
    assert allocation.offender_manager == world.staff["om"] and allocation.manager_decision == ""


def test_an_spo_allocates_outside_the_rules_only_with_a_recorded_decision(world: World) -> None:
    case = make_case(world.area, None, tier="4", risk_of_harm_level="high")
    with pytest.raises(CaseRuleError, match="enter your decision and why") as refused:
        _allocate(world, "spo", case.pk, world.teammate)
    assert refused.value.field == "manager_decision"
    allocation = _allocate(
        world, "spo", case.pk, world.teammate, manager_decision="Experienced PSO; weekly supervision with me"
    )
    assert allocation.manager_decision == "Experienced PSO; weekly supervision with me"
    assert allocation.decided_by == world.staff["spo"]


def test_allocation_above_capacity_asks_why(world: World) -> None:
    # A part-time PO at 1 hour a week: 59 points available, and the world's case already gives 50.
    part_time = make_staff("PO", world.area, world.team, contracted_hours=Decimal(1))
    make_case(world.area, part_time, tier="2")
    case = make_case(world.area, None, tier="2", risk_of_harm_level="low")
    with pytest.raises(CaseRuleError, match=r"would be at 169\.5% of capacity: enter why") as refused:
        _allocate(world, "caseadmin", case.pk, part_time)
    assert refused.value.field == "over_capacity_reason"
    allocation = _allocate(world, "caseadmin", case.pk, part_time, over_capacity_reason="Knows the family")
    assert allocation.over_capacity_reason == "Knows the family"


# ---------------------------------------------------------------- the pages


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.user(role))
    return client


def test_the_allocate_page_refuses_a_case_administrators_choice_and_names_the_field(world: World) -> None:
    case = make_case(world.area, None, tier="4", risk_of_harm_level="very_high")
    page = _client(world, "caseadmin").post(
        f"/cases/{case.crn}/allocate/",
        {
            "version": case.version,
            "offender_manager": world.teammate.pk,
            "reason": "Capacity",
            "start_date": "2026-11-03",
        },
    )
    assert page.status_code == 200
    assert "Very high RoH cases are held by probation officers" in page.content.decode()
    assert not Allocation.objects.filter(offender=case).exists()


def test_the_spo_sees_every_case_held_outside_the_rules_in_a_fixed_number_of_queries(world: World) -> None:
    client = _client(world, "spo")
    decided = make_case(world.area, None, tier="4", risk_of_harm_level="high")
    _allocate(world, "spo", decided.pk, world.teammate, manager_decision="Weekly supervision with me")
    undecided = make_case(world.area, world.teammate, tier="3", risk_of_harm_level="medium")
    within = make_case(world.area, world.teammate, tier="2", risk_of_harm_level="low")
    with CaptureQueriesContext(connection) as few:
        page = client.get("/tiering/allocation/outside-grade-rules/").content.decode()
    assert decided.crn in page and "Weekly supervision with me" in page
    assert undecided.crn in page and "No decision recorded" in page
    assert within.crn not in page
    for _ in range(5):
        make_case(world.area, world.teammate, tier="4", risk_of_harm_level="low")
    with CaptureQueriesContext(connection) as many:
        page = client.get("/tiering/allocation/outside-grade-rules/").content.decode()
    assert page.count("No decision recorded") == 6
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize("role", ["om", "caseadmin", "vlo", "partner"])
def test_the_list_of_exceptions_is_for_managers(world: World, role: str) -> None:
    assert _client(world, role).get("/tiering/allocation/outside-grade-rules/").status_code == 403
