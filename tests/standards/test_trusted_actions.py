"""Actions you can trust (issue 10): each rule that was wrong, built from real records and judged.

Each test builds the scenario the issue describes and checks the action staff would see.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

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


# --- 4. A required breach cannot be evaded ------------------------------------------------------


def _failure(case: Offender, day: date, *, enforceable: bool = True):  # type: ignore[no-untyped-def]
    from oms.cases.models import ContactType
    from oms.supervision.models import Contact

    return Contact.objects.create(
        offender=case, event=case.events.get(), contact_type=ContactType.objects.get(code="office"),
        starts_at=at(day, 10), ends_at=at(day, 11), outcome="unacceptable_absence",
        outcome_recorded_at=at(day, 11), enforceable=enforceable,
    )  # fmt: skip


def _warned_then_failed_again(world: World, *, enforceable: bool):  # type: ignore[no-untyped-def]
    from oms.supervision.models import EnforcementWarning

    case = make_case(world.area, world.staff["om"], sentence_date=date(2007, 1, 8))
    first = _failure(case, date(2007, 2, 5))
    EnforcementWarning.objects.create(
        offender=case, event=case.events.get(), failure=first, issued_on=date(2007, 2, 6)
    )
    # A further failure on Thursday 5 April 2007, within 12 months of the warning; no breach started.
    again = _failure(case, SENTENCED, enforceable=enforceable)
    return case, again


def test_a_further_failure_within_12_months_of_a_warning_raises_the_breach_action(world: World) -> None:
    case, _ = _warned_then_failed_again(world, enforceable=True)
    # 10 WD from Thursday 5 April 2007 over Easter is Monday 23 April.
    assert judged(case, "breach_action", date(2007, 4, 24)) == [("overdue", "2007-04-23")]
    assert judged(case, "warning", date(2007, 4, 24)) == [("met_on_time", "2007-02-07")]


def test_marking_the_failure_not_enforceable_does_not_stop_the_breach_clock(world: World) -> None:
    case, _ = _warned_then_failed_again(world, enforceable=False)
    assert judged(case, "breach_action", date(2007, 4, 24)) == [("overdue", "2007-04-23")]


def test_an_spos_recorded_approval_with_a_reason_sets_the_failure_aside(world: World) -> None:
    from oms.supervision import services

    case, again = _warned_then_failed_again(world, enforceable=False)
    with pytest.raises(services.CaseRuleError, match="Enter why"):
        services.approve_not_enforceable(world.user("spo"), again, reason=" ", expected_version=again.version)
    # A refusal of the role, not a broken rule: a 403 at every door.
    with pytest.raises(PermissionDenied, match="senior probation officer"):
        services.approve_not_enforceable(
            world.user("om"),
            again,
            reason="Appointment letter sent to the wrong address",
            expected_version=again.version,
        )
    services.approve_not_enforceable(
        world.user("spo"),
        again,
        reason="Appointment letter sent to the wrong address",
        expected_version=again.version,
    )
    assert judged(case, "breach_action", date(2007, 4, 24)) == []


def test_a_failure_more_than_12_months_after_the_warning_needs_a_new_warning(world: World) -> None:
    from oms.supervision.models import EnforcementWarning

    case = make_case(world.area, world.staff["om"], sentence_date=date(2006, 1, 9))
    first = _failure(case, date(2006, 2, 6))
    EnforcementWarning.objects.create(
        offender=case, event=case.events.get(), failure=first, issued_on=date(2006, 2, 6)
    )
    # The anniversary: outside "the twelve months beginning with the day of" the warning.
    _failure(case, date(2007, 2, 6))
    assert judged(case, "breach_action", date(2007, 4, 24)) == []
    assert sorted(judged(case, "warning", date(2007, 4, 24))) == [
        ("met_on_time", "2006-02-08"),
        ("overdue", "2007-02-08"),
    ]


def test_the_spo_sees_the_not_enforceable_decisions_awaiting_and_made(world: World) -> None:
    from django.test import Client

    from oms.supervision.models import Contact

    case, again = _warned_then_failed_again(world, enforceable=False)
    client = Client()
    client.force_login(world.user("spo"))
    page = client.get("/supervision/not-enforceable/").content.decode()
    assert 'id="awaiting-count">1<' in page and case.crn in page
    response = client.post(
        f"/supervision/contacts/{again.pk}/not-enforceable/approve/",
        {"version": again.version, "reason": "Hospital admission confirmed by letter"},
    )
    assert response.status_code == 302
    again.refresh_from_db()
    assert again.not_enforceable_approved_by == world.staff["spo"]
    page = client.get("/supervision/not-enforceable/").content.decode()
    assert 'id="awaiting-count">0<' in page and "Hospital admission confirmed by letter" in page
    om = Client()
    om.force_login(world.user("om"))
    assert om.get("/supervision/not-enforceable/").status_code == 403
    assert Contact.objects.get(pk=again.pk).not_enforceable_reason == "Hospital admission confirmed by letter"


# --- 8. Contact follows the plan ----------------------------------------------------------------


def _contact(case: Offender, day: date, contact_type: str, outcome: str | None = "attended_complied"):  # type: ignore[no-untyped-def]
    from oms.cases.models import ContactType
    from oms.supervision.models import Contact

    return Contact.objects.create(
        offender=case, event=case.events.get(), contact_type=ContactType.objects.get(code=contact_type),
        starts_at=at(day, 10), ends_at=at(day, 11), outcome=outcome or "",
        outcome_recorded_at=at(day, 11) if outcome else None,
    )  # fmt: skip


def test_the_plans_contact_level_is_what_the_contact_rule_checks(world: World) -> None:
    from oms.planning.models import SentencePlan

    case = make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    SentencePlan.objects.create(
        offender=case, author=world.staff["om"], status="locked", planned_contact_level="fortnightly",
        submitted_at=at(date(2007, 4, 10)), locked_at=at(date(2007, 4, 10)),
    )  # fmt: skip
    # Fortnightly from Thursday 5 April 2007: due Thursday 19 April.
    assert judged(case, "contact_level_fortnightly", date(2007, 4, 20)) == [("overdue", "2007-04-19")]
    assert judged(case, "contact_level_first_12_weeks", date(2007, 4, 20)) == []


def test_a_ppo_is_checked_against_the_enhanced_contact_level(world: World) -> None:
    from oms.cases.models import Registration

    case = make_case(world.area, world.staff["om"], sentence_date=SENTENCED, is_ppo=True)
    Registration.objects.create(offender=case, kind="ppo", start_date=SENTENCED)
    _contact(case, date(2007, 4, 11), "office")
    assert sorted(judged(case, "ppo_enhanced_contact", date(2007, 4, 20))) == [
        ("met_on_time", "2007-04-12"),
        ("overdue", "2007-04-18"),
    ]


def test_a_telephone_call_is_not_a_face_to_face_contact(world: World) -> None:
    from oms.cases.models import Registration

    case = make_case(world.area, world.staff["om"], sentence_date=SENTENCED, is_ppo=True)
    Registration.objects.create(offender=case, kind="ppo", start_date=SENTENCED)
    _contact(case, date(2007, 4, 11), "telephone")
    assert judged(case, "ppo_enhanced_contact", date(2007, 4, 13)) == [("overdue", "2007-04-12")]
    assert judged(case, "first_contact_with_offender_manager", date(2007, 4, 13)) == [("due", "2007-04-16")]


def test_an_attended_contact_that_failed_to_comply_is_still_a_contact(world: World) -> None:
    case = make_case(world.area, world.staff["om"], sentence_date=SENTENCED, risk_of_harm_level="medium")
    _contact(case, date(2007, 4, 11), "office", "failed_to_comply")
    assert judged(case, "first_contact_with_offender_manager", date(2007, 4, 20)) == [
        ("met_on_time", "2007-04-16")
    ]


def test_only_a_home_visit_meets_the_home_visit_rule(world: World) -> None:
    office = make_case(world.area, world.staff["om"], sentence_date=SENTENCED, risk_of_harm_level="high")
    visited = make_case(world.area, world.staff["om"], sentence_date=SENTENCED, risk_of_harm_level="high")
    _contact(office, date(2007, 4, 11), "office")
    _contact(visited, date(2007, 4, 11), "home_visit")
    # 10 WD from Thursday 5 April 2007 over Easter is Monday 23 April.
    assert judged(office, "home_visit_high_roh", date(2007, 4, 24)) == [("overdue", "2007-04-23")]
    assert judged(visited, "home_visit_high_roh", date(2007, 4, 24)) == [("met_on_time", "2007-04-23")]


def test_a_past_appointment_with_no_outcome_must_be_judged(world: World) -> None:
    case = make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    _contact(case, date(2007, 4, 11), "office", None)
    # 2 WD from Wednesday 11 April 2007 is Friday 13 April.
    assert judged(case, "judge_absence", date(2007, 4, 16)) == [("overdue", "2007-04-13")]


# --- 7. Significant change triggers reviews -------------------------------------------------------

REVIEWS = ("roh_review_on_significant_change", "sentence_plan_review_on_significant_change")


def _reviews_after_change(case: Offender, as_of: date) -> dict[str, list[tuple[str, str | None]]]:
    return {rule: judged(case, rule, as_of) for rule in REVIEWS}


@pytest.mark.parametrize("kind", ["child_protection", "domestic_abuse", "mappa"])
def test_a_new_registration_makes_both_reviews_due_in_5_working_days(world: World, kind: str) -> None:
    from oms.cases.models import Registration

    case = make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    # Registered Friday 1 June 2007: 5 WD later is Friday 8 June.
    Registration.objects.create(
        offender=case, kind=kind, start_date=date(2007, 6, 1), mappa_level=1 if kind == "mappa" else None
    )
    assert _reviews_after_change(case, date(2007, 6, 11)) == {
        rule: [("overdue", "2007-06-08")] for rule in REVIEWS
    }


def test_a_mappa_level_change_a_recall_a_new_offence_and_a_move_are_significant_changes(world: World) -> None:
    from oms.cases.models import Address, Event
    from oms.interventions import services as interventions
    from oms.supervision.models import RecallRecommendation

    mappa = make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    interventions.register_mappa(world.user("om"), mappa, category=1, level=1, from_date=SENTENCED)
    interventions.register_mappa(world.user("om"), mappa, category=1, level=2, from_date=date(2007, 6, 1))
    recalled = make_case(world.area, world.staff["om"], kind=EventKind.LICENCE, sentence_date=SENTENCED)
    RecallRecommendation.objects.create(
        offender=recalled, event=recalled.events.get(), recommended_on=date(2007, 6, 1),
        recommended_by=world.staff["om"], reason="Further offence", recall_type="standard",
    )  # fmt: skip
    reoffended = make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    first = reoffended.events.get()
    Event.objects.create(
        offender=reoffended, number=2, kind=first.kind, court=first.court, offence_id=first.offence_id,
        sentence_date=date(2007, 6, 1), length_months=6,
    )  # fmt: skip
    moved = make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    Address.objects.create(
        offender=moved, lines="1 First Street", postcode="NN1 1AA", from_date=date(2006, 1, 1)
    )
    Address.objects.create(
        offender=moved, lines="2 Second Street", postcode="NN2 2BB", from_date=date(2007, 6, 1)
    )
    for case in (mappa, recalled, reoffended, moved):
        assert _reviews_after_change(case, date(2007, 6, 11)) == {
            rule: [("overdue", "2007-06-08")] for rule in REVIEWS
        }, case


def test_what_was_known_at_the_start_of_supervision_is_not_a_change(world: World) -> None:
    from oms.cases.models import Address, Registration

    case = make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    Registration.objects.create(offender=case, kind="child_protection", start_date=SENTENCED)
    Address.objects.create(
        offender=case, lines="1 First Street", postcode="NN1 1AA", from_date=date(2006, 1, 1)
    )
    assert _reviews_after_change(case, date(2007, 6, 11)) == {rule: [] for rule in REVIEWS}


def test_a_re_screening_after_the_change_completes_the_roh_review(world: World) -> None:
    from oms.cases.models import Registration
    from oms.risk.models import RiskOfHarmScreening

    case = make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    Registration.objects.create(offender=case, kind="domestic_abuse", start_date=date(2007, 6, 1))
    for sequence, day in ((1, date(2007, 4, 10)), (2, date(2007, 6, 6))):
        RiskOfHarmScreening.objects.create(
            offender=case, event=case.events.get(), author=world.staff["om"], status="locked", sequence=sequence,
            submitted_at=at(day), locked_at=at(day),
        )  # fmt: skip
    assert judged(case, "roh_review_on_significant_change", date(2007, 6, 11)) == [
        ("met_on_time", "2007-06-08")
    ]


# --- 11. An induction record, so the induction rule is judged -------------------------------------


def test_an_induction_recorded_at_the_first_contact_meets_the_induction_rule(world: World) -> None:
    from oms.supervision import services

    inducted = make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    not_inducted = make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    for case, given in ((inducted, True), (not_inducted, False)):
        contact = _contact(case, date(2007, 4, 11), "office", None)
        services.record_outcome(
            world.user("om"),
            contact,
            services.OutcomeInput(outcome="attended_complied", induction_given=given),
            expected_version=contact.version,
        )
    assert judged(inducted, "induction_completed", date(2007, 4, 20)) == [("met_on_time", "2007-04-11")]
    assert judged(not_inducted, "induction_completed", date(2007, 4, 20)) == [("overdue", "2007-04-11")]


def test_an_induction_cannot_be_recorded_at_a_missed_appointment(world: World) -> None:
    from oms.supervision import services

    case = make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    contact = _contact(case, date(2007, 4, 11), "office", None)
    with pytest.raises(services.CaseRuleError, match="person attended") as raised:
        services.record_outcome(
            world.user("om"),
            contact,
            services.OutcomeInput(outcome="unacceptable_absence", induction_given=True),
            expected_version=contact.version,
        )
    assert raised.value.field == "induction_given"


# --- 9. MAPPA meeting actions and review dates are actions --------------------------------------


def test_mappa_meeting_actions_and_the_next_review_are_actions_with_their_own_dates(world: World) -> None:
    from oms.interventions import services as interventions

    case = make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    meeting = interventions.record_mappa_meeting(
        world.user("om"), case, held_on=date(2007, 4, 10), level=2, chair="DI Smith", attendees="Police",
        summary="Risk reviewed", next_review_on=date(2007, 5, 8), today=date(2007, 4, 10),
    )  # fmt: skip
    done = interventions.add_mappa_action(
        world.user("om"),
        meeting,
        description="Check the address",
        owner_agency="Police PPU",
        due_on=date(2007, 4, 20),
    )
    interventions.add_mappa_action(
        world.user("om"),
        meeting,
        description="Refer to the hostel",
        owner_agency="Housing",
        due_on=date(2007, 4, 17),
    )
    interventions.complete_mappa_action(world.user("om"), done, done_on=date(2007, 4, 12))
    assert sorted(judged(case, "mappa_meeting_action", date(2007, 4, 18))) == [
        ("met_on_time", "2007-04-20"),
        ("overdue", "2007-04-17"),
    ]
    assert judged(case, "mappa_review", date(2007, 5, 9)) == [("overdue", "2007-05-08")]
    interventions.record_mappa_meeting(
        world.user("om"), case, held_on=date(2007, 5, 10), level=2, chair="DI Smith", attendees="Police",
        summary="Reviewed", next_review_on=None, today=date(2007, 5, 10),
    )  # fmt: skip
    assert judged(case, "mappa_review", date(2007, 5, 11)) == [("met_late", "2007-05-08")]


def _screened(world: World, case: Offender, day: date, **answers: object) -> None:
    from oms.risk.models import RiskOfHarmScreening

    RiskOfHarmScreening.objects.create(
        offender=case, event=case.events.get(), author=world.staff["om"], status="locked",
        submitted_at=at(day), locked_at=at(day), **answers,
    )  # fmt: skip


def test_a_screening_finding_mappa_eligibility_asks_for_the_referral_decision(world: World) -> None:
    from oms.interventions import services as interventions

    case = make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    _screened(world, case, date(2007, 4, 10), mappa_eligible=True)
    # 5 WD from Tuesday 10 April 2007 is Tuesday 17 April.
    assert judged(case, "mappa_referral_decision", date(2007, 4, 18)) == [("overdue", "2007-04-17")]
    with pytest.raises(interventions.CaseRuleError, match="why the case was not referred") as raised:
        interventions.decide_mappa_referral(
            world.user("om"),
            case,
            decided_on=date(2007, 4, 18),
            referred=False,
            reason=" ",
            today=date(2007, 4, 18),
        )
    assert raised.value.field == "reason"
    interventions.decide_mappa_referral(
        world.user("om"), case, decided_on=date(2007, 4, 18), referred=False,
        reason="Category 2 criteria not met: sentence under 12 months", today=date(2007, 4, 18),
    )  # fmt: skip
    assert judged(case, "mappa_referral_decision", date(2007, 4, 19)) == [("met_late", "2007-04-17")]


def test_high_roh_outside_mappa_asks_for_the_decision_but_not_inside_it(world: World) -> None:
    from oms.interventions import services as interventions
    from oms.risk.models import RiskOfHarmAnalysis

    outside = make_case(world.area, world.staff["om"], sentence_date=SENTENCED, risk_of_harm_level="high")
    inside = make_case(world.area, world.staff["om"], sentence_date=SENTENCED, risk_of_harm_level="high")
    interventions.register_mappa(world.user("om"), inside, category=2, level=2, from_date=SENTENCED)
    for case in (outside, inside):
        RiskOfHarmAnalysis.objects.create(
            offender=case, author=world.staff["om"], status="locked", overall_level="high",
            submitted_at=at(date(2007, 4, 10)), locked_at=at(date(2007, 4, 10)),
        )  # fmt: skip
    assert judged(outside, "mappa_referral_decision", date(2007, 4, 18)) == [("overdue", "2007-04-17")]
    assert judged(inside, "mappa_referral_decision", date(2007, 4, 18)) == []


def test_the_referral_decision_is_recorded_on_the_case_page(world: World) -> None:
    from django.test import Client
    from django.urls import reverse

    from oms.interventions.models import MappaReferralDecision

    case = make_case(world.area, world.staff["om"], sentence_date=SENTENCED)
    client = Client()
    client.force_login(world.user("om"))
    url = reverse("interventions:record", args=[case.crn, "mappa-referral"])
    refused = client.post(url, {"decided_on": "2007-04-18", "referred": "no", "reason": ""})
    assert "Enter why the case was not referred" in refused.content.decode()
    client.post(url, {"decided_on": "2007-04-18", "referred": "yes", "reason": "Violent offence, 12 months"})
    decision = MappaReferralDecision.objects.get(offender=case)
    assert decision.referred and decision.decided_by == world.staff["om"]
