"""Builds the engine's `CaseFacts` for many cases at once, from every registered fact source.

The cases app's own records (events, allocations, registrations, transfers) are read here; other
apps register their sources (oms.standards.sources) for assessments, plans, contacts, enforcement,
victims and court reports.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from oms.cases.constants import COMMUNITY_EVENT_KINDS, RegistrationKind, TransferDirection
from oms.cases.constants import EventKind as CaseEventKind
from oms.cases.models import Address, Allocation, Event, Offender, Registration, Transfer
from oms.standards import engine
from oms.standards.rules import RecordKind, Trigger
from oms.standards.sources import FactsByCase, collect, register_fact_source

UNPAID_WORK = "unpaid_work"
DRUG_REHABILITATION = "drug_rehabilitation"
# Registrations whose start is a significant change calling for RoH and plan reviews (issue 10).
SIGNIFICANT_REGISTRATIONS = (
    RegistrationKind.MAPPA,
    RegistrationKind.CHILD_PROTECTION,
    RegistrationKind.DOMESTIC_ABUSE,
)

# spec row "statutory victim contact offered": custody of 12 months or more for a violent/sexual offence.
STATUTORY_VICTIM_CONTACT_CUSTODY_MONTHS = 12


def _engine_kind(kind: str) -> str:
    return engine.EventKind.COMMUNITY.value if kind in COMMUNITY_EVENT_KINDS else kind


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def cases_source(cases: QuerySet[Offender], found: FactsByCase) -> None:
    """Triggers and completions the foundation's records hold: events, allocations, PPO, transfers."""
    events = Event.objects.filter(offender__in=cases, is_active=True).select_related("offence")
    for event in events:
        facts = found.get(event.offender_id)
        if facts is None:
            continue
        kinds = facts.attributes.setdefault("event_kinds", set())
        kinds.add(_engine_kind(event.kind))
        facts.triggers[Trigger.SENTENCE].append(event.sentence_date)
        if event.kind != CaseEventKind.LICENCE:
            # A later sentence is a new offence: kept as a change, judged against the first start below.
            facts.triggers[Trigger.SIGNIFICANT_CHANGE].append(event.sentence_date)
        if event.kind in COMMUNITY_EVENT_KINDS:
            facts.triggers[Trigger.ORDER_MADE].append(event.sentence_date)
            facts.triggers[Trigger.SENTENCE_OR_RELEASE].append(event.sentence_date)
        elif event.kind == CaseEventKind.LICENCE and event.release_date:
            facts.triggers[Trigger.RELEASE].append(event.release_date)
            facts.triggers[Trigger.SENTENCE_OR_RELEASE].append(event.release_date)
        elif event.kind == CaseEventKind.CUSTODY:
            facts.triggers[Trigger.CUSTODY_SENTENCE].append(event.sentence_date)
            facts.attributes["custody_sentence_months"] = event.length_months
            if event.release_date:
                facts.attributes["release_date"] = event.release_date
                # Judged at sentence, when the plan's deadline is set: so the answer never drifts.
                facts.attributes["custody_months_to_release"] = max(
                    0, _months_between(event.sentence_date, event.release_date)
                )
                facts.triggers[Trigger.RELEASE_DATE_KNOWN].append(event.sentence_date)
        if (
            event.offence.is_violent_or_sexual
            and event.kind in (CaseEventKind.CUSTODY, CaseEventKind.LICENCE)
            and event.length_months >= STATUTORY_VICTIM_CONTACT_CUSTODY_MONTHS
        ):
            facts.attributes["statutory_victim_contact"] = True
    for offender_id, requirement_type, sentenced in Event.objects.filter(
        offender__in=cases,
        is_active=True,
        requirements__requirement_type_id__in=[UNPAID_WORK, DRUG_REHABILITATION],
    ).values_list("offender_id", "requirements__requirement_type_id", "sentence_date"):
        if offender_id not in found:
            continue
        if requirement_type == UNPAID_WORK:
            found[offender_id].attributes["has_unpaid_work"] = True
        else:
            found[offender_id].attributes["has_drug_rehabilitation"] = True
            found[offender_id].triggers[Trigger.DRR_ORDER_MADE].append(sentenced)
    for offender_id, start in Allocation.objects.filter(offender__in=cases).values_list(
        "offender_id", "start_date"
    ):
        if offender_id in found:
            found[offender_id].completions[RecordKind.ALLOCATION].append(start)
    for offender_id, kind, start, end in Registration.objects.filter(
        offender__in=cases, kind__in=[RegistrationKind.PPO, *SIGNIFICANT_REGISTRATIONS]
    ).values_list("offender_id", "kind", "start_date", "end_date"):
        if offender_id in found:
            # A MAPPA level change is a new MAPPA registration row (interventions.register_mappa).
            trigger = Trigger.PPO_REGISTRATION if kind == RegistrationKind.PPO else Trigger.SIGNIFICANT_CHANGE
            found[offender_id].triggers[trigger].append(start)
            if kind == RegistrationKind.MAPPA:
                # Registering the case in MAPPA is the referral decision made.
                found[offender_id].completions[RecordKind.MAPPA_REFERRAL_DECIDED].append(start)
                found[offender_id].attributes.setdefault("mappa_periods", []).append((start, end))
    moved: set[int] = set()
    for offender_id, from_date in (
        Address.objects.filter(offender__in=cases)
        .order_by("offender_id", "from_date")
        .values_list("offender_id", "from_date")
    ):
        if offender_id in found:
            if offender_id in moved:  # every address after the first is a move
                found[offender_id].triggers[Trigger.SIGNIFICANT_CHANGE].append(from_date)
            moved.add(offender_id)
    for offender_id, when, received in Transfer.objects.filter(
        offender__in=cases, direction=TransferDirection.IN
    ).values_list("offender_id", "transfer_date", "complete_oasys_received"):
        if offender_id in found:
            facts = found[offender_id]
            facts.attributes["is_transfer_in"] = True
            facts.triggers[Trigger.TRANSFER_IN].append(when)
            facts.triggers[Trigger.TRANSFER_IN_NOTIFIED].append(when)
            if received:
                facts.completions[RecordKind.COMPLETE_OASYS_RECEIVED].append(when)


register_fact_source(
    "cases", cases_source, produces=frozenset({RecordKind.ALLOCATION, RecordKind.COMPLETE_OASYS_RECEIVED})
)


def _changes_during_supervision(triggers: dict[str, list[date]]) -> None:
    """Keep only the significant changes after supervision began: what was known at the start (the
    registrations and address at sentence, the sentence itself) is the first assessment's, not a
    change to review."""
    changes = triggers.get(Trigger.SIGNIFICANT_CHANGE)
    if not changes:
        return
    starts = [*triggers.get(Trigger.SENTENCE, ()), *triggers.get(Trigger.SENTENCE_OR_RELEASE, ())]
    began = min(starts, default=None)
    triggers[Trigger.SIGNIFICANT_CHANGE] = [day for day in changes if began is not None and day > began]


def _referrals_outside_mappa(triggers: dict[str, list[date]], attributes: dict[str, Any]) -> None:
    """A referral decision is asked for only when the case was not already in MAPPA that day."""
    indicated = triggers.get(Trigger.MAPPA_REFERRAL_INDICATED)
    periods = attributes.get("mappa_periods")
    if not indicated or not periods:
        return
    triggers[Trigger.MAPPA_REFERRAL_INDICATED] = [
        day
        for day in indicated
        if not any(start <= day and (end is None or day < end) for start, end in periods)
    ]


@dataclass(frozen=True)
class CaseOwner:
    staff_id: int | None
    name: str
    username: str | None
    team_id: int | None


def build_case_facts(cases: QuerySet[Offender]) -> Iterator[tuple[Offender, CaseOwner, engine.CaseFacts]]:
    """Every case with a current event, with its owner and its facts, in a fixed number of queries."""
    # The ids first, as a plain list: every source then filters by it. Nesting the caller's queryset
    # (often DISTINCT, from the permission joins) inside each source's IN made PostgreSQL's planner
    # run one small query for many seconds.
    has_current_event = Exists(Event.objects.filter(offender=OuterRef("pk"), is_active=True))
    ids = sorted(set(cases.filter(has_current_event).values_list("pk", flat=True)))
    selected = Offender.objects.filter(pk__in=ids)
    offenders = list(
        selected.select_related("offender_manager__user", "offender_manager__grade").order_by("crn")
    )
    found = collect(selected, ids)
    for offender in offenders:
        record = found[offender.pk]
        manager = offender.offender_manager
        owner = CaseOwner(
            staff_id=manager.pk if manager else None,
            name=manager.full_name if manager else "Unallocated",
            username=manager.user.username if manager and manager.user else None,
            team_id=manager.team_id if manager else None,
        )
        attributes = record.attributes
        _changes_during_supervision(record.triggers)
        _referrals_outside_mappa(record.triggers, attributes)
        facts = engine.CaseFacts(
            crn=offender.crn,
            owner_staff_id=owner.staff_id,
            owner_username=owner.username,
            tier=offender.tier or None,
            risk_of_harm_level=offender.risk_of_harm_level or None,
            is_ppo=offender.is_ppo,
            event_kinds=frozenset(attributes.get("event_kinds", ())),
            remanded_in_custody=bool(attributes.get("remanded_in_custody", False)),
            has_unpaid_work=bool(attributes.get("has_unpaid_work", False)),
            has_drug_rehabilitation=bool(attributes.get("has_drug_rehabilitation", False)),
            is_transfer_in=bool(attributes.get("is_transfer_in", False)),
            statutory_victim_contact=bool(attributes.get("statutory_victim_contact", False)),
            countersigning_required=bool(attributes.get("countersigning_required", False)),
            emergency_recall=bool(attributes.get("emergency_recall", False)),
            custody_sentence_months=attributes.get("custody_sentence_months"),
            custody_months_to_release=attributes.get("custody_months_to_release"),
            release_date=attributes.get("release_date"),
            planned_contact_level=attributes.get("planned_contact_level"),
            triggers={k: tuple(sorted(v)) for k, v in record.triggers.items() if v},
            completions={k: tuple(sorted(v)) for k, v in record.completions.items() if v},
            recorded_deadlines={
                k: tuple(v) for k, v in attributes.get("recorded_deadlines", {}).items() if v
            },
        )
        yield offender, owner, facts
