"""The actions-due engine: what each National Standards rule asks of a case, and whether it was done.

Pure: a case arrives as `CaseFacts` (a snapshot of its attributes plus the dated triggers and
completions the facts builder found), a rule as `rules.Rule`, and the answer is a list of
`ActionStatus`. Deadlines are always computed from the rule, never stored, so changing a figure
re-dates every case (DESIGN.md, Conventions).

Re-evaluating the past gives the answer OMS would have given on that day: every dated fact after
`as_of` is ignored, so a completion recorded later does not count and a trigger that had not yet
happened does not exist. (Undated attributes such as the tier or RoH level are the snapshot's.)

The engine runs over a whole area at once (thousands of cases by dozens of rules), so it does only
binary searches over sorted date lists and calendar look-ups against a precomputed index.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from oms.calculation_errors import CalculatorInputError
from oms.risk.levels import RiskOfHarmLevel
from oms.standards.rules import (
    TRIGGER_PHRASES,
    CaseCondition,
    ContactLevel,
    Deadline,
    DeadlineUnit,
    RecordKind,
    Rule,
    Trigger,
    Variation,
    VariationCondition,
)
from oms.timescales.calendar import (
    add_calendar_days,
    add_months,
    add_weeks,
    add_working_days,
    working_days_between,
)

# spec row "sentence plan, custody 12 months+": the custodial sentence length that needs a plan.
CUSTODY_MONTHS_NEEDING_SENTENCE_PLAN = 12
# spec row "sentence plan, custody 12 months+": "8 weeks if under 2 years to release/tariff".
MONTHS_TO_RELEASE_FOR_SHORTER_PLAN = 24
# spec row "allocate offender manager" and others: "tier 4: ..." (NOMS 2005 tiers 1-4).
TIER_4 = "4"


HIGH_ROH_LEVELS = frozenset({RiskOfHarmLevel.HIGH, RiskOfHarmLevel.VERY_HIGH})
MEDIUM_OR_HIGHER_ROH_LEVELS = HIGH_ROH_LEVELS | {RiskOfHarmLevel.MEDIUM}


class EventKind(StrEnum):
    """The kind of a current event (sentence) OMS supervises."""

    COMMUNITY = "community"  # community order or suspended sentence order
    CUSTODY = "custody"
    LICENCE = "licence"


class ActionState(StrEnum):
    DUE = "due"
    OVERDUE = "overdue"
    MET_ON_TIME = "met_on_time"
    MET_LATE = "met_late"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class CaseFacts:
    """What the engine needs to know about one case; built by the facts builder from the database.

    `triggers` maps a `Trigger` value to the dates on which it happened; `completions` maps a
    `RecordKind` value to the dates on which such a record was completed. Either may hold dates
    after the evaluation date: the engine ignores them.
    """

    crn: str
    owner_staff_id: int | None = None
    owner_username: str | None = None
    tier: str | None = None
    risk_of_harm_level: str | None = None  # a RiskOfHarmLevel value, or None before screening
    is_ppo: bool = False
    event_kinds: frozenset[str] = frozenset()  # EventKind values of the current events
    remanded_in_custody: bool = False
    has_unpaid_work: bool = False
    has_drug_rehabilitation: bool = False
    is_transfer_in: bool = False
    statutory_victim_contact: bool = False
    countersigning_required: bool = False
    emergency_recall: bool = False
    custody_sentence_months: int | None = None
    custody_months_to_release: int | None = None  # to release or tariff expiry
    release_date: dt.date | None = None  # the release date as now known
    planned_contact_level: str | None = None  # a ContactLevel value from the sentence plan in force
    triggers: Mapping[str, tuple[dt.date, ...]] = field(default_factory=dict)
    completions: Mapping[str, tuple[dt.date, ...]] = field(default_factory=dict)
    # For rules whose deadline is recorded with each trigger (DeadlineUnit.AS_RECORDED): per trigger
    # value, (set on, due on, done on or None) for each thing a meeting set.
    recorded_deadlines: Mapping[str, tuple[tuple[dt.date, dt.date, dt.date | None], ...]] = field(
        default_factory=dict
    )

    def __post_init__(self) -> None:
        """Refuse a misspelt trigger or record kind here: the engine would silently never see it."""
        bad: list[str] = []
        if not isinstance(self.crn, str) or not self.crn:
            bad.append("crn")
        if self.risk_of_harm_level is not None and self.risk_of_harm_level not in _ROH_VALUES:
            bad.append("risk_of_harm_level")
        bad.extend(f"event_kinds.{kind}" for kind in sorted(self.event_kinds) if kind not in _EVENT_VALUES)
        if self.planned_contact_level is not None and self.planned_contact_level not in _CONTACT_LEVELS:
            bad.append("planned_contact_level")
        for name, mapping, allowed in (
            ("triggers", self.triggers, _TRIGGER_VALUES),
            ("completions", self.completions, _RECORD_VALUES),
        ):
            for key, dates in mapping.items():
                if key not in allowed or not all(isinstance(day, dt.date) for day in dates):
                    bad.append(f"{name}.{key}")
        for key, rows in self.recorded_deadlines.items():
            if key not in _TRIGGER_VALUES or not all(
                len(row) == 3 and isinstance(row[0], dt.date) and isinstance(row[1], dt.date) for row in rows
            ):
                bad.append(f"recorded_deadlines.{key}")
        if bad:
            raise CalculatorInputError(
                "INVALID_CASE_FACTS", f"case {self.crn!r}: unknown or invalid " + ", ".join(bad), bad
            )


_ROH_VALUES = frozenset(level.value for level in RiskOfHarmLevel)
_EVENT_VALUES = frozenset(kind.value for kind in EventKind)
_TRIGGER_VALUES = frozenset(trigger.value for trigger in Trigger)
_RECORD_VALUES = frozenset(kind.value for kind in RecordKind)
_CONTACT_LEVELS = frozenset(level.value for level in ContactLevel)


@dataclass(frozen=True, slots=True)
class ActionStatus:
    """One thing a rule asks of a case, with its deadline and where it stands on the `as_of` date."""

    crn: str
    rule_key: str
    description: str  # plain words naming the rule's figure and source
    trigger_date: dt.date | None
    deadline: dt.date | None
    status: ActionState
    working_days_overdue: int = 0  # 0 unless overdue; at least 1 once the deadline has passed
    completed_on: dt.date | None = None


# --- conditions ---------------------------------------------------------------------------------


def _is_tier_4(tier: str | None) -> bool:
    if tier is None:
        return False
    return str(tier).strip().lower().removeprefix("tier").strip() == TIER_4


def _meets(condition: CaseCondition, facts: CaseFacts) -> bool:
    if condition is CaseCondition.ALL:
        return True
    if condition is CaseCondition.COMMUNITY:
        return EventKind.COMMUNITY in facts.event_kinds
    if condition is CaseCondition.LICENCE:
        return EventKind.LICENCE in facts.event_kinds
    if condition is CaseCondition.CUSTODY:
        return EventKind.CUSTODY in facts.event_kinds
    if condition is CaseCondition.CUSTODY_12_MONTHS_OR_MORE:
        return (
            EventKind.CUSTODY in facts.event_kinds
            and (facts.custody_sentence_months or 0) >= CUSTODY_MONTHS_NEEDING_SENTENCE_PLAN
        )
    if condition is CaseCondition.PPO:
        return facts.is_ppo
    if condition is CaseCondition.HIGH_ROH:
        return facts.risk_of_harm_level in HIGH_ROH_LEVELS
    if condition is CaseCondition.MEDIUM_OR_HIGHER_ROH:
        return facts.risk_of_harm_level in MEDIUM_OR_HIGHER_ROH_LEVELS
    if condition is CaseCondition.UNPAID_WORK_REQUIREMENT:
        return facts.has_unpaid_work
    if condition is CaseCondition.TRANSFERS_IN:
        return facts.is_transfer_in
    if condition is CaseCondition.STATUTORY_VICTIM_CONTACT:
        return facts.statutory_victim_contact
    if condition is CaseCondition.COUNTERSIGNING_REQUIRED:
        return facts.countersigning_required
    if condition is CaseCondition.DRUG_REHABILITATION_REQUIREMENT:
        return facts.has_drug_rehabilitation
    raise AssertionError(f"unhandled condition {condition}")  # pragma: no cover


def case_conditions(facts: CaseFacts) -> frozenset[CaseCondition]:
    """Every `applies_to` condition the case meets, worked out once per case rather than per rule."""
    return frozenset(condition for condition in CaseCondition if _meets(condition, facts))


def applies(
    applies_to: Sequence[CaseCondition], facts: CaseFacts, met: frozenset[CaseCondition] | None = None
) -> bool:
    """A rule applies to a case that meets any of its conditions."""
    if met is not None:
        return not met.isdisjoint(applies_to)
    return any(_meets(condition, facts) for condition in applies_to)


def contact_level(facts: CaseFacts) -> ContactLevel:
    """The contact level the contact rules check: enhanced for PPO and high RoH cases whatever the
    plan says (report 2.4, spec "contact level": "raised for RoH and PPO"), else the plan's, else
    the standard level."""
    if facts.is_ppo or facts.risk_of_harm_level in HIGH_ROH_LEVELS:
        return ContactLevel.ENHANCED
    if facts.planned_contact_level:
        return ContactLevel(facts.planned_contact_level)
    return ContactLevel.STANDARD


def rule_applies(rule: Rule, facts: CaseFacts, met: frozenset[CaseCondition] | None = None) -> bool:
    """`applies_to` met, no `not_for` met, and the case at one of the rule's contact levels."""
    if not applies(rule.applies_to, facts, met):
        return False
    if rule.not_for and applies(rule.not_for, facts, met):
        return False
    return not rule.contact_levels or contact_level(facts) in rule.contact_levels


def _varies(condition: VariationCondition, facts: CaseFacts) -> bool:
    if condition is VariationCondition.TIER_4:
        return _is_tier_4(facts.tier)
    if condition is VariationCondition.REMANDED_IN_CUSTODY:
        return facts.remanded_in_custody
    if condition is VariationCondition.CUSTODY_UNDER_2_YEARS_TO_RELEASE:
        months = facts.custody_months_to_release
        return months is not None and months < MONTHS_TO_RELEASE_FOR_SHORTER_PLAN
    if condition is VariationCondition.EMERGENCY_RECALL:
        return facts.emergency_recall
    raise AssertionError(f"unhandled variation {condition}")  # pragma: no cover


VARIATION_PHRASES: Mapping[VariationCondition, str] = {
    VariationCondition.TIER_4: "tier 4",
    VariationCondition.REMANDED_IN_CUSTODY: "remanded in custody",
    VariationCondition.CUSTODY_UNDER_2_YEARS_TO_RELEASE: "under 2 years to release",
    VariationCondition.EMERGENCY_RECALL: "emergency recall",
}


def _choose_deadline(
    deadline: Deadline, variations: Sequence[Variation], facts: CaseFacts
) -> tuple[Deadline, VariationCondition | None]:
    for variation in variations:
        if _varies(variation.when, facts):
            return variation.deadline, variation.when
    return deadline, None


def deadline_for(
    rule: Rule, facts: CaseFacts, met: frozenset[CaseCondition] | None = None
) -> tuple[Deadline, VariationCondition | None] | None:
    """The figure this rule sets for this case, and the variation that chose it (None: default).

    None when the rule borrows its deadline ("with the initial sentence plan") from rules none of
    which apply to the case.
    """
    for alternative in rule.deadline_from:
        if applies(alternative.applies_to, facts, met):
            return _choose_deadline(alternative.deadline, alternative.variations, facts)
    if rule.deadline is None:
        return None
    return _choose_deadline(rule.deadline, rule.variations, facts)


def _add(start: dt.date, period: Deadline) -> dt.date:
    unit = period.unit
    if unit is DeadlineUnit.WORKING_DAYS:
        return add_working_days(start, period.amount)
    if unit is DeadlineUnit.WEEKS:
        return add_weeks(start, period.amount)
    if unit is DeadlineUnit.CALENDAR_DAYS:
        return add_calendar_days(start, period.amount)
    if unit is DeadlineUnit.MONTHS:
        return add_months(start, period.amount)
    return start  # same_day, at_trigger


def _subtract(start: dt.date, period: Deadline) -> dt.date:
    return _add(start, Deadline(-period.amount, period.unit))


def describe(rule: Rule, deadline: Deadline, variation: VariationCondition | None) -> str:
    """The action in plain words, naming the figure and its source, as pages and reminders show it."""
    trigger = TRIGGER_PHRASES[rule.trigger]
    figure = deadline.phrase()
    unit = deadline.unit
    if rule.recurring:
        # "at least every week", not "every 1 week"
        every = figure.removeprefix("1 ") if deadline.amount == 1 else figure
        text = f"{rule.name}: at least every {every}"
    elif rule.minimum_count > 1 or rule.counting_starts_after is not None:
        counted = rule.completed_by.value.replace("_", " ") + ("s" if rule.minimum_count > 1 else "")
        if rule.counting_starts_after is not None:
            window = f"from {rule.counting_starts_after.phrase()} to {figure} after {trigger}"
        else:
            window = f"within {figure} of {trigger}"
        text = f"{rule.name}: at least {rule.minimum_count} {counted} {window}"
    elif unit is DeadlineUnit.AT_TRIGGER:
        text = f"{rule.name} at {trigger}"
    elif unit is DeadlineUnit.SAME_DAY:
        text = f"{rule.name} on the day of {trigger}"
    elif unit is DeadlineUnit.BEFORE_RELEASE_DATE:
        text = f"{rule.name} {figure}"
    elif unit is DeadlineUnit.AS_RECORDED:
        text = f"{rule.name} by the date set at {trigger}"
    else:
        text = f"{rule.name} within {figure} of {trigger}"
    if variation is not None:
        text += f", {VARIATION_PHRASES[variation]}"
    return f"{text} ({rule.source})"


# --- evaluation ---------------------------------------------------------------------------------


def _dates_up_to(dates: Iterable[dt.date] | None, as_of: dt.date, *, distinct: bool = True) -> list[dt.date]:
    """Sorted dates on or before `as_of`: what was known on that day. Distinct unless each record
    counts on its own (two documents countersigned the same day are two countersignatures)."""
    if not dates:
        return []
    if not distinct:
        return sorted(day for day in dates if day <= as_of)
    return sorted({day for day in dates if day <= as_of})


def _status(
    facts: CaseFacts,
    rule: Rule,
    description: str,
    trigger_date: dt.date,
    deadline: dt.date,
    completed_on: dt.date | None,
    as_of: dt.date,
) -> ActionStatus:
    if completed_on is not None:
        state = ActionState.MET_ON_TIME if completed_on <= deadline else ActionState.MET_LATE
        return ActionStatus(facts.crn, rule.key, description, trigger_date, deadline, state, 0, completed_on)
    if as_of > deadline:
        late_by = max(1, working_days_between(deadline, as_of))
        return ActionStatus(
            facts.crn, rule.key, description, trigger_date, deadline, ActionState.OVERDUE, late_by
        )
    return ActionStatus(facts.crn, rule.key, description, trigger_date, deadline, ActionState.DUE)


def evaluate(rule: Rule, facts: CaseFacts, as_of: dt.date) -> list[ActionStatus]:
    """Where `rule` stands for `facts` on `as_of`: one status per trigger (per cycle if recurring).

    A disabled rule, or one whose trigger has not happened by `as_of`, gives nothing; a rule that
    does not apply to the case gives one `not_applicable` status.
    """
    return _evaluate(rule, facts, as_of, {}, include_not_applicable=True)


_Descriptions = dict[tuple[str, str, str, Deadline, "VariationCondition | None"], str]


def _evaluate(
    rule: Rule,
    facts: CaseFacts,
    as_of: dt.date,
    descriptions: _Descriptions,
    *,
    include_not_applicable: bool,
    met: frozenset[CaseCondition] | None = None,
) -> list[ActionStatus]:
    if not rule.enabled:
        return []
    if rule.deadline is not None and rule.deadline.unit is DeadlineUnit.AS_RECORDED:
        return _evaluate_as_recorded(rule, facts, as_of, descriptions, include_not_applicable, met)
    raw_triggers = facts.triggers.get(rule.trigger)
    if not raw_triggers and not include_not_applicable:
        return []
    chosen = deadline_for(rule, facts, met) if rule_applies(rule, facts, met) else None
    if chosen is None:
        if not include_not_applicable:
            return []
        return [
            ActionStatus(
                facts.crn, rule.key, f"{rule.name} ({rule.source})", None, None, ActionState.NOT_APPLICABLE
            )
        ]
    # Where each trigger needs its own completion, each record is one: same-day ones are not merged.
    one_each = rule.completion_per_trigger
    triggers = _dates_up_to(raw_triggers, as_of, distinct=not one_each)
    if not triggers:
        return []
    deadline, variation = chosen
    # Many cases share a figure: describe each (rule, figure) once per run, not once per case.
    cache_key = (rule.key, rule.name, rule.source, deadline, variation)
    description = descriptions.get(cache_key)
    if description is None:
        description = descriptions[cache_key] = describe(rule, deadline, variation)
    completions = _dates_up_to(facts.completions.get(rule.completed_by), as_of, distinct=not one_each)

    if rule.recurring:
        return _evaluate_recurring(rule, facts, as_of, deadline, description, triggers, completions)
    if rule.minimum_count > 1 or rule.counting_starts_after is not None:
        return [
            _evaluate_window(rule, facts, as_of, deadline, description, trigger, completions)
            for trigger in triggers
        ]
    if deadline.unit is DeadlineUnit.BEFORE_RELEASE_DATE:
        # Measured to the release date as now known: only the latest notice of it counts.
        if facts.release_date is None:
            return []
        release_deadline = (
            add_working_days(facts.release_date, -deadline.amount) if deadline.amount else facts.release_date
        )
        trigger = triggers[-1]
        position = bisect.bisect_left(completions, trigger)
        done = completions[position] if position < len(completions) else None
        return [_status(facts, rule, description, trigger, release_deadline, done, as_of)]

    results = []
    next_unused = 0
    releases = frozenset(facts.triggers.get(Trigger.RELEASE, ())) if rule.work_before_release_counts else None
    for trigger in triggers:
        if releases and trigger in releases:
            assert rule.work_before_release_counts is not None
            earliest = _subtract(trigger, rule.work_before_release_counts)
            position = bisect.bisect_left(completions, earliest)
        elif rule.completion_per_trigger:
            # Each trigger takes the first completion on or after it not already taken by an earlier
            # one: two missed appointments need two judgements.
            position = bisect.bisect_left(completions, trigger, lo=next_unused)
            if position < len(completions):
                next_unused = position + 1
        else:
            position = bisect.bisect_left(completions, trigger)
        done = completions[position] if position < len(completions) else None
        results.append(_status(facts, rule, description, trigger, _add(trigger, deadline), done, as_of))
    return results


def _evaluate_as_recorded(
    rule: Rule,
    facts: CaseFacts,
    as_of: dt.date,
    descriptions: _Descriptions,
    include_not_applicable: bool,
    met: frozenset[CaseCondition] | None,
) -> list[ActionStatus]:
    """Each thing a meeting set, due on its own recorded date (a MAPPA action, the next review)."""
    rows = facts.recorded_deadlines.get(rule.trigger, ())
    if not rule_applies(rule, facts, met):
        if not include_not_applicable:
            return []
        return [
            ActionStatus(
                facts.crn, rule.key, f"{rule.name} ({rule.source})", None, None, ActionState.NOT_APPLICABLE
            )
        ]
    assert rule.deadline is not None
    cache_key = (rule.key, rule.name, rule.source, rule.deadline, None)
    description = descriptions.get(cache_key)
    if description is None:
        description = descriptions[cache_key] = describe(rule, rule.deadline, None)
    results = []
    for set_on, due_on, done_on in sorted(rows, key=lambda row: (row[0], row[1])):
        if set_on > as_of:
            continue
        done = done_on if done_on is not None and done_on <= as_of else None
        results.append(_status(facts, rule, description, set_on, due_on, done, as_of))
    return results


def _evaluate_window(
    rule: Rule,
    facts: CaseFacts,
    as_of: dt.date,
    deadline: Deadline,
    description: str,
    trigger: dt.date,
    completions: list[dt.date],
) -> ActionStatus:
    """A count within a window ("12 contacts in the first 12 weeks"): met on the count-th one."""
    opens = _add(trigger, rule.counting_starts_after) if rule.counting_starts_after else trigger
    closes = _add(trigger, deadline)
    position = bisect.bisect_left(completions, opens) + rule.minimum_count - 1
    done = None
    if position < len(completions) and completions[position] <= closes:
        done = completions[position]
    return _status(facts, rule, description, trigger, closes, done, as_of)


def _evaluate_recurring(
    rule: Rule,
    facts: CaseFacts,
    as_of: dt.date,
    period: Deadline,
    description: str,
    triggers: list[dt.date],
    completions: list[dt.date],
) -> list[ActionStatus]:
    """Cycles that roll from the last completion ("every 16 weeks from the last plan or review").

    Each trigger (a new plan, a new sentence) starts the clock afresh; a cycle cut short by a new
    trigger is superseded, not reported. Each completion closes the open cycle and starts the next.
    """
    offset = rule.counting_starts_after
    origins = sorted({_add(day, offset) if offset else day for day in triggers})
    origins = [day for day in origins if day <= as_of]
    if not origins:
        return []
    first = origins[0]
    # `recurring_until`: once that record exists the work is no longer asked for, so the cycles
    # stop there and the one open then is not reported (no weekly offer once the hours are done).
    ended = _dates_up_to(facts.completions.get(rule.recurring_until), as_of) if rule.recurring_until else []
    ends = next((day for day in ended if day >= first), None)
    if ends is not None:
        origins = [day for day in origins if day < ends]
        completions = [day for day in completions if day < ends]
    events: dict[dt.date, bool] = dict.fromkeys(origins, False)  # date -> is a completion
    for day in completions[bisect.bisect_right(completions, first) :]:
        events[day] = True
    ordered = sorted(events)
    results = []
    for index, anchor in enumerate(ordered):
        due = _add(anchor, period)
        if index + 1 < len(ordered):
            following = ordered[index + 1]
            if events[following]:
                results.append(_status(facts, rule, description, anchor, due, following, as_of))
            continue
        if ends is None:
            results.append(_status(facts, rule, description, anchor, due, None, as_of))
    return results


def evaluate_all(
    rules: Iterable[Rule],
    facts_iterable: Iterable[CaseFacts],
    as_of: dt.date,
    *,
    include_not_applicable: bool = False,
) -> list[ActionStatus]:
    """Every rule over every case, case by case; `not_applicable` rows left out unless asked for."""
    active = [rule for rule in rules if rule.enabled]
    descriptions: _Descriptions = {}
    results: list[ActionStatus] = []
    for facts in facts_iterable:
        met = case_conditions(facts)
        for rule in active:
            results.extend(
                _evaluate(
                    rule, facts, as_of, descriptions, include_not_applicable=include_not_applicable, met=met
                )
            )
    return results
