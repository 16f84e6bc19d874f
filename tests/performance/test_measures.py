"""Each measure against a small case computed by hand (spec/inspection.md, Performance measures)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from oms.cases.constants import EventKind
from oms.cases.models import Event, Requirement, RequirementType
from oms.performance.measures import MEASURES, MEASURES_BY_KEY, compute_measures, observe_area
from oms.performance.models import AreaTarget, SicknessAbsence, StaffMonitoring
from oms.supervision.models import Breach, Contact
from tests.factories import World, make_case

pytestmark = pytest.mark.django_db

FROM, TO = date(2026, 4, 1), date(2026, 9, 30)


def result(world: World, key: str, date_from: date = FROM, date_to: date = TO):  # type: ignore[no-untyped-def]
    return {r.measure.key: r for r in compute_measures(world.area, date_from, date_to)}[key]


def _failure(world: World, offender, day: date) -> Contact:  # type: ignore[no-untyped-def]
    at = timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))
    return Contact.objects.create(
        offender=offender,
        event=offender.events.first(),
        contact_type_id="office",
        starts_at=at,
        ends_at=at,
        outcome="unacceptable_absence",
    )


def test_labels_are_exactly_the_spec_table_rows() -> None:
    assert len(MEASURES) == 18
    assert MEASURES_BY_KEY["breach_within_ten_working_days"].label == (
        "Enforcement: breach taken where required within ten working days"
    )
    assert MEASURES_BY_KEY["sickness_absence"].target == Decimal(9)
    assert MEASURES_BY_KEY["minority_ethnic_staff"].target == Decimal("7.2")


def test_breach_laid_within_ten_working_days(world: World) -> None:
    case = world.cases["own"]
    # Failure Wednesday 3 June 2026: the 10th working day after is Wednesday 17 June 2026.
    on_time = _failure(world, case, date(2026, 6, 3))
    late = _failure(world, case, date(2026, 6, 4))
    never = _failure(world, case, date(2026, 6, 5))
    event = case.events.first()
    Breach.objects.create(
        offender=case,
        event=event,
        failure=on_time,
        initiated_on=date(2026, 6, 5),
        laid_before_court_on=date(2026, 6, 17),
    )
    Breach.objects.create(
        offender=case,
        event=event,
        failure=late,
        initiated_on=date(2026, 6, 5),
        laid_before_court_on=date(2026, 6, 19),
    )
    Breach.objects.create(offender=case, event=event, failure=never, initiated_on=date(2026, 6, 5))
    found = result(world, "breach_within_ten_working_days")
    assert (found.numerator, found.denominator, found.value) == (1, 3, Decimal("33.3"))
    assert found.status == "missed"


def test_breach_resolution_average_and_within_25_working_days(world: World) -> None:
    case = world.cases["own"]
    event = case.events.first()
    # 1 June 2026 (Mon) to 1 July 2026 (Wed): 22 working days; 2 June to 20 July 2026: 34.
    first = _failure(world, case, date(2026, 6, 1))
    second = _failure(world, case, date(2026, 6, 2))
    Breach.objects.create(
        offender=case, event=event, failure=first, initiated_on=date(2026, 6, 3), resolved_on=date(2026, 7, 1)
    )
    Breach.objects.create(
        offender=case,
        event=event,
        failure=second,
        initiated_on=date(2026, 6, 3),
        resolved_on=date(2026, 7, 20),
    )
    average = result(world, "breach_resolution_average_days")
    assert average.denominator == 2
    assert average.value == Decimal("28.0")  # (22 + 34) / 2
    assert average.status == "met"
    within = result(world, "breaches_resolved_within_25_working_days")
    assert (within.numerator, within.denominator, within.value, within.status) == (
        1,
        2,
        Decimal("50.0"),
        "met",
    )


def test_compliance_counts_attended_against_unacceptable_absences_in_first_26_weeks(world: World) -> None:
    case = world.cases["own"]  # community order sentenced 1 June 2026
    for day, outcome in [
        (date(2026, 6, 8), "attended_complied"),
        (date(2026, 6, 15), "failed_to_comply"),
        (date(2026, 6, 22), "acceptable_absence"),  # left out
        (date(2026, 6, 29), "unacceptable_absence"),
    ]:
        at = timezone.make_aware(datetime(day.year, day.month, day.day, 10))
        Contact.objects.create(
            offender=case,
            event=case.events.first(),
            contact_type_id="office",
            starts_at=at,
            ends_at=at,
            outcome=outcome,
        )
    found = result(world, "compliance_first_26_weeks")
    assert (found.numerator, found.denominator, found.value) == (2, 3, Decimal("66.7"))


def test_drr_starts_against_the_areas_target_number(world: World) -> None:
    AreaTarget.objects.create(area=world.area, measure_key="drr_starts", annual_count=365)
    for _ in range(3):
        case = make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 10))
        Requirement.objects.create(
            event=case.events.first(),
            requirement_type=RequirementType.objects.get(code="drug_rehabilitation"),
            length_months=6,
        )
    # 10 days of a 365-a-year target is 10 expected starts; 3 started: 30%.
    found = result(world, "drr_starts", date(2026, 6, 1), date(2026, 6, 10))
    assert (found.numerator, found.denominator, found.value, found.status) == (
        3,
        Decimal(10),
        Decimal("30.0"),
        "missed",
    )


def test_a_target_number_measure_without_a_target_has_no_data(world: World) -> None:
    found = result(world, "drr_starts")
    assert found.value is None and found.status == "no_data"


def test_ethnicity_recorded_for_new_sentences(world: World) -> None:
    unrecorded = make_case(world.area, world.staff["om"], sentence_date=date(2026, 5, 1))
    unrecorded.ethnicity = None
    unrecorded.save()
    # The world's five area cases: four in this area, sentenced 1 June 2026, all recorded; plus this one.
    found = result(world, "ethnicity_data")
    assert (found.numerator, found.denominator) == (4, 5)
    assert found.value == Decimal("80.0")


def test_sickness_average_days_a_year_per_full_time_equivalent(world: World) -> None:
    staff_count = 8  # the world's area staff with no other organisation, all 37 hours
    lost = Decimal(staff_count * 9)  # 9 days each over a 365-day year: exactly the target
    SicknessAbsence.objects.create(
        staff=world.staff["om"], first_day=date(2026, 6, 1), working_days_lost=lost
    )
    found = result(world, "sickness_absence", date(2025, 10, 1), date(2026, 9, 30))
    assert found.denominator == Decimal(staff_count)
    assert (found.value, found.status) == (Decimal("9.0"), "met")
    SicknessAbsence.objects.create(
        staff=world.staff["spo"], first_day=date(2026, 6, 2), working_days_lost=Decimal(1)
    )
    assert result(world, "sickness_absence", date(2025, 10, 1), date(2026, 9, 30)).status == "missed"


def test_minority_ethnic_staff_against_the_area_set_target(world: World) -> None:
    AreaTarget.objects.create(area=world.area, measure_key="minority_ethnic_staff", target=Decimal("7.2"))
    people = list(world.area.staff.filter(organisation=""))[:4]
    groups = ["minority_ethnic", "white", "white", "not_stated"]  # not stated is left out: 1 of 3
    for person, group in zip(people, groups, strict=True):
        StaffMonitoring.objects.create(staff=person, ethnic_group=group)
    found = result(world, "minority_ethnic_staff")
    assert (found.numerator, found.denominator, found.value, found.target, found.status) == (
        1,
        3,
        Decimal("33.3"),
        Decimal("7.2"),
        "met",
    )


def test_victim_contact_has_no_data_when_no_case_qualifies(world: World) -> None:
    found = result(world, "victim_contact_within_eight_weeks")
    assert found.value is None and found.status == "no_data"
    assert found.as_json()["value"] is None


def test_victim_contact_offered_within_eight_weeks(world: World) -> None:
    from oms.victims.models import ContactOffer, Victim

    sentenced = date(2026, 6, 1)
    offers = {"in time": date(2026, 7, 20), "late": date(2026, 8, 10)}  # 8 weeks after 1 June is 27 July
    for label, offered in offers.items():
        case = make_case(world.area, world.staff["om"], kind=EventKind.CUSTODY, sentence_date=sentenced)
        Event.objects.filter(offender=case).update(offence_id="03400", length_months=24)  # robbery
        victim = Victim.objects.create(
            offender=case, event=case.events.get(), name=label, contact_preference="letter"
        )
        ContactOffer.objects.create(victim=victim, offered_on=offered, method="written")
    found = result(world, "victim_contact_within_eight_weeks")
    assert (found.numerator, found.denominator, found.value, found.status) == (
        1,
        2,
        Decimal("50.0"),
        "missed",
    )


def test_roh_for_high_roh_cases_within_five_working_days(world: World) -> None:
    from oms.risk.models import RiskManagementPlan

    high = make_case(world.area, world.staff["om"], sentence_date=date(2026, 6, 1), risk_of_harm_level="high")
    late = make_case(
        world.area, world.staff["om"], sentence_date=date(2026, 6, 1), risk_of_harm_level="very_high"
    )
    make_case(
        world.area, world.staff["om"], sentence_date=date(2026, 6, 1), risk_of_harm_level="high"
    )  # none: missed
    # 1 June 2026 + 5 WD = 8 June 2026.
    for case, day in ((high, date(2026, 6, 8)), (late, date(2026, 6, 9))):
        RiskManagementPlan.objects.create(
            offender=case,
            author=world.staff["om"],
            submitted_at=timezone.make_aware(datetime(day.year, day.month, day.day, 12)),
        )
    found = result(world, "roh_high_within_five_working_days")
    assert (found.numerator, found.denominator, found.value, found.status) == (
        1,
        3,
        Decimal("33.3"),
        "missed",
    )


def test_a_plan_made_in_custody_in_the_weeks_before_release_meets_the_measure(world: World) -> None:
    from oms.risk.models import RiskManagementPlan

    # make_case releases a licence case 10 days after sentence: released Thursday 11 June 2026.
    ready = make_case(
        world.area, world.staff["om"], kind=EventKind.LICENCE, sentence_date=date(2026, 6, 1),
        risk_of_harm_level="high",
    )  # fmt: skip
    too_early = make_case(
        world.area, world.staff["om"], kind=EventKind.LICENCE, sentence_date=date(2026, 6, 1),
        risk_of_harm_level="high",
    )  # fmt: skip
    # 12 weeks before 11 June 2026 is 19 March 2026: that day counts, the day before does not.
    for case, day in ((ready, date(2026, 3, 19)), (too_early, date(2026, 3, 18))):
        RiskManagementPlan.objects.create(
            offender=case,
            author=world.staff["om"],
            submitted_at=timezone.make_aware(datetime(day.year, day.month, day.day, 12)),
        )
    found = result(world, "roh_high_within_five_working_days")
    assert (found.numerator, found.denominator) == (1, 2)


def test_unit_figures_and_monthly_trend_come_from_one_reading(world: World) -> None:
    observations = observe_area(world.area, FROM, TO)
    unit_id = world.team.unit_id
    assert observations.result(MEASURES_BY_KEY["ethnicity_data"], FROM, TO, unit_id).denominator == 4


def test_compute_measures_runs_a_fixed_number_of_queries(world: World) -> None:
    with CaptureQueriesContext(connection) as small:
        compute_measures(world.area, FROM, TO)
    for _ in range(15):
        case = make_case(
            world.area,
            world.staff["om"],
            sentence_date=date(2026, 6, 1),
            risk_of_harm_level="high",
            is_ppo=True,
        )
        _failure(world, case, date(2026, 6, 3))
        Event.objects.create(
            offender=case,
            number=2,
            kind=EventKind.LICENCE,
            court="X",
            offence_id="02801",
            sentence_date=date(2025, 1, 1),
            release_date=date(2026, 7, 1),
            length_months=24,
        )
    with CaptureQueriesContext(connection) as large:
        compute_measures(world.area, FROM, TO)
    assert len(small) == len(large)
