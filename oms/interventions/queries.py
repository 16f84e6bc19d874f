"""Reads of interventions and MAPPA/PPO work shared by pages, panels and the API: fixed query counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from oms.accounts.permissions import AnyUser, visible_cases
from oms.cases.constants import RegistrationKind
from oms.cases.models import Offender, Registration, Requirement
from oms.interventions import rules
from oms.interventions.constants import UnpaidWorkEntryKind
from oms.interventions.models import (
    DrrReview,
    DrugTest,
    EnhancedContactLevel,
    EteOutcome,
    MappaAction,
    MappaMeeting,
    PremisesPlacement,
    ProgrammeReferral,
    SkillsForLife,
    UnpaidWorkEntry,
    UnpaidWorkPlacement,
)

UNPAID_WORK = "unpaid_work"
RECENT_ENTRIES = 20


def _ledger_annotations() -> dict[str, Any]:
    return {
        f"total_{kind}": Sum("unpaid_work_entries__hours", filter=Q(unpaid_work_entries__kind=kind))
        for kind in UnpaidWorkEntryKind.values
    }


@dataclass
class UnpaidWorkSummary:
    requirement: Requirement
    ledger: rules.UnpaidWorkLedger
    completion_due: date
    completion_status: str
    offered_last_seven_days: Decimal = Decimal(0)

    @property
    def offer_met_this_week(self) -> bool:
        return self.offered_last_seven_days >= rules.HOURS_TO_OFFER_EACH_WEEK


def unpaid_work_requirements(requirements: QuerySet[Requirement], as_of: date) -> list[UnpaidWorkSummary]:
    """Each unpaid work requirement with its ledger: one query, whatever the number of entries."""
    week_ago = as_of - timedelta(days=6)
    rows = (
        requirements.filter(requirement_type_id=UNPAID_WORK)
        .select_related("event__offender", "requirement_type")
        .annotate(
            **_ledger_annotations(),
            offered_recently=Sum(
                "unpaid_work_entries__hours",
                filter=Q(
                    unpaid_work_entries__kind=UnpaidWorkEntryKind.OFFERED,
                    unpaid_work_entries__on__gte=week_ago,
                ),
            ),
        )
        .order_by("event__sentence_date", "pk")
    )
    summaries = []
    for requirement in rows:
        ledger = rules.UnpaidWorkLedger(
            hours_ordered=Decimal(requirement.hours or 0),
            **{k: getattr(requirement, f"total_{k}") or Decimal(0) for k in UnpaidWorkEntryKind.values},
        )
        order_date = requirement.event.sentence_date
        summaries.append(
            UnpaidWorkSummary(
                requirement=requirement,
                ledger=ledger,
                completion_due=rules.completion_due(order_date),
                completion_status=rules.completion_status(order_date, ledger, as_of),
                offered_last_seven_days=requirement.offered_recently or Decimal(0),  # type: ignore[attr-defined]
            )
        )
    return summaries


@dataclass
class CaseInterventions:
    referrals: list[ProgrammeReferral]
    unpaid_work: list[UnpaidWorkSummary]
    unpaid_work_entries: list[UnpaidWorkEntry]
    placements: list[UnpaidWorkPlacement]
    drug_tests: list[DrugTest]
    drr_reviews: list[DrrReview]
    skills_for_life: SkillsForLife | None
    ete_outcomes: list[EteOutcome]
    premises_placements: list[PremisesPlacement]
    as_of: date
    not_started_as_planned: list[ProgrammeReferral] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(
            [
                self.referrals,
                self.unpaid_work,
                self.drug_tests,
                self.drr_reviews,
                self.skills_for_life,
                self.ete_outcomes,
                self.premises_placements,
            ]
        )


def case_interventions(offender: Offender, as_of: date) -> CaseInterventions:
    referrals = list(ProgrammeReferral.objects.filter(offender=offender))
    for referral in referrals:
        referral.late_start = referral.not_started_as_planned(as_of)  # type: ignore[attr-defined]
    skills = SkillsForLife.objects.filter(offender=offender).prefetch_related("targets", "awards").first()
    return CaseInterventions(
        referrals=referrals,
        unpaid_work=unpaid_work_requirements(Requirement.objects.filter(event__offender=offender), as_of),
        unpaid_work_entries=list(
            UnpaidWorkEntry.objects.filter(offender=offender).select_related("placement")[:RECENT_ENTRIES]
        ),
        placements=list(UnpaidWorkPlacement.objects.filter(offender=offender)),
        drug_tests=list(DrugTest.objects.filter(offender=offender)[:RECENT_ENTRIES]),
        drr_reviews=list(DrrReview.objects.filter(offender=offender)),
        skills_for_life=skills,
        ete_outcomes=list(EteOutcome.objects.filter(offender=offender)),
        premises_placements=list(
            PremisesPlacement.objects.filter(offender=offender).select_related("premises")
        ),
        as_of=as_of,
        not_started_as_planned=[r for r in referrals if r.not_started_as_planned(as_of)],
    )


@dataclass
class CaseMultiAgency:
    registrations: list[Registration]
    meetings: list[MappaMeeting]
    enhanced_contact: EnhancedContactLevel | None
    as_of: date

    @property
    def open_actions(self) -> list[MappaAction]:
        return [a for m in self.meetings for a in m.action_list if not a.done_on]  # type: ignore[attr-defined]


def case_multi_agency(offender: Offender, as_of: date) -> CaseMultiAgency:
    meetings = list(MappaMeeting.objects.filter(offender=offender))
    actions: dict[int, list[MappaAction]] = {m.pk: [] for m in meetings}
    owned = MappaAction.objects.filter(meeting__offender=offender).select_related("owner_staff")
    for action in owned.order_by("due_on", "id"):
        actions.setdefault(action.meeting_id, []).append(action)
    for meeting in meetings:
        meeting.action_list = actions[meeting.pk]  # type: ignore[attr-defined]
    return CaseMultiAgency(
        registrations=list(
            Registration.objects.filter(
                offender=offender, kind__in=[RegistrationKind.MAPPA, RegistrationKind.PPO]
            )
        ),
        meetings=meetings,
        enhanced_contact=EnhancedContactLevel.objects.filter(offender=offender).first(),
        as_of=as_of,
    )


def area_programme_referrals(user: AnyUser) -> QuerySet[ProgrammeReferral]:
    """Current referrals of the cases the user may see, soonest planned start first."""
    return (
        ProgrammeReferral.objects.filter(offender__in=visible_cases(user).values("pk"), ended_on__isnull=True)
        .select_related("offender")
        .order_by("planned_start_on", "pk")
    )


def area_unpaid_work(user: AnyUser, as_of: date) -> list[UnpaidWorkSummary]:
    requirements = Requirement.objects.filter(
        event__offender__in=visible_cases(user).values("pk"), event__is_active=True
    )
    return unpaid_work_requirements(requirements, as_of)


def ledger_record(summary: UnpaidWorkSummary) -> dict[str, object]:
    ledger = summary.ledger
    return {
        "requirement_id": summary.requirement.pk,
        "hours_ordered": ledger.hours_ordered,
        "offered": ledger.offered,
        "worked": ledger.worked,
        "stood_down": ledger.stood_down,
        "skills_for_life": ledger.skills_for_life,
        "remaining": ledger.remaining,
        "completion_due": summary.completion_due,
        "completion_status": summary.completion_status,
        "offered_last_seven_days": summary.offered_last_seven_days,
    }
