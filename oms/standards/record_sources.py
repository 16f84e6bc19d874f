"""Facts from the supervision, interventions, courts and victims records, for the actions engine.

Each source reads one app's records for all the cases at once (a fixed number of queries) and says
which record kinds it can find, so the engine judges only the rules OMS holds the records for.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone

from oms.cases.constants import COMMUNITY_EVENT_KINDS
from oms.cases.models import Offender
from oms.courts.constants import CourtType, ReportKind
from oms.interventions.constants import UnpaidWorkEntryKind
from oms.risk.countersigning import CountersigningStatus
from oms.risk.levels import RiskOfHarmLevel
from oms.standards.rules import RecordKind, Trigger
from oms.standards.sources import FactsByCase, register_fact_source
from oms.supervision.constants import ContactTypeCode
from oms.victims.constants import InformationStage, OfferMethod

# Contacts that do not count towards contact levels, first contact or a first appointment.
NOT_FACE_TO_FACE_CONTACT_TYPES = frozenset({ContactTypeCode.TELEPHONE})
COMMUNITY_EVENT_KIND_VALUES = frozenset(str(kind) for kind in COMMUNITY_EVENT_KINDS)
# spec row "unpaid work": "at least 6 hours a week offered".
UNPAID_WORK_HOURS_OFFERED_A_WEEK = Decimal(6)


_LONDON = ZoneInfo("Europe/London")


def _local_day(moment: datetime) -> date:
    # The day in England, straight from zoneinfo: this runs for every contact of an area.
    return moment.astimezone(_LONDON).date()


def supervision_source(cases: QuerySet[Offender], found: FactsByCase) -> None:
    from oms.supervision.constants import ABSENCE_OUTCOMES, ContactOutcome, RecallStatus
    from oms.supervision.models import Breach, Contact, EnforcementWarning, RecallRecommendation

    now = timezone.now()
    attended = {ContactOutcome.ATTENDED_COMPLIED, ContactOutcome.FAILED_TO_COMPLY}
    first_contact: dict[int, date] = {}
    rows = Contact.objects.filter(offender__in=cases, starts_at__lte=now).values_list(
        "offender_id", "starts_at", "outcome", "outcome_recorded_at", "contact_type_id", "induction_given"
    )
    for offender_id, starts_at, outcome, recorded_at, contact_type, induction_given in rows:
        facts = found.get(offender_id)
        if facts is None:
            continue
        day = _local_day(starts_at)
        if outcome in attended:
            facts.completions[RecordKind.PRE_RELEASE_CONTACT].append(day)
            if contact_type in NOT_FACE_TO_FACE_CONTACT_TYPES:
                # A telephone call keeps in touch but is not a face-to-face contact (report 2.4).
                continue
            facts.completions[RecordKind.CONTACT].append(day)
            facts.completions[RecordKind.TRANSFER_IN_APPOINTMENT].append(day)
            if induction_given:
                facts.completions[RecordKind.INDUCTION].append(day)
            if contact_type == ContactTypeCode.HOME_VISIT:
                facts.completions[RecordKind.HOME_VISIT].append(day)
            if offender_id not in first_contact or day < first_contact[offender_id]:
                first_contact[offender_id] = day
        if outcome in ABSENCE_OUTCOMES or not outcome:
            # A past appointment not kept (or not yet recorded) must be judged within 2 WD.
            facts.triggers[Trigger.MISSED_APPOINTMENT].append(day)
            if outcome and recorded_at:
                facts.completions[RecordKind.ABSENCE_JUDGED].append(_local_day(recorded_at))
    for offender_id, day in first_contact.items():
        found[offender_id].completions[RecordKind.FIRST_CONTACT].append(day)
        found[offender_id].triggers[Trigger.FIRST_CONTACT].append(day)

    warnings = list(
        EnforcementWarning.objects.filter(offender__in=cases).values_list(
            "offender_id", "event_id", "failure_id", "issued_on"
        )
    )
    breaches = list(
        Breach.objects.filter(offender__in=cases).values_list(
            "offender_id", "event_id", "failure_id", "failure__starts_at", "initiated_on",
            "laid_before_court_on", "resolved_on",
        )
    )  # fmt: skip
    _enforcement_triggers(cases, found, warnings, breaches)
    for offender_id, _event, _failure, issued_on in warnings:
        if offender_id in found:
            found[offender_id].completions[RecordKind.WARNING].append(issued_on)
    for offender_id, _event, _failure, failed_at, _initiated, laid_on, resolved_on in breaches:
        facts = found.get(offender_id)
        if facts is None:
            continue
        failed_on = _local_day(failed_at)
        facts.triggers[Trigger.SECOND_UNACCEPTABLE_FAILURE_AFTER_WARNING].append(failed_on)
        facts.triggers[Trigger.BREACH_FAILURE].append(failed_on)
        if laid_on:
            facts.completions[RecordKind.BREACH_LAID].append(laid_on)
        if resolved_on:
            facts.completions[RecordKind.BREACH_RESOLVED].append(resolved_on)
    recalls = RecallRecommendation.objects.filter(offender__in=cases).values_list(
        "offender_id", "recommended_on", "aco_signed_at", "emergency", "status"
    )
    for offender_id, recommended_on, signed_at, emergency, status in recalls:
        facts = found.get(offender_id)
        if facts is None:
            continue
        # A declined recommendation was judged, by the SPO or the ACO, not to need a recall: no
        # recall request is owed for it (the recommendation was still a significant change).
        if status != RecallStatus.DECLINED:
            facts.triggers[Trigger.RECALL_JUDGED_NEEDED].append(recommended_on)
        facts.triggers[Trigger.SIGNIFICANT_CHANGE].append(recommended_on)
        if emergency:
            facts.attributes["emergency_recall"] = True
        if signed_at:
            facts.completions[RecordKind.RECALL_REQUESTED].append(_local_day(signed_at))


def _enforcement_triggers(
    cases: QuerySet[Offender], found: FactsByCase, warnings: list[Any], breaches: list[Any]
) -> None:
    """What CJA 2003 Sch 8 asks of each unacceptable failure on a community order, decided from the
    records rather than from whether anyone acted: a failure within 12 months of a warning raises the
    breach action even when no breach was started. A failure marked not enforceable is set aside only
    once an SPO has approved it with a reason (until then its clock runs)."""
    from oms.supervision.constants import UNACCEPTABLE_OUTCOMES
    from oms.supervision.enforcement import Breach as BreachPeriod
    from oms.supervision.enforcement import (
        EnforcementAction,
        EnforcementHistory,
        FailureToComply,
        enforcement_action,
    )
    from oms.supervision.models import Contact

    warned_for = {failure_id for _o, _e, failure_id, _d in warnings}
    breached = {failure_id for _o, _e, failure_id, *_rest in breaches}
    warnings_by_event: dict[int, list[date]] = defaultdict(list)
    for _offender, event_id, _failure, issued_on in warnings:
        warnings_by_event[event_id].append(issued_on)
    breaches_by_event: dict[int, list[BreachPeriod]] = defaultdict(list)
    for _offender, event_id, _failure, _failed, initiated_on, _laid, resolved_on in breaches:
        breaches_by_event[event_id].append(BreachPeriod(initiated_on, resolved_on))
    unacceptable = Contact.objects.filter(
        offender__in=cases,
        outcome__in=list(UNACCEPTABLE_OUTCOMES),
        event__kind__in=list(COMMUNITY_EVENT_KIND_VALUES),
    ).values_list("pk", "offender_id", "event_id", "starts_at", "enforceable", "not_enforceable_approved_by")
    for contact_id, offender_id, event_id, starts_at, enforceable, approved_by in unacceptable:
        facts = found.get(offender_id)
        if facts is None or contact_id in breached or (not enforceable and approved_by is not None):
            continue
        failed_on = _local_day(starts_at)
        if contact_id in warned_for:
            facts.triggers[Trigger.FIRST_UNACCEPTABLE_FAILURE].append(failed_on)
            continue
        history = EnforcementHistory(
            warnings=tuple(warnings_by_event[event_id]), breaches=tuple(breaches_by_event[event_id])
        )
        decision = enforcement_action(FailureToComply(failed_on, acceptable=False), history)
        if decision.action is EnforcementAction.WARNING:
            facts.triggers[Trigger.FIRST_UNACCEPTABLE_FAILURE].append(failed_on)
        elif decision.action is EnforcementAction.BREACH:
            facts.triggers[Trigger.SECOND_UNACCEPTABLE_FAILURE_AFTER_WARNING].append(failed_on)


register_fact_source(
    "supervision",
    supervision_source,
    produces=frozenset(
        {
            RecordKind.CONTACT,
            RecordKind.FIRST_CONTACT,
            RecordKind.INDUCTION,
            RecordKind.PRE_RELEASE_CONTACT,
            RecordKind.TRANSFER_IN_APPOINTMENT,
            RecordKind.HOME_VISIT,
            RecordKind.ABSENCE_JUDGED,
            RecordKind.WARNING,
            RecordKind.BREACH_LAID,
            RecordKind.BREACH_RESOLVED,
            RecordKind.RECALL_REQUESTED,
        }
    ),
)


def interventions_source(cases: QuerySet[Offender], found: FactsByCase) -> None:
    from oms.interventions.models import DrrReview, SkillsForLife, UnpaidWorkEntry

    offered: dict[tuple[int, date], Decimal] = defaultdict(Decimal)
    worked: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    ordered: dict[int, Decimal] = {}
    entries = UnpaidWorkEntry.objects.filter(offender__in=cases).values_list(
        "offender_id", "kind", "on", "hours", "requirement__hours"
    )
    for offender_id, kind, on, hours, hours_ordered in entries:
        if kind == UnpaidWorkEntryKind.OFFERED:
            week = on - timedelta(days=on.weekday())
            offered[(offender_id, week)] += hours
        elif kind in (UnpaidWorkEntryKind.WORKED, UnpaidWorkEntryKind.SKILLS_FOR_LIFE):
            worked[offender_id].append((on, hours))
            ordered[offender_id] = ordered.get(offender_id, Decimal(0)) or Decimal(hours_ordered or 0)
    for (offender_id, week), hours in offered.items():
        if offender_id in found and hours >= UNPAID_WORK_HOURS_OFFERED_A_WEEK:
            found[offender_id].completions[RecordKind.UNPAID_WORK_OFFERED].append(week)
    for offender_id, rows in worked.items():
        total = Decimal(0)
        for on, hours in sorted(rows):
            total += hours
            if ordered.get(offender_id) and total >= ordered[offender_id] and offender_id in found:
                found[offender_id].completions[RecordKind.UNPAID_WORK_COMPLETED].append(on)
                break
    for offender_id, screened_on in SkillsForLife.objects.filter(
        offender__in=cases, screened_on__isnull=False
    ).values_list("offender_id", "screened_on"):
        if offender_id in found:
            found[offender_id].completions[RecordKind.SKILLS_FOR_LIFE_SCREENING].append(screened_on)  # type: ignore[arg-type]
    _mappa_meetings(cases, found)
    _mappa_referral_decisions(cases, found)
    for offender_id, review_on in DrrReview.objects.filter(offender__in=cases).values_list(
        "offender_id", "review_on"
    ):
        if offender_id in found:
            found[offender_id].completions[RecordKind.DRR_REVIEW].append(review_on)


def _mappa_referral_decisions(cases: QuerySet[Offender], found: FactsByCase) -> None:
    from oms.interventions.models import MappaReferralDecision

    for offender_id, decided_on in MappaReferralDecision.objects.filter(offender__in=cases).values_list(
        "offender_id", "decided_on"
    ):
        if offender_id in found:
            found[offender_id].completions[RecordKind.MAPPA_REFERRAL_DECIDED].append(decided_on)


def _mappa_meetings(cases: QuerySet[Offender], found: FactsByCase) -> None:
    """Each MAPPA meeting's actions (due on their own dates) and its next review date, met by the
    next meeting held on or after the meeting: two queries."""
    from oms.interventions.models import MappaAction, MappaMeeting

    meetings: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for offender_id, held_on, next_review_on in (
        MappaMeeting.objects.filter(offender__in=cases)
        .order_by("offender_id", "held_on", "pk")
        .values_list("offender_id", "held_on", "next_review_on")
    ):
        meetings[offender_id].append((held_on, next_review_on))
    for offender_id, held in meetings.items():
        if offender_id not in found:
            continue
        recorded = found[offender_id].attributes.setdefault("recorded_deadlines", defaultdict(list))
        for index, (held_on, next_review_on) in enumerate(held):
            if next_review_on is None:
                continue
            later = [day for day, _ in held[index + 1 :] if day > held_on]
            recorded[Trigger.MAPPA_REVIEW_SET].append((held_on, next_review_on, later[0] if later else None))
    for offender_id, held_on, due_on, done_on in MappaAction.objects.filter(
        meeting__offender__in=cases
    ).values_list("meeting__offender_id", "meeting__held_on", "due_on", "done_on"):
        if offender_id in found:
            recorded = found[offender_id].attributes.setdefault("recorded_deadlines", defaultdict(list))
            recorded[Trigger.MAPPA_ACTION_SET].append((held_on, due_on, done_on))


register_fact_source(
    "interventions",
    interventions_source,
    produces=frozenset(
        {
            RecordKind.UNPAID_WORK_OFFERED,
            RecordKind.UNPAID_WORK_COMPLETED,
            RecordKind.SKILLS_FOR_LIFE_SCREENING,
            RecordKind.DRR_REVIEW,
            RecordKind.MAPPA_ACTION_DONE,
            RecordKind.MAPPA_REVIEW_HELD,
            RecordKind.MAPPA_REFERRAL_DECIDED,
        }
    ),
)

_REPORT_TRIGGERS: dict[str, Trigger] = {
    ReportKind.STANDARD_DELIVERY: Trigger.SDR_REQUESTED,
    ReportKind.FAST_DELIVERY: Trigger.FDR_REQUESTED,
    ReportKind.ORAL: Trigger.ORAL_REPORT_REQUESTED,
}
_REPORT_DELIVERED: dict[str, RecordKind] = {
    ReportKind.STANDARD_DELIVERY: RecordKind.SDR_DELIVERED,
    ReportKind.FAST_DELIVERY: RecordKind.FDR_DELIVERED,
    ReportKind.ORAL: RecordKind.ORAL_REPORT_DELIVERED,
}


def courts_source(cases: QuerySet[Offender], found: FactsByCase) -> None:
    from oms.courts.models import PreSentenceReport

    reports = PreSentenceReport.objects.filter(offender__in=cases).values_list(
        "offender_id", "kind", "requested_on", "delivered_on", "remanded_in_custody", "court_type"
    )
    for offender_id, kind, requested_on, delivered_on, remanded, court_type in reports:
        facts = found.get(offender_id)
        if facts is None or kind not in _REPORT_TRIGGERS:
            continue
        facts.triggers[_REPORT_TRIGGERS[kind]].append(requested_on)
        if remanded and court_type == CourtType.MAGISTRATES:
            facts.attributes["remanded_in_custody"] = True
        if delivered_on:
            facts.completions[_REPORT_DELIVERED[kind]].append(delivered_on)


register_fact_source("courts", courts_source, produces=frozenset(_REPORT_DELIVERED.values()))


def victims_source(cases: QuerySet[Offender], found: FactsByCase) -> None:
    from oms.victims.models import ContactOffer, InformationGiven, LicenceRepresentation

    for offender_id, offered_on, method in ContactOffer.objects.filter(
        victim__offender__in=cases
    ).values_list("victim__offender_id", "offered_on", "method"):
        facts = found.get(offender_id)
        if facts is None:
            continue
        facts.completions[RecordKind.VICTIM_CONTACT_OFFER].append(offered_on)
        if method == OfferMethod.FACE_TO_FACE:  # "a written offer of face-to-face contact" (report 2.3(a))
            facts.completions[RecordKind.VICTIM_WRITTEN_OFFER].append(offered_on)
    stages: dict[str, RecordKind] = {
        InformationStage.RELEASE: RecordKind.VICTIM_TOLD_OF_RELEASE,
        InformationStage.LICENCE_CONDITIONS: RecordKind.VICTIM_ASKED_ABOUT_LICENCE_CONDITIONS,
    }
    for offender_id, stage, given_on in InformationGiven.objects.filter(
        victim__offender__in=cases
    ).values_list("victim__offender_id", "stage", "given_on"):
        if offender_id in found and stage in stages:
            found[offender_id].completions[stages[stage]].append(given_on)
    for offender_id, received_on in LicenceRepresentation.objects.filter(
        victim__offender__in=cases
    ).values_list("victim__offender_id", "received_on"):
        if offender_id in found:
            found[offender_id].completions[RecordKind.VICTIM_ASKED_ABOUT_LICENCE_CONDITIONS].append(
                received_on
            )


register_fact_source(
    "victims",
    victims_source,
    produces=frozenset(
        {
            RecordKind.VICTIM_CONTACT_OFFER,
            RecordKind.VICTIM_WRITTEN_OFFER,
            RecordKind.VICTIM_TOLD_OF_RELEASE,
            RecordKind.VICTIM_ASKED_ABOUT_LICENCE_CONDITIONS,
        }
    ),
)


def _completed_on(submitted_at: datetime | None, locked_at: datetime | None) -> date | None:
    moment = submitted_at or locked_at
    return _local_day(moment) if moment else None


def risk_source(cases: QuerySet[Offender], found: FactsByCase) -> None:
    """RoH screening and analysis, likelihood of reoffending, RMP, and every countersigned document."""
    from oms.risk.countersigning import document_models
    from oms.risk.models import (
        ReoffendingAssessment,
        RiskManagementPlan,
        RiskOfHarmAnalysis,
        RiskOfHarmScreening,
    )

    done = [CountersigningStatus.SUBMITTED, CountersigningStatus.LOCKED]
    screenings = RiskOfHarmScreening.objects.filter(offender__in=cases, status__in=done).values_list(
        "offender_id", "submitted_at", "locked_at", "full_analysis_needed", "sequence", "mappa_eligible"
    )
    for offender_id, submitted_at, locked_at, needs_analysis, sequence, mappa_eligible in screenings:
        day = _completed_on(submitted_at, locked_at)
        if offender_id in found and day:
            found[offender_id].completions[RecordKind.ROH_SCREENING].append(day)
            if sequence > 1:
                # A re-screening reviews the RoH as a second full analysis does (report 2.2(a)): a
                # low RoH case is never re-analysed in full, so only its re-screening can review it.
                found[offender_id].completions[RecordKind.ROH_REVIEW].append(day)
            if needs_analysis:
                found[offender_id].triggers[Trigger.SCREENING_INDICATES_FULL_ANALYSIS].append(day)
            if mappa_eligible:
                found[offender_id].triggers[Trigger.MAPPA_REFERRAL_INDICATED].append(day)
    for offender_id, submitted_at, locked_at, level, sequence in RiskOfHarmAnalysis.objects.filter(
        offender__in=cases, status__in=done
    ).values_list("offender_id", "submitted_at", "locked_at", "overall_level", "sequence"):
        day = _completed_on(submitted_at, locked_at)
        if offender_id not in found or day is None:
            continue
        facts = found[offender_id]
        facts.completions[RecordKind.FULL_ROH_ANALYSIS].append(day)
        if sequence > 1:
            facts.completions[RecordKind.ROH_REVIEW].append(day)
        if level and RiskOfHarmLevel(level).at_least(RiskOfHarmLevel.MEDIUM):
            facts.triggers[Trigger.MEDIUM_OR_HIGHER_ROH_FOUND].append(day)
        if level and RiskOfHarmLevel(level).at_least(RiskOfHarmLevel.HIGH):
            facts.triggers[Trigger.MAPPA_REFERRAL_INDICATED].append(day)
    for offender_id, submitted_at, locked_at in ReoffendingAssessment.objects.filter(
        offender__in=cases, status__in=done
    ).values_list("offender_id", "submitted_at", "locked_at"):
        day = _completed_on(submitted_at, locked_at)
        if offender_id in found and day:
            found[offender_id].completions[RecordKind.OASYS_ASSESSMENT].append(day)
            found[offender_id].triggers[Trigger.LAST_OASYS_ASSESSMENT].append(day)
    for offender_id, submitted_at, locked_at in RiskManagementPlan.objects.filter(
        offender__in=cases, status__in=done
    ).values_list("offender_id", "submitted_at", "locked_at"):
        day = _completed_on(submitted_at, locked_at)
        if offender_id in found and day:
            found[offender_id].completions[RecordKind.RISK_MANAGEMENT_PLAN].append(day)
    for model in document_models():
        rows = model.objects.filter(
            offender__in=cases, countersigning_required=True, submitted_at__isnull=False
        )
        for offender_id, submitted_at, first_submitted_at, countersigned_at in rows.values_list(
            "offender_id", "submitted_at", "first_submitted_at", "countersigned_at"
        ):
            if offender_id not in found:
                continue
            facts = found[offender_id]
            facts.attributes["countersigning_required"] = True
            # The clock runs from the first submission: a roll-back does not reset it.
            started = first_submitted_at or submitted_at
            facts.triggers[Trigger.SUBMITTED_FOR_COUNTERSIGNING].append(_local_day(started))
            if countersigned_at:
                facts.completions[RecordKind.COUNTERSIGNATURE].append(_local_day(countersigned_at))


register_fact_source(
    "risk",
    risk_source,
    produces=frozenset(
        {
            RecordKind.ROH_SCREENING,
            RecordKind.FULL_ROH_ANALYSIS,
            RecordKind.ROH_REVIEW,
            RecordKind.OASYS_ASSESSMENT,
            RecordKind.RISK_MANAGEMENT_PLAN,
            RecordKind.COUNTERSIGNATURE,
        }
    ),
)
