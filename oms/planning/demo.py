"""Demo sentence plans and reviews shaped like the report's practice (criteria 1.5 and 2.1).

The report's figures are the shape: a plan in nearly every community case but only 56% on time
(1.5(b)); reviews not done every 16 weeks in almost half the sample (2.1(a)); standard plans given to
unpaid-work-only cases with objectives their tier would never deliver (1.5(c)); countersigning of
PSO and TPO work with some rollbacks and delays (as for assessments). Everything is written in bulk,
one round of INSERTs per plan version, so the 2,338-case area enriches in seconds.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from oms.cases.constants import EventKind
from oms.cases.models import Event, Offender, Requirement
from oms.demo.changes import significant_changes
from oms.organisation.models import Area, Staff
from oms.planning.constants import ContactLevel, Deliverer, ObjectiveStatus, PlanKind
from oms.planning.models import Objective, ObjectiveProgress, SentencePlan
from oms.planning.rules import REVIEW_WEEKS, SentencePurpose, initial_plan_due, is_unpaid_work_only
from oms.risk.countersigning import (
    CountersigningAction,
    CountersigningEvent,
    CountersigningStatus,
)
from oms.risk.countersigning_rules import DEFAULT_COUNTERSIGNING_CONFIG, countersigning_required
from oms.risk.models import ReoffendingAssessment, RiskManagementPlan
from oms.risk.needs import CriminogenicNeed, NeedSeverity, severity
from oms.timescales.calendar import add_working_days

# report 1.5(b): "In five cases, no plan was prepared and only 56% of plans were completed in the
# required timescale."
PLAN_WRITTEN = 0.93
PLAN_LATE = 0.44
# report 2.1(a): "Sentence plans were not reviewed every 16 weeks ... in almost half of the sample."
REVIEWS_SLIPPING = 0.47
REVIEW_MISSED_WHEN_SLIPPING = 0.5
# Issue 10: late work is completed late, not never. The plans the report found missing were written
# late; a slipping review is done late (a missed one later still), and the area, which meets most
# targets, now does most reviews in the fortnight before they are due.
MISSING_PLAN_WRITTEN_AFTER_DAYS = (30, 60)
REVIEW_LATE_DAYS = (5, 20)
REVIEW_MISSED_LATE_DAYS = (21, 35)
MAXIMUM_REVIEWS = 8
# report 1.5(c): a standard plan given to unpaid work cases, with objectives the tier would not deliver.
STANDARD_PLAN_ON_UPW = 0.5
# As for assessments (report 1.2(b)): some rolled back, some countersigned months late.
ROLLED_BACK = 0.1
COUNTERSIGNED_MONTHS_LATE = 0.03
# report 1.5(b): 78% of offenders had the opportunity to participate; agreement recorded in most.
PARTICIPATED = 0.78
AGREED = 0.85
PROGRESS_RECORDED = 0.4

ROLLBACK_REASONS = (
    "Objectives are not linked to the needs in the OASys assessment.",
    "No cross-reference to the risk management plan for a medium RoH case.",
    "Sequencing of the requirements is not considered: programme before unpaid work?",
    "Target dates missing on two objectives.",
)
# need -> (objective, intervention, purpose, who delivers)
NEED_OBJECTIVES: dict[CriminogenicNeed, tuple[str, str, SentencePurpose, str]] = {
    CriminogenicNeed.ACCOMMODATION: (
        "Find settled accommodation",
        "Housing advice referral",
        SentencePurpose.HELP,
        "Shelter",
    ),
    CriminogenicNeed.EDUCATION_TRAINING_EMPLOYABILITY: (
        "Improve reading and writing to Entry 3",
        "Skills for life tuition",
        SentencePurpose.HELP,
        "",
    ),
    CriminogenicNeed.FINANCIAL_MANAGEMENT: (
        "Agree a plan to pay off debts",
        "Money advice session",
        SentencePurpose.HELP,
        "Citizens Advice",
    ),
    CriminogenicNeed.RELATIONSHIPS: (
        "Keep contact with the children safely",
        "Family work sessions",
        SentencePurpose.CHANGE,
        "",
    ),
    CriminogenicNeed.LIFESTYLE_ASSOCIATES: (
        "Spend less time with co-defendants",
        "Offender manager sessions",
        SentencePurpose.CHANGE,
        "",
    ),
    CriminogenicNeed.DRUG_MISUSE: (
        "Stop using heroin",
        "Drug treatment (DIP)",
        SentencePurpose.CHANGE,
        "Drug and alcohol service",
    ),
    CriminogenicNeed.ALCOHOL_MISUSE: (
        "Cut down drinking",
        "Alcohol treatment sessions",
        SentencePurpose.CHANGE,
        "Drug and alcohol service",
    ),
    CriminogenicNeed.EMOTIONAL_WELLBEING: (
        "See the GP about low mood",
        "GP referral",
        SentencePurpose.HELP,
        "",
    ),
    CriminogenicNeed.THINKING_BEHAVIOUR: (
        "Think before acting when angry",
        "Enhanced Thinking Skills (ETS)",
        SentencePurpose.CHANGE,
        "",
    ),
    CriminogenicNeed.ATTITUDES: (
        "Understand the harm to the victim",
        "Victim awareness work",
        SentencePurpose.CHANGE,
        "",
    ),
}
PROGRESS_NOTES = (
    "Attended every session this month.",
    "Referral made; waiting for a start date.",
    "Missed one session, made it up.",
    "Good progress reported by the tutor.",
)


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@dataclass
class _Batch:
    plans: list[SentencePlan] = field(default_factory=list)
    objectives: list[tuple[SentencePlan, list[Objective]]] = field(default_factory=list)
    events: list[tuple[SentencePlan, list[tuple[str, int | None, datetime, str]]]] = field(
        default_factory=list
    )


class _Enricher:
    def __init__(self, area: Area, as_of: date, rng: random.Random) -> None:
        self.area, self.as_of, self.rng = area, as_of, rng
        self.batch = _Batch()
        self.spo_by_team: dict[int, int] = {}
        for spo in Staff.objects.filter(area=area, grade__role="spo").prefetch_related("manages_teams"):
            for team in spo.manages_teams.all():
                self.spo_by_team.setdefault(team.pk, spo.pk)
        self.staff = {s.pk: s for s in Staff.objects.filter(area=area, grade__holds_caseload=True)}
        self.changes = significant_changes(area)

    def _later(self, start: date, low: int, high: int) -> date:
        return add_working_days(start, self.rng.randint(low, high))

    def _sign_off(self, plan: SentencePlan, submitted: date, level: str | None) -> date:
        """Submit, then countersign (perhaps after a rollback, perhaps late) or leave waiting. Returns
        the day the plan was settled (locked), or the submission day when still waiting."""
        rng, author = self.rng, self.staff[plan.author_id]
        log: list[tuple[str, int | None, datetime, str]] = []
        plan.submitted_at = plan.first_submitted_at = _at(submitted)
        plan.countersigning_required = countersigning_required(
            author.grade_id, level, DEFAULT_COUNTERSIGNING_CONFIG
        )
        if not plan.countersigning_required:
            log.append((CountersigningAction.COMPLETED, author.pk, _at(submitted), ""))
            plan.status, plan.locked_at = CountersigningStatus.LOCKED, _at(submitted)
            self.batch.events.append((plan, log))
            return submitted
        manager = self.spo_by_team.get(author.team_id) if author.team_id else None
        log.append((CountersigningAction.SUBMITTED, author.pk, _at(submitted), ""))
        day, quick = submitted, False
        if rng.random() < ROLLED_BACK:
            # Rolled back and put right within days; the corrected plan is signed at once.
            back, quick = self._later(day, 1, 3), True
            reason = rng.choice(ROLLBACK_REASONS)
            log.append((CountersigningAction.ROLLED_BACK, manager, _at(back, 15), reason))
            plan.rollback_count, plan.last_rollback_reason = 1, reason
            day = self._later(back, 1, 2)
            log.append((CountersigningAction.SUBMITTED, author.pk, _at(day, 11), ""))
            plan.submitted_at = _at(day, 11)
        late = rng.random() < COUNTERSIGNED_MONTHS_LATE
        signed = day + timedelta(days=rng.randint(35, 80)) if late else self._later(day, 0, 1 if quick else 5)
        if signed >= self.as_of:
            plan.status = CountersigningStatus.SUBMITTED
            self.batch.events.append((plan, log))
            return day
        plan.status = CountersigningStatus.LOCKED
        plan.countersigned_by_id = manager
        plan.countersigned_at = plan.locked_at = _at(signed, 16)
        log.append((CountersigningAction.COUNTERSIGNED, manager, _at(signed, 16), ""))
        self.batch.events.append((plan, log))
        return signed

    def enrich(self) -> None:
        offenders: dict[int, dict[str, Any]] = {
            row["pk"]: dict(row)
            for row in Offender.objects.filter(area=self.area, offender_manager__isnull=False).values(
                "pk", "tier", "risk_of_harm_level", "offender_manager_id"
            )
        }
        requirements: dict[int, list[str]] = defaultdict(list)
        for offender_id, kind in Requirement.objects.filter(
            event__offender__area=self.area, event__is_active=True
        ).values_list("event__offender_id", "requirement_type_id"):
            requirements[offender_id].append(kind)
        needs: dict[int, dict[str, Any]] = {}
        for offender_id, scores in (
            ReoffendingAssessment.objects.filter(offender__area=self.area)
            .order_by("sequence")
            .values_list("offender_id", "needs")
        ):
            needs[offender_id] = scores or {}
        plans_at_risk = dict(
            RiskManagementPlan.objects.filter(offender__area=self.area, status=CountersigningStatus.LOCKED)
            .order_by("sequence")
            .values_list("offender_id", "pk")
        )
        seen: set[int] = set()
        for event in Event.objects.filter(offender__in=list(offenders), is_active=True).order_by(
            "offender_id", "-sentence_date"
        ):
            if event.offender_id in seen:
                continue
            seen.add(event.offender_id)
            offender = offenders[event.offender_id]
            self._case(
                offender,
                event,
                requirements.get(event.offender_id, []),
                needs.get(event.offender_id, {}),
                plans_at_risk.get(event.offender_id),
            )
        self._write()

    def _objectives(
        self,
        offender: dict[str, Any],
        requirement_types: list[str],
        needs: dict[str, Any],
        rmp_id: int | None,
    ) -> list[Objective]:
        rng = self.rng
        rows: list[Objective] = []
        if "unpaid_work" in requirement_types:
            rows.append(
                Objective(
                    objective="Complete the unpaid work hours ordered",
                    intervention="Unpaid work placement",
                    purpose=SentencePurpose.PUNISH,
                    delivered_by=Deliverer.PARTNER,
                    partner_agency="Community Payback unit",
                )
            )
        upw_only = is_unpaid_work_only(requirement_types)
        if upw_only and rng.random() >= STANDARD_PLAN_ON_UPW:
            return rows  # a plan fitted to the order: nothing the tier will not deliver
        scored = [
            need
            for need in CriminogenicNeed
            if isinstance((needs.get(need.value) or {}).get("score"), int)
            and severity(need, needs[need.value]["score"]) is not NeedSeverity.NO_NEED
        ]
        chosen = scored[:3] if scored else rng.sample(list(CriminogenicNeed), 2)
        for need in chosen:
            words, intervention, purpose, partner = NEED_OBJECTIVES[need]
            rows.append(
                Objective(
                    objective=words,
                    need=need.value,
                    intervention=intervention,
                    purpose=purpose,
                    delivered_by=Deliverer.PARTNER if partner else Deliverer.OFFENDER_MANAGER,
                    partner_agency=partner,
                )
            )
        if offender["risk_of_harm_level"] in ("medium", "high", "very_high") or rmp_id:
            rows.append(
                Objective(
                    objective="Keep to the exclusion zone and the licence conditions",
                    linked_to_risk_management_plan=True,
                    intervention="Monitoring and home visits (risk management plan)",
                    purpose=SentencePurpose.CONTROL,
                )
            )
        return rows

    def _case(
        self,
        offender: dict[str, Any],
        event: Event,
        requirement_types: list[str],
        needs: dict[str, Any],
        rmp_id: int | None,
    ) -> None:
        rng = self.rng
        start = event.start_date
        if start > self.as_of:
            return
        months_to_release = None
        if event.release_date:
            months_to_release = (event.release_date.year - event.sentence_date.year) * 12 + (
                event.release_date.month - event.sentence_date.month
            )
        due = initial_plan_due(
            event_kind=event.kind,
            start=start,
            tier=offender["tier"],
            custody_months=event.length_months,
            months_to_release=months_to_release,
        )
        if due is None:
            return
        if rng.random() >= PLAN_WRITTEN:
            made = due + timedelta(days=rng.randint(*MISSING_PLAN_WRITTEN_AFTER_DAYS))
        elif rng.random() < PLAN_LATE:
            made = self._later(due, 1, 25)
        else:
            made = min(due, self._later(start, 1, 12))
        if made > self.as_of:
            return
        level = offender["risk_of_harm_level"] or "low"
        template = self._objectives(offender, requirement_types, needs, rmp_id)
        kind = PlanKind.CUSTODY if event.kind == EventKind.CUSTODY else PlanKind.INITIAL
        slipping = rng.random() < REVIEWS_SLIPPING
        previous: SentencePlan | None = None
        for sequence in range(1, MAXIMUM_REVIEWS + 2):
            plan = SentencePlan(
                offender_id=offender["pk"],
                event_id=event.pk,
                author_id=offender["offender_manager_id"],
                sequence=sequence,
                kind=kind if sequence == 1 else PlanKind.REVIEW,
                created_at=_at(made - timedelta(days=3)),
                updated_at=_at(made),
                risk_management_plan_id=rmp_id,
                sequencing_of_requirements="Unpaid work first while the programme place is arranged."
                if len(requirement_types) > 1
                else "",
                planned_contact_level=ContactLevel.ENHANCED
                if level in ("high", "very_high")
                else ContactLevel.STANDARD,
                offender_participated=rng.random() < PARTICIPATED,
                offender_agreed=rng.random() < AGREED,
                agreement_recorded_on=made,
                review_reason="16-week review" if sequence > 1 else "",
                progress_summary="Progress reviewed with the offender; objectives carried forward."
                if sequence > 1
                else "",
            )
            plan._previous_plan = previous  # type: ignore[attr-defined]
            settled = self._sign_off(plan, made, level)
            self.batch.plans.append(plan)
            finished = plan.status == CountersigningStatus.LOCKED
            self.batch.objectives.append((plan, self._version_objectives(template, sequence, made, finished)))
            if not finished:
                return
            # Changes since the start count from the first plan (it was written knowing only the start).
            previous, last = plan, start if sequence == 1 else made
            next_due = made + timedelta(weeks=REVIEW_WEEKS)
            if slipping and rng.random() < REVIEW_MISSED_WHEN_SLIPPING / 4:
                late = (
                    REVIEW_MISSED_LATE_DAYS
                    if rng.random() < REVIEW_MISSED_WHEN_SLIPPING
                    else REVIEW_LATE_DAYS
                )
                made = next_due + timedelta(days=rng.randint(*late))
            else:
                made = next_due - timedelta(days=rng.randint(0, 10))
            change = next((day for day in self.changes.get(offender["pk"], []) if last < day <= made), None)
            if change is not None:
                # A significant change is reviewed within days (the rule allows 5 working days).
                made = self._later(change, 0, 3)
            made = max(made, settled + timedelta(days=1))
            if made > self.as_of:
                return

    def _version_objectives(
        self, template: list[Objective], sequence: int, made: date, finished: bool
    ) -> list[Objective]:
        rng = self.rng
        rows = []
        for number, row in enumerate(template, start=1):
            status = (
                ObjectiveStatus.NOT_STARTED
                if sequence == 1
                else rng.choice(
                    [
                        ObjectiveStatus.IN_PROGRESS,
                        ObjectiveStatus.IN_PROGRESS,
                        ObjectiveStatus.ACHIEVED,
                        ObjectiveStatus.PARTLY_ACHIEVED,
                    ]
                )
            )
            objective = Objective(
                number=number,
                objective=row.objective,
                need=row.need,
                linked_to_risk_management_plan=row.linked_to_risk_management_plan,
                purpose=row.purpose,
                intervention=row.intervention,
                delivered_by=row.delivered_by,
                partner_agency=row.partner_agency,
                target_date=made + timedelta(weeks=rng.choice([8, 12, 16, 26])),
                status=status,
                progress_notes=rng.choice(PROGRESS_NOTES) if sequence > 1 else "",
            )
            objective._progress_wanted = finished and rng.random() < PROGRESS_RECORDED  # type: ignore[attr-defined]
            rows.append(objective)
        return rows

    def _write(self) -> None:
        batch = self.batch
        for sequence in range(1, MAXIMUM_REVIEWS + 2):
            round_ = [p for p in batch.plans if p.sequence == sequence]
            if not round_:
                break
            for plan in round_:
                plan.previous = plan._previous_plan  # type: ignore[attr-defined]
            SentencePlan.objects.bulk_create(round_, batch_size=500)
        objectives = []
        for plan, rows in batch.objectives:
            for row in rows:
                row.plan = plan
                objectives.append(row)
        Objective.objects.bulk_create(objectives, batch_size=1000)
        progress = []
        for plan, rows in batch.objectives:
            for row in rows:
                if getattr(row, "_progress_wanted", False) and plan.locked_at:
                    progress.append(
                        ObjectiveProgress(
                            objective=row,
                            offender_id=plan.offender_id,
                            recorded_by_id=plan.author_id,
                            recorded_at=min(
                                plan.locked_at + timedelta(days=self.rng.randint(7, 60)), _at(self.as_of)
                            ),
                            status=ObjectiveStatus.IN_PROGRESS,
                            note=self.rng.choice(PROGRESS_NOTES),
                        )
                    )
        ObjectiveProgress.objects.bulk_create(progress, batch_size=1000)
        content_type = ContentType.objects.get_for_model(SentencePlan)
        rows_out = []
        for plan, log in batch.events:
            words = f"{plan.get_kind_display()} (version {plan.sequence})"[:100]
            for action, by, at, reason in log:
                rows_out.append(
                    CountersigningEvent(
                        content_type=content_type,
                        object_id=plan.pk,
                        offender_id=plan.offender_id,
                        document=words,
                        action=action,
                        by_id=by,
                        at=at,
                        reason=reason,
                    )
                )
        CountersigningEvent.objects.bulk_create(rows_out, batch_size=1000)


def enrich_with_sentence_plans(area: Area, as_of: date, rng: random.Random) -> None:
    _Enricher(area, as_of, rng).enrich()
