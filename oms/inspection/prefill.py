"""Pre-filled answers: the questions the case records can decide, with the evidence used.

The framework YAML names a rule code on each question its records can answer (``prefill:
rmp_within_5_wd``). This module maps codes to rules. A rule takes the whole sample at once (a fixed
number of queries, however many cases) and returns ``{crn: (answer, evidence)}`` for the cases it can
decide; a case it cannot decide is simply left out, so the assessor answers it. Judgement questions
have no code and are never pre-filled.

Every timescale question is answered from the National Standards actions engine (see
prefill_timescales.py for which rules answer which code, and why): one evaluation of the whole sample,
cached on the context, shared by every timescale code. Three codes keep their own rules here, because
they decide more than the engine does: allocation (an allocation held from before the sentence counts,
and a case with nothing started is "not relevant"), transfer in ("not relevant" without a transfer, and
"no" when the OASys did not come) and induction (the question asks whether an induction was *offered*,
while the engine's first-contact rule counts only appointments kept).

Other apps add rules for their own records with ``register_prefill`` in their ``ready()``. The rules
below that depend on records other apps build look the model up first: a missing model or field means
"no pre-fill", never an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone

from oms.cases.constants import EventKind, TransferDirection
from oms.cases.models import Allocation, Event, Offender, Transfer
from oms.inspection.framework import ANSWER_NO, ANSWER_NOT_RELEVANT, ANSWER_YES, Framework
from oms.inspection.prefill_timescales import TIMESCALE_QUESTIONS, TimescaleQuestion, decide
from oms.standards.engine import ActionStatus
from oms.timescales.calendar import add_working_days

Decision = tuple[str, str]
PrefillRule = Callable[["PrefillContext"], Mapping[str, Decision]]

# spec/national-standards.md "allocate offender manager": 3 WD from sentence or release (tier 4: 1 WD).
ALLOCATION_WORKING_DAYS = 3
ALLOCATION_WORKING_DAYS_TIER_4 = 1
TIER_4_CODES = frozenset({"4", "A3", "A2", "A1", "A0"})
# framework 2.1.k: first appointment after transfer within five working days.
TRANSFER_FIRST_APPOINTMENT_WORKING_DAYS = 5
# framework 2.4.a / spec national standards: induction (first appointment) within 5 working days.
INDUCTION_WORKING_DAYS = 5

SUPERVISED_KINDS = (EventKind.COMMUNITY_ORDER, EventKind.SUSPENDED_SENTENCE_ORDER, EventKind.LICENCE)


@dataclass(frozen=True)
class SupervisionStart:
    """The start the framework's timescales run from: sentence (community) or release (licence)."""

    date: date
    kind: str
    what: str


class PrefillContext:
    """The sample, loaded once, shared by every rule (so each rule adds at most a query or two)."""

    def __init__(self, offenders: Sequence[Offender], as_of: date) -> None:
        self.offenders = list(offenders)
        self.as_of = as_of
        self.by_pk = {o.pk: o for o in self.offenders}
        self._starts: dict[int, SupervisionStart] | None = None
        self._standards: dict[int, dict[str, list[ActionStatus]]] | None = None

    @property
    def pks(self) -> list[int]:
        return list(self.by_pk)

    @property
    def starts(self) -> dict[int, SupervisionStart]:
        """Each case's latest supervised event (community order, SSO or licence) on or before as_of."""
        if self._starts is None:
            starts: dict[int, SupervisionStart] = {}
            events = Event.objects.filter(offender_id__in=self.pks, kind__in=SUPERVISED_KINDS).order_by(
                "offender_id", "sentence_date", "number"
            )
            for event in events:
                start = event.start_date
                if start > self.as_of:
                    continue
                what = "Released on licence" if event.kind == EventKind.LICENCE else "Sentenced"
                starts[event.offender_id] = SupervisionStart(start, event.kind, what)
            self._starts = starts
        return self._starts

    @property
    def standards(self) -> dict[int, dict[str, list[ActionStatus]]]:
        """Every National Standards status of the sample as of the date, by case and rule key.

        One run of the actions engine for the whole sample (a fixed number of queries), shared by every
        timescale code, so pre-filling ten questions costs no more than one.
        """
        if self._standards is None:
            from oms.standards.queries import actions

            found: dict[int, dict[str, list[ActionStatus]]] = {}
            cases = Offender.objects.filter(pk__in=self.pks)
            for action in actions(cases, self.as_of, open_only=False):
                by_rule = found.setdefault(action.offender.pk, {})
                by_rule.setdefault(action.status.rule_key, []).append(action.status)
            self._standards = found
        return self._standards


_RULES: dict[str, PrefillRule] = {}


def register_prefill(code: str, rule: PrefillRule) -> None:
    """Add or replace the rule for a framework prefill code (apps call this in ready())."""
    _RULES[code] = rule


def registered_codes() -> list[str]:
    return sorted(_RULES)


def live_codes() -> list[str]:
    """Codes whose rule can run with the records installed now (the others answer nothing yet)."""
    return sorted(code for code, rule in _RULES.items() if getattr(rule, "is_live", lambda: True)())


def compute_prefill(
    framework: Framework,
    offenders: Sequence[Offender],
    as_of: date,
    question_ids: Iterable[str] | None = None,
) -> dict[tuple[str, str], Decision]:
    """Every pre-filled answer for the sample: ``{(crn, question_id): (answer, evidence)}``.

    Each rule code runs once for the whole sample, whichever questions share it.
    """
    wanted = set(question_ids) if question_ids is not None else None
    questions_by_code: dict[str, list[str]] = {}
    for question in framework.questions_by_id.values():
        if question.prefill and (wanted is None or question.id in wanted):
            questions_by_code.setdefault(question.prefill, []).append(question.id)
    context = PrefillContext(offenders, as_of)
    decided: dict[tuple[str, str], Decision] = {}
    for code, question_ids_for_code in questions_by_code.items():
        rule = _RULES.get(code)
        if rule is None or not offenders:
            continue
        for crn, decision in rule(context).items():
            for question_id in question_ids_for_code:
                decided[(crn, question_id)] = decision
    return decided


def _day(value: date) -> str:
    return f"{value:%-d %B %Y}"


# ------------------------------------------------------------------ rules on the foundation's records


def allocated_within_timescale(context: PrefillContext) -> dict[str, Decision]:
    """1.5.a: an offender manager allocated within 3 working days of sentence or release (tier 4: 1)."""
    allocations: dict[int, list[Allocation]] = {}
    for allocation in (
        Allocation.objects.filter(offender_id__in=context.pks)
        .select_related("offender_manager")
        .order_by("start_date", "id")
    ):
        allocations.setdefault(allocation.offender_id, []).append(allocation)
    decided: dict[str, Decision] = {}
    for pk, offender in context.by_pk.items():
        start = context.starts.get(pk)
        if start is None:
            decided[offender.crn] = (ANSWER_NOT_RELEVANT, "No community order or licence has started.")
            continue
        days = ALLOCATION_WORKING_DAYS_TIER_4 if offender.tier in TIER_4_CODES else ALLOCATION_WORKING_DAYS
        deadline = add_working_days(start.date, days)
        held = [a for a in allocations.get(pk, []) if a.end_date is None or a.end_date >= start.date]
        first = held[0] if held else None
        timescale = f"{start.what} {_day(start.date)}; deadline {_day(deadline)} ({days} working days)"
        if first is None:
            if context.as_of > deadline:
                decided[offender.crn] = (ANSWER_NO, f"{timescale}; no allocation recorded.")
            continue
        allocated_on = max(first.start_date, start.date)
        evidence = f"{timescale}; allocated to {first.offender_manager.full_name} on {_day(allocated_on)}."
        decided[offender.crn] = (ANSWER_YES if allocated_on <= deadline else ANSWER_NO, evidence)
    return decided


def ethnicity_recorded(context: PrefillContext) -> dict[str, Decision]:
    """1.4.c: the ethnic monitoring classification is on the record ("not stated" is an answer)."""
    decided: dict[str, Decision] = {}
    for offender in Offender.objects.filter(pk__in=context.pks).select_related("ethnicity"):
        if offender.ethnicity is None:
            decided[offender.crn] = (ANSWER_NO, "No ethnicity code recorded on the case.")
        else:
            decided[offender.crn] = (
                ANSWER_YES,
                f"Ethnicity recorded: {offender.ethnicity.code} {offender.ethnicity.name}.",
            )
    return decided


def transfer_first_appointment(context: PrefillContext) -> dict[str, Decision]:
    """2.1.k: a case transferred in needs a complete OASys and a first appointment within 5 WD.

    The transfer record decides "not relevant" (no transfer in) and "no" (OASys not received); the
    first appointment needs the supervision app's contacts, and is left to the assessor without them.
    """
    transfers: dict[int, Transfer] = {}
    for transfer in Transfer.objects.filter(
        offender_id__in=context.pks, direction=TransferDirection.IN
    ).order_by("transfer_date", "id"):
        transfers[transfer.offender_id] = transfer
    first_contacts = _first_dated_records(
        context, "supervision", ("Contact", "Appointment"), ("contact_date", "date", "starts_at")
    )
    decided: dict[str, Decision] = {}
    for pk, offender in context.by_pk.items():
        transfer_in = transfers.get(pk)
        if transfer_in is None:
            decided[offender.crn] = (ANSWER_NOT_RELEVANT, "No transfer in is recorded.")
            continue
        received = f"Transferred in from {transfer_in.other_area} on {_day(transfer_in.transfer_date)}"
        if not transfer_in.complete_oasys_received:
            decided[offender.crn] = (ANSWER_NO, f"{received}; a complete OASys was not received.")
            continue
        if first_contacts is None:
            continue
        deadline = add_working_days(transfer_in.transfer_date, TRANSFER_FIRST_APPOINTMENT_WORKING_DAYS)
        seen = [d for d in first_contacts.get(pk, []) if d >= transfer_in.transfer_date]
        if seen:
            answer = ANSWER_YES if seen[0] <= deadline else ANSWER_NO
            decided[offender.crn] = (
                answer,
                f"{received} with a complete OASys; first appointment {_day(seen[0])} (deadline {_day(deadline)}).",
            )
        elif context.as_of > deadline:
            decided[offender.crn] = (ANSWER_NO, f"{received}; no appointment by {_day(deadline)}.")
    return decided


# ------------------------------------------------------------------ rules on records other apps are building


def _model_with_date(
    app_label: str, model_names: Sequence[str], date_fields: Sequence[str]
) -> tuple[type[models.Model], str] | None:
    """The first of the named models that exists with one of the named date fields and an offender
    foreign key; None while the app has not built it, so a rule answers nothing rather than failing."""
    if not apps.is_installed(f"oms.{app_label}"):
        return None
    for model_name in model_names:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        try:
            model._meta.get_field("offender")
        except FieldDoesNotExist:
            continue
        for date_field in date_fields:
            try:
                model._meta.get_field(date_field)
            except FieldDoesNotExist:
                continue
            return model, date_field
    return None


def _first_dated_records(
    context: PrefillContext, app_label: str, model_names: Sequence[str], date_fields: Sequence[str]
) -> dict[int, list[date]] | None:
    """All dates of a record kind per case, in one query; None when the records do not exist yet."""
    found = _model_with_date(app_label, model_names, date_fields)
    if found is None:
        return None
    model, date_field = found
    dates: dict[int, list[date]] = {}
    for offender_id, value in (
        model._default_manager.filter(offender_id__in=context.pks)
        .order_by(date_field)
        .values_list("offender_id", date_field)
    ):
        if value is None:
            continue
        if isinstance(value, datetime):
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        if value > context.as_of:
            continue
        dates.setdefault(offender_id, []).append(value)
    return dates


def _timescale_rule(
    app_label: str, model_names: Sequence[str], date_fields: Sequence[str], working_days: int, what: str
) -> PrefillRule:
    """A rule "the first X on or after the start of supervision within N working days"."""

    def rule(context: PrefillContext) -> dict[str, Decision]:
        dates = _first_dated_records(context, app_label, model_names, date_fields)
        if dates is None:
            return {}
        decided: dict[str, Decision] = {}
        for pk, offender in context.by_pk.items():
            start = context.starts.get(pk)
            if start is None:
                continue
            deadline = add_working_days(start.date, working_days)
            after = [d for d in dates.get(pk, []) if d >= start.date]
            timescale = (
                f"{start.what} {_day(start.date)}; deadline {_day(deadline)} ({working_days} working days)"
            )
            if after:
                answer = ANSWER_YES if after[0] <= deadline else ANSWER_NO
                decided[offender.crn] = (answer, f"{timescale}; {what} on {_day(after[0])}.")
            elif context.as_of > deadline:
                decided[offender.crn] = (ANSWER_NO, f"{timescale}; no {what} recorded.")
        return decided

    def is_live() -> bool:
        return _model_with_date(app_label, model_names, date_fields) is not None

    rule.is_live = is_live  # type: ignore[attr-defined]
    return rule


# ------------------------------------------------------------------ rules from the actions engine


def _standards_rule(question: TimescaleQuestion) -> PrefillRule:
    """The rule for one timescale code: each sampled case's statuses under the code's rules, decided
    by prefill_timescales.decide; a case no mapped rule has judged is left to the assessor."""

    def rule(context: PrefillContext) -> dict[str, Decision]:
        decided: dict[str, Decision] = {}
        for pk, offender in context.by_pk.items():
            by_rule = context.standards.get(pk, {})
            statuses = {key: by_rule[key] for key in question.rule_keys if key in by_rule}
            decision = decide(statuses, context.as_of) if statuses else None
            if decision is not None:
                decided[offender.crn] = decision
        return decided

    def is_live() -> bool:
        """Live when OMS holds the completing record of at least one of the code's rules."""
        from oms.standards.queries import judged_rules
        from oms.standards.rules import default_rules

        judged = {rule.key for rule in judged_rules(default_rules())}
        return not judged.isdisjoint(question.rule_keys)

    rule.__doc__ = question.why
    rule.is_live = is_live  # type: ignore[attr-defined]
    return rule


register_prefill("allocated_within_timescale", allocated_within_timescale)
register_prefill("ethnicity_recorded", ethnicity_recorded)
register_prefill("transfer_first_appointment_5_wd", transfer_first_appointment)
register_prefill(
    "induction_on_time",
    _timescale_rule(
        "supervision",
        ("Contact", "Appointment"),
        ("contact_date", "date", "starts_at"),
        INDUCTION_WORKING_DAYS,
        "first appointment",
    ),
)
for _question in TIMESCALE_QUESTIONS:
    register_prefill(_question.code, _standards_rule(_question))
