"""Timescale questions pre-filled from the National Standards actions engine: for each code, a case
whose records meet the timescale answers "yes", one that misses it answers "no", with the rule and
the dates as evidence; a case the rule never judged is left to the assessor.

Cases are sentenced on Monday 1 June 2026 (no bank holiday until 31 August) and judged on the
inspection's sample date, 27 November 2026.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oms.cases.constants import EventKind
from oms.cases.models import ContactType, Event, OffenceCode, Offender
from oms.courts.models import PreSentenceReport
from oms.inspection import prefill
from oms.inspection.prefill_timescales import TIMESCALE_QUESTIONS
from oms.inspection.queries import framework_by_id
from oms.interventions.models import SkillsForLife
from oms.planning.models import SentencePlan
from oms.risk.models import ReoffendingAssessment, RiskManagementPlan, RiskOfHarmAnalysis, RiskOfHarmScreening
from oms.supervision.models import Breach, Contact, EnforcementWarning
from oms.victims.models import ContactOffer, Victim
from tests.factories import World, make_case

FRAMEWORK = framework_by_id("omi-2007")
SENTENCED = date(2026, 6, 1)
AS_OF = date(2026, 11, 27)
LONDON = ZoneInfo("Europe/London")


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=LONDON)


def after(days: int, start: date = SENTENCED) -> date:
    return start + timedelta(days=days)


def question_for(code: str) -> str:
    return next(q.id for q in FRAMEWORK.questions_by_id.values() if q.prefill == code)


def answers(code: str, cases: list[Offender]) -> dict[str, tuple[str, str]]:
    question = question_for(code)
    decided = prefill.compute_prefill(FRAMEWORK, cases, AS_OF, [question])
    return {crn: decision for (crn, _), decision in decided.items()}


def submitted(model: type, case: Offender, on: date | None, **fields: object) -> None:
    """A risk or planning document submitted on a day (None: still in draft, so not done)."""
    model.objects.create(
        offender=case,
        event=case.events.get(),
        author=case.offender_manager,
        status="submitted" if on else "draft",
        submitted_at=at(on) if on else None,
        **fields,
    )


def contact(case: Offender, on: date, outcome: str, contact_type: str = "office") -> Contact:
    return Contact.objects.create(
        offender=case,
        event=case.events.get(),
        contact_type=ContactType.objects.get(code=contact_type),
        starts_at=at(on),
        ends_at=at(on) + timedelta(hours=1),
        outcome=outcome,
        outcome_recorded_at=at(on),
    )


# ------------------------------------------------------------------ one builder per code: (case, on_time)


def court_report(case: Offender, on_time: bool) -> None:
    # SDR: 15 WD from request. Requested 1 June: due 22 June.
    PreSentenceReport.objects.create(
        offender=case,
        kind="sdr",
        court="Northampton Magistrates' Court",
        requested_on=SENTENCED,
        delivered_on=after(14 if on_time else 30),
    )


def roh_screening(case: Offender, on_time: bool) -> None:
    submitted(RiskOfHarmScreening, case, after(3 if on_time else 20))


def full_analysis(case: Offender, on_time: bool) -> None:
    screened = after(2)
    submitted(RiskOfHarmScreening, case, screened, full_analysis_needed=True)
    submitted(RiskOfHarmAnalysis, case, after(3 if on_time else 20, screened))


def risk_management_plan(case: Offender, on_time: bool) -> None:
    found_medium = after(3)
    submitted(RiskOfHarmAnalysis, case, found_medium, overall_level="medium")
    submitted(RiskManagementPlan, case, after(2 if on_time else 21, found_medium))


def countersignature(case: Offender, on_time: bool) -> None:
    submitted(RiskOfHarmScreening, case, after(2), countersigning_required=True)
    RiskOfHarmScreening.objects.filter(offender=case).update(
        status="locked", countersigned_at=at(after(4 if on_time else 60))
    )


def ogrs3(case: Offender, on_time: bool) -> None:
    # With the initial sentence plan: 15 WD, so due 22 June.
    submitted(ReoffendingAssessment, case, after(10 if on_time else 40))


def ppo_oasys(case: Offender, on_time: bool) -> None:
    submitted(ReoffendingAssessment, case, after(3 if on_time else 20))


def skills_for_life(case: Offender, on_time: bool) -> None:
    SkillsForLife.objects.create(offender=case, screened_on=after(10 if on_time else 40))


def initial_plan(case: Offender, on_time: bool) -> None:
    submitted(SentencePlan, case, after(10 if on_time else 40), kind="initial")


def plan_review(case: Offender, on_time: bool) -> None:
    planned = after(4)
    submitted(SentencePlan, case, planned, kind="initial")
    submitted(SentencePlan, case, after(100 if on_time else 140, planned), kind="review", sequence=2)


def roh_review(case: Offender, on_time: bool) -> None:
    submitted(RiskOfHarmAnalysis, case, after(3))
    if on_time:  # within 16 weeks of sentence (due 21 September); the next is not yet due
        submitted(RiskOfHarmAnalysis, case, after(100), sequence=2)


def home_visit(case: Offender, on_time: bool) -> None:
    contact(case, after(7 if on_time else 30), "attended_complied", contact_type="home_visit")


def victim_offer(case: Offender, on_time: bool) -> None:
    victim = Victim.objects.create(
        offender=case, event=case.events.get(), name="A Victim", contact_preference="letter"
    )
    ContactOffer.objects.create(victim=victim, offered_on=after(20 if on_time else 90), method="face_to_face")


def contact_levels(case: Offender, on_time: bool) -> None:
    if on_time:  # weekly for 24 weeks: 12 in the first 12 weeks, 12 in weeks 13 to 24
        for week in range(24):
            contact(case, after(1 + 7 * week), "attended_complied")
    else:  # fortnightly: 6 in the first 12 weeks, short of 12
        for fortnight in range(12):
            contact(case, after(1 + 14 * fortnight), "attended_complied")


def _failure(case: Offender) -> Contact:
    return contact(case, after(30), "unacceptable_absence")


def warning(case: Offender, on_time: bool) -> None:
    failure = _failure(case)
    EnforcementWarning.objects.create(
        offender=case,
        event=case.events.get(),
        failure=failure,
        issued_on=after(1 if on_time else 10, after(30)),
    )


def breach_laid(case: Offender, on_time: bool) -> None:
    failure = _failure(case)
    Breach.objects.create(
        offender=case,
        event=case.events.get(),
        failure=failure,
        initiated_on=after(31),
        laid_before_court_on=after(7 if on_time else 30, after(30)),
    )


def breach_resolved(case: Offender, on_time: bool) -> None:
    failure = _failure(case)
    Breach.objects.create(
        offender=case,
        event=case.events.get(),
        failure=failure,
        initiated_on=after(31),
        laid_before_court_on=after(35),
        resolved_on=after(30 if on_time else 60, after(30)),
    )


def oasys_rescore(case: Offender, on_time: bool) -> None:
    submitted(ReoffendingAssessment, case, after(4))
    if on_time:  # rescored within 16 weeks; the next rescore is not yet due
        submitted(ReoffendingAssessment, case, after(90), sequence=2)


def drr_reviews(case: Offender, on_time: bool) -> None:
    from oms.cases.models import Requirement, RequirementType
    from oms.interventions.models import DrrReview

    Requirement.objects.create(
        event=case.events.get(), requirement_type=RequirementType.objects.get(code="drug_rehabilitation")
    )
    # Monthly from 1 June 2026: on time, every four weeks up to 16 November (the next is due after
    # 27 November); late, the first a month and ten days on.
    first = after(28 if on_time else 40)
    for month in range(6):
        DrrReview.objects.create(
            offender=case,
            review_on=first + timedelta(weeks=4 * month),
            court="Northampton",
            outcome="continue",
        )


Builder = Callable[[Offender, bool], None]

# code -> (builder, case attributes the rule needs, event kind)
CASES: dict[str, tuple[Builder, dict[str, object], str]] = {
    "court_report_on_time": (court_report, {}, EventKind.COMMUNITY_ORDER),
    "roh_screening_at_start": (roh_screening, {}, EventKind.COMMUNITY_ORDER),
    "full_analysis_where_indicated": (full_analysis, {}, EventKind.COMMUNITY_ORDER),
    "rmp_within_5_wd": (risk_management_plan, {"risk_of_harm_level": "medium"}, EventKind.COMMUNITY_ORDER),
    "countersigned_within_5_wd": (countersignature, {}, EventKind.COMMUNITY_ORDER),
    "ogrs3_recorded": (ogrs3, {}, EventKind.COMMUNITY_ORDER),
    "ppo_oasys_within_5_wd": (ppo_oasys, {"is_ppo": True}, EventKind.COMMUNITY_ORDER),
    "skills_for_life_screening_at_start": (skills_for_life, {}, EventKind.COMMUNITY_ORDER),
    "initial_sentence_plan_on_time": (initial_plan, {}, EventKind.COMMUNITY_ORDER),
    "sentence_plan_review_16_weeks": (plan_review, {}, EventKind.COMMUNITY_ORDER),
    "roh_review_16_weeks": (roh_review, {}, EventKind.COMMUNITY_ORDER),
    "home_visit_high_roh_10_wd": (home_visit, {"risk_of_harm_level": "high"}, EventKind.COMMUNITY_ORDER),
    "victim_written_offer_40_wd": (victim_offer, {}, EventKind.LICENCE),
    "contact_frequency_national_standard": (contact_levels, {}, EventKind.COMMUNITY_ORDER),
    "warning_on_first_failure": (warning, {}, EventKind.COMMUNITY_ORDER),
    "breach_within_10_wd": (breach_laid, {}, EventKind.COMMUNITY_ORDER),
    "breach_resolved_25_wd": (breach_resolved, {}, EventKind.COMMUNITY_ORDER),
    "oasys_rescored": (oasys_rescore, {}, EventKind.COMMUNITY_ORDER),
    "drr_review_attended": (drr_reviews, {}, EventKind.COMMUNITY_ORDER),
}


def a_case(world: World, code: str) -> Offender:
    _, attributes, kind = CASES[code]
    case = make_case(world.area, world.staff["om"], kind=kind, sentence_date=SENTENCED, **attributes)
    if code == "victim_written_offer_40_wd":  # statutory victim contact: violent offence, 12 months+
        violent = OffenceCode.objects.filter(is_violent_or_sexual=True).first()
        Event.objects.filter(offender=case).update(offence=violent, length_months=24)
    return case


def test_every_timescale_code_is_in_the_framework_and_has_a_case_here() -> None:
    used = {q.prefill for q in FRAMEWORK.questions_by_id.values() if q.prefill}
    mapped = {q.code for q in TIMESCALE_QUESTIONS}
    assert mapped <= used
    assert mapped == set(CASES)
    assert mapped <= set(prefill.live_codes())


@pytest.mark.parametrize("code", sorted(CASES))
def test_records_meeting_the_timescale_answer_yes_and_missing_it_answer_no(world: World, code: str) -> None:
    builder = CASES[code][0]
    on_time, late = a_case(world, code), a_case(world, code)
    builder(on_time, True)
    builder(late, False)
    decided = answers(code, [on_time, late])
    assert decided[on_time.crn][0] == "yes", decided.get(on_time.crn)
    assert decided[late.crn][0] == "no", decided.get(late.crn)
    for _answer, evidence in (decided[on_time.crn], decided[late.crn]):
        assert "due " in evidence and "2026" in evidence, evidence
    assert " late)" in decided[late.crn][1] or " overdue)" in decided[late.crn][1]


def test_evidence_names_the_rule_the_dates_and_how_late(world: World) -> None:
    on_time, late = a_case(world, "roh_screening_at_start"), a_case(world, "roh_screening_at_start")
    submitted(RiskOfHarmScreening, on_time, date(2026, 6, 5))
    submitted(RiskOfHarmScreening, late, date(2026, 6, 9))  # due Monday 8 June: 1 working day late
    decided = answers("roh_screening_at_start", [on_time, late])
    assert decided[late.crn] == (
        "no",
        "RoH screening within 5 working days of sentence or release (report 1.2, recommendation 1): "
        "due 8 June 2026, done 9 June 2026 (1 working day late).",
    )
    assert decided[on_time.crn][1].endswith("due 8 June 2026, done 5 June 2026.")


def test_nothing_done_is_no_with_the_days_overdue_and_nothing_due_yet_is_left_to_the_assessor(
    world: World,
) -> None:
    missed = a_case(world, "roh_screening_at_start")
    sentenced_yesterday = make_case(world.area, world.staff["om"], sentence_date=AS_OF - timedelta(days=1))
    decided = answers("roh_screening_at_start", [missed, sentenced_yesterday])
    answer, evidence = decided[missed.crn]
    assert (
        answer == "no" and "not done by 27 November 2026" in evidence and "working days overdue" in evidence
    )
    assert sentenced_yesterday.crn not in decided


def test_a_rule_that_does_not_apply_or_never_triggered_leaves_the_question_to_the_assessor(
    world: World,
) -> None:
    low_roh = a_case(world, "roh_screening_at_start")  # low RoH: no home visit rule
    no_screening_asked = a_case(world, "roh_screening_at_start")  # no full analysis indicated
    submitted(RiskOfHarmScreening, no_screening_asked, after(2), full_analysis_needed=False)
    assert answers("home_visit_high_roh_10_wd", [low_roh]) == {}
    assert answers("full_analysis_where_indicated", [no_screening_asked]) == {}


def test_countersigning_is_judged_from_the_first_submission_not_the_resubmission(world: World) -> None:
    rolled_back = a_case(world, "countersigned_within_5_wd")
    # First submitted 3 June 2026, rolled back and resubmitted 10 August, countersigned 11 August.
    submitted(RiskOfHarmScreening, rolled_back, after(2), countersigning_required=True)
    RiskOfHarmScreening.objects.filter(offender=rolled_back).update(
        first_submitted_at=at(after(2)), submitted_at=at(date(2026, 8, 10)), status="locked",
        countersigned_at=at(date(2026, 8, 11)), rollback_count=1,
    )  # fmt: skip
    answer, evidence = answers("countersigned_within_5_wd", [rolled_back])[rolled_back.crn]
    assert answer == "no"
    assert "done 11 August 2026, 49 working days after the first submission on 3 June 2026" in evidence


def test_a_recurring_review_answers_yes_only_if_every_cycle_was_on_time(world: World) -> None:
    always, once_late = (
        a_case(world, "sentence_plan_review_16_weeks"),
        a_case(world, "sentence_plan_review_16_weeks"),
    )
    for case, second_gap in ((always, 90), (once_late, 130)):
        planned = after(4)
        submitted(SentencePlan, case, planned, kind="initial")
        first_review = after(60, planned)
        submitted(SentencePlan, case, first_review, kind="review", sequence=2)
        submitted(SentencePlan, case, after(second_gap, first_review), kind="review", sequence=3)
    decided = answers("sentence_plan_review_16_weeks", [always, once_late])
    assert decided[always.crn][0] == "yes" and "all 2 met on time" in decided[always.crn][1]
    assert decided[once_late.crn][0] == "no" and "1 of 2 not met on time" in decided[once_late.crn][1]


def test_several_codes_share_one_evaluation_of_the_sample(world: World) -> None:
    cases = [a_case(world, "roh_screening_at_start") for _ in range(3)]
    timescale_questions = [question_for(q.code) for q in TIMESCALE_QUESTIONS]

    def count(question_ids: list[str]) -> int:
        with CaptureQueriesContext(connection) as captured:
            prefill.compute_prefill(FRAMEWORK, cases, AS_OF, question_ids)
        return len(captured)

    assert count(timescale_questions) == count(timescale_questions[:1])


def test_timescale_prefill_runs_the_same_queries_for_10_and_100_cases(world: World) -> None:
    cases = []
    for index in range(100):
        code = sorted(CASES)[index % len(CASES)]
        case = a_case(world, code)
        CASES[code][0](case, index % 2 == 0)
        cases.append(case)
    timescale_questions = [question_for(q.code) for q in TIMESCALE_QUESTIONS]

    def count(sample: list[Offender]) -> int:
        with CaptureQueriesContext(connection) as captured:
            decided = prefill.compute_prefill(FRAMEWORK, sample, AS_OF, timescale_questions)
        assert decided
        return len(captured)

    small, large = count(cases[:10]), count(cases)
    print(f"timescale pre-fill: 10 cases {small} queries, 100 cases {large} queries")
    assert small == large
