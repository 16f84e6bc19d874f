"""Demo history for supervision: six months and more of contacts for every current case.

Frequency follows the contact level (spec/national-standards.md "contact level"): weekly for
the first 12 weeks, fortnightly for the next 12, then monthly; weekly throughout for PPO and high RoH
cases (the enhanced level). An appointment missed or kept only by telephone is made up face to face
within a few days, so the level is kept; the induction is given at the first appointment attended.
Most appointments are kept; most absences are judged acceptable; unacceptable failures on community orders are enforced by the same
pure rules as the service (a warning, then breach within 12 months), except for a few judgements the
officer missed, as the report found (2.4(e): 90% consistent). Bulk writes only.
"""

from __future__ import annotations

import logging
import random
import time as clock
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from oms.cases.constants import COMMUNITY_EVENT_KINDS, EventKind
from oms.cases.models import ContactType, Event, Requirement
from oms.demo.calibration import Quota, Spread, share
from oms.organisation.constants import Role
from oms.organisation.models import Area, Staff
from oms.supervision.constants import (
    BreachOutcome,
    ContactOutcome,
    ContactTypeCode,
    HomeVisitPurpose,
    RecallOutcome,
    RecallStatus,
    RecallType,
    ReminderChannel,
)
from oms.supervision.enforcement import Breach as BreachFact
from oms.supervision.enforcement import (
    EnforcementAction,
    EnforcementHistory,
    FailureToComply,
    enforcement_action,
)
from oms.supervision.models import (
    Breach,
    Contact,
    EnforcementWarning,
    RecallRecommendation,
    ReminderPreference,
)
from oms.timescales.calendar import add_working_days

LONDON = ZoneInfo("Europe/London")

# The default contact level (spec: 12 contacts in the first 12 weeks, 6 in the next 12, then monthly).
WEEKLY_UNTIL_DAY = 12 * 7
FORTNIGHTLY_UNTIL_DAY = 24 * 7
# Outcomes of past appointments, in per mille (report 2.4(b)-(e) shapes, not its figures).
OUTCOME_WEIGHTS = {
    ContactOutcome.ATTENDED_COMPLIED: 880,
    ContactOutcome.ACCEPTABLE_ABSENCE: 75,
    ContactOutcome.UNACCEPTABLE_ABSENCE: 30,
    ContactOutcome.FAILED_TO_COMPLY: 5,
    "": 10,  # never judged: an imperfection the judge-an-absence rule catches
}
MISSED_ENFORCEMENT = 0.1  # report 2.4(e): judgements consistent and appropriate in 90% of cases
LATE_WARNING_DAYS = (5, 15)
# A recall recommended in the last few days may still wait for its sign-off; the answer takes weeks.
RECALL_WAITING_DAYS = 2
RECALL_ANSWERED_DAYS = 21
# Compliance in the first 26 weeks (report 4.2: 82% of arranged appointments attended): a minority of
# people miss often, most rarely; the rates are set so that the attended share is the calibrated one.
COMPLIANCE_WEEKS = 26
POOR_ATTENDER_SHARE = 0.3
GOOD_ATTENDER_UNACCEPTABLE = 0.05
# A slot not kept face to face (missed, unjudged or a telephone call) is made up at the office 1 to 3
# working days later; the telephone share is of the slots otherwise at the office.
MAKE_UP_WORKING_DAYS = (1, 3)
LATE_JUDGEMENT_DAYS = (3, 10)  # an absence not judged at the time is judged this many days later
TELEPHONE_SHARE = 0.05
NOT_FACE_TO_FACE = frozenset({ContactOutcome.ACCEPTABLE_ABSENCE, ContactOutcome.UNACCEPTABLE_ABSENCE, ""})
ATTENDED = frozenset({ContactOutcome.ATTENDED_COMPLIED, ContactOutcome.FAILED_TO_COMPLY})
ENHANCED_RISK_LEVELS = ("high", "very_high")
LATER_UNACCEPTABLE = 0.03  # after the first 26 weeks
FAILED_TO_COMPLY_SHARE = 0.005
# Enforcement timeliness (report 4.2): breach laid within 10 WD of the failure for the calibrated
# share; breach resolved within 25 WD for the calibrated share, the rest later, averaging 39 WD.
BREACH_LAID_WORKING_DAYS = 10
BREACH_RESOLVED_WORKING_DAYS = 25
RESOLVED_IN_TIME_RANGE = (12, 25)
LATE_RESOLUTION_SPAN = 76  # late ones resolved 26-101 WD after the failure (about 63 on average)
ACCEPTABLE_REASONS = [
    "Medical certificate provided",
    "Attending a job interview",
    "Childcare emergency",
    "Court appearance on another matter",
    "Bereavement",
]
PLACES = ["Campbell House, Northampton", "Kettering office", "Wellingborough office", "Corby office"]
FUTURE_APPOINTMENTS = 2
TODAY_SHARE = 0.04  # people with an office appointment today, for the reception list

logger = logging.getLogger(__name__)


@dataclass
class _Order:
    warnings: list[tuple[date, Contact]] = field(default_factory=list)
    breaches: list[list] = field(default_factory=list)  # [initiated, resolved, failure, warning]


def _schedule(start: date, until: date, *, enhanced: bool = False) -> list[date]:
    days, offset = [], 0
    while start + timedelta(days=offset) <= until:
        day = start + timedelta(days=offset)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        days.append(day)
        if enhanced:
            offset += 7
        else:
            offset += 7 if offset < WEEKLY_UNTIL_DAY else 14 if offset < FORTNIGHTLY_UNTIL_DAY else 28
    return days


def poor_attenders_rate(attended_share: float) -> float:
    """How often the poor attenders miss, so that the first 26 weeks' appointments are attended at
    `attended_share` with every miss and telephone slot made up (report 4.2 counts the make-ups too).

    Per slot: `expected` of them are judged by `_outcome` (the rest acceptable or unjudged absences),
    a share r of those missed unacceptably; every slot not attended face to face gets a make-up that is
    attended. Attended = x + (1 - x(1 - t)) = 1 + xt with x = expected(1 - r); unacceptable =
    expected - x. Solve unacceptable / (attended + unacceptable) = 1 - attended_share for r.
    """
    expected = 1 - (OUTCOME_WEIGHTS[ContactOutcome.ACCEPTABLE_ABSENCE] + OUTCOME_WEIGHTS[""]) / sum(
        OUTCOME_WEIGHTS.values()
    )
    ratio = (1 - attended_share) / attended_share
    x = (expected - ratio) / (1 + ratio * TELEPHONE_SHARE)
    rate = 1 - x / expected
    return (rate - (1 - POOR_ATTENDER_SHARE) * GOOD_ATTENDER_UNACCEPTABLE) / POOR_ATTENDER_SHARE


def enrich_with_contacts(area: Area, as_of: date, rng: random.Random) -> None:
    started = clock.perf_counter()
    types = {t.code: t for t in ContactType.objects.all()}
    managers = list(Staff.objects.filter(area=area, grade__holds_caseload=True).values_list("pk", flat=True))
    spo = Staff.objects.filter(area=area, grade__role=Role.SENIOR_PROBATION_OFFICER).first()
    aco = Staff.objects.filter(area=area, grade__role=Role.SENIOR_MANAGER).first()
    events = list(
        Event.objects.filter(
            offender__area=area, is_active=True, kind__in=[*COMMUNITY_EVENT_KINDS, EventKind.LICENCE]
        )
        .select_related("offender")
        .order_by("pk")
    )
    requirement_codes: dict[int, set[str]] = {}
    for event_id, code in Requirement.objects.filter(event__in=[e.pk for e in events]).values_list(
        "event_id", "requirement_type_id"
    ):
        requirement_codes.setdefault(event_id, set()).add(code)
    outcomes, weights = list(OUTCOME_WEIGHTS), list(OUTCOME_WEIGHTS.values())
    poor_rate = poor_attenders_rate(share("compliance_first_26_weeks"))
    contacts: list[Contact] = []
    plans: list[tuple[Event, list[Contact]]] = []
    preferences: list[ReminderPreference] = []
    for event in events:
        offender = event.offender
        staff_id = offender.offender_manager_id or (rng.choice(managers) if managers else None)
        codes = requirement_codes.get(event.pk, set())
        own: list[Contact] = []
        enhanced = offender.is_ppo or offender.risk_of_harm_level in ENHANCED_RISK_LEVELS
        days = _schedule(event.start_date, as_of + timedelta(days=35), enhanced=enhanced)
        early_until = event.start_date + timedelta(weeks=COMPLIANCE_WEEKS)
        early_rate = poor_rate if rng.random() < POOR_ATTENDER_SHARE else GOOD_ATTENDER_UNACCEPTABLE
        future = 0
        for index, day in enumerate(days):
            if day >= as_of:
                future += 1
                if future > FUTURE_APPOINTMENTS:
                    break
            roll = rng.random()
            code = ContactTypeCode.OFFICE
            if index == 1 or roll < 0.05:
                code = ContactTypeCode.HOME_VISIT
            elif "unpaid_work" in codes and roll < 0.3:
                code = ContactTypeCode.UNPAID_WORK_SESSION
            elif "accredited_programme" in codes and roll < 0.3:
                code = ContactTypeCode.PROGRAMME_SESSION
            elif "drug_rehabilitation" in codes and roll < 0.35:
                code = ContactTypeCode.DRUG_TEST
            elif roll < 0.05 + TELEPHONE_SHARE:
                code = ContactTypeCode.TELEPHONE
            starts = datetime.combine(
                day, time(rng.randint(9, 15), rng.choice([0, 15, 30, 45])), tzinfo=LONDON
            )
            contact = Contact(
                offender_id=offender.pk,
                event_id=event.pk,
                contact_type=types[code],
                starts_at=starts,
                ends_at=starts
                + timedelta(minutes=60 if code != ContactTypeCode.UNPAID_WORK_SESSION else 420),
                location="Home address" if code == ContactTypeCode.HOME_VISIT else rng.choice(PLACES),
                staff_id=staff_id,
                interpreter_required=offender.interpreter_required,
                home_visit_purpose=rng.choice([HomeVisitPurpose.RISK_OF_HARM, HomeVisitPurpose.ADDRESS_CHECK])
                if code == ContactTypeCode.HOME_VISIT
                else "",
                booked_by_id=staff_id,
            )
            if day < as_of:
                outcome = _outcome(
                    rng, outcomes, weights, early_rate if day < early_until else LATER_UNACCEPTABLE
                )
                contact.outcome = outcome
                contact.recorded_by_id = staff_id if outcome else None
                contact.outcome_recorded_at = starts + timedelta(hours=2) if outcome else None
                if outcome == ContactOutcome.ACCEPTABLE_ABSENCE:
                    contact.absence_reason = rng.choice(ACCEPTABLE_REASONS)
                if outcome == ContactOutcome.ATTENDED_COMPLIED and code == ContactTypeCode.OFFICE:
                    contact.notes = "Discussed progress against the sentence plan."
                judged_at = starts + timedelta(days=rng.randint(*LATE_JUDGEMENT_DAYS))
                if not outcome and judged_at.date() < as_of:
                    # Never judged at the time (report 2.4(e)), but judged late rather than never.
                    contact.outcome = ContactOutcome.ACCEPTABLE_ABSENCE
                    contact.absence_reason = rng.choice(ACCEPTABLE_REASONS)
                    contact.recorded_by_id, contact.outcome_recorded_at = staff_id, judged_at
            own.append(contact)
            if day < as_of and (outcome in NOT_FACE_TO_FACE or code == ContactTypeCode.TELEPHONE):
                # A home visit not made is made again; anything else is made up at the office.
                again = (
                    ContactTypeCode.HOME_VISIT
                    if code == ContactTypeCode.HOME_VISIT
                    else ContactTypeCode.OFFICE
                )
                made_up = _make_up(contact, as_of, rng, types[again])
                if made_up is not None:
                    own.append(made_up)
        _give_induction(own)
        if (
            rng.random() < TODAY_SHARE
            and not any(c.starts_at.date() == as_of for c in own)
            and as_of.weekday() < 5
        ):
            starts = datetime.combine(as_of, time(rng.randint(9, 16), rng.choice([0, 30])), tzinfo=LONDON)
            own.append(
                Contact(
                    offender_id=offender.pk,
                    event_id=event.pk,
                    contact_type=types[ContactTypeCode.OFFICE],
                    starts_at=starts,
                    ends_at=starts + timedelta(minutes=45),
                    location=PLACES[0],
                    staff_id=staff_id,
                    interpreter_required=offender.interpreter_required,
                    booked_by_id=staff_id,
                )
            )
        contacts.extend(own)
        plans.append((event, own))
        if rng.random() < 0.65 and not any(p.offender_id == offender.pk for p in preferences[-3:]):
            text = rng.random() < 0.8
            preferences.append(
                ReminderPreference(
                    offender_id=offender.pk,
                    channel=ReminderChannel.TEXT if text else ReminderChannel.EMAIL,
                    mobile_number=f"07700 900{rng.randint(0, 999):03d}" if text else "",
                    email_address=""
                    if text
                    else f"{offender.first_name.lower()}.{offender.crn.lower()}@example.com",
                )
            )
    Contact.objects.bulk_create(contacts, batch_size=2000)
    unique = {p.offender_id: p for p in preferences}  # one preference per person, whatever their events
    ReminderPreference.objects.bulk_create(list(unique.values()), batch_size=2000)
    warnings, breaches, recalls = _enforce(plans, as_of, rng, spo, aco)
    _pre_release_contacts(area, as_of, rng, types)
    _transfer_in_visits(area, as_of, rng, types)
    elapsed = clock.perf_counter() - started
    logger.info(
        "Supervision demo: %d contacts, %d warnings, %d breaches, %d recall recommendations in %.1f s",
        len(contacts),
        warnings,
        breaches,
        recalls,
        elapsed,
    )


def _make_up(missed: Contact, as_of: date, rng: random.Random, kind: ContactType) -> Contact | None:
    """An appointment a few working days after one not kept face to face: kept if past, else booked;
    none if it would fall over a month ahead."""
    day = add_working_days(missed.starts_at.date(), rng.randint(*MAKE_UP_WORKING_DAYS))
    if day > as_of + timedelta(days=28):
        return None
    starts = datetime.combine(day, time(rng.randint(9, 15), rng.choice([0, 30])), tzinfo=LONDON)
    made_up = Contact(
        offender_id=missed.offender_id,
        event_id=missed.event_id,
        contact_type=kind,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=45),
        location="Home address" if kind.code == ContactTypeCode.HOME_VISIT else rng.choice(PLACES),
        home_visit_purpose=missed.home_visit_purpose,
        staff_id=missed.staff_id,
        interpreter_required=missed.interpreter_required,
        booked_by_id=missed.staff_id,
    )
    if day < as_of:
        made_up.outcome = ContactOutcome.ATTENDED_COMPLIED
        made_up.recorded_by_id = missed.staff_id
        made_up.outcome_recorded_at = starts + timedelta(hours=2)
        made_up.notes = "Appointment rebooked after the last one was not kept face to face."
    return made_up


def _give_induction(own: list[Contact]) -> None:
    """Report 2.4: the induction is given at the first appointment the person attends in person."""
    kept = [c for c in own if c.outcome in ATTENDED and c.contact_type.code != ContactTypeCode.TELEPHONE]
    if kept:
        min(kept, key=lambda c: c.starts_at).induction_given = True


# Report 2.1(d), 2.4(c): pre-release contact was missing in about two-thirds of custody cases.
PRE_RELEASE_CONTACT_SHARE = 1 / 3
PRE_RELEASE_WINDOW_DAYS = 120


# Report 2.1(g): a case transferred in is seen at home within 10 working days of the transfer.
TRANSFER_IN_VISIT_WORKING_DAYS = (2, 8)


def _transfer_in_visits(area: Area, as_of: date, rng: random.Random, types: dict[str, ContactType]) -> None:
    """The home visit that follows each transfer in of a case supervised in the community."""
    from oms.cases.constants import TransferDirection
    from oms.cases.models import Transfer

    transfers = Transfer.objects.filter(
        offender__area=area,
        direction=TransferDirection.IN,
        offender__events__is_active=True,
        offender__events__kind__in=[*COMMUNITY_EVENT_KINDS, EventKind.LICENCE],
    ).values_list("offender_id", "offender__events__pk", "offender__offender_manager_id", "transfer_date")
    visits, seen = [], set()
    for offender_id, event_id, manager_id, transferred_on in transfers:
        day = add_working_days(transferred_on, rng.randint(*TRANSFER_IN_VISIT_WORKING_DAYS))
        if offender_id in seen or day >= as_of:
            continue
        seen.add(offender_id)
        starts = datetime.combine(day, time(rng.randint(9, 15), 0), tzinfo=LONDON)
        visits.append(
            Contact(
                offender_id=offender_id,
                event_id=event_id,
                contact_type=types[ContactTypeCode.HOME_VISIT],
                starts_at=starts,
                ends_at=starts + timedelta(minutes=45),
                location="Home address",
                staff_id=manager_id,
                booked_by_id=manager_id,
                home_visit_purpose=HomeVisitPurpose.ADDRESS_CHECK,
                outcome=ContactOutcome.ATTENDED_COMPLIED,
                recorded_by_id=manager_id,
                outcome_recorded_at=starts + timedelta(hours=2),
                notes="Home visit after the transfer in: address confirmed.",
            )
        )
    Contact.objects.bulk_create(visits, batch_size=2000)


def _outcome(rng: random.Random, outcomes: list[str], weights: list[int], unacceptable: float) -> str:
    """Acceptable absences and unjudged ones at their usual rates; of the rest (the appointments the
    person was expected at), `unacceptable` missed without a reason."""
    outcome = rng.choices(outcomes, weights)[0]
    if outcome in (ContactOutcome.ACCEPTABLE_ABSENCE, ""):
        return outcome
    roll = rng.random()
    if roll < unacceptable:
        return ContactOutcome.UNACCEPTABLE_ABSENCE
    if roll < unacceptable + FAILED_TO_COMPLY_SHARE:
        return ContactOutcome.FAILED_TO_COMPLY
    return ContactOutcome.ATTENDED_COMPLIED


def _recall_signed_off(
    event: Event, failure: Contact, as_of: date, rng: random.Random, spo: Staff | None, aco: Staff | None
) -> RecallRecommendation:
    """A recall recommended and signed off; older ones have the Public Protection Casework Section's
    answer (here a refusal, so the person stays on the caseload the demo shows)."""
    day = failure.starts_at.date()
    answered = (as_of - day).days > RECALL_ANSWERED_DAYS
    return RecallRecommendation(
        offender_id=event.offender_id,
        event_id=event.pk,
        recall_type=rng.choice([RecallType.STANDARD, RecallType.FIXED_TERM]),
        reason="Missed appointments without a reasonable excuse; engagement deteriorating.",
        recommended_on=day,
        recommended_by_id=failure.staff_id,
        status=RecallStatus.DECIDED if answered else RecallStatus.SIGNED_OFF,
        spo_signed_by=spo,
        spo_signed_at=failure.starts_at + timedelta(hours=3),
        aco_signed_by=aco,
        aco_signed_at=failure.starts_at + timedelta(hours=6),
        outcome=RecallOutcome.RECALL_REFUSED if answered else "",
        outcome_on=day + timedelta(days=RECALL_ANSWERED_DAYS) if answered else None,
    )


def _breach_working_days(laid_in_time: bool, resolved_in_time: bool, spread: Spread) -> tuple[int, int]:
    """Working days from the failure to the breach being laid and to it being resolved.

    Laid: 1-10 WD in time, else 11-20. Resolved: 12-25 WD in time, else 26-101 (a long tail: the late
    ones average about 63 WD, so all breaches average the report's 39 WD).
    """
    laid = 1 + int(spread() * BREACH_LAID_WORKING_DAYS) if laid_in_time else 11 + int(spread() * 10)
    if resolved_in_time:
        low, high = RESOLVED_IN_TIME_RANGE
        return laid, max(laid + 1, low + int(spread() * (high - low + 1)))
    return laid, BREACH_RESOLVED_WORKING_DAYS + 1 + int(spread() * LATE_RESOLUTION_SPAN)


def _pre_release_contacts(area: Area, as_of: date, rng: random.Random, types: dict[str, ContactType]) -> None:
    """A third of the people in custody have had their offender manager in touch before release."""
    custody = Event.objects.filter(offender__area=area, is_active=True, kind=EventKind.CUSTODY).values_list(
        "offender_id", "pk", "offender__offender_manager_id", "sentence_date"
    )
    contacts = []
    for offender_id, event_id, manager_id, sentenced in custody:
        if rng.random() >= PRE_RELEASE_CONTACT_SHARE:
            continue
        earliest = max(sentenced, as_of - timedelta(days=PRE_RELEASE_WINDOW_DAYS))
        day = earliest + timedelta(days=rng.randint(0, max(0, (as_of - earliest).days - 1)))
        starts = datetime.combine(day, time(rng.randint(9, 15), 0), tzinfo=LONDON)
        contacts.append(
            Contact(
                offender_id=offender_id,
                event_id=event_id,
                contact_type=types["telephone"],
                starts_at=starts,
                ends_at=starts + timedelta(minutes=30),
                staff_id=manager_id,
                outcome=ContactOutcome.ATTENDED_COMPLIED,
                outcome_recorded_at=starts + timedelta(hours=1),
                notes="Pre-release contact with the prison offender supervisor and the person",
                enforceable=False,
            )
        )
    Contact.objects.bulk_create(contacts, batch_size=2000)


def _enforce(
    plans: list[tuple[Event, list[Contact]]],
    as_of: date,
    rng: random.Random,
    spo: Staff | None,
    aco: Staff | None,
) -> tuple[int, int, int]:
    """Warnings and breaches for the unacceptable failures, by the pure Schedule 8 rules, in bulk."""
    warning_rows: list[EnforcementWarning] = []
    breach_rows: list[tuple[Breach, list[Contact]]] = []
    recall_rows: list[RecallRecommendation] = []
    community: list[tuple[Contact, Event]] = []
    for event, own in plans:
        failures = [
            c
            for c in own
            if c.outcome in (ContactOutcome.UNACCEPTABLE_ABSENCE, ContactOutcome.FAILED_TO_COMPLY)
        ]
        if not failures:
            continue
        if event.kind == EventKind.LICENCE:
            if rng.random() < 0.25:
                day = failures[-1].starts_at.date()
                decided = rng.random() < 0.6
                if not decided and (as_of - day).days > RECALL_WAITING_DAYS:
                    # Signed off by the SPO and the ACO within the day, as recall needs.
                    recall_rows.append(_recall_signed_off(event, failures[-1], as_of, rng, spo, aco))
                    continue
                recall_rows.append(
                    RecallRecommendation(
                        offender_id=event.offender_id,
                        event_id=event.pk,
                        recall_type=RecallType.NO_RECALL
                        if decided
                        else rng.choice([RecallType.STANDARD, RecallType.FIXED_TERM]),
                        reason="Missed appointments without a reasonable excuse; engagement deteriorating.",
                        recommended_on=day,
                        recommended_by_id=failures[-1].staff_id,
                        status=RecallStatus.DECIDED if decided else RecallStatus.AWAITING_SPO,
                        spo_signed_by=spo if decided else None,
                        spo_signed_at=failures[-1].starts_at + timedelta(hours=4) if decided else None,
                        aco_signed_by=aco if decided else None,
                        aco_signed_at=failures[-1].starts_at + timedelta(hours=20) if decided else None,
                        outcome=RecallOutcome.WARNING_ON_LICENCE if decided else "",
                        outcome_on=day + timedelta(days=2) if decided else None,
                    )
                )
            continue
        community.extend((failure, event) for failure in failures)
    # Every order's failures in the order they happened, all orders together: each order's history
    # is still its own, and breaches come out in date order, so the calibrated shares hold in any period.
    community.sort(key=lambda pair: pair[0].starts_at)
    orders: dict[int, _Order] = {}
    laid_in_time = Quota(share("breach_within_ten_working_days"), rng)
    resolved_in_time = Quota(share("breaches_resolved_within_25_working_days"), rng)
    spread = Spread(rng)
    for failure, event in community:
        # Report 2.4(e): not every judgement was prompt; those missed at the time were made late.
        missed = rng.random() < MISSED_ENFORCEMENT
        order = orders.setdefault(event.pk, _Order())
        day = failure.starts_at.date()
        history = EnforcementHistory(
            warnings=tuple(w for w, _ in order.warnings),
            breaches=tuple(BreachFact(b[0], b[1]) for b in order.breaches),
        )
        decision = enforcement_action(FailureToComply(day, acceptable=False), history)
        issued = min(day + timedelta(days=rng.choice([0, 1, 1, 2, 4])), as_of)
        if decision.action is EnforcementAction.WARNING and missed:
            issued = day + timedelta(days=rng.randint(*LATE_WARNING_DAYS))
            if issued >= as_of:
                continue  # still to be issued: today's overdue warning
        if decision.action is EnforcementAction.WARNING:
            warning = EnforcementWarning(
                offender_id=event.offender_id, event_id=event.pk, failure=failure, issued_on=issued
            )
            warning_rows.append(warning)
            order.warnings.append((issued, failure))
        elif decision.action is EnforcementAction.BREACH:
            laid_after, resolved_after = _breach_working_days(laid_in_time(), resolved_in_time(), spread)
            laid = add_working_days(day, laid_after)
            resolved = add_working_days(day, resolved_after)
            row = Breach(
                offender_id=event.offender_id,
                event_id=event.pk,
                failure=failure,
                initiated_on=min(issued, laid),
                laid_before_court_on=laid if laid <= as_of else None,
                court=event.court if laid <= as_of else "",
                resolved_on=resolved if resolved <= as_of else None,
                outcome=rng.choice(
                    [BreachOutcome.ORDER_CONTINUED, BreachOutcome.FINE, BreachOutcome.ORDER_AMENDED]
                )
                if resolved <= as_of
                else "",
            )
            row.warning_relied_on = next((w for w in reversed(warning_rows) if w.event_id == event.pk), None)
            breach_rows.append((row, [failure]))
            order.breaches.append([issued, resolved if resolved <= as_of else None])
        elif decision.action is EnforcementAction.ADD_TO_BREACH_IN_PROGRESS:
            open_breach = next((b for b in reversed(breach_rows) if b[0].event_id == event.pk), None)
            if open_breach is not None:
                open_breach[1].append(failure)
    EnforcementWarning.objects.bulk_create(warning_rows, batch_size=2000)
    for row, _ in breach_rows:
        if row.warning_relied_on is not None:
            row.warning_relied_on_id = row.warning_relied_on.pk
    Breach.objects.bulk_create([row for row, _ in breach_rows], batch_size=2000)
    linked = []
    for row, failures in breach_rows:
        for failure in failures:
            failure.breach = row
            linked.append(failure)
    Contact.objects.bulk_update(linked, ["breach"], batch_size=2000)
    RecallRecommendation.objects.bulk_create(recall_rows, batch_size=2000)
    return len(warning_rows), len(breach_rows), len(recall_rows)
