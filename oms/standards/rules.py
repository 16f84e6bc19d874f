"""National Standards rules as data: the schema, its closed vocabularies and the loader.

An area changes a figure (its own local standard) by editing a YAML file, never code, so the loader
is the only guard between a typing slip and a wrong deadline on every case: it refuses, naming the
rule key and the field, anything it does not understand rather than guessing. The vocabularies are
closed for the same reason; a trigger or record kind the engine does not know would silently never
fire.

The shipped defaults (`default_rules.yaml`) hold every row of spec/national-standards.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from oms.calculation_errors import CalculatorInputError

DEFAULT_RULES_PATH = Path(__file__).with_name("default_rules.yaml")


class Trigger(StrEnum):
    """What starts a clock. The facts builder records each as the dates on which it happened."""

    SENTENCE_OR_RELEASE = "sentence_or_release"  # start of a community order/SSO, or release on licence
    SENTENCE = "sentence"  # the court's sentence date, any sentence
    RELEASE = "release"  # release from custody on licence
    CUSTODY_SENTENCE = "custody_sentence"  # sentence to custody
    ORDER_MADE = "order_made"  # a community order or SSO made
    FIRST_CONTACT = "first_contact"  # the first contact with the offender manager
    SCREENING_INDICATES_FULL_ANALYSIS = "screening_indicates_full_analysis"
    # The assessment that finds medium or higher RoH; at the start of an order already known to be
    # medium or higher, the facts builder records the order date (spec: "order made, or ...").
    MEDIUM_OR_HIGHER_ROH_FOUND = "medium_or_higher_roh_found"
    SUBMITTED_FOR_COUNTERSIGNING = "submitted_for_countersigning"
    LAST_PLAN_OR_REVIEW = "last_plan_or_review"  # a sentence plan made (reviews arrive as completions)
    LAST_OASYS_ASSESSMENT = "last_oasys_assessment"  # an OASys assessment made
    PPO_REGISTRATION = "ppo_registration"
    TRANSFER_IN_NOTIFIED = "transfer_in_notified"
    TRANSFER_IN = "transfer_in"  # the date the case transferred in
    MISSED_APPOINTMENT = "missed_appointment"
    FIRST_UNACCEPTABLE_FAILURE = "first_unacceptable_failure"  # first in 12 months
    SECOND_UNACCEPTABLE_FAILURE_AFTER_WARNING = "second_unacceptable_failure_after_warning"
    BREACH_FAILURE = "breach_failure"  # the unacceptable failure that led to breach
    RECALL_JUDGED_NEEDED = "recall_judged_needed"
    SDR_REQUESTED = "sdr_requested"  # standard delivery report requested by a court
    FDR_REQUESTED = "fdr_requested"  # fast delivery report requested
    ORAL_REPORT_REQUESTED = "oral_report_requested"
    RELEASE_DATE_KNOWN = "release_date_known"  # the day the (new) release date became known
    LICENCE_CONDITIONS_PROPOSED = "licence_conditions_proposed"
    # A new registration (child protection, domestic abuse, MAPPA), a MAPPA level change, a recall, a
    # new offence or a change of address, after supervision began (report 2.1(a), 2.2(a)).
    SIGNIFICANT_CHANGE = "significant_change"
    # A screening finding MAPPA eligibility, or an analysis finding high RoH, on a case not in MAPPA.
    MAPPA_REFERRAL_INDICATED = "mappa_referral_indicated"
    MAPPA_ACTION_SET = "mappa_action_set"  # a MAPPA meeting set an action, with its own due date
    MAPPA_REVIEW_SET = "mappa_review_set"  # a MAPPA meeting set the date of the next review
    DRR_ORDER_MADE = "drr_order_made"  # a community order with a drug rehabilitation requirement


TRIGGER_PHRASES: Mapping[Trigger, str] = {
    Trigger.SENTENCE_OR_RELEASE: "sentence or release",
    Trigger.SENTENCE: "sentence",
    Trigger.RELEASE: "release",
    Trigger.CUSTODY_SENTENCE: "sentence to custody",
    Trigger.ORDER_MADE: "the order being made",
    Trigger.FIRST_CONTACT: "first contact",
    Trigger.SCREENING_INDICATES_FULL_ANALYSIS: "a screening that indicates a full analysis",
    Trigger.MEDIUM_OR_HIGHER_ROH_FOUND: "medium or higher RoH being found",
    Trigger.SUBMITTED_FOR_COUNTERSIGNING: "submission for countersigning",
    Trigger.LAST_PLAN_OR_REVIEW: "the last plan or review",
    Trigger.LAST_OASYS_ASSESSMENT: "the last OASys assessment",
    Trigger.PPO_REGISTRATION: "PPO registration",
    Trigger.TRANSFER_IN_NOTIFIED: "notification of the transfer",
    Trigger.TRANSFER_IN: "transfer",
    Trigger.MISSED_APPOINTMENT: "the missed appointment",
    Trigger.FIRST_UNACCEPTABLE_FAILURE: "the first unacceptable failure",
    Trigger.SECOND_UNACCEPTABLE_FAILURE_AFTER_WARNING: "the second unacceptable failure after a warning",
    Trigger.BREACH_FAILURE: "the failure that led to breach",
    Trigger.RECALL_JUDGED_NEEDED: "recall being judged needed",
    Trigger.SDR_REQUESTED: "the request",
    Trigger.FDR_REQUESTED: "the request",
    Trigger.ORAL_REPORT_REQUESTED: "the request",
    Trigger.RELEASE_DATE_KNOWN: "the release date being known",
    Trigger.LICENCE_CONDITIONS_PROPOSED: "licence conditions being proposed",
    Trigger.MAPPA_REFERRAL_INDICATED: "an assessment finding MAPPA eligibility or high RoH outside MAPPA",
    Trigger.MAPPA_ACTION_SET: "the MAPPA meeting",
    Trigger.MAPPA_REVIEW_SET: "the MAPPA meeting",
    Trigger.DRR_ORDER_MADE: "the order with a drug rehabilitation requirement",
    Trigger.SIGNIFICANT_CHANGE: "a significant change (registration, MAPPA level, recall, new offence, address)",
}


class DeadlineUnit(StrEnum):
    WORKING_DAYS = "working_days"  # England and Wales working days, day 0 the trigger
    CALENDAR_DAYS = "calendar_days"
    WEEKS = "weeks"
    MONTHS = "months"  # calendar months ("within 12 months" for unpaid work)
    SAME_DAY = "same_day"  # the trigger date itself (oral report)
    AT_TRIGGER = "at_trigger"  # done at the trigger event (induction at first contact)
    # `amount` working days before the case's release date (1: the last working day before it);
    # "before release" rows are triggered when the date becomes known but measured to the release.
    BEFORE_RELEASE_DATE = "before_release_date"
    # The due date recorded with each trigger (a MAPPA action's, the next MAPPA review's): the
    # figure is the meeting's own, so the rule has none.
    AS_RECORDED = "as_recorded"


# Units whose deadline is the trigger date, so a figure would mean nothing.
UNITS_WITHOUT_FIGURE = frozenset({DeadlineUnit.SAME_DAY, DeadlineUnit.AT_TRIGGER, DeadlineUnit.AS_RECORDED})
# A recurring rule rolls forward from each completion by a positive period.
RECURRING_UNITS = frozenset(
    {DeadlineUnit.WORKING_DAYS, DeadlineUnit.CALENDAR_DAYS, DeadlineUnit.WEEKS, DeadlineUnit.MONTHS}
)


class CaseCondition(StrEnum):
    """`applies_to`: a rule applies to a case meeting any of its conditions."""

    ALL = "all"
    COMMUNITY = "community"  # a current community order or suspended sentence order
    LICENCE = "licence"
    CUSTODY = "custody"
    CUSTODY_12_MONTHS_OR_MORE = "custody_12_months_or_more"
    PPO = "ppo"
    HIGH_ROH = "high_roh"  # high or very high
    MEDIUM_OR_HIGHER_ROH = "medium_or_higher_roh"
    UNPAID_WORK_REQUIREMENT = "unpaid_work_requirement"
    TRANSFERS_IN = "transfers_in"
    STATUTORY_VICTIM_CONTACT = "statutory_victim_contact"
    COUNTERSIGNING_REQUIRED = "countersigning_required"
    DRUG_REHABILITATION_REQUIREMENT = "drug_rehabilitation_requirement"


class ContactLevel(StrEnum):
    """The sentence plan's contact level (spec "contact level": the default, raised for RoH and
    PPO as the plan says). A contact rule with `contact_levels` applies only at those levels."""

    STANDARD = "standard"  # 12 in the first 12 weeks, 6 in the next 12, then monthly
    ENHANCED = "enhanced"  # weekly throughout (PPO, high RoH)
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"


class VariationCondition(StrEnum):
    """When a rule's figure changes for a case (spec: "tier 4: 1 WD", "when remanded in custody")."""

    TIER_4 = "tier_4"
    REMANDED_IN_CUSTODY = "remanded_in_custody"
    CUSTODY_UNDER_2_YEARS_TO_RELEASE = "custody_under_2_years_to_release"
    EMERGENCY_RECALL = "emergency_recall"


class RecordKind(StrEnum):
    """`completed_by`: the kind of record whose date completes a rule."""

    ALLOCATION = "allocation"
    OFFENDER_SUPERVISOR_ALLOCATION = "offender_supervisor_allocation"
    FIRST_CONTACT = "first_contact"
    INDUCTION = "induction"
    ROH_SCREENING = "roh_screening"
    FULL_ROH_ANALYSIS = "full_roh_analysis"
    RISK_MANAGEMENT_PLAN = "risk_management_plan"
    OASYS_ASSESSMENT = "oasys_assessment"  # OASys with its likelihood of reoffending (OGRS3)
    INITIAL_SENTENCE_PLAN = "initial_sentence_plan"
    SENTENCE_PLAN_REVIEW = "sentence_plan_review"
    ROH_REVIEW = "roh_review"
    COUNTERSIGNATURE = "countersignature"
    HOME_VISIT = "home_visit"
    SKILLS_FOR_LIFE_SCREENING = "skills_for_life_screening"
    CONTACT = "contact"  # a contact that counts towards the contact level
    UNPAID_WORK_OFFERED = "unpaid_work_offered"  # a week in which the weekly hours were offered
    UNPAID_WORK_COMPLETED = "unpaid_work_completed"
    PRE_RELEASE_CONTACT = "pre_release_contact"
    TRANSFER_IN_APPOINTMENT = "transfer_in_appointment"
    COMPLETE_OASYS_RECEIVED = "complete_oasys_received"
    ABSENCE_JUDGED = "absence_judged"
    WARNING = "warning"
    BREACH_LAID = "breach_laid"
    BREACH_RESOLVED = "breach_resolved"
    RECALL_REQUESTED = "recall_requested"
    VICTIM_CONTACT_OFFER = "victim_contact_offer"
    VICTIM_WRITTEN_OFFER = "victim_written_offer"
    VICTIM_TOLD_OF_RELEASE = "victim_told_of_release"
    VICTIM_ASKED_ABOUT_LICENCE_CONDITIONS = "victim_asked_about_licence_conditions"
    SDR_DELIVERED = "sdr_delivered"
    FDR_DELIVERED = "fdr_delivered"
    ORAL_REPORT_DELIVERED = "oral_report_delivered"
    MAPPA_REFERRAL_DECIDED = "mappa_referral_decided"  # a recorded decision, or a MAPPA registration
    MAPPA_ACTION_DONE = "mappa_action_done"
    MAPPA_REVIEW_HELD = "mappa_review_held"  # the next MAPPA meeting held
    DRR_REVIEW = "drr_review"  # a court review hearing of a drug rehabilitation requirement


@dataclass(frozen=True)
class Deadline:
    """A figure and its unit, e.g. 5 working days."""

    amount: int
    unit: DeadlineUnit

    def phrase(self) -> str:
        """The figure in words, as staff read it: "5 working days", "16 weeks"."""
        if self.unit is DeadlineUnit.AS_RECORDED:
            return "by the date set"
        if self.unit in UNITS_WITHOUT_FIGURE:
            return "same day" if self.unit is DeadlineUnit.SAME_DAY else "at the trigger"
        if self.unit is DeadlineUnit.BEFORE_RELEASE_DATE:
            if self.amount == 0:
                return "by the release date"
            if self.amount == 1:
                return "before the release date"
            return f"{self.amount} working days before the release date"
        words = {
            DeadlineUnit.WORKING_DAYS: ("working day", "working days"),
            DeadlineUnit.CALENDAR_DAYS: ("day", "days"),
            DeadlineUnit.WEEKS: ("week", "weeks"),
            DeadlineUnit.MONTHS: ("month", "months"),
        }[self.unit]
        return f"{self.amount} {words[0] if self.amount == 1 else words[1]}"


@dataclass(frozen=True)
class Variation:
    """A different figure for cases meeting `when`; the first matching variation wins."""

    when: VariationCondition
    deadline: Deadline


@dataclass(frozen=True)
class DeadlineAlternative:
    """A deadline borrowed from another rule ("with the initial sentence plan").

    Resolved at load time so an area changing the plan's figure moves the borrowed one with it.
    """

    rule_key: str
    applies_to: tuple[CaseCondition, ...]
    deadline: Deadline
    variations: tuple[Variation, ...]


@dataclass(frozen=True)
class Rule:
    """One National Standards timescale."""

    key: str
    spec_row: str  # the rule's words in spec/national-standards.md, to trace it back
    name: str
    trigger: Trigger
    deadline: Deadline | None  # None only when `deadline_from` gives it
    applies_to: tuple[CaseCondition, ...]
    completed_by: RecordKind
    source: str
    # Not for cases meeting any of these, though they meet `applies_to` (another rule covers them).
    not_for: tuple[CaseCondition, ...] = ()
    # Only at these contact levels (empty: at every level).
    contact_levels: tuple[ContactLevel, ...] = ()
    variations: tuple[Variation, ...] = ()
    recurring: bool = False  # the clock restarts at each completion (16-week reviews)
    # A recurring rule stops once this record exists (work offered weekly until the hours are done).
    recurring_until: RecordKind | None = None
    minimum_count: int = 1  # completions needed within the window (contact levels)
    counting_starts_after: Deadline | None = None  # window opens this long after the trigger
    completion_per_trigger: bool = False  # each trigger needs its own completion (absences)
    # Work done this long before a release (in custody, ready for it) meets a rule triggered by that
    # release; before any other trigger, earlier work never counts.
    work_before_release_counts: Deadline | None = None
    deadline_from: tuple[DeadlineAlternative, ...] = ()
    target_percent: int | None = None  # the national target for the measure, where one is set
    enabled: bool = True
    notes: str = ""


# --- loading -----------------------------------------------------------------------------------

_REQUIRED_FIELDS = ("key", "spec_row", "name", "trigger", "applies_to", "completed_by", "source")
_OPTIONAL_FIELDS = (
    "deadline",
    "variations",
    "recurring",
    "recurring_until",
    "minimum_count",
    "counting_starts_after",
    "completion_per_trigger",
    "work_before_release_counts",
    "not_for",
    "contact_levels",
    "deadline_from",
    "target_percent",
    "enabled",
    "notes",
)
_ALLOWED_FIELDS = frozenset(_REQUIRED_FIELDS + _OPTIONAL_FIELDS)
_DEADLINE_FIELDS = frozenset({"amount", "unit"})
_VARIATION_FIELDS = frozenset({"when", "amount", "unit"})
MAX_TARGET_PERCENT = 100
_SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


class _Problems:
    """Every fault in a rules file, collected so one refusal names them all."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.fields: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.messages.append(f"{where}: {message}")
        self.fields.append(where)

    def raise_if_any(self) -> None:
        if self.messages:
            raise CalculatorInputError("INVALID_RULES", "; ".join(self.messages), self.fields)


def _enum_value(enum: type[StrEnum], value: Any, where: str, problems: _Problems) -> Any:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        problems.add(where, f"unknown value {value!r} (allowed: {allowed})")
        return None


def _whole_number(value: Any, where: str, problems: _Problems, minimum: int = 0) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(where, f"must be a whole number, not {value!r}")
        return None
    if value < minimum:
        problems.add(where, f"must be {minimum} or more, not {value}")
        return None
    return value


def _boolean(value: Any, where: str, problems: _Problems) -> bool:
    if not isinstance(value, bool):
        problems.add(where, f"must be true or false, not {value!r}")
        return False
    return value


def _text(value: Any, where: str, problems: _Problems) -> str:
    if not isinstance(value, str) or not value.strip():
        problems.add(where, "must be non-empty text")
        return ""
    return value.strip()


def _deadline(raw: Any, where: str, problems: _Problems, allowed_fields: frozenset[str]) -> Deadline | None:
    if not isinstance(raw, Mapping):
        problems.add(where, "must be a mapping with amount and unit")
        return None
    for name in sorted(set(raw) - allowed_fields, key=str):
        problems.add(f"{where}.{name}", "unknown field")
    if "unit" not in raw:
        problems.add(f"{where}.unit", "missing")
        return None
    unit = _enum_value(DeadlineUnit, raw["unit"], f"{where}.unit", problems)
    if unit is None:
        return None
    if unit in UNITS_WITHOUT_FIGURE:
        amount = raw.get("amount", 0)
        if amount != 0 or isinstance(amount, bool):
            problems.add(f"{where}.amount", f"{unit.value} takes no figure (0 or none)")
            return None
        return Deadline(0, unit)
    if "amount" not in raw:
        problems.add(f"{where}.amount", "missing")
        return None
    amount = _whole_number(raw["amount"], f"{where}.amount", problems)
    return None if amount is None else Deadline(amount, unit)


def _conditions(raw: Any, where: str, problems: _Problems) -> tuple[CaseCondition, ...]:
    values = raw if isinstance(raw, list) else [raw]
    if not values:
        problems.add(where, "must name at least one condition")
    found = [_enum_value(CaseCondition, value, where, problems) for value in values]
    return tuple(condition for condition in found if condition is not None)


def _rule_without_references(raw: Any, position: int, problems: _Problems) -> tuple[Rule | None, Any]:
    """A rule from its mapping, with `deadline_from` still as raw keys (resolved once all are read)."""
    if not isinstance(raw, Mapping):
        problems.add(f"rules[{position}]", "must be a mapping")
        return None, None
    key = raw.get("key")
    label = key if isinstance(key, str) and key else f"rules[{position}]"
    before = len(problems.messages)
    for name in sorted(set(raw) - _ALLOWED_FIELDS, key=str):
        problems.add(f"{label}.{name}", "unknown field")
    for name in _REQUIRED_FIELDS:
        if name not in raw:
            problems.add(f"{label}.{name}", "missing")
    if len(problems.messages) > before:
        return None, None

    key_text = _text(raw["key"], f"{label}.key", problems)
    if key_text and not _SNAKE_CASE.fullmatch(key_text):
        problems.add(f"{label}.key", "must be snake_case")
    trigger = _enum_value(Trigger, raw["trigger"], f"{label}.trigger", problems)
    completed_by = _enum_value(RecordKind, raw["completed_by"], f"{label}.completed_by", problems)
    applies_to = _conditions(raw["applies_to"], f"{label}.applies_to", problems)

    deadline = None
    if "deadline" in raw:
        deadline = _deadline(raw["deadline"], f"{label}.deadline", problems, _DEADLINE_FIELDS)
    elif "deadline_from" not in raw:
        problems.add(f"{label}.deadline", "missing (give a deadline or deadline_from)")

    variations: list[Variation] = []
    # Every variation's figure, even one whose `when` is unknown, so a recurring rule's check names
    # a bad figure in the same refusal rather than after the `when` is put right.
    varied_figures: list[tuple[str, Deadline]] = []
    raw_variations = raw.get("variations", [])
    if not isinstance(raw_variations, list):
        problems.add(f"{label}.variations", "must be a list")
        raw_variations = []
    for index, raw_variation in enumerate(raw_variations):
        where = f"{label}.variations[{index}]"
        if not isinstance(raw_variation, Mapping):
            problems.add(where, "must be a mapping with when, amount and unit")
            continue
        when = _enum_value(VariationCondition, raw_variation.get("when"), f"{where}.when", problems)
        varied = _deadline(raw_variation, where, problems, _VARIATION_FIELDS)
        if varied is not None:
            varied_figures.append((where, varied))
        if when is not None and varied is not None:
            variations.append(Variation(when, varied))

    recurring = _boolean(raw.get("recurring", False), f"{label}.recurring", problems)
    recurring_until = None
    if "recurring_until" in raw:
        recurring_until = _enum_value(
            RecordKind, raw["recurring_until"], f"{label}.recurring_until", problems
        )
        if not recurring:
            problems.add(f"{label}.recurring_until", "only on a recurring rule")
    minimum_count = _whole_number(raw.get("minimum_count", 1), f"{label}.minimum_count", problems, 1)
    counting_starts_after = None
    if "counting_starts_after" in raw:
        counting_starts_after = _deadline(
            raw["counting_starts_after"], f"{label}.counting_starts_after", problems, _DEADLINE_FIELDS
        )
    completion_per_trigger = _boolean(
        raw.get("completion_per_trigger", False), f"{label}.completion_per_trigger", problems
    )
    work_before_release_counts = None
    if "work_before_release_counts" in raw:
        where = f"{label}.work_before_release_counts"
        work_before_release_counts = _deadline(
            raw["work_before_release_counts"], where, problems, _DEADLINE_FIELDS
        )
        if work_before_release_counts is not None and (
            work_before_release_counts.unit not in RECURRING_UNITS or recurring
        ):
            problems.add(where, "must be a period (days, weeks or months) on a rule that does not recur")
    target_percent = None
    if raw.get("target_percent") is not None:
        target_percent = _whole_number(raw["target_percent"], f"{label}.target_percent", problems)
        if target_percent is not None and target_percent > MAX_TARGET_PERCENT:
            problems.add(f"{label}.target_percent", "must be 100 or less")
    enabled = _boolean(raw.get("enabled", True), f"{label}.enabled", problems)
    not_for = _conditions(raw["not_for"], f"{label}.not_for", problems) if "not_for" in raw else ()
    contact_levels: tuple[ContactLevel, ...] = ()
    if "contact_levels" in raw:
        raw_levels = (
            raw["contact_levels"] if isinstance(raw["contact_levels"], list) else [raw["contact_levels"]]
        )
        if not raw_levels:
            problems.add(f"{label}.contact_levels", "must name at least one contact level")
        found_levels = [
            _enum_value(ContactLevel, value, f"{label}.contact_levels", problems) for value in raw_levels
        ]
        contact_levels = tuple(level for level in found_levels if level is not None)
    notes = raw.get("notes", "")
    if not isinstance(notes, str):
        problems.add(f"{label}.notes", "must be text")
        notes = ""

    if recurring:
        for where, figure in [(f"{label}.deadline", deadline), *varied_figures]:
            if figure is not None and (figure.unit not in RECURRING_UNITS or figure.amount < 1):
                problems.add(where, "a recurring rule needs a period of at least 1 day, week or month")
        if completion_per_trigger:
            problems.add(f"{label}.completion_per_trigger", "cannot be set on a recurring rule")
        if minimum_count not in (None, 1):
            problems.add(f"{label}.minimum_count", "a recurring rule counts one completion a cycle")
    if counting_starts_after is not None and counting_starts_after.unit not in RECURRING_UNITS:
        problems.add(f"{label}.counting_starts_after.unit", "must be a period (days, weeks or months)")

    if len(problems.messages) > before or trigger is None or completed_by is None:
        return None, None
    assert minimum_count is not None
    rule = Rule(
        key=key_text,
        spec_row=_text(raw["spec_row"], f"{label}.spec_row", problems),
        name=_text(raw["name"], f"{label}.name", problems),
        trigger=trigger,
        deadline=deadline,
        applies_to=applies_to,
        completed_by=completed_by,
        source=_text(raw["source"], f"{label}.source", problems),
        not_for=not_for,
        contact_levels=contact_levels,
        variations=tuple(variations),
        recurring=recurring,
        recurring_until=recurring_until,
        minimum_count=minimum_count,
        counting_starts_after=counting_starts_after,
        completion_per_trigger=completion_per_trigger,
        work_before_release_counts=work_before_release_counts,
        target_percent=target_percent,
        enabled=enabled,
        notes=notes.strip(),
    )
    return rule, raw.get("deadline_from")


def _parse(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise CalculatorInputError(
            "INVALID_RULES", f"the rules file is not valid YAML: {error}", []
        ) from error


def load_rules(source: str | Path) -> tuple[Rule, ...]:
    """Rules from a YAML file path or YAML text, refused whole if any rule is wrong.

    A `Path`, or a string naming an existing file ending .yaml/.yml, is read; any other string is
    taken as the YAML itself.
    """
    if isinstance(source, Path) or (
        isinstance(source, str) and "\n" not in source and source.endswith((".yaml", ".yml"))
    ):
        text = Path(source).read_text(encoding="utf-8")
    else:
        text = source
    document = _parse(text)
    problems = _Problems()
    if not isinstance(document, Mapping) or "rules" not in document:
        raise CalculatorInputError("INVALID_RULES", "the rules file must be a mapping with a rules list", [])
    for name in sorted(set(document) - {"rules"}, key=str):
        problems.add(str(name), "unknown field")
    raw_rules = document["rules"]
    if not isinstance(raw_rules, list):
        problems.add("rules", "must be a list")
        problems.raise_if_any()

    parsed: list[tuple[Rule, Any]] = []
    seen: set[str] = set()
    for position, raw in enumerate(raw_rules):
        rule, references = _rule_without_references(raw, position, problems)
        if rule is None:
            continue
        if rule.key in seen:
            problems.add(f"{rule.key}.key", "duplicate key")
            continue
        seen.add(rule.key)
        parsed.append((rule, references))

    by_key = {rule.key: rule for rule, _ in parsed}
    rules: list[Rule] = []
    for rule, references in parsed:
        if references is None:
            rules.append(rule)
            continue
        alternatives = _resolve_references(rule, references, by_key, problems)
        rules.append(replace(rule, deadline_from=alternatives))
    problems.raise_if_any()
    return tuple(rules)


def _resolve_references(
    rule: Rule, references: Any, by_key: Mapping[str, Rule], problems: _Problems
) -> tuple[DeadlineAlternative, ...]:
    where = f"{rule.key}.deadline_from"
    if not isinstance(references, list) or not references:
        problems.add(where, "must be a list of rule keys")
        return ()
    alternatives = []
    for reference in references:
        target = by_key.get(reference) if isinstance(reference, str) else None
        if target is None:
            problems.add(where, f"no rule with key {reference!r}")
        elif target.deadline is None or target.recurring:
            problems.add(where, f"{reference!r} has no fixed deadline of its own to borrow")
        else:
            alternatives.append(
                DeadlineAlternative(target.key, target.applies_to, target.deadline, target.variations)
            )
    return tuple(alternatives)


@lru_cache(maxsize=1)
def default_rules() -> tuple[Rule, ...]:
    """The shipped National Standards defaults, loaded once per process."""
    return load_rules(DEFAULT_RULES_PATH)
