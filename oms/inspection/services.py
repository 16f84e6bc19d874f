"""Every write of an inspection: one transaction each, with the access log and record history.

Views, the API, the CLI and the demo call these; they never write the models themselves.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import cycle
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction, AccessLogEntry, CaseAccessGrant
from oms.accounts.permissions import AnyUser, staff_of
from oms.calculation_errors import CalculatorInputError
from oms.cases.models import Offender
from oms.cases.services import CaseRuleError, StaleRecordError
from oms.inspection import prefill
from oms.inspection.constants import (
    DEFAULT_FRAMEWORK_ID,
    OPEN_STATUSES,
    STATUS_TRANSITIONS,
    InspectionKind,
    InspectionStatus,
    QuestionnaireKind,
    SamplingMethod,
    TeamRole,
)
from oms.inspection.framework import list_shipped_frameworks
from oms.inspection.models import (
    Answer,
    ImprovementPlanAction,
    Inspection,
    OffenderManagerInterview,
    PublishedReport,
    Questionnaire,
    Recommendation,
    ReportPdf,
    ReportText,
    SampledCase,
    Section4Rating,
    TeamMember,
)
from oms.inspection.permissions import can_create_inspection, can_manage_inspection, can_run_self_assessment
from oms.inspection.programme_queries import areas_due_an_inspection
from oms.inspection.queries import draw_sample, framework_of, improvement_plan_due_date
from oms.inspection.report import (
    StatedDates,
    frozen_figures,
    render_live_html,
    render_live_pdf,
    report_context,
)
from oms.inspection.scoring import FINDING_CALLS
from oms.organisation.constants import Role
from oms.organisation.models import Area, Staff

__all__ = ["CaseRuleError", "StaleRecordError"]


def grant_reason(inspection: Inspection) -> str:
    """The reason on an inspection's case grants: also how they are found again to revoke them."""
    return f"Inspection {inspection.pk}: sampled case"


def _bump(model: type[Any], pk: int, expected_version: int, what: str) -> int:
    if not model.objects.filter(pk=pk, version=expected_version).update(version=expected_version + 1):
        raise StaleRecordError(what)
    return expected_version + 1


def _acting_staff(user: AnyUser) -> Staff | None:
    return staff_of(user)


# ------------------------------------------------------------------ the inspection and its team


def _refuse_unless_runs(user: AnyUser, inspection: Inspection) -> None:
    """Its team and its sample grant people the area's cases: only whoever runs the inspection (its
    lead; for a self-assessment, the area's senior managers) or the system (the seed, the commands)."""
    if user.is_authenticated and not can_manage_inspection(user, inspection):
        raise PermissionDenied("Only whoever runs this inspection chooses its team and its sample")


def _refuse_unless_may_create(user: AnyUser, area: Area, kind: str) -> None:
    """A self-assessment is the area's own senior managers'; an inspection is a lead inspector's, of
    an area HMI Probation's programme has an inspection due for. The service's operator (the seed
    and commands, acting as the system) and the administrator are not held to the programme."""
    if not user.is_authenticated or getattr(user, "is_superuser", False):
        return
    if kind == InspectionKind.SELF_ASSESSMENT:
        if not can_run_self_assessment(user, area):
            raise PermissionDenied(f"Only {area.name}'s own senior managers run its self-assessment")
        return
    if not can_create_inspection(user):
        raise PermissionDenied("Only a lead inspector of HMI Probation creates an inspection")
    if area.pk not in {due.pk for due in areas_due_an_inspection(timezone.localdate())}:
        raise PermissionDenied(
            f"{area.name} has no inspection due in HMI Probation's programme: it is planned, under way, "
            "or inspected in this cycle with no focused re-inspection due"
        )


@transaction.atomic
def create_inspection(
    user: AnyUser,
    *,
    area: Area,
    kind: str,
    fieldwork_start: date,
    fieldwork_end: date,
    lead: Staff | None = None,
    framework_id: str = DEFAULT_FRAMEWORK_ID,
) -> Inspection:
    _refuse_unless_may_create(user, area, kind)
    if fieldwork_end < fieldwork_start:
        raise CaseRuleError("Fieldwork must end on or after the day it starts", "fieldwork_end")
    if framework_id not in list_shipped_frameworks():
        raise CaseRuleError(f"Unknown framework {framework_id!r}", "framework_id")
    lead = lead or _acting_staff(user)
    if lead is None:
        raise CaseRuleError("An inspection needs a lead: sign in as a member of staff", "lead")
    inspection = Inspection.objects.create(
        area=area,
        kind=kind,
        framework_id=framework_id,
        fieldwork_start=fieldwork_start,
        fieldwork_end=fieldwork_end,
        lead=lead,
    )
    role = TeamRole.AREA_ASSESSOR if kind == InspectionKind.SELF_ASSESSMENT else TeamRole.INSPECTOR
    TeamMember.objects.create(inspection=inspection, staff=lead, role=role)
    record_access(user, AccessAction.CREATE, f"created {inspection}")
    return inspection


@transaction.atomic
def add_team_member(user: AnyUser, inspection: Inspection, staff: Staff, role: str) -> TeamMember:
    _refuse_unless_runs(user, inspection)
    if inspection.status == InspectionStatus.PUBLISHED:
        raise CaseRuleError("The inspection is published: its team is closed", "staff")
    if inspection.kind == InspectionKind.INSPECTION and staff.grade.role != Role.INSPECTOR:
        raise CaseRuleError(
            f"{staff.full_name} is not an inspector or area assessor (grade INSP or AA)", "staff"
        )
    member, created = TeamMember.objects.get_or_create(
        inspection=inspection, staff=staff, defaults={"role": role}
    )
    if not created:
        raise CaseRuleError(f"{staff.full_name} is already on the team", "staff")
    if inspection.status in OPEN_STATUSES:
        _grant_sample_access(inspection, [staff])
    record_access(user, AccessAction.CHANGE, f"added {staff.full_name} to {inspection} as {role}")
    return member


# ------------------------------------------------------------------ sampling and case access


def _assign_assessors(inspection: Inspection, rows: Sequence[dict[str, Any]]) -> dict[str, Staff | None]:
    """Round-robin within each role, so assessors carry equal shares; the lead covers a role with no one."""
    members = list(inspection.team.select_related("staff").order_by("staff__family_name", "staff_id"))
    by_role: dict[str, list[Staff]] = {
        role: [m.staff for m in members if m.role == role] for role in TeamRole.values
    }
    turns = {role: cycle(staff) for role, staff in by_role.items() if staff}
    assigned: dict[str, Staff | None] = {}
    for row in rows:
        turn = turns.get(row["assessor_role"])
        assigned[row["crn"]] = next(turn) if turn else inspection.lead
    return assigned


@transaction.atomic
def store_sample(
    user: AnyUser,
    inspection: Inspection,
    *,
    method: str,
    size: int,
    seed: str,
    as_of: date,
) -> dict[str, Any]:
    """Draw the sample from the area's cases, store it with its adjustments, assign it and pre-fill it.

    A sample can be redrawn until assessors have confirmed answers; after that it is evidence.
    """
    _refuse_unless_runs(user, inspection)
    if inspection.status not in (InspectionStatus.PLANNED, InspectionStatus.FIELDWORK):
        raise CaseRuleError(
            "The sample can only be drawn while the inspection is planned or in fieldwork", "method"
        )
    if method not in SamplingMethod.values:
        raise CaseRuleError(f"Unknown sampling method {method!r}", "method")
    if Answer.objects.filter(sampled_case__inspection=inspection, confirmed_at__isnull=False).exists():
        raise CaseRuleError("Answers have been confirmed for this sample: it cannot be redrawn", "method")
    try:
        result = draw_sample(Offender.objects.filter(area_id=inspection.area_id), method, size, seed, as_of)
    except CalculatorInputError as error:
        raise CaseRuleError(error.message, "size") from error
    _revoke_sample_access(inspection, revoke_on=None)
    inspection.sampled_cases.all().delete()
    offenders = {o.crn: o for o in Offender.objects.filter(crn__in=[r["crn"] for r in result["cases"]])}
    assessors = _assign_assessors(inspection, result["cases"])
    rows = [
        SampledCase(
            inspection=inspection,
            offender=offenders[row["crn"]],
            row=index,
            stratum=row["stratum"],
            officer=row["officer"],
            assessor_role=row["assessor_role"],
            assessor=assessors[row["crn"]],
        )
        for index, row in enumerate(result["cases"], start=1)
    ]
    bulk_create_with_history(rows, SampledCase)
    inspection.sample_method = method
    inspection.sample_seed = str(seed)
    inspection.sample_size = size
    inspection.sample_as_of = as_of
    inspection.sampling_result = result
    inspection.version += 1
    inspection.save()
    AccessLogEntry.objects.bulk_create(
        [
            AccessLogEntry(
                user_id=user.pk if user.is_authenticated else None,
                username=user.get_username() if user.is_authenticated else "(system)",
                action=AccessAction.CREATE,
                crn=crn,
                what=f"sampled for {inspection}"[:200],
            )
            for crn in offenders
        ]
    )
    if inspection.status in OPEN_STATUSES:
        _grant_sample_access(inspection, None)
    prefill_inspection(inspection, as_of)
    return result


# Report, "The inspection process": "A draft report is sent to the area for comment four to six weeks
# later. Publication follows approximately 12 weeks after inspection." The draft stage ends then.
DRAFT_STAGE_WEEKS = 12


def grant_window(inspection: Inspection) -> tuple[date, date]:
    """From the first day of fieldwork to the end of the draft stage, never longer: publication ends
    it sooner (_revoke_sample_access); nothing starts before fieldwork or runs on for ever."""
    return inspection.fieldwork_start, inspection.fieldwork_end + timedelta(weeks=DRAFT_STAGE_WEEKS)


def _grant_sample_access(inspection: Inspection, staff: Sequence[Staff] | None) -> None:
    """Dated grants: each team member (and the lead) × each sampled case, for the grant window only.
    Bulk, and only the pairs not already granted; the inspection's team alone holds them."""
    if inspection.kind == InspectionKind.SELF_ASSESSMENT:
        return  # area staff read their own area's cases already
    people = list(staff) if staff is not None else [m.staff for m in inspection.team.select_related("staff")]
    if staff is None and all(p.pk != inspection.lead_id for p in people):
        people.append(inspection.lead)
    offender_ids = list(inspection.sampled_cases.values_list("offender_id", flat=True))
    reason = grant_reason(inspection)
    team = set(inspection.team.values_list("staff_id", flat=True)) | {inspection.lead_id}
    people = [person for person in people if person.pk in team]
    existing = set(
        CaseAccessGrant.objects.filter(reason=reason, offender_id__in=offender_ids).values_list(
            "staff_id", "offender_id"
        )
    )
    valid_from, valid_until = grant_window(inspection)
    CaseAccessGrant.objects.bulk_create(
        [
            CaseAccessGrant(
                offender_id=offender_id,
                staff=person,
                reason=reason,
                valid_from=valid_from,
                valid_until=valid_until,
                granted_by=inspection.lead,
            )
            for person in people
            for offender_id in offender_ids
            if (person.pk, offender_id) not in existing
        ]
    )


def _revoke_sample_access(inspection: Inspection, revoke_on: date | None) -> None:
    """End the inspection's grants: dated the day before ``revoke_on`` (kept as evidence), or removed
    outright when the sample is redrawn before anyone could have used them."""
    grants = CaseAccessGrant.objects.filter(reason=grant_reason(inspection))
    if revoke_on is None:
        grants.delete()
    else:
        last_day = revoke_on - timedelta(days=1)
        grants.filter(Q(valid_until__isnull=True) | Q(valid_until__gt=last_day)).update(valid_until=last_day)


@transaction.atomic
def change_status(
    user: AnyUser,
    inspection: Inspection,
    new_status: str,
    expected_version: int,
    stated: StatedDates | None = None,
) -> Inspection:
    """Move an inspection on; publishing freezes the report (``stated``: its figures' dates)."""
    allowed = STATUS_TRANSITIONS.get(inspection.status, ())
    if new_status not in allowed:
        names = ", ".join(InspectionStatus(s).label.lower() for s in allowed) or "nothing"
        raise CaseRuleError(
            f"An inspection in {inspection.get_status_display().lower()} can move to {names}, not "
            f"{InspectionStatus(new_status).label.lower() if new_status in InspectionStatus.values else new_status}",
            "status",
        )
    if new_status == InspectionStatus.FIELDWORK and not inspection.sampled_cases.exists():
        raise CaseRuleError("Draw the sample before fieldwork starts", "status")
    inspection.version = _bump(Inspection, inspection.pk, expected_version, "This inspection")
    inspection.status = new_status
    today = timezone.localdate()
    if new_status == InspectionStatus.FIELDWORK:
        _grant_sample_access(inspection, None)
    elif new_status == InspectionStatus.PUBLISHED:
        inspection.published_on = today
        _revoke_sample_access(inspection, revoke_on=today)
    inspection.save(update_fields=["status", "published_on"])
    if new_status == InspectionStatus.PUBLISHED:
        freeze_report(user, inspection, reason=FIRST_PUBLICATION_REASON, stated=stated)
    record_access(user, AccessAction.CHANGE, f"moved {inspection} to {inspection.get_status_display()}")
    return inspection


# ------------------------------------------------------------------ the published report

FIRST_PUBLICATION_REASON = "Published"


@transaction.atomic
def freeze_report(
    user: AnyUser, inspection: Inspection, *, reason: str, stated: StatedDates | None = None
) -> PublishedReport:
    """Store the report as published now: its HTML (file and page), PDF, figures and SHA-256s.

    The first version takes the default stated dates unless given (Appendix 1 at the end of the month
    before fieldwork, performance for the financial year to date); a correction keeps its
    predecessor's, so only what the correction is about changes.
    """
    previous = inspection.published_reports.order_by("-number").first()
    if stated is None and previous is not None:
        stated = StatedDates(previous.caseload_as_of, previous.performance_from, previous.performance_to)
    published_on = timezone.localdate() if previous is not None else inspection.published_on
    assert published_on is not None
    stated = stated or StatedDates.default_for(inspection, published_on)
    if stated.performance_from > stated.performance_to:
        raise CaseRuleError("The performance period must end on or after it starts", "performance_to")
    number = previous.number + 1 if previous is not None else 1
    context = report_context(inspection, stated)
    context["version"] = {"number": number, "reason": reason, "published_on": published_on}
    html = render_live_html(inspection, context, self_contained=True)
    page_html = render_live_html(inspection, context, self_contained=False)
    pdf = render_live_pdf(html)
    report = PublishedReport.objects.create(
        inspection=inspection,
        number=number,
        reason=reason,
        published_on=published_on,
        caseload_as_of=stated.caseload_as_of,
        performance_from=stated.performance_from,
        performance_to=stated.performance_to,
        figures=json.loads(json.dumps(frozen_figures(context), cls=DjangoJSONEncoder)),
        html=html,
        page_html=page_html,
        pdf=pdf,
        html_sha256=hashlib.sha256(html.encode("utf-8")).hexdigest(),
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        published_by=_acting_staff(user),
    )
    record_access(user, AccessAction.CREATE, f"published version {number} of the report of {inspection}")
    return report


# ------------------------------------------------------------------ the PDF of a report not yet published


def request_report_pdf(user: AnyUser, inspection: Inspection) -> ReportPdf:
    """Ask for the PDF of the report as it stands: a background job makes it (WeasyPrint takes
    seconds for a whole report). Anyone who may see the inspection may ask; the file is theirs to
    follow on the job's page. A published report needs no job: its PDF was stored when published."""
    from oms.inspection.permissions import can_view_inspection
    from oms.inspection.tasks import enqueue_report_pdf

    if not can_view_inspection(user, inspection):
        raise PermissionDenied(f"Not yours to see: inspection {inspection.pk}")
    if inspection.published_reports.exists():
        raise CaseRuleError("The published report's PDF is stored with its version: download it", "report")
    with transaction.atomic():
        made = ReportPdf.objects.create(inspection=inspection, requested_by_id=user.pk)
        # The job row is written in this transaction too: no worker sees it before the file's row.
        made.task_id = str(enqueue_report_pdf(made, user).id)
        made.save(update_fields=["task_id"])
        record_access(user, AccessAction.EXPORT, f"asked for the PDF of the report of {inspection}")
    return made


@transaction.atomic
def store_report_pdf(made: ReportPdf, pdf: bytes) -> ReportPdf:
    """The worker's result: the file, its SHA-256 and when it was finished."""
    made.pdf = pdf
    made.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    made.finished_at = timezone.now()
    made.save(update_fields=["pdf", "pdf_sha256", "finished_at"])
    return made


@transaction.atomic
def publish_correction(user: AnyUser, inspection: Inspection, reason: str) -> PublishedReport:
    """A correction to a published report: a new version from the records as corrected, with its
    reason; every earlier version is kept and can still be read."""
    if inspection.status != InspectionStatus.PUBLISHED:
        raise CaseRuleError("Only a published report can be corrected", "reason")
    if not reason.strip():
        raise CaseRuleError("Say what the correction corrects", "reason")
    Inspection.objects.select_for_update().filter(pk=inspection.pk).first()  # one correction at a time
    return freeze_report(user, inspection, reason=reason.strip())


# ------------------------------------------------------------------ pre-fill and answers


def prefill_inspection(inspection: Inspection, as_of: date | None = None) -> int:
    """Pre-fill every question the records can decide, for the whole sample, in bulk.

    An answer an assessor has confirmed keeps its value; only its pre-fill and evidence are refreshed.
    Returns how many answers were pre-filled.
    """
    framework = framework_of(inspection)
    sampled = list(inspection.sampled_cases.select_related("offender"))
    offenders = [s.offender for s in sampled]
    decided = prefill.compute_prefill(
        framework, offenders, as_of or inspection.sample_as_of or timezone.localdate()
    )
    by_crn = {s.offender.crn: s for s in sampled}
    existing = (
        {
            (a.sampled_case_id, a.question_id): a
            for a in Answer.objects.filter(
                sampled_case__inspection=inspection, question_id__in={q for _, q in decided}
            )
        }
        if decided
        else {}
    )
    to_create: list[Answer] = []
    to_update: list[Answer] = []
    for (crn, question_id), (value, evidence) in decided.items():
        case = by_crn[crn]
        answer = existing.get((case.pk, question_id))
        if answer is None:
            to_create.append(
                Answer(
                    sampled_case=case,
                    question_id=question_id,
                    value=value,
                    prefilled_value=value,
                    prefill_evidence=evidence,
                )
            )
            continue
        new_value = answer.value if answer.confirmed_at else value
        if (answer.prefilled_value, answer.prefill_evidence, answer.value) == (value, evidence, new_value):
            continue  # unchanged: no write
        answer.prefilled_value = value
        answer.prefill_evidence = evidence
        answer.value = new_value
        to_update.append(answer)
    if to_create:
        bulk_create_with_history(to_create, Answer, batch_size=2000)
    if to_update:
        bulk_update_with_history(
            to_update, Answer, ["value", "prefilled_value", "prefill_evidence"], batch_size=2000
        )
    return len(decided)


@dataclass(frozen=True)
class AnswerInput:
    question_id: str
    value: str
    note: str = ""
    expected_version: int | None = None


@transaction.atomic
def save_answers(user: AnyUser, sampled_case: SampledCase, answers: Sequence[AnswerInput]) -> list[Answer]:
    """Confirm or change answers for one case: each is checked against the framework, then saved with
    its stale check; a value the framework does not know refuses the whole save (nothing half-saved)."""
    framework = framework_of(sampled_case.inspection)
    for item in answers:
        if item.question_id not in framework.questions_by_id:
            raise CaseRuleError(f"Unknown question {item.question_id!r}", item.question_id)
        if item.value not in framework.answer_values:
            raise CaseRuleError(
                f"Question {item.question_id}: choose yes, no or not relevant", f"answer-{item.question_id}"
            )
    staff = _acting_staff(user)
    now = timezone.now()
    current = {
        a.question_id: a
        for a in Answer.objects.select_for_update().filter(
            sampled_case=sampled_case, question_id__in=[i.question_id for i in answers]
        )
    }
    saved: list[Answer] = []
    for item in answers:
        answer = current.get(item.question_id)
        if answer is None:
            answer = Answer.objects.create(
                sampled_case=sampled_case,
                question_id=item.question_id,
                value=item.value,
                note=item.note,
                confirmed_by=staff,
                confirmed_at=now,
            )
        else:
            if item.expected_version is not None and answer.version != item.expected_version:
                raise StaleRecordError(f"The answer to question {item.question_id}")
            answer.value = item.value
            answer.note = item.note
            answer.confirmed_by = staff
            answer.confirmed_at = now
            answer.version += 1
            answer.save()
        saved.append(answer)
    record_access(
        user,
        AccessAction.CHANGE,
        f"assessed {len(saved)} questions for {sampled_case.inspection}",
        crn=sampled_case.offender.crn,
    )
    return saved


@transaction.atomic
def record_interview(
    user: AnyUser,
    sampled_case: SampledCase,
    *,
    interviewed_on: date,
    offender_manager_name: str,
    notes: str,
    expected_version: int | None,
) -> OffenderManagerInterview:
    staff = _acting_staff(user)
    if staff is None:
        raise CaseRuleError("Sign in as a member of staff to record an interview", "notes")
    interview = OffenderManagerInterview.objects.select_for_update().filter(sampled_case=sampled_case).first()
    if interview is None:
        interview = OffenderManagerInterview(sampled_case=sampled_case, interviewed_by=staff)
    elif expected_version is not None and interview.version != expected_version:
        raise StaleRecordError("The interview record")
    else:
        interview.version += 1
    interview.interviewed_on = interviewed_on
    interview.offender_manager_name = offender_manager_name
    interview.notes = notes
    interview.interviewed_by = staff
    interview.save()
    record_access(
        user, AccessAction.CHANGE, "recorded offender manager interview", crn=sampled_case.offender.crn
    )
    return interview


# ------------------------------------------------------------------ section 4, questionnaires, report text


def _versioned_upsert(
    model: type[Any], lookup: dict[str, Any], values: dict[str, Any], expected: int | None, what: str
) -> Any:
    record = model.objects.select_for_update().filter(**lookup).first()
    if record is None:
        return model.objects.create(**lookup, **values)
    if expected is not None and record.version != expected:
        raise StaleRecordError(what)
    for key, value in values.items():
        setattr(record, key, value)
    record.version += 1
    record.save()
    return record


@transaction.atomic
def rate_criterion(
    user: AnyUser,
    inspection: Inspection,
    criterion_id: str,
    rating: str,
    evidence: str,
    expected_version: int | None,
) -> Section4Rating:
    framework = framework_of(inspection)
    section = framework.section_of_criterion.get(criterion_id)
    if section is None or section.rated is None:
        raise CaseRuleError(f"Criterion {criterion_id} is not rated by inspectors", "rating")
    if rating not in section.rated:
        raise CaseRuleError(f"Choose one of: {', '.join(section.rated)}", "rating")
    if not evidence.strip():
        raise CaseRuleError("Give the evidence for the rating", "evidence")
    record = _versioned_upsert(
        Section4Rating,
        {"inspection": inspection, "criterion_id": criterion_id},
        {"rating": rating, "evidence": evidence},
        expected_version,
        f"The rating of criterion {criterion_id}",
    )
    record_access(user, AccessAction.CHANGE, f"rated criterion {criterion_id} of {inspection}: {rating}")
    return record


@transaction.atomic
def record_questionnaire(
    user: AnyUser,
    inspection: Inspection,
    kind: str,
    *,
    sent: int,
    returned: int,
    answers_summary: str,
    expected_version: int | None,
) -> Questionnaire:
    if kind not in QuestionnaireKind.values:
        raise CaseRuleError(f"Unknown questionnaire {kind!r}", "kind")
    if returned > sent:
        raise CaseRuleError("More questionnaires returned than were sent", "returned")
    record = _versioned_upsert(
        Questionnaire,
        {"inspection": inspection, "kind": kind},
        {"sent": sent, "returned": returned, "answers_summary": answers_summary},
        expected_version,
        f"The {kind} questionnaire",
    )
    record_access(user, AccessAction.CHANGE, f"recorded {kind} questionnaires for {inspection}")
    return record


@transaction.atomic
def save_report_text(
    user: AnyUser,
    inspection: Inspection,
    criterion_id: str,
    *,
    strengths: str,
    areas_for_improvement: str,
    narrative: str,
    expected_version: int | None,
    finding_calls: Mapping[str, str] | None = None,
) -> ReportText:
    """The inspectors' words for a criterion and their call on each finding (strength, area for
    improvement, or left out)."""
    # After publication an edit changes nothing published: it reaches the report only through a
    # correction (publish_correction), a new version with its reason.
    framework = framework_of(inspection)
    if criterion_id not in framework.section_of_criterion:
        raise CaseRuleError(f"Unknown criterion {criterion_id!r}", "narrative")
    values: dict[str, Any] = {
        "strengths": strengths,
        "areas_for_improvement": areas_for_improvement,
        "narrative": narrative,
    }
    if finding_calls is not None:
        questions = {q.id for q in framework.criterion(criterion_id).questions}
        for question_id, call in finding_calls.items():
            if question_id not in questions:
                raise CaseRuleError(f"Question {question_id} is not in criterion {criterion_id}", "narrative")
            if call and call not in FINDING_CALLS:  # blank: not yet called
                raise CaseRuleError(
                    f"Question {question_id}: call it a strength, an area for improvement, or leave it out",
                    f"call_{question_id}",
                )
        values["finding_calls"] = {q: c for q, c in finding_calls.items() if c}
    record = _versioned_upsert(
        ReportText,
        {"inspection": inspection, "criterion_id": criterion_id},
        values,
        expected_version,
        f"The report text of criterion {criterion_id}",
    )
    record_access(user, AccessAction.CHANGE, f"edited report text of {criterion_id} for {inspection}")
    return record


@transaction.atomic
def save_summary(
    user: AnyUser, inspection: Inspection, *, summary: str, good_practice: str, expected_version: int
) -> Inspection:
    # After publication an edit changes nothing published: it reaches the report only through a
    # correction (publish_correction), a new version with its reason.
    inspection.version = _bump(Inspection, inspection.pk, expected_version, "This inspection")
    inspection.summary = summary
    inspection.good_practice = good_practice
    inspection.save(update_fields=["summary", "good_practice"])
    record_access(user, AccessAction.CHANGE, f"edited the summary of {inspection}")
    return inspection


@transaction.atomic
def add_recommendation(user: AnyUser, inspection: Inspection, text: str) -> Recommendation:
    if inspection.status == InspectionStatus.PUBLISHED:
        raise CaseRuleError("The report is published: recommendations are fixed", "text")
    if not text.strip():
        raise CaseRuleError("Enter the recommendation", "text")
    number = (
        inspection.recommendations.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    recommendation = Recommendation.objects.create(inspection=inspection, number=number, text=text.strip())
    record_access(user, AccessAction.CHANGE, f"added recommendation {number} to {inspection}")
    return recommendation


# ------------------------------------------------------------------ improvement plan


@transaction.atomic
def add_action(
    user: AnyUser, recommendation: Recommendation, *, action: str, owner: Staff, due_date: date | None = None
) -> ImprovementPlanAction:
    """After publication a recommendation becomes actions, each with an owner and a due date (by
    default the plan's own due date, four weeks after publication)."""
    inspection = recommendation.inspection
    if inspection.status != InspectionStatus.PUBLISHED:
        raise CaseRuleError("The improvement plan starts when the report is published", "action")
    if owner.area_id != inspection.area_id:
        raise CaseRuleError(f"{owner.full_name} does not work in {inspection.area.name}", "owner")
    due = due_date or improvement_plan_due_date(inspection)
    assert due is not None
    created = ImprovementPlanAction.objects.create(
        recommendation=recommendation, action=action.strip(), owner=owner, due_date=due
    )
    record_access(
        user, AccessAction.CHANGE, f"added an improvement action to recommendation {recommendation.number}"
    )
    return created


@transaction.atomic
def update_action(
    user: AnyUser, action: ImprovementPlanAction, *, progress: str, done: bool, expected_version: int
) -> ImprovementPlanAction:
    action.version = _bump(ImprovementPlanAction, action.pk, expected_version, "This action")
    action.progress = progress
    action.done = done
    action.save(update_fields=["progress", "done"])
    record_access(user, AccessAction.CHANGE, f"updated improvement action {action.pk}")
    return action
