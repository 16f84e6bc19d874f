"""Demo history for the inspection module: one published inspection of the demo area and one
self-assessment in progress, written in bulk.

The published inspection reproduces the report's Chart 1: each criterion's questions are answered
"yes" in exactly the report's proportion of the relevant cases (spread around it question by question,
evenly either side), so each criterion scores the report's figure and the Risk of Harm thread about
66% (no re-inspection). Section 4 is rated as Table 1, except 4.2, which the demo's inspectors judge
from the area's own performance table; the questionnaire counts and the seven recommendations are the
report's, and an improvement plan is under way.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from oms.cases.models import Offender
from oms.inspection import services
from oms.inspection.constants import (
    DEFAULT_FRAMEWORK_ID,
    IMPROVEMENT_PLAN_DUE_WEEKS,
    InspectionKind,
    InspectionStatus,
    QuestionnaireKind,
    SamplingMethod,
    TeamRole,
)
from oms.inspection.framework import Framework
from oms.inspection.models import (
    Answer,
    ImprovementPlanAction,
    Inspection,
    Questionnaire,
    Recommendation,
    ReportText,
    SampledCase,
    Section4Rating,
    TeamMember,
)
from oms.inspection.queries import draw_sample, framework_by_id, inspection_scores
from oms.inspection.timetable import performance_period
from oms.organisation.models import Area, Grade, Staff

# Chart 1 of the report: the 13 published criterion scores. 2.7's score was not published, only its
# conclusion ("a priority for improvement": 65-69). 1.2 is aimed at 68, inside its band (priority,
# shown 69 in the report), so that rounding can never lift it to "good".
CRITERION_TARGETS = {
    "1.1": 80, "1.2": 68, "1.3": 71, "1.4": 74, "1.5": 72,
    "2.1": 61, "2.2": 59, "2.3": 68, "2.4": 79, "2.5": 67, "2.6": 75, "2.7": 67,
    "3.1": 58, "3.2": 60,
}  # fmt: skip
REPORT_CHART_1 = {**CRITERION_TARGETS, "1.2": 69}
# Table 2: "Score for Risk of Harm Thread 66%".
ROH_THREAD_TARGET = 66
QUESTION_SPREAD = 7
# The most the RoH questions of a criterion that also has other questions are moved (points) to
# bring the thread to its target, the others moving the other way to keep the criterion's score.
THREAD_SHIFT_LIMIT = 10
# 4.2, judged from the area's performance table: the share of measures met or nearly met.
PERFORMANCE_RATINGS = (
    (0.85, "well met"),
    (0.65, "satisfactorily met"),
    (0.4, "partly met"),
    (0.0, "not met"),
)
NOT_RELEVANT_SHARE = 0.08
CONDITIONAL_NOT_RELEVANT_SHARE = 0.45
CONDITIONAL_OPENINGS = ("Where", "For a", "If", "For an", "For the")
# Table 1 of the report.
SECTION_4_RATINGS = {
    "4.1": "satisfactorily met",
    "4.2": "well met",
    "4.3": "satisfactorily met",
    "4.4": "satisfactorily met",
    "4.5": "partly met",
    "4.6": "well met",
}
# "Of the 98 questionnaires sent to offenders, 24 were completed and returned"; victims 16 and 2.
QUESTIONNAIRES = {
    QuestionnaireKind.OFFENDERS: (98, 24, "All stated that they had a good working relationship with their PO.\n"
                                  "Three quarters recalled having their sentence plan discussed with them."),
    QuestionnaireKind.VICTIMS: (16, 2, "The victims had received initial information in a timely manner."),
    QuestionnaireKind.SENTENCERS: (40, 17, "Sentencers valued the quality of pre-sentence reports."),
}  # fmt: skip
RECOMMENDATIONS = (
    "Offender Assessment System Risk of Harm screening documents are completed promptly and accurately in all cases",
    "satisfactory Risk of Harm assessments are completed and regularly reviewed in all relevant cases",
    "the quality and timeliness of risk management plans is satisfactory in all cases",
    "management oversight of the assessment and management of Risk of Harm is timely, thorough, and effective "
    "in promoting high quality work",
    "increased priority is given by offender managers to issues of victim safety, and victim awareness work "
    "appropriate to the case is undertaken with the offender",
    "sentence planning is given a high priority and reviews are comprehensive and completed on time in all cases",
    "there is an increased focus on outcomes in the work of offender managers with offenders, in order to "
    "achieve fully the sentence objectives.",
)
PUBLISHED_SAMPLE_SIZE = 100
SELF_ASSESSMENT_SAMPLE_SIZE = 40
SELF_ASSESSMENT_CONFIRMED_CASES = 8


def _clamp(value: float) -> float:
    return max(0.2, min(0.98, value))


def _inspectorate_staff(area: Area) -> tuple[Staff, list[Staff]]:
    """The demo's inspector (created by the area builder) and two area assessors for the area."""
    lead = Staff.objects.filter(grade_id="INSP", area__isnull=True).order_by("-pk").first()
    if lead is None:
        lead = Staff.objects.create(
            first_name="Hannah", family_name="Inspector", grade=Grade.objects.get(code="INSP"),
            organisation="HM Inspectorate of Probation",
        )  # fmt: skip
    assessors = Staff.objects.bulk_create(
        [
            Staff(
                first_name=first,
                family_name=family,
                grade_id="AA",
                area=area,
                email=f"{family.lower()}@probation.example",
            )
            for first, family in (("Morag", "Assessor"), ("Dev", "Reviewer"))
        ]
    )
    return lead, assessors


def _question_shares(framework: Framework, rng: random.Random) -> dict[str, float]:
    """The share of relevant cases answered "yes" for each question of the scored sections.

    Every question of a criterion sits at the criterion's Chart 1 score, spread either side by up to
    QUESTION_SPREAD points in pairs that cancel, so the criterion's mean is exact. Then the RoH
    questions of criteria that also have other questions move together towards the thread's 66%,
    the other questions of the same criterion moving back so its score does not change.
    """
    shares: dict[str, float] = {}
    for section in framework.scored_sections:
        for criterion in section.criteria:
            target = CRITERION_TARGETS.get(criterion.id, 70)
            individual = [q for q in criterion.all_questions if not q.is_summary]
            offsets = [0.0] * len(individual)
            for index in range(0, len(individual) - 1, 2):
                offset = rng.uniform(0, QUESTION_SPREAD)
                offsets[index], offsets[index + 1] = offset, -offset
            rng.shuffle(offsets)
            for question, offset in zip(individual, offsets, strict=True):
                shares[question.id] = target + offset
            if criterion.summary is not None:
                shares[criterion.summary.id] = target
    thread_sections = {t.id: set(t.sections) for t in framework.threads}.get("roh", set())
    thread_questions = [
        (criterion, q)
        for section in framework.scored_sections
        if section.id in thread_sections
        for criterion in section.criteria
        for q in criterion.all_questions
        if "roh" in q.threads
    ]
    mixed = [
        (criterion, q)
        for criterion, q in thread_questions
        if not q.is_summary and any("roh" not in other.threads for other in criterion.all_questions)
    ]
    if thread_questions and mixed:
        gap = ROH_THREAD_TARGET - sum(shares[q.id] for _, q in thread_questions) / len(thread_questions)
        shift = max(-THREAD_SHIFT_LIMIT, min(THREAD_SHIFT_LIMIT, gap * len(thread_questions) / len(mixed)))
        for criterion in {criterion.id: criterion for criterion, _ in mixed}.values():
            individual = [q for q in criterion.all_questions if not q.is_summary]
            moved = [q for q in individual if "roh" in q.threads]
            others = [q for q in individual if "roh" not in q.threads]
            for question in moved:
                shares[question.id] += shift
            for question in others:
                shares[question.id] -= shift * len(moved) / len(others)
    return {key: _clamp(value / 100) for key, value in shares.items()}


def _performance_rating(area: Area, published_on: date) -> tuple[str, str]:
    """Criterion 4.2 as the inspectors would judge it from the report's own performance table."""
    from oms.performance.judgement import Status
    from oms.performance.measures import compute_measures

    # The period the published report states (the financial year to date), so the rating and the
    # frozen table beside it agree.
    results = compute_measures(area, *performance_period(published_on))
    judged = [r for r in results if r.status != Status.NO_DATA]
    met = [r for r in judged if r.status in (Status.MET, Status.NEAR_MISS)]
    share = len(met) / len(judged) if judged else 0.0
    rating = next(rating for floor, rating in PERFORMANCE_RATINGS if share >= floor)
    missed = ", ".join(r.measure.label.lower() for r in judged if r not in met) or "none"
    return rating, (
        f"{len(met)} of {len(judged)} national performance measures met or nearly met; missed: {missed}."
    )


def enrich_with_inspections(area: Area, as_of: date, rng: random.Random) -> None:
    framework = framework_by_id(DEFAULT_FRAMEWORK_ID)
    lead, assessors = _inspectorate_staff(area)
    senior_manager = Staff.objects.filter(area=area, grade__role="senior_manager").order_by("pk").first()
    area_cases = Offender.objects.filter(area=area)

    # ------------------------------------------------------------ the published inspection
    fieldwork_start = as_of - timedelta(days=150)
    published_on = as_of - timedelta(days=40)
    inspection = Inspection.objects.create(
        area=area,
        kind=InspectionKind.INSPECTION,
        framework_id=framework.id,
        status=InspectionStatus.PUBLISHED,
        fieldwork_start=fieldwork_start,
        fieldwork_end=fieldwork_start + timedelta(days=11),
        published_on=published_on,
        lead=lead,
        summary=(
            f"Overall, we found that {area.name} had made progress in many aspects of offender management.\n"
            "The assessment and management of Risk of Harm, and victim safety, needed a higher priority."
        ),
        good_practice="Approved premises staff contributed strongly to protecting the public.",
        sample_method=SamplingMethod.OMI,
        sample_seed=f"{area.code}-demo",
        sample_size=PUBLISHED_SAMPLE_SIZE,
        sample_as_of=fieldwork_start,
    )
    TeamMember.objects.bulk_create(
        [TeamMember(inspection=inspection, staff=lead, role=TeamRole.INSPECTOR)]
        + [TeamMember(inspection=inspection, staff=s, role=TeamRole.AREA_ASSESSOR) for s in assessors]
    )
    result = draw_sample(
        area_cases, SamplingMethod.OMI, PUBLISHED_SAMPLE_SIZE, inspection.sample_seed, fieldwork_start
    )
    inspection.sampling_result = result
    inspection.save(update_fields=["sampling_result"])
    offenders = dict(area_cases.filter(crn__in=[r["crn"] for r in result["cases"]]).values_list("crn", "pk"))
    area_turn = 0
    sampled = []
    for index, row in enumerate(result["cases"], start=1):
        if row["assessor_role"] == TeamRole.AREA_ASSESSOR and assessors:
            assessor = assessors[area_turn % len(assessors)]
            area_turn += 1
        else:
            assessor = lead
        sampled.append(
            SampledCase(
                inspection=inspection, offender_id=offenders[row["crn"]], row=index, stratum=row["stratum"],
                officer=row["officer"], assessor_role=row["assessor_role"], assessor=assessor,
            )
        )  # fmt: skip
    sampled = SampledCase.objects.bulk_create(sampled)
    confirmed_at = timezone.make_aware(datetime.combine(fieldwork_start + timedelta(days=9), time(12)))
    question_shares = _question_shares(framework, rng)
    answers: list[Answer] = []
    for section in framework.scored_sections:
        for criterion in section.criteria:
            for question in criterion.all_questions:
                p_yes = question_shares[question.id]
                conditional = question.text.startswith(CONDITIONAL_OPENINGS)
                na_share = CONDITIONAL_NOT_RELEVANT_SHARE if conditional else NOT_RELEVANT_SHARE
                relevant = [c for c in sampled if question.is_summary or rng.random() >= na_share]
                # Exactly the share of the relevant cases, chosen at random among them.
                yes = set(rng.sample(range(len(relevant)), round(p_yes * len(relevant))))
                values = {case.pk: "yes" if index in yes else "no" for index, case in enumerate(relevant)}
                for case in sampled:
                    answers.append(
                        Answer(
                            sampled_case=case, question_id=question.id, value=values.get(case.pk, "na"),
                            confirmed_by=case.assessor, confirmed_at=confirmed_at,
                        )
                    )  # fmt: skip
    Answer.objects.bulk_create(answers, batch_size=2000)
    ratings = {**SECTION_4_RATINGS, "4.2": None}
    performance_rating, performance_evidence = _performance_rating(area, published_on)
    Section4Rating.objects.bulk_create(
        [
            Section4Rating(
                inspection=inspection, criterion_id=criterion_id, rating=rating or performance_rating,
                evidence=performance_evidence if rating is None
                else f"Judged {rating} on the evidence of interviews with managers and partners.",
            )
            for criterion_id, rating in ratings.items()
        ]
    )  # fmt: skip
    Questionnaire.objects.bulk_create(
        [
            Questionnaire(
                inspection=inspection, kind=kind, sent=sent, returned=returned, answers_summary=summary
            )
            for kind, (sent, returned, summary) in QUESTIONNAIRES.items()
        ]
    )
    recommendations = Recommendation.objects.bulk_create(
        [
            Recommendation(inspection=inspection, number=n, text=t)
            for n, t in enumerate(RECOMMENDATIONS, start=1)
        ]
    )
    if senior_manager is not None:
        plan_due = published_on + timedelta(weeks=IMPROVEMENT_PLAN_DUE_WEEKS)
        ImprovementPlanAction.objects.bulk_create(
            [
                ImprovementPlanAction(
                    recommendation=recommendation,
                    action=f"Action plan for recommendation {recommendation.number}: audit and report monthly",
                    owner=senior_manager,
                    due_date=plan_due + timedelta(days=28 * (recommendation.number % 3)),
                    progress="Audit under way" if recommendation.number % 2 else "",
                    done=recommendation.number == 1,
                )
                for recommendation in recommendations
            ]
        )

    # The inspectors' call on each finding. Report practice, not a line: a finding well above the priority
    # line can still be an area for improvement (1.2 (c): risks to children considered in 74%).
    scores = inspection_scores(inspection)
    texts = []
    for section in framework.scored_sections:
        for criterion in section.criteria:
            calls = {}
            for question in criterion.questions:
                p = scores["questions"][question.id]["p"]
                if p is not None:
                    calls[question.id] = "strength" if p >= rng.uniform(70, 80) else "area"
            texts.append(ReportText(inspection=inspection, criterion_id=criterion.id, finding_calls=calls))
    ReportText.objects.bulk_create(texts)
    # The report as published on that day, frozen: Appendix 1 at the end of the month before fieldwork,
    # performance for the financial year to the month before publication.
    system = AnonymousUser()
    services.freeze_report(system, inspection, reason=services.FIRST_PUBLICATION_REASON)

    # ------------------------------------------------------------ a self-assessment in progress
    if senior_manager is None:
        return
    self_assessment = services.create_inspection(
        system,
        area=area,
        kind=InspectionKind.SELF_ASSESSMENT,
        fieldwork_start=as_of - timedelta(days=7),
        fieldwork_end=as_of + timedelta(days=21),
        lead=senior_manager,
    )
    services.store_sample(
        system,
        self_assessment,
        method=SamplingMethod.STRATIFIED,
        size=SELF_ASSESSMENT_SAMPLE_SIZE,
        seed=f"{area.code}-self",
        as_of=as_of,
    )
    Inspection.objects.filter(pk=self_assessment.pk).update(status=InspectionStatus.FIELDWORK)
    first_cases = list(self_assessment.sampled_cases.order_by("row")[:SELF_ASSESSMENT_CONFIRMED_CASES])
    judged: list[Answer] = []
    for case in first_cases:
        for section in framework.scored_sections:
            for criterion in section.criteria:
                target = CRITERION_TARGETS.get(criterion.id, 70) / 100 + 0.05
                for question in criterion.all_questions:
                    if question.prefill:
                        continue
                    value = "yes" if rng.random() < _clamp(target) else "no"
                    judged.append(
                        Answer(
                            sampled_case=case, question_id=question.id, value=value,
                            confirmed_by=senior_manager, confirmed_at=confirmed_at + timedelta(days=140),
                        )
                    )  # fmt: skip
    Answer.objects.bulk_create(judged, batch_size=2000, ignore_conflicts=True)
