"""Reads shared by the inspection pages, the API and the CLI: a fixed number of queries each.

Scores are never stored: they are recomputed from the stored answers through the pure
``scoring.score_answers``, so the inspection page, the report and ``oms inspection score`` agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.db.models import Count, Q, QuerySet

from oms.cases.constants import EthnicGroup, EventKind, Gender
from oms.cases.models import Event, Offender
from oms.inspection import sampling
from oms.inspection.constants import IMPROVEMENT_PLAN_DUE_WEEKS, InspectionKind, InspectionStatus
from oms.inspection.framework import Criterion, Framework, load_framework
from oms.inspection.models import (
    Answer,
    ImprovementPlanAction,
    Inspection,
    SampledCase,
)
from oms.inspection.scoring import below_priority_line, score_answers
from oms.inspection.timetable import timetable

# spec "Sampling" (statutory victim contact): violent or sexual offence, custody of 12 months or more.
STATUTORY_VICTIM_CONTACT_MONTHS = 12
UNALLOCATED = "Unallocated"


@lru_cache(maxsize=8)
def framework_by_id(framework_id: str) -> Framework:
    """Frameworks are immutable files: parse each once per process."""
    return load_framework(framework_id)


def framework_of(inspection: Inspection) -> Framework:
    return framework_by_id(inspection.framework_id)


# ------------------------------------------------------------------ sampling from the database

_EVENT_KINDS = {
    EventKind.COMMUNITY_ORDER: sampling.EventKind.COMMUNITY,
    EventKind.SUSPENDED_SENTENCE_ORDER: sampling.EventKind.COMMUNITY,
    EventKind.LICENCE: sampling.EventKind.LICENCE,
    EventKind.CUSTODY: sampling.EventKind.CUSTODY,
}


def sampling_candidates(area_cases: QuerySet[Offender], as_of: date) -> list[sampling.SamplingCandidate]:
    """One candidate per current case (its latest active event), built from a single query."""
    events = (
        Event.objects.filter(offender__in=area_cases, is_active=True)
        .select_related(
            "offence",
            "offender__ethnicity",
            "offender__offender_manager__team__unit",
        )
        .order_by("offender_id", "sentence_date", "number")
    )
    latest: dict[int, Event] = {}
    for event in events:
        if event.kind == EventKind.CUSTODY and event.offender_id in latest:
            continue  # a community order or licence already running is what is supervised
        latest[event.offender_id] = event
    candidates = []
    for event in latest.values():
        offender = event.offender
        manager = offender.offender_manager
        team = manager.team if manager else None
        candidates.append(
            sampling.SamplingCandidate(
                crn=offender.crn,
                first_name=offender.first_name,
                family_name=offender.family_name,
                date_of_birth=offender.date_of_birth,
                pnc=offender.pnc_number or None,
                gender=sampling.Gender(offender.gender)
                if offender.gender in (Gender.MALE, Gender.FEMALE)
                else None,
                start_date=event.start_date,
                event_kind=_EVENT_KINDS[EventKind(event.kind)],
                risk_of_harm_level=sampling.RiskOfHarmLevel(offender.risk_of_harm_level)
                if offender.risk_of_harm_level
                else None,
                officer=manager.full_name if manager else UNALLOCATED,
                unit=team.name if team else UNALLOCATED,
                cluster=team.unit.name if team else UNALLOCATED,
                is_ppo=offender.is_ppo,
                in_approved_premises=offender.approved_premises_id is not None,
                statutory_victim_contact=event.offence.is_violent_or_sexual
                and event.kind in (EventKind.LICENCE, EventKind.CUSTODY)
                and event.length_months >= STATUTORY_VICTIM_CONTACT_MONTHS,
                is_minority_ethnic=bool(
                    offender.ethnicity and offender.ethnicity.group == EthnicGroup.MINORITY_ETHNIC
                ),
            )
        )
    return candidates


def draw_sample(
    area_cases: QuerySet[Offender], method: str, size: int, seed: int | str, as_of: date
) -> dict[str, Any]:
    """Run a sampler over the area's current cases; pure after one read."""
    candidates = sampling_candidates(area_cases, as_of)
    if method == "omi":
        return sampling.sample_omi(candidates, size, seed, as_of)
    return sampling.sample_stratified(candidates, size, seed, as_of)


# ------------------------------------------------------------------ scores and progress


def answers_payload(inspection: Inspection) -> dict[str, Any]:
    """The stored answers in the shape ``oms inspection score`` reads, in one query (plus ratings)."""
    by_case: dict[str, dict[str, str]] = {}
    for crn, question_id, value in (
        Answer.objects.filter(sampled_case__inspection=inspection)
        .exclude(value="")
        .values_list("sampled_case__offender__crn", "question_id", "value")
    ):
        by_case.setdefault(crn, {})[question_id] = value
    ratings = dict(inspection.ratings.values_list("criterion_id", "rating"))
    return {
        "cases": [{"case": crn, "answers": answers} for crn, answers in sorted(by_case.items())],
        "ratings": ratings,
    }


def inspection_scores(inspection: Inspection) -> dict[str, Any]:
    return score_answers(framework_of(inspection), answers_payload(inspection))


@dataclass(frozen=True)
class Progress:
    cases: int
    cases_done: int
    questions: int
    questions_answered: int
    questions_confirmed: int
    prefilled_unconfirmed: int

    @property
    def percent_questions(self) -> int:
        return round(100 * self.questions_confirmed / self.questions) if self.questions else 0


def inspection_progress(inspection: Inspection) -> Progress:
    """Cases fully confirmed and questions done, from two aggregate queries."""
    framework = framework_of(inspection)
    per_case = sum(len(c.all_questions) for s in framework.scored_sections for c in s.criteria)
    rows = (
        SampledCase.objects.filter(inspection=inspection)
        .annotate(
            confirmed=Count("answers", filter=Q(answers__confirmed_at__isnull=False)),
            answered=Count("answers", filter=~Q(answers__value="")),
            unconfirmed_prefill=Count(
                "answers", filter=Q(answers__confirmed_at__isnull=True) & ~Q(answers__prefilled_value="")
            ),
        )
        .values_list("confirmed", "answered", "unconfirmed_prefill")
    )
    cases = cases_done = confirmed = answered = unconfirmed = 0
    for case_confirmed, case_answered, case_unconfirmed in rows:
        cases += 1
        confirmed += case_confirmed
        answered += case_answered
        unconfirmed += case_unconfirmed
        if case_confirmed >= per_case:
            cases_done += 1
    return Progress(cases, cases_done, cases * per_case, answered, confirmed, unconfirmed)


@dataclass
class QuestionRow:
    id: str
    text: str
    is_summary: bool
    threads: tuple[str, ...]
    answer: Answer | None

    @property
    def value(self) -> str:
        return self.answer.value if self.answer else ""


@dataclass
class CriterionBlock:
    criterion: Criterion
    section_title: str
    questions: list[QuestionRow] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for q in self.questions if q.answer and q.answer.confirmed_at)

    @property
    def status(self) -> str:
        """The task list's status: every question confirmed, some, or none yet."""
        if self.done == len(self.questions):
            return "Completed"
        return "In progress" if self.done else "Not yet started"

    @property
    def prefilled(self) -> int:
        return sum(
            1 for q in self.questions if q.answer and q.answer.prefilled_value and not q.answer.confirmed_at
        )


def assessment_blocks(framework: Framework, sampled_case: SampledCase) -> list[CriterionBlock]:
    """The case's questions grouped by criterion with their stored answers: one query for the answers."""
    answers = {
        a.question_id: a
        for a in Answer.objects.filter(sampled_case=sampled_case).select_related("confirmed_by")
    }
    blocks = []
    for section in framework.scored_sections:
        for criterion in section.criteria:
            block = CriterionBlock(criterion, section.title)
            for question in criterion.all_questions:
                block.questions.append(
                    QuestionRow(
                        question.id,
                        question.text,
                        question.is_summary,
                        question.threads,
                        answers.get(question.id),
                    )
                )
            blocks.append(block)
    return blocks


def sampled_case_rows(inspection: Inspection) -> QuerySet[SampledCase]:
    """The sample with each case's counts, for the inspection page (one query)."""
    return (
        SampledCase.objects.filter(inspection=inspection)
        .select_related("offender", "assessor")
        .annotate(
            confirmed=Count("answers", filter=Q(answers__confirmed_at__isnull=False)),
            noes=Count("answers", filter=Q(answers__value="no")),
        )
        .order_by("row")
    )


def cases_below_the_line(inspection: Inspection, scores: dict[str, Any]) -> list[dict[str, Any]]:
    """Self-assessment: for each criterion under the priority line, the cases answered "no" in it."""
    framework = framework_of(inspection)
    below = [
        criterion
        for section in framework.scored_sections
        for criterion in section.criteria
        if (rounded := scores["criteria"][criterion.id]["rounded"]) is not None
        and below_priority_line(framework, rounded)
    ]
    if not below:
        return []
    question_criterion = {q.id: c.id for c in below for q in c.all_questions}
    noes: dict[str, dict[str, list[str]]] = {c.id: {} for c in below}
    for crn, question_id in (
        Answer.objects.filter(
            sampled_case__inspection=inspection, value="no", question_id__in=list(question_criterion)
        )
        .order_by("sampled_case__row", "question_id")
        .values_list("sampled_case__offender__crn", "question_id")
    ):
        noes[question_criterion[question_id]].setdefault(crn, []).append(question_id)
    # The question's words beside its id: "1.1.i" alone means nothing to an area reading its gaps.
    texts = {q.id: q.text for c in below for q in c.all_questions}
    return [
        {
            "criterion": criterion,
            "score": scores["criteria"][criterion.id],
            "cases": sorted((crn, [(q, texts[q]) for q in ids]) for crn, ids in noes[criterion.id].items()),
        }
        for criterion in below
    ]


# ------------------------------------------------------------------ improvement plan


def improvement_plan_due_date(inspection: Inspection) -> date | None:
    """spec "Next steps": the improvement plan is due four weeks after publication."""
    if inspection.published_on is None:
        return None
    return inspection.published_on + timedelta(weeks=IMPROVEMENT_PLAN_DUE_WEEKS)


@dataclass(frozen=True)
class PlanReminder:
    """One thing due: the plan itself (to the area's lead owner) or an action (to its owner)."""

    staff_id: int
    staff_name: str
    email: str
    what: str
    due: date
    overdue: bool
    inspection_id: int


def improvement_plan_reminders(as_of: date, within_days: int = 7) -> list[PlanReminder]:
    """What is due in the next ``within_days`` or overdue, for ``oms remind`` (three queries), with the
    timetable's steps before publication for lead inspectors.

    Each open action reminds its owner; each published inspection whose plan due date is near and
    which still has open actions reminds the owners of those actions that the plan as a whole is due.
    """
    horizon = as_of + timedelta(days=within_days)
    reminders: list[PlanReminder] = []
    actions = (
        ImprovementPlanAction.objects.filter(
            done=False, recommendation__inspection__status=InspectionStatus.PUBLISHED
        )
        .select_related("owner", "recommendation__inspection__area")
        .order_by("due_date", "id")
    )
    plan_due_owners: dict[int, set[int]] = {}
    for action in actions:
        inspection = action.recommendation.inspection
        if action.due_date <= horizon:
            reminders.append(
                PlanReminder(
                    action.owner_id,
                    action.owner.full_name,
                    action.owner.email,
                    f"Improvement plan action for recommendation {action.recommendation.number} "
                    f"({inspection.area.name}): {action.action}",
                    action.due_date,
                    action.due_date < as_of,
                    inspection.pk,
                )
            )
        plan_due = improvement_plan_due_date(inspection)
        owners_told = plan_due_owners.setdefault(inspection.pk, set())
        if plan_due is not None and plan_due <= horizon and action.owner_id not in owners_told:
            owners_told.add(action.owner_id)
            reminders.append(
                PlanReminder(
                    action.owner_id,
                    action.owner.full_name,
                    action.owner.email,
                    f"The improvement plan for the inspection of {inspection.area.name} is due",
                    plan_due,
                    plan_due < as_of,
                    inspection.pk,
                )
            )
    reminders += _timetable_reminders(as_of)
    return reminders


def _timetable_reminders(as_of: date) -> list[PlanReminder]:
    """Appendix 2's steps before publication, reminded to the lead inspector (one query): feedback at
    the end of fieldwork (reminded before, never chased: OMS holds no record of it), the draft four to
    six weeks later (done once the inspection is in draft), publication about 12 weeks after."""
    reminders = []
    for inspection in Inspection.objects.filter(
        kind=InspectionKind.INSPECTION, status__in=[InspectionStatus.FIELDWORK, InspectionStatus.DRAFT]
    ).select_related("lead", "area"):
        in_draft = inspection.status == InspectionStatus.DRAFT
        for step in timetable(
            inspection.fieldwork_end, None, draft_sent_on=inspection.fieldwork_end if in_draft else None
        ):
            state = step.state(as_of)
            if step.key == "improvement_plan" or state not in ("due soon", "overdue"):
                continue
            if step.key == "feedback" and state == "overdue":
                continue
            reminders.append(
                PlanReminder(
                    inspection.lead_id,
                    inspection.lead.full_name,
                    inspection.lead.email,
                    f"Inspection of {inspection.area.name}: {step.label}",
                    step.last_day,
                    state == "overdue",
                    inspection.pk,
                )
            )
    return reminders


def area_current_cases(inspection: Inspection) -> QuerySet[Offender]:
    return Offender.objects.filter(area_id=inspection.area_id)
