"""The edges of each rule, where a changed comparison would go unnoticed by the worked examples.

Each test pins one boundary: the day a completion stops counting, the month a variation starts,
the record that does or does not complete a rule. Dates are worked by hand as in test_engine.py.
"""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from oms.calculation_errors import CalculatorInputError
from oms.standards.engine import ActionState, CaseFacts, evaluate, evaluate_all
from oms.standards.rules import CaseCondition, Deadline, DeadlineUnit, default_rules

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


# --- what staff read: each kind of action in words, on the case and rule it belongs to ----------


def shown(rule, facts, as_of):
    return [
        (s.crn, s.rule_key, s.description, s.trigger_date, s.deadline, s.status, s.completed_on)
        for s in evaluate(rule, facts, as_of)
    ]


# (rule key, case facts, as_of, description, [(trigger, deadline, status, completed on)])
KINDS = [
    ("sentence_plan_review",
     {"triggers": {"last_plan_or_review": (date(2007, 4, 16),)},
      "completions": {"sentence_plan_review": (date(2007, 7, 30),)}},
     date(2007, 11, 21),
     "Sentence plan review: at least every 16 weeks (report 2.1(a), NS 2007)",
     [(date(2007, 4, 16), date(2007, 8, 6), MET_ON_TIME, date(2007, 7, 30)),
      (date(2007, 7, 30), date(2007, 11, 19), OVERDUE, None)]),
    ("contact_level_first_12_weeks", {"triggers": {"sentence_or_release": (THU_5_APR,)}}, date(2007, 4, 20),
     "Contact level, first 12 weeks: at least 12 contacts within 12 weeks of sentence or release (local standard)",
     [(THU_5_APR, date(2007, 6, 28), DUE, None)]),
    ("contact_level_weeks_13_to_24", {"triggers": {"sentence_or_release": (THU_5_APR,)}}, date(2007, 9, 21),
     "Contact level, weeks 13 to 24: at least 6 contacts from 12 weeks to 24 weeks after sentence or release "
     "(local standard)",
     [(THU_5_APR, date(2007, 9, 20), OVERDUE, None)]),
    ("induction_completed",
     {"triggers": {"first_contact": (date(2007, 4, 10),)}, "completions": {"induction": (date(2007, 4, 10),)}},
     date(2007, 4, 10),
     "Induction at first contact (report 2.4)",
     [(date(2007, 4, 10), date(2007, 4, 10), MET_ON_TIME, date(2007, 4, 10))]),
    ("oral_report", {"triggers": {"oral_report_requested": (THU_5_APR,)}}, date(2007, 4, 10),
     "Oral report on the day of the request (PC, NS)",
     [(THU_5_APR, THU_5_APR, OVERDUE, None)]),
    ("pre_release_contact",
     {"event_kinds": frozenset({"custody"}), "release_date": date(2007, 4, 10),
      "triggers": {"release_date_known": (date(2007, 4, 2),)},
      "completions": {"pre_release_contact": (date(2007, 4, 4),)}},
     date(2007, 4, 12),
     "Offender manager contact before the release date (report 2.1(d), 2.4(c))",
     [(date(2007, 4, 2), THU_5_APR, MET_ON_TIME, date(2007, 4, 4))]),
    ("mappa_meeting_action",
     {"recorded_deadlines": {"mappa_action_set": ((THU_5_APR, date(2007, 4, 20), date(2007, 4, 12)),
                                                  (THU_5_APR, date(2007, 4, 16), None))}},
     date(2007, 4, 17),
     "MAPPA meeting action done by the date set at the MAPPA meeting (report 2.2(c), MAPPA guidance)",
     [(THU_5_APR, date(2007, 4, 16), OVERDUE, None),
      (THU_5_APR, date(2007, 4, 20), MET_ON_TIME, date(2007, 4, 12))]),
    ("home_visit_high_roh",
     {"risk_of_harm_level": "very_high", "triggers": {"sentence_or_release": (THU_5_APR,)}},
     date(2007, 4, 10),
     "Home visit (high or very high RoH) within 10 working days of sentence or release (report 2.2(e))",
     [(THU_5_APR, date(2007, 4, 23), DUE, None)]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("key", "facts", "as_of", "description", "expected"), KINDS, ids=[k[0] for k in KINDS]
)
def test_each_kind_of_action_reads_as_staff_see_it_on_its_own_case_and_rule(
    key, facts, as_of, description, expected
):
    # The facts are built here, inside the test, so that the case's own checks run under test too.
    assert shown(RULES[key], case(**facts), as_of) == [
        ("X000001", key, description, trigger, deadline, state, done)
        for trigger, deadline, state, done in expected
    ]


def test_a_local_standard_in_calendar_days_runs_through_weekends_and_bank_holidays():
    rule = replace(RULES["roh_screening"], deadline=Deadline(14, DeadlineUnit.CALENDAR_DAYS))
    facts = case(triggers={"sentence_or_release": (THU_5_APR,)})
    assert shown(rule, facts, date(2007, 4, 20)) == [
        (
            "X000001",
            "roh_screening",
            "RoH screening within 14 days of sentence or release (report 1.2, recommendation 1)",
            THU_5_APR,
            date(2007, 4, 19),
            OVERDUE,
            None,
        )
    ]


def test_a_local_standard_of_two_home_visits_is_met_on_the_second_and_reads_in_the_plural():
    rule = replace(RULES["home_visit_high_roh"], minimum_count=2)
    facts = case(
        risk_of_harm_level="high",
        triggers={"sentence_or_release": (THU_5_APR,)},
        completions={"home_visit": (date(2007, 4, 11), date(2007, 4, 20))},
    )
    assert shown(rule, facts, date(2007, 4, 30)) == [
        (
            "X000001",
            "home_visit_high_roh",
            "Home visit (high or very high RoH): at least 2 home visits within 10 working days of sentence or "
            "release (report 2.2(e))",
            THU_5_APR,
            date(2007, 4, 23),
            MET_ON_TIME,
            date(2007, 4, 20),
        )
    ]


def test_a_count_of_one_contact_in_a_later_window_reads_in_the_singular():
    rule = replace(RULES["contact_level_weeks_13_to_24"], minimum_count=1)
    facts = case(triggers={"sentence_or_release": (THU_5_APR,)})
    (status,) = evaluate(rule, facts, date(2007, 5, 1))
    assert status.description == (
        "Contact level, weeks 13 to 24: at least 1 contact from 12 weeks to 24 weeks after sentence or release "
        "(local standard)"
    )


def test_a_rule_that_does_not_apply_to_the_case_says_so_in_its_name_and_source():
    facts = case(triggers={"sentence": (THU_5_APR,)})  # no statutory victim contact
    assert shown(RULES["statutory_victim_contact_offered"], facts, date(2007, 6, 1)) == [
        (
            "X000001",
            "statutory_victim_contact_offered",
            "Statutory victim contact offered (report 4.2, Victim Contact Scheme)",
            None,
            None,
            ActionState.NOT_APPLICABLE,
            None,
        )
    ]


# --- counting windows: the days that open and close them, and what counts once -------------------


def test_contacts_before_a_later_window_opens_do_not_count_towards_it():
    weekly_from_the_start = tuple(THU_5_APR + timedelta(weeks=k) for k in range(8))
    facts = case(
        triggers={"sentence_or_release": (THU_5_APR,)}, completions={"contact": weekly_from_the_start}
    )
    assert status_of("contact_level_weeks_13_to_24", facts, date(2007, 9, 21)) == [(OVERDUE, None)]


def test_the_last_contact_needed_on_the_day_the_window_closes_meets_it():
    # Weeks 13 to 24 after Thursday 5 April run from Thursday 28 June to Thursday 20 September.
    contacts = (date(2007, 7, 2), date(2007, 7, 9), date(2007, 7, 16), date(2007, 7, 23), date(2007, 7, 30))
    facts = case(
        triggers={"sentence_or_release": (THU_5_APR,)},
        completions={"contact": (*contacts, date(2007, 9, 20))},
    )
    assert status_of("contact_level_weeks_13_to_24", facts, date(2007, 9, 21)) == [
        (MET_ON_TIME, date(2007, 9, 20))
    ]


def test_two_contacts_on_the_same_day_count_once_towards_the_contact_level():
    eleven_weeks = tuple(THU_5_APR + timedelta(weeks=k) for k in range(11))
    facts = case(
        triggers={"sentence_or_release": (THU_5_APR,)},
        completions={"contact": (*eleven_weeks, eleven_weeks[-1])},
    )
    assert status_of("contact_level_first_12_weeks", facts, date(2007, 7, 2)) == [(OVERDUE, None)]


def test_a_sentence_recorded_twice_on_the_same_day_asks_for_one_screening():
    facts = case(triggers={"sentence_or_release": (THU_5_APR, THU_5_APR)})
    assert status_of("roh_screening", facts, date(2007, 4, 10)) == [(DUE, None)]


def test_an_appointment_missed_today_is_to_be_judged_from_today():
    facts = case(triggers={"missed_appointment": (date(2007, 4, 10),)})
    (status,) = evaluate(RULES["judge_absence"], facts, date(2007, 4, 10))
    assert (status.trigger_date, status.deadline, status.status) == (
        date(2007, 4, 10),
        date(2007, 4, 12),
        DUE,
    )


def test_a_review_cycle_that_starts_today_is_shown_today():
    facts = case(triggers={"last_plan_or_review": (date(2007, 4, 16),)})
    (status,) = evaluate(RULES["sentence_plan_review"], facts, date(2007, 4, 16))
    assert (status.trigger_date, status.deadline, status.status) == (date(2007, 4, 16), date(2007, 8, 6), DUE)


def test_no_weekly_offer_is_asked_for_when_the_hours_are_done_the_day_the_order_is_made():
    facts = case(
        has_unpaid_work=True,
        triggers={"order_made": (THU_5_APR,)},
        completions={"unpaid_work_completed": (THU_5_APR,)},
    )
    assert evaluate(RULES["unpaid_work_offered_weekly"], facts, date(2007, 6, 1)) == []


def test_a_case_with_no_tier_yet_gets_the_default_figure_not_the_tier_4_one():
    facts = case(tier=None, triggers={"sentence_or_release": (THU_5_APR,)})
    (status,) = evaluate(RULES["allocate_offender_manager"], facts, date(2007, 4, 10))
    assert status.deadline == date(2007, 4, 12)  # 3 WD over Easter, not tier 4's 1 WD (10 April)


# --- things a MAPPA meeting set, each by its own date --------------------------------------------


def mappa_actions(*rows):
    return case(recorded_deadlines={"mappa_action_set": rows})


def test_two_actions_set_together_for_the_same_date_are_both_shown_one_done_one_not():
    facts = mappa_actions(
        (THU_5_APR, date(2007, 4, 20), None), (THU_5_APR, date(2007, 4, 20), date(2007, 4, 12))
    )
    assert [
        (s.deadline, s.status, s.working_days_overdue, s.completed_on)
        for s in evaluate(RULES["mappa_meeting_action"], facts, date(2007, 4, 23))
    ] == [(date(2007, 4, 20), OVERDUE, 1, None), (date(2007, 4, 20), MET_ON_TIME, 0, date(2007, 4, 12))]


def test_actions_are_listed_in_the_order_the_meetings_set_them():
    facts = mappa_actions((date(2007, 4, 10), date(2007, 4, 20), None), (THU_5_APR, date(2007, 5, 1), None))
    assert [
        (s.trigger_date, s.deadline)
        for s in evaluate(RULES["mappa_meeting_action"], facts, date(2007, 4, 12))
    ] == [(THU_5_APR, date(2007, 5, 1)), (date(2007, 4, 10), date(2007, 4, 20))]


def test_an_action_set_today_is_shown_today_and_one_set_tomorrow_is_not():
    facts = mappa_actions(
        (date(2007, 4, 10), date(2007, 4, 20), None), (date(2007, 4, 11), date(2007, 4, 27), None)
    )
    assert [
        (s.trigger_date, s.status) for s in evaluate(RULES["mappa_meeting_action"], facts, date(2007, 4, 10))
    ] == [(date(2007, 4, 10), DUE)]


@pytest.mark.parametrize(
    ("as_of", "state", "done"),
    [(date(2007, 4, 19), DUE, None), (date(2007, 4, 20), MET_ON_TIME, date(2007, 4, 20))],
)
def test_an_action_done_later_does_not_count_before_it_was_done(as_of, state, done):
    facts = mappa_actions((THU_5_APR, date(2007, 4, 20), date(2007, 4, 20)))
    (status,) = evaluate(RULES["mappa_meeting_action"], facts, as_of)
    assert (status.status, status.completed_on) == (state, done)


def test_a_meeting_rule_that_does_not_apply_to_the_case_says_so_once_and_only_when_asked():
    rule = replace(RULES["mappa_meeting_action"], applies_to=(CaseCondition.HIGH_ROH,))
    facts = mappa_actions((THU_5_APR, date(2007, 4, 20), None))
    assert shown(rule, facts, date(2007, 4, 23)) == [
        (
            "X000001",
            "mappa_meeting_action",
            "MAPPA meeting action done (report 2.2(c), MAPPA guidance)",
            None,
            None,
            ActionState.NOT_APPLICABLE,
            None,
        )
    ]
    assert evaluate_all([rule], [facts], date(2007, 4, 23)) == []


def test_each_meeting_rule_keeps_its_own_words_when_evaluated_together():
    facts = case(
        recorded_deadlines={
            "mappa_action_set": ((THU_5_APR, date(2007, 4, 20), None),),
            "mappa_review_set": ((THU_5_APR, date(2007, 5, 3), None),),
        }
    )
    results = evaluate_all([RULES["mappa_meeting_action"], RULES["mappa_review"]], [facts], date(2007, 4, 23))
    assert [(s.rule_key, s.description) for s in results] == [
        (
            "mappa_meeting_action",
            "MAPPA meeting action done by the date set at the MAPPA meeting (report 2.2(c), MAPPA guidance)",
        ),
        ("mappa_review", "MAPPA review meeting held by the date set at the MAPPA meeting (MAPPA guidance)"),
    ]


# --- a whole area at once gives what each rule gives case by case ---------------------------------


@pytest.mark.parametrize(
    "facts",
    [
        {
            "tier": "4",
            "triggers": {"sentence_or_release": (THU_5_APR,), "first_contact": (date(2007, 4, 10),)},
        },
        {
            "risk_of_harm_level": "high",
            "is_ppo": True,
            "event_kinds": frozenset({"licence"}),
            "triggers": {"sentence_or_release": (THU_5_APR,), "release": (THU_5_APR,)},
            "completions": {"roh_screening": (date(2007, 4, 11),), "contact": (date(2007, 4, 12),)},
        },
        {
            "event_kinds": frozenset({"custody"}),
            "custody_sentence_months": 36,
            "custody_months_to_release": 20,
            "statutory_victim_contact": True,
            "triggers": {"custody_sentence": (THU_5_APR,), "sentence": (THU_5_APR,)},
        },
    ],
    ids=["tier 4 community", "high RoH PPO licence", "custody with victim contact"],
)
def test_evaluating_every_rule_for_a_case_at_once_gives_what_each_rule_gives_alone(facts):
    one_case = case(**facts)
    rules = default_rules()
    as_of = date(2007, 5, 1)
    together = evaluate_all(rules, [one_case], as_of, include_not_applicable=True)
    assert together == [status for rule in rules for status in evaluate(rule, one_case, as_of)]
    assert {s.rule_key for s in together if s.status is not ActionState.NOT_APPLICABLE}


# --- a case the engine cannot read is refused, naming each bad field ------------------------------


@pytest.mark.parametrize(
    ("facts", "message", "fields"),
    [
        ({"crn": ""}, "case '': unknown or invalid crn", ["crn"]),
        ({"crn": None}, "case None: unknown or invalid crn", ["crn"]),
        ({"planned_contact_level": "daily"}, "case 'X000001': unknown or invalid planned_contact_level",
         ["planned_contact_level"]),
        ({"triggers": {"sentence": ("2007-04-05",)}}, "case 'X000001': unknown or invalid triggers.sentence",
         ["triggers.sentence"]),
        ({"recorded_deadlines": {"mappa_meeting": ((THU_5_APR, date(2007, 4, 20), None),)}},
         "case 'X000001': unknown or invalid recorded_deadlines.mappa_meeting", ["recorded_deadlines.mappa_meeting"]),
        ({"recorded_deadlines": {"mappa_action_set": ((THU_5_APR, date(2007, 4, 20)),)}},
         "case 'X000001': unknown or invalid recorded_deadlines.mappa_action_set",
         ["recorded_deadlines.mappa_action_set"]),
        ({"recorded_deadlines": {"mappa_action_set": (("2007-04-05", date(2007, 4, 20), None),)}},
         "case 'X000001': unknown or invalid recorded_deadlines.mappa_action_set",
         ["recorded_deadlines.mappa_action_set"]),
        ({"recorded_deadlines": {"mappa_review_set": ((THU_5_APR, "2007-05-03", None),)}},
         "case 'X000001': unknown or invalid recorded_deadlines.mappa_review_set",
         ["recorded_deadlines.mappa_review_set"]),
        ({"crn": "", "event_kinds": frozenset({"prison", "community"}), "planned_contact_level": "daily",
          "recorded_deadlines": {"mappa_action_set": ((THU_5_APR, date(2007, 4, 20), None, None),)}},
         "case '': unknown or invalid crn, event_kinds.prison, planned_contact_level, "
         "recorded_deadlines.mappa_action_set",
         ["crn", "event_kinds.prison", "planned_contact_level", "recorded_deadlines.mappa_action_set"]),
    ],
)  # fmt: skip
def test_case_facts_the_engine_cannot_read_are_refused_naming_each_field(facts, message, fields):
    with pytest.raises(CalculatorInputError) as raised:
        case(**facts)
    assert (raised.value.code, raised.value.message, raised.value.fields) == (
        "INVALID_CASE_FACTS",
        message,
        fields,
    )


def test_a_case_with_well_formed_meeting_dates_is_accepted():
    facts = case(
        recorded_deadlines={
            "mappa_action_set": (
                (THU_5_APR, date(2007, 4, 20), None),
                (THU_5_APR, date(2007, 4, 27), THU_5_APR),
            ),
            "mappa_review_set": ((THU_5_APR, date(2007, 5, 3), None),),
        }
    )
    assert len(facts.recorded_deadlines["mappa_action_set"]) == 2
