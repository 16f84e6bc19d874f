"""The edges of each rule, where a changed comparison would go unnoticed by the worked examples.

Each test pins one boundary: the day a completion stops counting, the month a variation starts,
the record that does or does not complete a rule. Dates are worked by hand as in test_engine.py.
"""

from datetime import date

import pytest

from oms.standards.engine import ActionState, CaseFacts, evaluate
from oms.standards.rules import default_rules

DUE = ActionState.DUE
OVERDUE = ActionState.OVERDUE
MET_ON_TIME = ActionState.MET_ON_TIME
MET_LATE = ActionState.MET_LATE

THU_5_APR = date(2007, 4, 5)
RULES = {rule.key: rule for rule in default_rules()}


def case(**overrides):
    values = {
        "crn": "X000001",
        "tier": "2",
        "risk_of_harm_level": "low",
        "event_kinds": frozenset({"community"}),
    }
    values.update(overrides)
    return CaseFacts(**values)


def status_of(key, facts, as_of):
    return [(s.status, s.completed_on) for s in evaluate(RULES[key], facts, as_of)]


# --- a completion never counts before its trigger (except work made ready for a release) ---------

BEFORE = [
    ("allocate_offender_manager", "sentence_or_release", "allocation"),
    ("roh_screening", "sentence_or_release", "roh_screening"),
    ("roh_assessment_and_plan_high_roh_and_ppo", "sentence_or_release", "risk_management_plan"),
    ("full_roh_analysis", "screening_indicates_full_analysis", "full_roh_analysis"),
    ("judge_absence", "missed_appointment", "absence_judged"),
    ("breach_action", "second_unacceptable_failure_after_warning", "breach_laid"),
]


@pytest.mark.parametrize(("key", "trigger", "record"), BEFORE, ids=[row[0] for row in BEFORE])
def test_a_completion_dated_the_day_before_its_trigger_does_not_meet_the_rule(key, trigger, record):
    facts = case(
        risk_of_harm_level="high",
        triggers={trigger: (THU_5_APR,)},
        completions={record: (date(2007, 4, 4),)},
    )
    assert status_of(key, facts, date(2007, 6, 1)) == [(OVERDUE, None)]


def test_the_same_completion_on_the_trigger_day_meets_it():
    facts = case(triggers={"sentence_or_release": (THU_5_APR,)}, completions={"allocation": (THU_5_APR,)})
    assert status_of("allocate_offender_manager", facts, date(2007, 6, 1)) == [(MET_ON_TIME, THU_5_APR)]


# Released on licence Thursday 5 April 2007; 12 weeks before is Thursday 11 January 2007.
RELEASED = {"sentence_or_release": (THU_5_APR,), "release": (THU_5_APR,)}
WORK_BEFORE_RELEASE = [
    ("roh_screening", "roh_screening"),
    ("roh_assessment_and_plan_high_roh_and_ppo", "risk_management_plan"),
]


@pytest.mark.parametrize(("key", "record"), WORK_BEFORE_RELEASE, ids=[row[0] for row in WORK_BEFORE_RELEASE])
def test_work_completed_in_the_12_weeks_before_release_meets_the_release_rule(key, record):
    facts = case(
        risk_of_harm_level="high",
        event_kinds=frozenset({"licence"}),
        triggers=RELEASED,
        completions={record: (date(2007, 1, 11),)},
    )
    assert status_of(key, facts, date(2007, 6, 1)) == [(MET_ON_TIME, date(2007, 1, 11))]


@pytest.mark.parametrize(("key", "record"), WORK_BEFORE_RELEASE, ids=[row[0] for row in WORK_BEFORE_RELEASE])
def test_work_a_day_more_than_12_weeks_before_release_does_not(key, record):
    facts = case(
        risk_of_harm_level="high",
        event_kinds=frozenset({"licence"}),
        triggers=RELEASED,
        completions={record: (date(2007, 1, 10),)},
    )
    assert status_of(key, facts, date(2007, 6, 1)) == [(OVERDUE, None)]


def test_work_before_a_community_sentence_is_not_work_before_release():
    facts = case(
        risk_of_harm_level="high",
        triggers={"sentence_or_release": (THU_5_APR,)},
        completions={"risk_management_plan": (date(2007, 3, 1),)},
    )
    assert status_of("roh_assessment_and_plan_high_roh_and_ppo", facts, date(2007, 6, 1)) == [(OVERDUE, None)]


# --- variations: where "under two years" and "12 months or more" begin --------------------------


@pytest.mark.parametrize(
    ("months_to_release", "deadline"),
    [(23, date(2007, 5, 31)), (24, date(2007, 7, 26)), (25, date(2007, 7, 26))],
)
def test_under_two_years_to_release_means_23_months_or_fewer(months_to_release, deadline):
    facts = case(
        event_kinds=frozenset({"custody"}),
        custody_sentence_months=36,
        custody_months_to_release=months_to_release,
        triggers={"custody_sentence": (THU_5_APR,)},
    )
    (status,) = evaluate(RULES["sentence_plan_custody"], facts, date(2007, 5, 1))
    assert status.deadline == deadline


@pytest.mark.parametrize(("months", "applies"), [(11, False), (12, True), (13, True)])
def test_custody_of_12_months_or_more_includes_12(months, applies):
    facts = case(
        event_kinds=frozenset({"custody"}),
        custody_sentence_months=months,
        custody_months_to_release=30,
        triggers={"custody_sentence": (THU_5_APR,)},
    )
    (status,) = evaluate(RULES["sentence_plan_custody"], facts, date(2007, 5, 1))
    assert (status.status is not ActionState.NOT_APPLICABLE) is applies
