"""Pre-filled answers from the National Standards actions engine: which rules answer which question.

The actions engine (oms/standards) already judges, from every app's records, whether each timescale
was met on time, met late or missed, with the same calendar and the area's own figures that reminders
and performance use. A framework question about a timescale is answered from those judgements rather
than by re-reading the records here, so an inspection and the area's own actions pages can never
disagree about the same case.

The answer for a case, over every status its mapped rules gave (pure, no database):

- only statuses already judged count (met on time, met late, overdue); one still due is not decided;
- "yes" when every judged status was met on time: for recurring reviews, every cycle so far;
- "no" when any was met late or is overdue;
- nothing (the assessor answers) when no mapped rule has judged the case: the rule does not apply,
  or its trigger never happened.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from oms.inspection.framework import ANSWER_NO, ANSWER_YES
from oms.standards.engine import ActionState, ActionStatus
from oms.timescales.calendar import working_days_between

Decision = tuple[str, str]

JUDGED_STATES = frozenset({ActionState.MET_ON_TIME, ActionState.MET_LATE, ActionState.OVERDUE})
# Evidence for a recurring rule names at most this many missed or late cycles, then counts the rest.
MOST_CYCLES_NAMED = 3
# The rule whose clock runs from the first submission; its evidence names the whole wait
# (report 1.2(b): "countersigned two or three months later").
COUNTERSIGNATURE_RULE = "countersignature"


@dataclass(frozen=True)
class TimescaleQuestion:
    """A framework prefill code answered by National Standards rules (keys in default_rules.yaml)."""

    code: str
    rule_keys: tuple[str, ...]
    why: str


# Each mapping says why the rules answer the question (framework omi-2007.yaml, the question's id).
TIMESCALE_QUESTIONS: tuple[TimescaleQuestion, ...] = (
    TimescaleQuestion(
        "court_report_on_time",
        ("standard_delivery_report", "fast_delivery_report", "oral_report"),
        "1.1.b asks whether the report was completed on time: each report kind has its own timescale "
        "(SDR 15 working days, 10 remanded; FDR 5 working days; oral the same day), so every report requested counts.",
    ),
    TimescaleQuestion(
        "roh_screening_at_start",
        ("roh_screening",),
        "1.2.a: a RoH screening within 5 working days of sentence or release. The engine counts submitted and "
        "locked screenings, per event, which the old date look-up did not.",
    ),
    TimescaleQuestion(
        "full_analysis_where_indicated",
        ("full_roh_analysis",),
        "1.2.c: the rule is triggered only when a screening indicates a full analysis, which is "
        "exactly 'where required'; the report (1.2) counts one not done in time as not done.",
    ),
    TimescaleQuestion(
        "rmp_within_5_wd",
        ("risk_management_plan", "roh_assessment_and_plan_high_roh_and_ppo"),
        "1.2.i: the plan is due 5 working days after the RoH is found medium or higher, and for high RoH and "
        "PPO cases 5 working days after sentence (report 4.2 table); a plan late by either is not within 5 working days.",
    ),
    TimescaleQuestion(
        "countersigned_within_5_wd",
        ("countersignature",),
        "1.2.k: timely oversight means each assessment or plan submitted for countersigning was "
        "countersigned within 5 working days (report 1.2(b) found months-long delays).",
    ),
    TimescaleQuestion(
        "ogrs3_recorded",
        ("oasys_assessment_others",),
        "1.3.a: the OASys likelihood of reoffending score at the start of sentence or release, due "
        "with the initial sentence plan (NS 2007).",
    ),
    TimescaleQuestion(
        "ppo_oasys_within_5_wd",
        ("oasys_for_ppo",),
        "1.3.g: a PPO's OASys within 5 working days of sentence (report 1.3). Whether it was comprehensive is "
        "the assessor's judgement when confirming.",
    ),
    TimescaleQuestion(
        "skills_for_life_screening_at_start",
        ("skills_for_life_screening",),
        "1.4.e: the screening is due at the start, with the initial sentence plan (report 1.4(a)).",
    ),
    TimescaleQuestion(
        "initial_sentence_plan_on_time",
        ("initial_sentence_plan_community", "sentence_plan_custody"),
        "1.5.f: the required timescale is 15 working days (tier 4: 5) in the community and on licence, 16 weeks "
        "(8 when under 2 years to release) in custody; the engine applies whichever fits the case.",
    ),
    TimescaleQuestion(
        "sentence_plan_review_16_weeks",
        ("sentence_plan_review",),
        "2.1.d: reviewed every 16 weeks from the last plan or review; every review cycle so far must "
        "have been met.",
    ),
    TimescaleQuestion(
        "roh_review_16_weeks",
        ("roh_review",),
        "2.2.a: RoH reviewed within 16 weeks of the start of sentence and every 16 weeks after "
        "(report 2.2(a)); every cycle so far must have been met.",
    ),
    TimescaleQuestion(
        "home_visit_high_roh_10_wd",
        ("home_visit_high_roh",),
        "2.2.i: a home visit within 10 working days of sentence or release for high or very high RoH; the rule "
        "applies to those cases only. Whether it was purposeful is the assessor's judgement.",
    ),
    TimescaleQuestion(
        "victim_written_offer_40_wd",
        ("victim_written_offer",),
        "2.3.b: a written offer of face-to-face contact within 40 working days of sentence, for statutory "
        "victim contact cases; the victims app records the offer (the old look-up never found it).",
    ),
    TimescaleQuestion(
        "contact_frequency_national_standard",
        (
            "contact_level_first_12_weeks",
            "contact_level_weeks_13_to_24",
            "contact_level_monthly",
            "contact_level_enhanced",
            "contact_level_fortnightly",
            "contact_level_planned_monthly",
            "ppo_enhanced_contact",
        ),
        "2.4.b: the frequency of appointments against the contact levels (12 in the first 12 weeks, "
        "6 in weeks 13 to 24, then monthly), or the plan's own level (enhanced, weekly for PPO and high "
        "RoH); face-to-face contacts only; the figures are the area's configurable local standard.",
    ),
    TimescaleQuestion(
        "warning_on_first_failure",
        ("warning",),
        "2.4.e: a warning within 2 working days of each first unacceptable failure (CJA Sch 8). Whether the "
        "absence judgements were consistent is the assessor's judgement.",
    ),
    TimescaleQuestion(
        "breach_within_10_wd",
        ("breach_action",),
        "2.4.f: breach laid within 10 working days of the failure that required it (NS 2007, report 4.2).",
    ),
    TimescaleQuestion(
        "breach_resolved_25_wd",
        ("breach_resolved",),
        "2.4.g: each breach resolved within 25 working days of the failure (report 4.2, LCJB target).",
    ),
    TimescaleQuestion(
        "drr_review_attended",
        ("drr_review",),
        "2.5.e: a DRR is reviewed by the court at least monthly (CJA 2003 s.210-211); each review "
        "hearing recorded on time counts. Whether the report was sufficient is the assessor's judgement.",
    ),
    TimescaleQuestion(
        "oasys_rescored",
        ("oasys_rescore",),
        "3.1.g: OASys rescored with each sentence plan review, at least every 16 weeks (report 3.1(d)).",
    ),
)

TIMESCALE_QUESTIONS_BY_CODE: Mapping[str, TimescaleQuestion] = {q.code: q for q in TIMESCALE_QUESTIONS}


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _working_days(count: int) -> str:
    return f"{count} working day{'' if count == 1 else 's'}"


def when(status: ActionStatus, as_of: date) -> str:
    """One judged status in plain words: the deadline, and when it was done or that it was not."""
    due = f"due {_day(status.deadline)}" if status.deadline else "due"
    if status.completed_on is None:
        overdue = status.working_days_overdue or max(1, working_days_between(status.deadline or as_of, as_of))
        return f"{due}, not done by {_day(as_of)} ({_working_days(overdue)} overdue)"
    done = f"{due}, done {_day(status.completed_on)}"
    if status.rule_key == COUNTERSIGNATURE_RULE and status.trigger_date is not None:
        waited = working_days_between(status.trigger_date, status.completed_on)
        done += f", {_working_days(waited)} after the first submission on {_day(status.trigger_date)}"
    if status.status == ActionState.MET_LATE and status.deadline is not None:
        late = max(1, working_days_between(status.deadline, status.completed_on))
        return f"{done} ({_working_days(late)} late)"
    return done


def _rule_evidence(judged: Sequence[ActionStatus], as_of: date) -> str:
    description = judged[-1].description
    if len(judged) == 1:
        return f"{description}: {when(judged[0], as_of)}"
    missed = [s for s in judged if s.status != ActionState.MET_ON_TIME]
    if not missed:
        return f"{description}: all {len(judged)} met on time; latest {when(judged[-1], as_of)}"
    named = "; ".join(when(s, as_of) for s in missed[:MOST_CYCLES_NAMED])
    more = len(missed) - MOST_CYCLES_NAMED
    rest = f"; and {more} more" if more > 0 else ""
    return f"{description}: {len(missed)} of {len(judged)} not met on time: {named}{rest}"


def decide(statuses_by_rule: Mapping[str, Sequence[ActionStatus]], as_of: date) -> Decision | None:
    """The answer and evidence for one case from its statuses under a question's rules, or None.

    `statuses_by_rule` maps each mapped rule key to that case's statuses, oldest trigger first.
    """
    parts: list[str] = []
    all_on_time = True
    for statuses in statuses_by_rule.values():
        judged = sorted(
            (s for s in statuses if s.status in JUDGED_STATES),
            key=lambda s: (s.trigger_date or date.min, s.deadline or date.min),
        )
        if not judged:
            continue
        all_on_time = all_on_time and all(s.status == ActionState.MET_ON_TIME for s in judged)
        parts.append(_rule_evidence(judged, as_of))
    if not parts:
        return None
    return (ANSWER_YES if all_on_time else ANSWER_NO, ". ".join(parts) + ".")
