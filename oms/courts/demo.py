"""Demo history: a pre-sentence report for each recent sentence, delivered on time at the calibrated rate."""

from __future__ import annotations

import random
from datetime import date, timedelta

from oms.cases.constants import EventKind
from oms.cases.models import Event
from oms.courts import rules
from oms.courts.constants import CourtType, Proposal, ReportKind
from oms.courts.models import PreSentenceReport
from oms.demo.calibration import Quota, share
from oms.organisation.models import Area
from oms.timescales.calendar import add_working_days

RECENT_SENTENCE_DAYS = 365
COURT_FOLLOWED_SHARE = 0.8
KIND_WEIGHTS = {ReportKind.STANDARD_DELIVERY: 55, ReportKind.FAST_DELIVERY: 35, ReportKind.ORAL: 10}
SENTENCE_FOR_EVENT = {
    EventKind.COMMUNITY_ORDER: Proposal.COMMUNITY_ORDER,
    EventKind.SUSPENDED_SENTENCE_ORDER: Proposal.SUSPENDED_SENTENCE_ORDER,
    EventKind.CUSTODY: Proposal.CUSTODY,
    EventKind.LICENCE: Proposal.CUSTODY,
}


def enrich_court_reports(area: Area, as_of: date, rng: random.Random) -> None:
    events = (
        Event.objects.filter(
            offender__area=area, sentence_date__gte=as_of - timedelta(days=RECENT_SENTENCE_DAYS)
        )
        .exclude(kind=EventKind.LICENCE)
        .values_list(
            "offender_id", "offender__offender_manager_id", "court", "offence_id", "sentence_date", "kind"
        )
        .order_by("sentence_date", "pk")
    )
    # Court report timeliness (report 4.2: 90%, target 90%): on time at the calibrated rate, in date order.
    on_time = Quota(share("court_report_timeliness"), rng)
    reports = []
    kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    for offender_id, author_id, court, offence_id, sentence_date, event_kind in events:
        kind = rng.choices(kinds, weights=weights)[0]
        remanded = event_kind == EventKind.CUSTODY and rng.random() < 0.3
        court_type = CourtType.CROWN if "Crown" in court else CourtType.MAGISTRATES
        days_before = {ReportKind.STANDARD_DELIVERY: 16, ReportKind.FAST_DELIVERY: 3, ReportKind.ORAL: 0}[
            kind
        ]
        requested_on = add_working_days(sentence_date, -days_before) if days_before else sentence_date
        due = rules.report_due(
            kind, requested_on, remanded_at_magistrates=remanded and court_type == CourtType.MAGISTRATES
        )
        if on_time():
            delivered_on = due if kind == ReportKind.ORAL else add_working_days(due, -rng.randint(0, 2))
            delivered_on = max(delivered_on, requested_on)
        else:
            delivered_on = add_working_days(due, rng.randint(1, 4))
        sentence = SENTENCE_FOR_EVENT[EventKind(event_kind)]
        followed = rng.random() < COURT_FOLLOWED_SHARE
        proposal = (
            sentence if followed else rng.choice([p for p in SENTENCE_FOR_EVENT.values() if p != sentence])
        )
        reports.append(
            PreSentenceReport(
                offender_id=offender_id,
                kind=kind,
                court=court,
                court_type=court_type,
                requested_on=requested_on,
                hearing_date=sentence_date,
                offence_id=offence_id,
                remanded_in_custody=remanded,
                author_id=author_id,
                risk_of_harm="Assessed from the RoH screening: see the assessment.",
                likelihood_of_reoffending="OGRS3 as assessed; the offending is linked to the needs below.",
                victim_information="The victim's account was taken from the Crown Prosecution Service papers.",
                self_harm="No current indicators of self-harm.",
                outline_sentence_plan="Supervision with work on thinking and behaviour."
                if proposal in (Proposal.COMMUNITY_ORDER, Proposal.SUSPENDED_SENTENCE_ORDER)
                else "",
                proposal=proposal,
                delivered_on=delivered_on,
                sentence_passed=sentence,
                court_followed_proposal=followed,
                sentencer_feedback=rng.choice(["", "", "Clear and balanced.", "Proposal realistic."]),
                feedback_received_on=sentence_date if rng.random() < 0.3 else None,
            )
        )
    PreSentenceReport.objects.bulk_create(reports, batch_size=500)
