"""The shipped rules hold every row of spec/national-standards.md, and the loader refuses bad files."""

from pathlib import Path

import pytest

from oms.calculation_errors import CalculatorInputError
from oms.standards.rules import (
    DEFAULT_RULES_PATH,
    CaseCondition,
    Deadline,
    DeadlineUnit,
    RecordKind,
    Trigger,
    Variation,
    VariationCondition,
    default_rules,
    load_rules,
)

WD = DeadlineUnit.WORKING_DAYS
ALL = (CaseCondition.ALL,)

# (spec row, rule key, trigger, deadline, applies_to, completed_by, source) as the spec reads.
SPEC_ROWS = [
    # Start of sentence or release
    ("allocate offender manager", "allocate_offender_manager", Trigger.SENTENCE_OR_RELEASE,
     Deadline(3, WD), ALL, RecordKind.ALLOCATION, "NS 2007"),
    ("allocate offender supervisor (custody)", "allocate_offender_supervisor", Trigger.CUSTODY_SENTENCE,
     Deadline(2, WD), (CaseCondition.CUSTODY,), RecordKind.OFFENDER_SUPERVISOR_ALLOCATION, "NS 2007"),
    ("first contact with offender manager", "first_contact_with_offender_manager",
     Trigger.SENTENCE_OR_RELEASE, Deadline(5, WD), (CaseCondition.COMMUNITY, CaseCondition.LICENCE),
     RecordKind.FIRST_CONTACT, "NS 2007"),
    ("induction completed", "induction_completed", Trigger.FIRST_CONTACT,
     Deadline(0, DeadlineUnit.AT_TRIGGER), ALL, RecordKind.INDUCTION, "report 2.4"),
    ("RoH screening completed", "roh_screening", Trigger.SENTENCE_OR_RELEASE, Deadline(5, WD), ALL,
     RecordKind.ROH_SCREENING, "report 1.2, recommendation 1"),
    ("full RoH analysis completed", "full_roh_analysis", Trigger.SCREENING_INDICATES_FULL_ANALYSIS,
     Deadline(5, WD), ALL, RecordKind.FULL_ROH_ANALYSIS, "report 1.2"),
    ("risk management plan", "risk_management_plan", Trigger.MEDIUM_OR_HIGHER_ROH_FOUND, Deadline(5, WD),
     (CaseCondition.MEDIUM_OR_HIGHER_ROH,), RecordKind.RISK_MANAGEMENT_PLAN, "report 1.2(d), 4.2 table"),
    ("RoH assessment and plan, high RoH and PPO", "roh_assessment_and_plan_high_roh_and_ppo",
     Trigger.SENTENCE_OR_RELEASE, Deadline(5, WD), (CaseCondition.HIGH_ROH, CaseCondition.PPO),
     RecordKind.RISK_MANAGEMENT_PLAN, "report 4.2 table"),
    ("OASys (likelihood of reoffending) for PPO", "oasys_for_ppo", Trigger.SENTENCE, Deadline(5, WD),
     (CaseCondition.PPO,), RecordKind.OASYS_ASSESSMENT, "report 1.3"),
    ("OASys assessment, others", "oasys_assessment_others", Trigger.SENTENCE_OR_RELEASE, None, ALL,
     RecordKind.OASYS_ASSESSMENT, "NS 2007"),
    ("initial sentence plan, community", "initial_sentence_plan_community", Trigger.SENTENCE_OR_RELEASE,
     Deadline(15, WD), (CaseCondition.COMMUNITY, CaseCondition.LICENCE), RecordKind.INITIAL_SENTENCE_PLAN,
     "NS 2007"),
    ("sentence plan, custody 12 months+", "sentence_plan_custody", Trigger.CUSTODY_SENTENCE,
     Deadline(16, DeadlineUnit.WEEKS), (CaseCondition.CUSTODY_12_MONTHS_OR_MORE,),
     RecordKind.INITIAL_SENTENCE_PLAN, "NS 2007"),
    ("countersignature of an assessment or plan", "countersignature", Trigger.SUBMITTED_FOR_COUNTERSIGNING,
     Deadline(5, WD), (CaseCondition.COUNTERSIGNING_REQUIRED,), RecordKind.COUNTERSIGNATURE,
     "report 1.2(b)"),
    ("home visit, high/very high RoH", "home_visit_high_roh", Trigger.SENTENCE_OR_RELEASE,
     Deadline(10, WD), (CaseCondition.HIGH_ROH,), RecordKind.HOME_VISIT, "report 2.2(e)"),
    ("skills for life screening", "skills_for_life_screening", Trigger.SENTENCE_OR_RELEASE, None, ALL,
     RecordKind.SKILLS_FOR_LIFE_SCREENING, "report 1.4(a)"),
    # During the sentence
    ("sentence plan review", "sentence_plan_review", Trigger.LAST_PLAN_OR_REVIEW,
     Deadline(16, DeadlineUnit.WEEKS), ALL, RecordKind.SENTENCE_PLAN_REVIEW, "report 2.1(a), NS 2007"),
    ("RoH review", "roh_review", Trigger.SENTENCE_OR_RELEASE, Deadline(16, DeadlineUnit.WEEKS), ALL,
     RecordKind.ROH_REVIEW, "report 2.2(a)"),
    ("RoH review", "roh_review_on_significant_change", Trigger.SIGNIFICANT_CHANGE, Deadline(5, WD), ALL,
     RecordKind.ROH_REVIEW, "report 2.2(a)"),
    ("sentence plan review", "sentence_plan_review_on_significant_change", Trigger.SIGNIFICANT_CHANGE,
     Deadline(5, WD), ALL, RecordKind.SENTENCE_PLAN_REVIEW, "report 2.1(a), NS 2007"),
    ("OASys re-score", "oasys_rescore", Trigger.LAST_OASYS_ASSESSMENT, Deadline(16, DeadlineUnit.WEEKS),
     ALL, RecordKind.OASYS_ASSESSMENT, "report 3.1(d)"),
    ("contact level", "contact_level_first_12_weeks", Trigger.SENTENCE_OR_RELEASE,
     Deadline(12, DeadlineUnit.WEEKS), (CaseCondition.COMMUNITY, CaseCondition.LICENCE), RecordKind.CONTACT,
     "local standard"),
    ("contact level", "contact_level_weeks_13_to_24", Trigger.SENTENCE_OR_RELEASE,
     Deadline(24, DeadlineUnit.WEEKS), (CaseCondition.COMMUNITY, CaseCondition.LICENCE), RecordKind.CONTACT,
     "local standard"),
    ("contact level", "contact_level_monthly", Trigger.SENTENCE_OR_RELEASE,
     Deadline(1, DeadlineUnit.MONTHS), (CaseCondition.COMMUNITY, CaseCondition.LICENCE), RecordKind.CONTACT,
     "local standard"),
    ("contact level", "contact_level_enhanced", Trigger.SENTENCE_OR_RELEASE,
     Deadline(1, DeadlineUnit.WEEKS), (CaseCondition.COMMUNITY, CaseCondition.LICENCE), RecordKind.CONTACT,
     "local standard"),
    ("contact level", "contact_level_fortnightly", Trigger.SENTENCE_OR_RELEASE,
     Deadline(2, DeadlineUnit.WEEKS), (CaseCondition.COMMUNITY, CaseCondition.LICENCE), RecordKind.CONTACT,
     "local standard"),
    ("contact level", "contact_level_planned_monthly", Trigger.SENTENCE_OR_RELEASE,
     Deadline(1, DeadlineUnit.MONTHS), (CaseCondition.COMMUNITY, CaseCondition.LICENCE), RecordKind.CONTACT,
     "local standard"),
    ("PPO enhanced contact", "ppo_enhanced_contact", Trigger.PPO_REGISTRATION,
     Deadline(1, DeadlineUnit.WEEKS), (CaseCondition.PPO,), RecordKind.CONTACT, "report 2.4"),
    ("unpaid work", "unpaid_work_offered_weekly", Trigger.ORDER_MADE, Deadline(1, DeadlineUnit.WEEKS),
     (CaseCondition.UNPAID_WORK_REQUIREMENT,), RecordKind.UNPAID_WORK_OFFERED, "CJA s.199, NS"),
    ("unpaid work", "unpaid_work_completed", Trigger.ORDER_MADE, Deadline(12, DeadlineUnit.MONTHS),
     (CaseCondition.UNPAID_WORK_REQUIREMENT,), RecordKind.UNPAID_WORK_COMPLETED, "CJA s.199, NS"),
    ("MAPPA referral decision", "mappa_referral_decision", Trigger.MAPPA_REFERRAL_INDICATED, Deadline(5, WD),
     ALL, RecordKind.MAPPA_REFERRAL_DECIDED, "report 2.2(c), MAPPA guidance"),
    ("MAPPA meeting action", "mappa_meeting_action", Trigger.MAPPA_ACTION_SET,
     Deadline(0, DeadlineUnit.AS_RECORDED), ALL, RecordKind.MAPPA_ACTION_DONE, "report 2.2(c), MAPPA guidance"),
    ("MAPPA review", "mappa_review", Trigger.MAPPA_REVIEW_SET, Deadline(0, DeadlineUnit.AS_RECORDED), ALL,
     RecordKind.MAPPA_REVIEW_HELD, "MAPPA guidance"),
    ("DRR review", "drr_review", Trigger.DRR_ORDER_MADE, Deadline(1, DeadlineUnit.MONTHS),
     (CaseCondition.DRUG_REHABILITATION_REQUIREMENT,), RecordKind.DRR_REVIEW, "CJA 2003 s.210-211, report 2.5"),
    ("pre-release contact", "pre_release_contact", Trigger.RELEASE_DATE_KNOWN,
     Deadline(1, DeadlineUnit.BEFORE_RELEASE_DATE), (CaseCondition.CUSTODY,), RecordKind.PRE_RELEASE_CONTACT,
     "report 2.1(d), 2.4(c)"),
    ("transfer in: first appointment", "transfer_in_first_appointment", Trigger.TRANSFER_IN_NOTIFIED,
     Deadline(5, WD), (CaseCondition.TRANSFERS_IN,), RecordKind.TRANSFER_IN_APPOINTMENT, "report 2.1(g)"),
    ("transfer in: home visit", "transfer_in_home_visit", Trigger.TRANSFER_IN_NOTIFIED, Deadline(10, WD),
     (CaseCondition.TRANSFERS_IN,), RecordKind.HOME_VISIT, "report 2.1(g)"),
    ("transfer in: complete OASys received", "transfer_in_complete_oasys_received", Trigger.TRANSFER_IN,
     Deadline(0, DeadlineUnit.AT_TRIGGER), (CaseCondition.TRANSFERS_IN,), RecordKind.COMPLETE_OASYS_RECEIVED,
     "report 2.1(g)"),
    # Enforcement
    ("judge an absence", "judge_absence", Trigger.MISSED_APPOINTMENT, Deadline(2, WD), ALL,
     RecordKind.ABSENCE_JUDGED, "local standard"),
    ("warning", "warning", Trigger.FIRST_UNACCEPTABLE_FAILURE, Deadline(2, WD), (CaseCondition.COMMUNITY,),
     RecordKind.WARNING, "CJA Sch 8, PC43/2004"),
    ("breach action", "breach_action", Trigger.SECOND_UNACCEPTABLE_FAILURE_AFTER_WARNING, Deadline(10, WD),
     (CaseCondition.COMMUNITY,), RecordKind.BREACH_LAID, "NS 2007, report 4.2"),
    ("breach resolved", "breach_resolved", Trigger.BREACH_FAILURE, Deadline(25, WD),
     (CaseCondition.COMMUNITY,), RecordKind.BREACH_RESOLVED, "report 4.2 (LCJB targets)"),
    ("recall request", "recall_request", Trigger.RECALL_JUDGED_NEEDED, Deadline(1, WD),
     (CaseCondition.LICENCE,), RecordKind.RECALL_REQUESTED, "PC16/2005 (figure local)"),
    # Victims
    ("statutory victim contact offered", "statutory_victim_contact_offered", Trigger.SENTENCE,
     Deadline(8, DeadlineUnit.WEEKS), (CaseCondition.STATUTORY_VICTIM_CONTACT,),
     RecordKind.VICTIM_CONTACT_OFFER, "report 4.2, Victim Contact Scheme"),
    ("written offer of face-to-face contact", "victim_written_offer", Trigger.SENTENCE, Deadline(40, WD),
     (CaseCondition.STATUTORY_VICTIM_CONTACT,), RecordKind.VICTIM_WRITTEN_OFFER, "report 2.3(a)"),
    ("victim told of release", "victim_told_of_release", Trigger.RELEASE_DATE_KNOWN,
     Deadline(1, DeadlineUnit.BEFORE_RELEASE_DATE), (CaseCondition.STATUTORY_VICTIM_CONTACT,),
     RecordKind.VICTIM_TOLD_OF_RELEASE, "report 2.3(c)"),
    ("victim asked about licence conditions", "victim_asked_about_licence_conditions",
     Trigger.LICENCE_CONDITIONS_PROPOSED, Deadline(1, DeadlineUnit.BEFORE_RELEASE_DATE),
     (CaseCondition.STATUTORY_VICTIM_CONTACT,), RecordKind.VICTIM_ASKED_ABOUT_LICENCE_CONDITIONS,
     "report 2.3(b)"),
    # Courts
    ("standard delivery report (SDR)", "standard_delivery_report", Trigger.SDR_REQUESTED, Deadline(15, WD),
     ALL, RecordKind.SDR_DELIVERED, "PC, NS"),
    ("fast delivery report (FDR)", "fast_delivery_report", Trigger.FDR_REQUESTED, Deadline(5, WD), ALL,
     RecordKind.FDR_DELIVERED, "PC, NS"),
    ("oral report", "oral_report", Trigger.ORAL_REPORT_REQUESTED, Deadline(0, DeadlineUnit.SAME_DAY), ALL,
     RecordKind.ORAL_REPORT_DELIVERED, "PC, NS"),
]  # fmt: skip


# spec/national-standards.md, copied into the repository so the conformance tests always run.
SPEC_COPY = Path(__file__).resolve().parents[1] / "data" / "spec" / "national-standards.md"
SHARED_SPEC = Path(__file__).resolve().parents[3] / "shared" / "spec" / "national-standards.md"


@pytest.mark.skipif(not SHARED_SPEC.exists(), reason="shared spec folder not beside the checkout")
def test_the_copied_spec_is_still_the_shared_spec():
    assert SPEC_COPY.read_text(encoding="utf-8") == SHARED_SPEC.read_text(encoding="utf-8")


def _spec_rule_column() -> list[str]:
    """The first column of every rules table in the spec, read from the spec itself."""
    rows = []
    for line in SPEC_COPY.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] not in ("rule", "") and not set(cells[0]) <= {"-"}:
            rows.append(cells[0])
    return rows


# Rows OMS enforces beyond the spec's tables (issue 10: the DRR review schedule).
LOCAL_ROWS = {"DRR review", "MAPPA referral decision", "MAPPA meeting action", "MAPPA review"}


def test_the_shipped_file_has_a_rule_for_every_row_of_the_spec():
    shipped_rows = {rule.spec_row for rule in default_rules()}
    assert set(_spec_rule_column()) == shipped_rows - LOCAL_ROWS
    assert {row[0] for row in SPEC_ROWS} == shipped_rows


def test_every_shipped_rule_is_in_this_table():
    assert sorted(rule.key for rule in default_rules()) == sorted(row[1] for row in SPEC_ROWS)


@pytest.mark.parametrize(
    ("spec_row", "key", "trigger", "deadline", "applies_to", "completed_by", "source"),
    SPEC_ROWS,
    ids=[f"{row[0]} [{row[1]}]" for row in SPEC_ROWS],
)
def test_spec_row(spec_row, key, trigger, deadline, applies_to, completed_by, source):
    rule = {rule.key: rule for rule in default_rules()}[key]
    assert rule.spec_row == spec_row
    assert rule.trigger is trigger
    assert rule.deadline == deadline
    assert rule.applies_to == applies_to
    assert rule.completed_by is completed_by
    assert rule.source == source


def _rule(key):
    return {rule.key: rule for rule in default_rules()}[key]


@pytest.mark.parametrize(
    ("key", "variation"),
    [
        ("allocate_offender_manager", Variation(VariationCondition.TIER_4, Deadline(1, WD))),
        ("first_contact_with_offender_manager", Variation(VariationCondition.TIER_4, Deadline(2, WD))),
        ("initial_sentence_plan_community", Variation(VariationCondition.TIER_4, Deadline(5, WD))),
        (
            "sentence_plan_custody",
            Variation(VariationCondition.CUSTODY_UNDER_2_YEARS_TO_RELEASE, Deadline(8, DeadlineUnit.WEEKS)),
        ),
        ("standard_delivery_report", Variation(VariationCondition.REMANDED_IN_CUSTODY, Deadline(10, WD))),
        (
            "recall_request",
            Variation(VariationCondition.EMERGENCY_RECALL, Deadline(0, DeadlineUnit.SAME_DAY)),
        ),
    ],
)
def test_the_specs_variations(key, variation):
    assert _rule(key).variations == (variation,)


@pytest.mark.parametrize("key", ["sentence_plan_review", "roh_review", "oasys_rescore"])
def test_sixteen_week_reviews_are_recurring(key):
    assert _rule(key).recurring


@pytest.mark.parametrize("key", ["oasys_assessment_others", "skills_for_life_screening"])
def test_with_the_initial_sentence_plan_borrows_the_plans_deadlines(key):
    borrowed = _rule(key).deadline_from
    assert [alternative.rule_key for alternative in borrowed] == [
        "initial_sentence_plan_community",
        "sentence_plan_custody",
    ]
    assert borrowed[0].deadline == Deadline(15, WD)
    assert borrowed[1].variations == _rule("sentence_plan_custody").variations


def test_contact_level_default_figures():
    assert _rule("contact_level_first_12_weeks").minimum_count == 12
    assert _rule("contact_level_weeks_13_to_24").minimum_count == 6
    assert _rule("contact_level_weeks_13_to_24").counting_starts_after == Deadline(12, DeadlineUnit.WEEKS)
    assert _rule("contact_level_monthly").counting_starts_after == Deadline(24, DeadlineUnit.WEEKS)


def test_national_targets_are_carried():
    assert _rule("roh_assessment_and_plan_high_roh_and_ppo").target_percent == 90
    assert _rule("breach_action").target_percent == 90
    assert _rule("breach_resolved").target_percent == 50
    assert _rule("statutory_victim_contact_offered").target_percent == 85


# --- refusals ---------------------------------------------------------------------------------

GOOD_RULE = """
  - key: roh_screening
    spec_row: RoH screening completed
    name: RoH screening
    trigger: sentence_or_release
    deadline: {amount: 5, unit: working_days}
    applies_to: [all]
    completed_by: roh_screening
    source: report 1.2
"""


def _load(*rules: str):
    return load_rules("rules:\n" + "".join(rules))


def _refusal(text: str) -> CalculatorInputError:
    with pytest.raises(CalculatorInputError) as raised:
        _load(text)
    return raised.value


def test_a_good_rule_loads():
    (rule,) = _load(GOOD_RULE)
    assert rule.deadline == Deadline(5, WD)


def test_refuses_an_unknown_field_naming_the_rule_and_field():
    error = _refusal(GOOD_RULE + "    colour: red\n")
    assert error.fields == ["roh_screening.colour"]
    assert "roh_screening.colour" in error.message


def test_refuses_recurring_until_on_a_rule_that_does_not_recur_or_naming_an_unknown_record():
    error = _refusal(GOOD_RULE + "    recurring_until: unpaid_work_completed\n")
    assert error.fields == ["roh_screening.recurring_until"]
    assert "only on a recurring rule" in error.message
    error = _refusal(GOOD_RULE + "    recurring: true\n    recurring_until: hours_done\n")
    assert "roh_screening.recurring_until" in error.fields


def test_unpaid_work_is_offered_weekly_until_the_hours_are_done():
    rule = {r.key: r for r in default_rules()}["unpaid_work_offered_weekly"]
    assert rule.recurring and rule.recurring_until is RecordKind.UNPAID_WORK_COMPLETED


def test_refuses_an_unknown_field_in_a_deadline():
    error = _refusal(GOOD_RULE.replace("unit: working_days}", "unit: working_days, within: 1}"))
    assert error.fields == ["roh_screening.deadline.within"]


def test_refuses_a_negative_figure():
    error = _refusal(GOOD_RULE.replace("amount: 5", "amount: -5"))
    assert error.fields == ["roh_screening.deadline.amount"]
    assert "roh_screening.deadline.amount" in error.message


def test_refuses_a_negative_variation_figure():
    error = _refusal(GOOD_RULE + "    variations:\n      - {when: tier_4, amount: -1, unit: working_days}\n")
    assert error.fields == ["roh_screening.variations[0].amount"]


def test_refuses_an_unknown_trigger():
    error = _refusal(GOOD_RULE.replace("trigger: sentence_or_release", "trigger: sentencing"))
    assert error.fields == ["roh_screening.trigger"]
    assert "sentencing" in error.message


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("unit: working_days", "unit: fortnights", "roh_screening.deadline.unit"),
        ("applies_to: [all]", "applies_to: [everyone]", "roh_screening.applies_to"),
        ("completed_by: roh_screening", "completed_by: screening", "roh_screening.completed_by"),
    ],
)
def test_refuses_an_unknown_unit_applies_to_or_completed_by(old, new, field):
    assert _refusal(GOOD_RULE.replace(old, new)).fields == [field]


def test_refuses_a_duplicate_key():
    with pytest.raises(CalculatorInputError) as raised:
        _load(GOOD_RULE, GOOD_RULE)
    assert raised.value.fields == ["roh_screening.key"]
    assert "duplicate" in raised.value.message


def test_refuses_a_missing_field():
    error = _refusal(GOOD_RULE.replace("    source: report 1.2\n", ""))
    assert error.fields == ["roh_screening.source"]


def test_names_every_bad_field_at_once():
    error = _refusal(
        GOOD_RULE.replace("trigger: sentence_or_release", "trigger: x").replace("amount: 5", "amount: -1")
    )
    assert error.fields == ["roh_screening.trigger", "roh_screening.deadline.amount"]


def test_refuses_a_figure_on_a_same_day_rule():
    assert _refusal(
        GOOD_RULE.replace("amount: 5, unit: working_days", "amount: 3, unit: same_day")
    ).fields == ["roh_screening.deadline.amount"]


def test_refuses_deadline_from_an_unknown_rule():
    text = GOOD_RULE.replace(
        "    deadline: {amount: 5, unit: working_days}\n", "    deadline_from: [no_such_rule]\n"
    )
    assert _refusal(text).fields == ["roh_screening.deadline_from"]


def test_refuses_text_that_is_not_yaml():
    with pytest.raises(CalculatorInputError):
        load_rules("rules: [unclosed")


def test_every_contact_level_a_plan_can_record_is_one_the_rules_know():
    from oms.planning.constants import ContactLevel as PlannedLevel
    from oms.standards.rules import ContactLevel

    assert {level.value for level in PlannedLevel} == {level.value for level in ContactLevel}


def test_an_unknown_contact_level_is_refused_naming_the_rule():
    text = DEFAULT_RULES_PATH.read_text().replace("contact_levels: [fortnightly]", "contact_levels: [daily]")
    with pytest.raises(CalculatorInputError, match=r"contact_level_fortnightly\.contact_levels"):
        load_rules(text)


# --- every refusal in the area's own words: the field named, the fault said, nothing else ----------


def _set(field: str, value: str) -> str:
    """GOOD_RULE with one field given a new YAML value (or added, when it is not there)."""
    lines = [line for line in GOOD_RULE.splitlines(keepends=True) if not line.startswith(f"    {field}:")]
    return "".join(lines) + f"    {field}: {value}\n"


VARIATIONS = "tier_4, remanded_in_custody, custody_under_2_years_to_release, emergency_recall"
REFUSALS = [
    ("rules:\n  - just text\n", "rules[0]: must be a mapping"),
    ("rules:\n  - {name: x}\n", "rules[0].key: missing; rules[0].spec_row: missing; rules[0].trigger: missing; "
     "rules[0].applies_to: missing; rules[0].completed_by: missing; rules[0].source: missing"),
    ("rules:\n" + _set("key", "RoH-Screening"), "RoH-Screening.key: must be snake_case"),
    ("rules:\n" + _set("spec_row", "'  '"), "roh_screening.spec_row: must be non-empty text"),
    ("rules:\n" + _set("name", "5"), "roh_screening.name: must be non-empty text"),
    ("rules:\n" + _set("source", "''"), "roh_screening.source: must be non-empty text"),
    ("rules:\n" + _set("deadline", "5"), "roh_screening.deadline: must be a mapping with amount and unit"),
    ("rules:\n" + _set("deadline", "{amount: 5}"), "roh_screening.deadline.unit: missing"),
    ("rules:\n" + _set("deadline", "{unit: weeks}"), "roh_screening.deadline.amount: missing"),
    ("rules:\n" + _set("deadline", "{amount: 2.5, unit: weeks}"),
     "roh_screening.deadline.amount: must be a whole number, not 2.5"),
    ("rules:\n" + _set("deadline", "{amount: true, unit: weeks}"),
     "roh_screening.deadline.amount: must be a whole number, not True"),
    ("rules:\n" + _set("deadline", "{amount: -1, unit: weeks}"),
     "roh_screening.deadline.amount: must be 0 or more, not -1"),
    ("rules:\n" + _set("deadline", "{amount: 1, unit: same_day}"),
     "roh_screening.deadline.amount: same_day takes no figure (0 or none)"),
    ("rules:\n" + _set("deadline", "{amount: false, unit: at_trigger}"),
     "roh_screening.deadline.amount: at_trigger takes no figure (0 or none)"),
    ("rules:\n" + _set("deadline", "{amount: 5, unit: fortnights}"),
     "roh_screening.deadline.unit: unknown value 'fortnights' (allowed: working_days, calendar_days, weeks, "
     "months, same_day, at_trigger, before_release_date, as_recorded)"),
    ("rules:\n" + GOOD_RULE.replace("    deadline: {amount: 5, unit: working_days}\n", ""),
     "roh_screening.deadline: missing (give a deadline or deadline_from)"),
    ("rules:\n" + _set("variations", "tier_4"), "roh_screening.variations: must be a list"),
    ("rules:\n" + _set("variations", "[tier_4]"),
     "roh_screening.variations[0]: must be a mapping with when, amount and unit"),
    ("rules:\n" + _set("variations", "[{when: tier_4, amount: 1, unit: weeks}, {when: tier_5, amount: 1, unit: weeks}]"),
     f"roh_screening.variations[1].when: unknown value 'tier_5' (allowed: {VARIATIONS})"),
    ("rules:\n" + _set("variations", "[{when: tier_4, amount: 1, unit: weeks, within: 2}]"),
     "roh_screening.variations[0].within: unknown field"),
    ("rules:\n" + _set("recurring", "'yes'"), "roh_screening.recurring: must be true or false, not 'yes'"),
    ("rules:\n" + _set("completion_per_trigger", "1"),
     "roh_screening.completion_per_trigger: must be true or false, not 1"),
    ("rules:\n" + _set("enabled", "'no'"), "roh_screening.enabled: must be true or false, not 'no'"),
    ("rules:\n" + _set("minimum_count", "0"), "roh_screening.minimum_count: must be 1 or more, not 0"),
    ("rules:\n" + _set("counting_starts_after", "{amount: 0, unit: same_day}"),
     "roh_screening.counting_starts_after.unit: must be a period (days, weeks or months)"),
    ("rules:\n" + _set("work_before_release_counts", "{amount: 1, unit: before_release_date}"),
     "roh_screening.work_before_release_counts: must be a period (days, weeks or months) on a rule that does "
     "not recur"),
    ("rules:\n" + _set("deadline", "{amount: 16, unit: weeks}") + "    recurring: true\n"
     "    work_before_release_counts: {amount: 12, unit: weeks}\n",
     "roh_screening.work_before_release_counts: must be a period (days, weeks or months) on a rule that does "
     "not recur"),
    ("rules:\n" + _set("deadline", "{amount: 0, unit: weeks}") + "    recurring: true\n",
     "roh_screening.deadline: a recurring rule needs a period of at least 1 day, week or month"),
    ("rules:\n" + _set("deadline", "{amount: 0, unit: same_day}") + "    recurring: true\n",
     "roh_screening.deadline: a recurring rule needs a period of at least 1 day, week or month"),
    ("rules:\n" + _set("deadline", "{amount: 16, unit: weeks}") + "    recurring: true\n"
     "    variations: [{when: tier_4, amount: 0, unit: weeks}]\n",
     "roh_screening.variations[0]: a recurring rule needs a period of at least 1 day, week or month"),
    ("rules:\n" + _set("deadline", "{amount: 16, unit: weeks}") + "    recurring: true\n"
     "    completion_per_trigger: true\n",
     "roh_screening.completion_per_trigger: cannot be set on a recurring rule"),
    ("rules:\n" + _set("deadline", "{amount: 16, unit: weeks}") + "    recurring: true\n    minimum_count: 2\n",
     "roh_screening.minimum_count: a recurring rule counts one completion a cycle"),
    ("rules:\n" + _set("target_percent", "101"), "roh_screening.target_percent: must be 100 or less"),
    ("rules:\n" + _set("target_percent", "ninety"),
     "roh_screening.target_percent: must be a whole number, not 'ninety'"),
    ("rules:\n" + _set("applies_to", "[]"), "roh_screening.applies_to: must name at least one condition"),
    ("rules:\n" + _set("not_for", "[ppo, nobody]"),
     "roh_screening.not_for: unknown value 'nobody' (allowed: all, community, licence, custody, "
     "custody_12_months_or_more, ppo, high_roh, medium_or_higher_roh, unpaid_work_requirement, transfers_in, "
     "statutory_victim_contact, countersigning_required, drug_rehabilitation_requirement)"),
    ("rules:\n" + _set("contact_levels", "[]"), "roh_screening.contact_levels: must name at least one contact level"),
    ("rules:\n" + _set("contact_levels", "daily"),
     "roh_screening.contact_levels: unknown value 'daily' (allowed: standard, enhanced, weekly, fortnightly, "
     "monthly)"),
    ("rules:\n" + _set("notes", "[a, b]"), "roh_screening.notes: must be text"),
    ("rules:\n" + _set("deadline_from", "initial_sentence_plan_community"),
     "roh_screening.deadline_from: must be a list of rule keys"),
    ("rules:\n" + _set("deadline_from", "[]"), "roh_screening.deadline_from: must be a list of rule keys"),
    ("rules:\n" + _set("deadline_from", "[5]"), "roh_screening.deadline_from: no rule with key 5"),
    ("rules:\n" + GOOD_RULE + GOOD_RULE.replace("key: roh_screening", "key: review")
     .replace("{amount: 5, unit: working_days}", "{amount: 16, unit: weeks}\n    recurring: true")
     + _set("key", "plan").replace("    deadline: {amount: 5, unit: working_days}\n", "")
     + "    deadline_from: [review]\n",
     "plan.deadline_from: 'review' has no fixed deadline of its own to borrow"),
    ("rules:\n" + GOOD_RULE + GOOD_RULE.replace("    trigger: sentence_or_release\n", "    trigger: x\n"),
     "roh_screening.trigger: unknown value 'x' (allowed: " + ", ".join(t.value for t in Trigger) + ")"),
    ("rules:\n" + GOOD_RULE + GOOD_RULE, "roh_screening.key: duplicate key"),
    ("rules: 5\n", "rules: must be a list"),
    ("version: 2\nrules:\n" + GOOD_RULE, "version: unknown field"),
    ("- just a list\n", "the rules file must be a mapping with a rules list"),
    ("rule: []\n", "the rules file must be a mapping with a rules list"),
    ("rules:\n" + _set("colour", "red"), "roh_screening.colour: unknown field"),
    # Field names YAML reads as numbers are named too, beside the ones it reads as text.
    ("rules:\n" + _set("colour", "red") + "    1: one\n", "roh_screening.1: unknown field; roh_screening.colour: unknown field"),
    ("rules:\n" + _set("deadline", "{amount: 5, unit: weeks, within: 2, 3: x}"),
     "roh_screening.deadline.3: unknown field; roh_screening.deadline.within: unknown field"),
    ("version: 2\n1: x\nrules:\n" + GOOD_RULE, "1: unknown field; version: unknown field"),
    # A rule whose key is not text is named by its position.
    ("rules:\n" + _set("key", "5"), "rules[0].key: must be non-empty text"),
    ("rules:\n" + _set("key", "''"), "rules[0].key: must be non-empty text"),
    ("rules:\n" + _set("recurring_until", "unpaid_work_completed"),
     "roh_screening.recurring_until: only on a recurring rule"),
    ("rules:\n" + _set("counting_starts_after", "12"),
     "roh_screening.counting_starts_after: must be a mapping with amount and unit"),
    ("rules:\n" + _set("work_before_release_counts", "{amount: 12}"),
     "roh_screening.work_before_release_counts.unit: missing"),
    # A bad `recurring` is named alone: it does not make the rule recurring and so fault its count.
    ("rules:\n" + _set("recurring", "'yes'") + "    minimum_count: 2\n",
     "roh_screening.recurring: must be true or false, not 'yes'"),
    # A recurring rule whose figure is not a number is named once, for the figure.
    ("rules:\n" + _set("deadline", "{amount: sixteen, unit: weeks}") + "    recurring: true\n",
     "roh_screening.deadline.amount: must be a whole number, not 'sixteen'"),
    # A recurring rule's variation with an unknown `when` and a figure of 0 is refused for both at once.
    ("rules:\n" + _set("deadline", "{amount: 16, unit: weeks}") + "    recurring: true\n"
     "    variations: [{when: tier_5, amount: 0, unit: weeks}]\n",
     f"roh_screening.variations[0].when: unknown value 'tier_5' (allowed: {VARIATIONS}); "
     "roh_screening.variations[0]: a recurring rule needs a period of at least 1 day, week or month"),
    # Every variation is checked, past one that is not a mapping.
    ("rules:\n" + _set("variations", "[tier_4, {when: tier_5, amount: 1, unit: weeks}]"),
     "roh_screening.variations[0]: must be a mapping with when, amount and unit; "
     f"roh_screening.variations[1].when: unknown value 'tier_5' (allowed: {VARIATIONS})"),
    # Every rule is checked, past one that is refused and past a duplicate.
    ("rules:\n  - just text\n" + GOOD_RULE + GOOD_RULE + _set("key", "second").replace("trigger: sentence_or_release", "trigger: x"),
     "rules[0]: must be a mapping; roh_screening.key: duplicate key; "
     "second.trigger: unknown value 'x' (allowed: " + ", ".join(t.value for t in Trigger) + ")"),
    ("rules:\n" + GOOD_RULE + _set("key", "plan").replace("    deadline: {amount: 5, unit: working_days}\n", "")
     + "    deadline_from: [[roh_screening], {key: roh_screening}]\n",
     "plan.deadline_from: no rule with key ['roh_screening']; "
     "plan.deadline_from: no rule with key {'key': 'roh_screening'}"),
    # A rule that borrows its deadline has none of its own to lend.
    ("rules:\n" + GOOD_RULE
     + _set("key", "plan").replace("    deadline: {amount: 5, unit: working_days}\n", "") + "    deadline_from: [roh_screening]\n"
     + _set("key", "review").replace("    deadline: {amount: 5, unit: working_days}\n", "") + "    deadline_from: [plan]\n",
     "review.deadline_from: 'plan' has no fixed deadline of its own to borrow"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "message"), REFUSALS, ids=[message for _, message in REFUSALS])
def test_each_refusal_names_the_field_and_says_what_is_wrong(text, message):
    with pytest.raises(CalculatorInputError) as raised:
        load_rules(text)
    assert raised.value.code == "INVALID_RULES"
    assert raised.value.message == message
    whole_file = message.startswith("the rules file")
    named = [] if whole_file else [part.split(": ", 1)[0] for part in message.split("; ")]
    assert raised.value.fields == named


def test_several_faults_are_named_together_in_the_order_found():
    text = "rules:\n" + _set("recurring", "2").replace("trigger: sentence_or_release", "trigger: x")
    with pytest.raises(CalculatorInputError) as raised:
        load_rules(text)
    assert raised.value.message.startswith("roh_screening.trigger: unknown value 'x' (allowed: ")
    assert raised.value.message.endswith("; roh_screening.recurring: must be true or false, not 2")
    assert raised.value.fields == ["roh_screening.trigger", "roh_screening.recurring"]


def test_text_that_is_not_yaml_is_refused_in_words():
    with pytest.raises(CalculatorInputError) as raised:
        load_rules("rules: [unclosed")
    assert raised.value.code == "INVALID_RULES"
    assert raised.value.message.startswith("the rules file is not valid YAML: ")
    assert raised.value.fields == []


FULL_RULE = """
  - key: contact_weekly
    spec_row: '  contact level  '
    name: ' Weekly contact '
    trigger: sentence_or_release
    deadline: {amount: 1, unit: weeks}
    applies_to: community
    not_for: [ppo]
    contact_levels: weekly
    completed_by: contact
    source: ' local standard '
    minimum_count: 2
    counting_starts_after: {amount: 12, unit: weeks}
    completion_per_trigger: true
    work_before_release_counts: {amount: 12, unit: weeks}
    target_percent: 100
    enabled: false
    notes: '  kept as written  '
"""


def test_every_optional_field_is_read_as_written():
    (rule,) = load_rules("rules:\n" + FULL_RULE)
    assert (rule.spec_row, rule.name, rule.source, rule.notes) == (
        "contact level",
        "Weekly contact",
        "local standard",
        "kept as written",
    )
    assert rule.applies_to == (CaseCondition.COMMUNITY,)
    assert rule.not_for == (CaseCondition.PPO,)
    assert [level.value for level in rule.contact_levels] == ["weekly"]
    assert rule.minimum_count == 2
    assert rule.counting_starts_after == Deadline(12, DeadlineUnit.WEEKS)
    assert rule.completion_per_trigger is True
    assert rule.work_before_release_counts == Deadline(12, DeadlineUnit.WEEKS)
    assert rule.target_percent == 100
    assert rule.enabled is False
    assert rule.recurring is False


def test_a_rule_without_optional_fields_takes_the_defaults():
    (rule,) = _load(GOOD_RULE)
    assert (rule.recurring, rule.minimum_count, rule.completion_per_trigger, rule.enabled) == (
        False,
        1,
        False,
        True,
    )
    assert (rule.counting_starts_after, rule.work_before_release_counts, rule.target_percent) == (
        None,
        None,
        None,
    )
    assert (rule.not_for, rule.contact_levels, rule.variations, rule.deadline_from, rule.notes) == (
        (),
        (),
        (),
        (),
        "",
    )


@pytest.mark.parametrize(
    ("deadline", "loaded"),
    [
        ("{unit: same_day}", Deadline(0, DeadlineUnit.SAME_DAY)),
        ("{amount: 0, unit: at_trigger}", Deadline(0, DeadlineUnit.AT_TRIGGER)),
        ("{amount: 0, unit: working_days}", Deadline(0, WD)),
    ],
)
def test_a_figure_of_0_is_accepted_and_units_without_a_figure_need_none(deadline, loaded):
    (rule,) = _load(_set("deadline", deadline))
    assert rule.deadline == loaded


def test_a_recurring_rule_of_one_week_loads():
    (rule,) = _load(
        _set("deadline", "{amount: 1, unit: weeks}") + "    recurring: true\n    minimum_count: 1\n"
    )
    assert (rule.recurring, rule.deadline) == (True, Deadline(1, DeadlineUnit.WEEKS))


def test_a_target_of_0_percent_is_kept_and_none_means_no_target():
    assert _load(_set("target_percent", "0"))[0].target_percent == 0
    assert _load(_set("target_percent", "null"))[0].target_percent is None


def test_variations_are_read_in_order():
    (rule,) = _load(
        _set(
            "variations",
            "[{when: tier_4, amount: 1, unit: working_days}, {when: remanded_in_custody, unit: same_day}]",
        )
    )
    assert rule.variations == (
        Variation(VariationCondition.TIER_4, Deadline(1, WD)),
        Variation(VariationCondition.REMANDED_IN_CUSTODY, Deadline(0, DeadlineUnit.SAME_DAY)),
    )


def test_a_rule_borrowing_a_deadline_is_read_after_the_rule_it_borrows_from():
    borrower = _set("key", "plan").replace("    deadline: {amount: 5, unit: working_days}\n", "")
    rules = load_rules("rules:\n" + borrower + "    deadline_from: [roh_screening]\n" + GOOD_RULE)
    assert [rule.key for rule in rules] == ["plan", "roh_screening"]
    (alternative,) = rules[0].deadline_from
    assert (alternative.rule_key, alternative.deadline, alternative.applies_to) == (
        "roh_screening",
        Deadline(5, WD),
        ALL,
    )


def test_rules_are_read_from_a_file_named_by_path_or_by_name(tmp_path):
    for suffix in (".yaml", ".yml"):
        path = tmp_path / f"local{suffix}"
        path.write_text("rules:\n" + GOOD_RULE, encoding="utf-8")
        assert [rule.key for rule in load_rules(path)] == ["roh_screening"]
        assert [rule.key for rule in load_rules(str(path))] == ["roh_screening"]


def test_yaml_text_whose_last_line_names_a_yaml_file_is_read_as_yaml_not_as_a_file_name():
    (rule,) = load_rules("rules:\n" + GOOD_RULE + "# copied from local.yaml")
    assert rule.key == "roh_screening"


def test_a_rule_read_from_yaml_keeps_its_trigger_record_and_end():
    (rule,) = load_rules(
        "rules:\n"
        + _set("deadline", "{amount: 1, unit: weeks}").replace(
            "completed_by: roh_screening", "completed_by: unpaid_work_offered"
        )
        + "    recurring: true\n    recurring_until: unpaid_work_completed\n"
    )
    assert (rule.trigger, rule.completed_by, rule.recurring_until) == (
        Trigger.SENTENCE_OR_RELEASE,
        RecordKind.UNPAID_WORK_OFFERED,
        RecordKind.UNPAID_WORK_COMPLETED,
    )
    (plain,) = _load(GOOD_RULE)
    assert plain.recurring_until is None


def test_a_borrowed_deadline_brings_its_variations_and_the_borrower_has_no_figure_of_its_own():
    lender = GOOD_RULE + "    variations: [{when: tier_4, amount: 2, unit: working_days}]\n"
    borrower = _set("key", "plan").replace("    deadline: {amount: 5, unit: working_days}\n", "")
    rules = load_rules("rules:\n" + lender + borrower + "    deadline_from: [roh_screening]\n")
    plan = rules[1]
    assert plan.deadline is None
    (alternative,) = plan.deadline_from
    assert alternative.variations == (Variation(VariationCondition.TIER_4, Deadline(2, WD)),)


@pytest.mark.parametrize(
    ("deadline", "words"),
    [
        (Deadline(1, WD), "1 working day"),
        (Deadline(5, WD), "5 working days"),
        (Deadline(0, WD), "0 working days"),
        (Deadline(1, DeadlineUnit.CALENDAR_DAYS), "1 day"),
        (Deadline(14, DeadlineUnit.CALENDAR_DAYS), "14 days"),
        (Deadline(1, DeadlineUnit.WEEKS), "1 week"),
        (Deadline(16, DeadlineUnit.WEEKS), "16 weeks"),
        (Deadline(1, DeadlineUnit.MONTHS), "1 month"),
        (Deadline(12, DeadlineUnit.MONTHS), "12 months"),
        (Deadline(0, DeadlineUnit.SAME_DAY), "same day"),
        (Deadline(0, DeadlineUnit.AT_TRIGGER), "at the trigger"),
        (Deadline(0, DeadlineUnit.AS_RECORDED), "by the date set"),
        (Deadline(0, DeadlineUnit.BEFORE_RELEASE_DATE), "by the release date"),
        (Deadline(1, DeadlineUnit.BEFORE_RELEASE_DATE), "before the release date"),
        (Deadline(2, DeadlineUnit.BEFORE_RELEASE_DATE), "2 working days before the release date"),
        (Deadline(10, DeadlineUnit.BEFORE_RELEASE_DATE), "10 working days before the release date"),
    ],
)
def test_a_figure_reads_in_words_singular_for_one_and_plural_otherwise(deadline, words):
    assert deadline.phrase() == words
