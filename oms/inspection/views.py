"""Inspection pages. Thin: permissions from inspection.permissions (built on accounts.permissions),
reads from queries and report, writes from services. Bad input re-shows the form with a GOV.UK error
summary naming the field; a refused page is the 403 page, and the refusal is logged."""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.accounts.permissions import staff_of
from oms.accounts.refusals import note_refusal
from oms.cases.form_errors import errors_as_message, errors_kept, errors_on
from oms.cases.models import Offender
from oms.inspection import forms, permissions, services
from oms.inspection.chart import chart_1_svg
from oms.inspection.constants import (
    OPEN_STATUSES,
    STATUS_TRANSITIONS,
    InspectionKind,
    InspectionStatus,
    QuestionnaireKind,
)
from oms.inspection.models import (
    ImprovementPlanAction,
    Inspection,
    OffenderManagerInterview,
    PublishedReport,
    ReportPdf,
    SampledCase,
)
from oms.inspection.programme import COMPARISON_CAUTION, PROGRAMME_START
from oms.inspection.programme_queries import areas_due_an_inspection, inspection_programme
from oms.inspection.queries import (
    assessment_blocks,
    cases_below_the_line,
    framework_of,
    improvement_plan_due_date,
    inspection_progress,
    inspection_scores,
    sampled_case_rows,
)
from oms.inspection.report import (
    latest_published,
    rating_evidence,
    render_report_html,
    render_report_pdf,
    report_filename,
)
from oms.inspection.scoring import reinspection_sentence, strength_sentence
from oms.inspection.timetable import timetable
from oms.outcomes.queries import needs_profile_of


def _refuse(request: HttpRequest, what: str) -> PermissionDenied:
    note_refusal(request, what)
    return PermissionDenied("You do not have access to this inspection page")


def _inspection(request: HttpRequest, pk: int, *, manage: bool = False) -> Inspection:
    inspection = get_object_or_404(Inspection.objects.select_related("area", "lead__grade"), pk=pk)
    if not permissions.can_view_inspection(request.user, inspection):
        raise _refuse(request, f"inspection {pk}")
    if manage and not permissions.can_manage_inspection(request.user, inspection):
        raise _refuse(request, f"managing inspection {pk}")
    return inspection


def _form_page(
    request: HttpRequest,
    inspection: Inspection,
    form: django_forms.Form,
    title: str,
    button: str,
    **extra: Any,
) -> HttpResponse:
    return render(
        request,
        "inspection/form_page.html",
        {"inspection": inspection, "form": form, "title": title, "button": button, **extra},
    )


# ------------------------------------------------------------------ list and create


def inspection_list_view(request: HttpRequest) -> HttpResponse:
    if not permissions.uses_inspections(request.user):
        raise _refuse(request, "inspections list")
    inspections = (
        permissions.visible_inspections(request.user)
        .select_related("area", "lead")
        .order_by("-fieldwork_start", "-id")
    )
    return render(
        request,
        "inspection/list.html",
        {
            "inspections": inspections,
            "can_create": permissions.can_create_inspection(request.user),
            "can_self_assess": permissions.can_run_self_assessment(request.user),
        },
    )


def inspection_create_view(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_inspection(request.user):
        raise _refuse(request, "creating an inspection")
    # Only the areas the programme has an inspection due for are offered; the service holds any
    # other door to the same rule.
    form = forms.InspectionForm(request.POST or None, areas=areas_due_an_inspection(timezone.localdate()))
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as attempt:
            inspection = services.create_inspection(
                request.user,
                area=form.cleaned_data["area"],
                kind=InspectionKind.INSPECTION,
                fieldwork_start=form.cleaned_data["fieldwork_start"],
                fieldwork_end=form.cleaned_data["fieldwork_end"],
            )
        if attempt.succeeded:
            messages.success(request, f"Inspection of {inspection.area.name} created")
            return redirect("inspection:detail", pk=inspection.pk)
    return render(
        request,
        "inspection/form_page.html",
        {"form": form, "title": "New Offender Management Inspection", "button": "Create inspection"},
    )


def self_assessment_create_view(request: HttpRequest) -> HttpResponse:
    staff = staff_of(request.user)
    if not permissions.can_run_self_assessment(request.user) or staff is None or staff.area is None:
        raise _refuse(request, "creating a self-assessment")
    form = forms.SelfAssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as attempt:
            inspection = services.create_inspection(
                request.user,
                area=staff.area,
                kind=InspectionKind.SELF_ASSESSMENT,
                fieldwork_start=form.cleaned_data["fieldwork_start"],
                fieldwork_end=form.cleaned_data["fieldwork_end"],
            )
        if attempt.succeeded:
            messages.success(request, f"Self-assessment of {staff.area.name} created")
            return redirect("inspection:detail", pk=inspection.pk)
    return render(
        request,
        "inspection/form_page.html",
        {
            "form": form,
            "title": f"New self-assessment of {staff.area.name}",
            "button": "Create self-assessment",
        },
    )


# ------------------------------------------------------------------ the inspection page


def inspection_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    framework = framework_of(inspection)
    scores = inspection_scores(inspection)
    manage = permissions.can_manage_inspection(request.user, inspection)
    staff = staff_of(request.user)
    is_open = inspection.status in OPEN_STATUSES
    rows = list(sampled_case_rows(inspection)) if (is_open or manage) else []
    per_case = sum(len(c.all_questions) for s in framework.scored_sections for c in s.criteria)
    criteria_rows = [
        {"section": section, "criterion": criterion, **scores["criteria"][criterion.id]}
        for section in framework.scored_sections
        for criterion in section.criteria
    ]
    ratings = {r.criterion_id: r for r in inspection.ratings.all()}
    questionnaires = {q.kind: q for q in inspection.questionnaires.all()}
    recommendations = list(inspection.recommendations.prefetch_related("actions__owner"))
    return render(
        request,
        "inspection/detail.html",
        {
            "inspection": inspection,
            "framework": framework,
            "scores": scores,
            "chart_svg": chart_1_svg(framework, scores),
            "criteria_rows": criteria_rows,
            "section_rows": [{"section": s, **scores["sections"][s.id]} for s in framework.scored_sections],
            "thread_rows": [{"thread": t, **scores["threads"][t.id]} for t in framework.threads],
            "reinspection_sentence": reinspection_sentence(scores, inspection.area.name),
            "rated_rows": [
                {"criterion": c, "rating": ratings.get(c.id)}
                for s in framework.rated_sections
                for c in s.criteria
            ],
            "questionnaire_rows": [
                (kind, label, questionnaires.get(kind)) for kind, label in QuestionnaireKind.choices
            ],
            "progress": inspection_progress(inspection),
            "rows": rows,
            "per_case": per_case,
            "team": list(inspection.team.select_related("staff__grade")),
            "manage": manage,
            "is_open": is_open,
            "my_staff_id": staff.pk if staff else None,
            "next_statuses": [(s, InspectionStatus(s).label) for s in STATUS_TRANSITIONS[inspection.status]],
            "below_the_line": cases_below_the_line(inspection, scores)
            if inspection.is_self_assessment
            else [],
            "recommendations": recommendations,
            # Only what the reader may do is offered: the plan is the area's to keep.
            "can_add_actions": permissions.can_run_self_assessment(request.user, inspection.area) or manage,
            "updatable_actions": {
                action.pk
                for recommendation in recommendations
                for action in recommendation.actions.all()
                if permissions.can_update_action(request.user, action)
            },
            "plan_due": improvement_plan_due_date(inspection),
            "published": inspection.status == InspectionStatus.PUBLISHED,
            "published_reports": list(
                inspection.published_reports.defer("html", "page_html", "pdf", "figures")
            ),
            "timetable": [] if inspection.is_self_assessment else _timetable(inspection),
            "sample_needs_profile": needs_profile_of(
                Offender.objects.filter(inspection_samples__inspection=inspection),
                inspection.sample_as_of or timezone.localdate(),
            )
            if inspection.sample_method
            else [],
            "today": timezone.localdate(),
        },
    )


def _timetable(inspection: Inspection) -> list[dict[str, Any]]:
    """Appendix 2's dates for this inspection; the draft was sent when it first moved to draft."""
    draft = (
        Inspection.history.filter(id=inspection.pk, status=InspectionStatus.DRAFT)
        .order_by("history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    today = timezone.localdate()
    steps = timetable(
        inspection.fieldwork_end,
        inspection.published_on,
        draft_sent_on=timezone.localtime(draft).date() if draft else None,
    )
    return [{"step": step, "state": step.state(today)} for step in steps]


def team_member_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, manage=True)
    form = forms.TeamMemberForm(request.POST or None, inspection=inspection)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as attempt:
            services.add_team_member(
                request.user, inspection, form.cleaned_data["staff"], form.cleaned_data["role"]
            )
        if attempt.succeeded:
            messages.success(request, f"{form.cleaned_data['staff'].full_name} added to the team")
            return redirect("inspection:detail", pk=pk)
    return _form_page(request, inspection, form, "Add a team member", "Add to team")


def sample_view(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, manage=True)
    form = forms.SampleForm(request.POST or None, initial={"seed": f"{inspection.area.code}-{inspection.pk}"})
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as attempt:
            result = services.store_sample(
                request.user,
                inspection,
                method=form.cleaned_data["method"],
                size=form.cleaned_data["size"],
                seed=form.cleaned_data["seed"],
                as_of=form.cleaned_data["as_of"],
            )
        if attempt.succeeded:
            messages.success(
                request,
                f"{len(result['cases'])} cases sampled with {len(result['adjustments'])} adjustments recorded",
            )
            return redirect("inspection:detail", pk=pk)
    return _form_page(request, inspection, form, "Draw the sample", "Draw sample")


def status_view(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, manage=True)
    if request.method != "POST":
        return redirect("inspection:detail", pk=pk)
    with errors_as_message(request) as attempt:
        services.change_status(
            request.user, inspection, request.POST.get("status", ""), int(request.POST.get("version") or 0)
        )
    if attempt.succeeded:
        messages.success(request, f"Status: {inspection.get_status_display()}")
    return redirect("inspection:detail", pk=pk)


# ------------------------------------------------------------------ case assessment


def _sampled_case(request: HttpRequest, pk: int, crn: str) -> SampledCase:
    inspection = _inspection(request, pk)
    sampled = (
        SampledCase.objects.select_related(
            "offender__offender_manager", "offender__area", "assessor", "inspection"
        )
        .filter(inspection=inspection, offender__crn=crn)
        .first()
    )
    if sampled is None:
        raise Http404("This case is not in the inspection's sample")
    sampled.inspection = inspection
    if not permissions.can_read_assessment(request.user, sampled):
        raise _refuse(request, f"assessment of {crn} in inspection {pk}")
    return sampled


def _save_criterion(
    request: HttpRequest, sampled: SampledCase, criterion: Any, posted: dict[str, str], notes: dict[str, str]
) -> list[tuple[str, str]]:
    """Save one criterion's answers as posted, or return every problem with them (nothing saved then)."""
    framework = framework_of(sampled.inspection)
    errors: list[tuple[str, str]] = []
    inputs: list[services.AnswerInput] = []
    for question in criterion.all_questions:
        value = request.POST.get(f"answer-{question.id}", "")
        note = request.POST.get(f"note-{question.id}", "").strip()
        posted[question.id] = value
        notes[question.id] = note
        if not value:
            if note:
                errors.append(
                    (
                        f"answer-{question.id}-yes",
                        f"Question {question.id}: choose yes, no or not relevant for the note to be saved",
                    )
                )
            continue
        if value not in framework.answer_values:
            errors.append(
                (f"answer-{question.id}-yes", f"Question {question.id}: choose yes, no or not relevant")
            )
            continue
        version_text = request.POST.get(f"version-{question.id}", "")
        inputs.append(
            services.AnswerInput(
                question.id, value, note, int(version_text) if version_text.isdigit() else None
            )
        )
    if not errors and not inputs:
        errors.append(
            (
                f"answer-{criterion.all_questions[0].id}-yes",
                f"Criterion {criterion.id}: answer at least one question",
            )
        )
    if not errors:
        with errors_kept() as attempt:
            services.save_answers(request.user, sampled, inputs)
        if attempt.succeeded:
            messages.success(request, f"Criterion {criterion.id}: {len(inputs)} answers saved")
        errors += [(field or "main-content", message) for field, message in attempt.problems]
    return errors


def _criterion_or_404(framework: Any, criterion_id: str) -> Any:
    try:
        return framework.criterion(criterion_id)
    except KeyError:
        raise Http404("No such criterion") from None


def assessment_view(request: HttpRequest, pk: int, crn: str) -> HttpResponse:
    """The case's assessment as a GOV.UK task list: one criterion per page, progress shown.

    A POST here (one criterion's answers, as earlier versions of the page sent) is still accepted.
    """
    sampled = _sampled_case(request, pk, crn)
    if request.method == "POST":
        framework = framework_of(sampled.inspection)
        criterion = _criterion_or_404(framework, request.POST.get("criterion", ""))
        return _criterion_page(request, sampled, criterion)
    inspection = sampled.inspection
    record_access(
        request.user, AccessAction.VIEW, f"opened assessment in {inspection}", crn=crn, request=request
    )
    blocks = assessment_blocks(framework_of(inspection), sampled)
    sections: list[dict[str, Any]] = []
    for block in blocks:
        if not sections or sections[-1]["title"] != block.section_title:
            sections.append({"title": block.section_title, "blocks": []})
        sections[-1]["blocks"].append(block)
    return render(
        request,
        "inspection/assessment.html",
        {
            "inspection": inspection,
            "sampled": sampled,
            "case": sampled.offender,
            "sections": sections,
            "can_assess": permissions.can_assess_case(request.user, sampled),
            "interview": OffenderManagerInterview.objects.filter(sampled_case=sampled).first(),
            "done": sum(b.done for b in blocks),
            "total": sum(len(b.questions) for b in blocks),
            "criteria_done": sum(1 for b in blocks if b.status == "Completed"),
            "criteria_total": len(blocks),
        },
    )


def criterion_view(request: HttpRequest, pk: int, crn: str, criterion_id: str) -> HttpResponse:
    """One criterion of the case's assessment: its questions, "Save and continue" to the next."""
    sampled = _sampled_case(request, pk, crn)
    criterion = _criterion_or_404(framework_of(sampled.inspection), criterion_id)
    return _criterion_page(request, sampled, criterion)


def _criterion_page(request: HttpRequest, sampled: SampledCase, criterion: Any) -> HttpResponse:
    inspection = sampled.inspection
    crn = sampled.offender.crn
    can_assess = permissions.can_assess_case(request.user, sampled)
    errors: list[tuple[str, str]] = []
    posted: dict[str, str] = {}
    notes: dict[str, str] = {}
    blocks = assessment_blocks(framework_of(inspection), sampled)
    index = next(i for i, b in enumerate(blocks) if b.criterion.id == criterion.id)
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    if request.method == "POST":
        if not can_assess:
            raise _refuse(request, f"assessing {crn}")
        errors = _save_criterion(request, sampled, criterion, posted, notes)
        if not errors:
            task_list = reverse("inspection:assess", args=[inspection.pk, crn])
            if request.POST.get("then") == "list" or following is None:
                return redirect(task_list + f"#criterion-{criterion.id}")
            return redirect(
                "inspection:assess-criterion", pk=inspection.pk, crn=crn, criterion_id=following.criterion.id
            )
    else:
        record_access(
            request.user,
            AccessAction.VIEW,
            f"opened criterion {criterion.id} in {inspection}",
            crn=crn,
            request=request,
        )
    return render(
        request,
        "inspection/criterion.html",
        {
            "inspection": inspection,
            "sampled": sampled,
            "case": sampled.offender,
            "current": blocks[index],
            # What was typed comes back after a refused save: nothing is lost.
            "rows": [
                {
                    "q": q,
                    "value": posted[q.id] if posted else q.value,
                    "note": notes[q.id] if posted else (q.answer.note if q.answer else ""),
                }
                for q in blocks[index].questions
            ],
            "number": index + 1,
            "count": len(blocks),
            "following": following,
            "can_assess": can_assess,
            "extra_errors": errors,
            "has_errors": bool(errors),
            "posted": posted,
            "notes": notes,
        },
        status=400 if errors else 200,
    )


def interview_view(request: HttpRequest, pk: int, crn: str) -> HttpResponse:
    sampled = _sampled_case(request, pk, crn)
    if not permissions.can_assess_case(request.user, sampled):
        raise _refuse(request, f"interview for {crn}")
    interview = OffenderManagerInterview.objects.filter(sampled_case=sampled).first()
    initial = (
        {
            "interviewed_on": interview.interviewed_on,
            "offender_manager_name": interview.offender_manager_name,
            "notes": interview.notes,
            "version": interview.version,
        }
        if interview
        else {
            "interviewed_on": timezone.localdate(),
            "offender_manager_name": sampled.offender.offender_manager.full_name
            if sampled.offender.offender_manager
            else "",
        }
    )
    form = forms.InterviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as attempt:
            services.record_interview(
                request.user,
                sampled,
                interviewed_on=form.cleaned_data["interviewed_on"],
                offender_manager_name=form.cleaned_data["offender_manager_name"],
                notes=form.cleaned_data["notes"],
                expected_version=form.cleaned_data["version"],
            )
        if attempt.succeeded:
            messages.success(request, "Offender manager interview saved")
            return redirect("inspection:assess", pk=pk, crn=crn)
    return _form_page(
        request,
        sampled.inspection,
        form,
        f"Offender manager interview: {sampled.offender.crn}",
        "Save interview",
    )


# ------------------------------------------------------------------ section 4, questionnaires, report text


def rating_view(request: HttpRequest, pk: int, criterion_id: str) -> HttpResponse:
    inspection = _inspection(request, pk, manage=True)
    framework = framework_of(inspection)
    section = framework.section_of_criterion.get(criterion_id)
    if section is None or section.rated is None:
        raise Http404("Not a rated criterion")
    current = inspection.ratings.filter(criterion_id=criterion_id).first()
    initial = (
        {"rating": current.rating, "evidence": current.evidence, "version": current.version}
        if current
        else {}
    )
    form = forms.RatingForm(request.POST or None, initial=initial, ratings=section.rated)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as attempt:
            services.rate_criterion(
                request.user,
                inspection,
                criterion_id,
                form.cleaned_data["rating"],
                form.cleaned_data["evidence"],
                form.cleaned_data["version"],
            )
        if attempt.succeeded:
            messages.success(request, f"Criterion {criterion_id} rated")
            return redirect("inspection:detail", pk=pk)
    criterion = framework.criterion(criterion_id)
    return _form_page(
        request,
        inspection,
        form,
        f"Rate {criterion.id} {criterion.title}",
        "Save rating",
        hint=criterion.statement,
        evidence_lines=rating_evidence(inspection, criterion_id),
    )


def questionnaire_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    inspection = _inspection(request, pk, manage=True)
    if kind not in QuestionnaireKind.values:
        raise Http404("No such questionnaire")
    current = inspection.questionnaires.filter(kind=kind).first()
    initial = (
        {
            "sent": current.sent,
            "returned": current.returned,
            "answers_summary": current.answers_summary,
            "version": current.version,
        }
        if current
        else {}
    )
    form = forms.QuestionnaireForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as attempt:
            services.record_questionnaire(
                request.user,
                inspection,
                kind,
                sent=form.cleaned_data["sent"],
                returned=form.cleaned_data["returned"],
                answers_summary=form.cleaned_data["answers_summary"],
                expected_version=form.cleaned_data["version"],
            )
        if attempt.succeeded:
            messages.success(request, f"Questionnaires to {kind} saved")
            return redirect("inspection:detail", pk=pk)
    return _form_page(request, inspection, form, f"Questionnaires to {kind}", "Save questionnaires")


def report_text_view(request: HttpRequest, pk: int, criterion_id: str) -> HttpResponse:
    inspection = _inspection(request, pk, manage=True)
    framework = framework_of(inspection)
    if criterion_id not in framework.section_of_criterion:
        raise Http404("No such criterion")
    current = inspection.report_texts.filter(criterion_id=criterion_id).first()
    initial: dict[str, Any] = (
        {
            "strengths": current.strengths,
            "areas_for_improvement": current.areas_for_improvement,
            "narrative": current.narrative,
            "version": current.version,
            **{f"call_{q}": call for q, call in current.finding_calls.items()},
        }
        if current
        else {}
    )
    scores = inspection_scores(inspection)
    findings = [
        (question.id, strength_sentence(question, scores["questions"][question.id]))
        for question in framework.criterion(criterion_id).questions
        if scores["questions"][question.id]["p"] is not None
    ]
    form = forms.ReportTextForm(request.POST or None, initial=initial, findings=findings)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as attempt:
            services.save_report_text(
                request.user,
                inspection,
                criterion_id,
                strengths=form.cleaned_data["strengths"],
                areas_for_improvement=form.cleaned_data["areas_for_improvement"],
                narrative=form.cleaned_data["narrative"],
                expected_version=form.cleaned_data["version"],
                finding_calls=form.finding_calls(),
            )
        if attempt.succeeded:
            messages.success(request, f"Report text for {criterion_id} saved")
            return redirect("inspection:detail", pk=pk)
    criterion = framework.criterion(criterion_id)
    return _form_page(
        request,
        inspection,
        form,
        f"Report text: {criterion.id} {criterion.title}",
        "Save text",
        hint=f"{criterion.statement} Call each finding a strength or an area for improvement: the "
        "percentage is beside it, and no score line decides it for you.",
    )


def summary_view(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, manage=True)
    form = forms.SummaryForm(
        request.POST or None,
        initial={
            "summary": inspection.summary,
            "good_practice": inspection.good_practice,
            "version": inspection.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as attempt:
            services.save_summary(
                request.user,
                inspection,
                summary=form.cleaned_data["summary"],
                good_practice=form.cleaned_data["good_practice"],
                expected_version=form.cleaned_data["version"],
            )
        if attempt.succeeded:
            messages.success(request, "Summary saved")
            return redirect("inspection:detail", pk=pk)
    return _form_page(request, inspection, form, "Summary and good practice", "Save summary")


def recommendation_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, manage=True)
    form = forms.RecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as attempt:
            recommendation = services.add_recommendation(request.user, inspection, form.cleaned_data["text"])
        if attempt.succeeded:
            messages.success(request, f"Recommendation {recommendation.number} added")
            return redirect("inspection:detail", pk=pk)
    return _form_page(request, inspection, form, "Add a recommendation", "Add recommendation")


def correction_view(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk, manage=True)
    form = forms.CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as attempt:
            version = services.publish_correction(request.user, inspection, form.cleaned_data["reason"])
        if attempt.succeeded:
            messages.success(request, f"Version {version.number} of the report published")
            return redirect("inspection:detail", pk=pk)
    return _form_page(
        request,
        inspection,
        form,
        "Publish a correction",
        "Publish corrected version",
        hint="The corrected version is rendered from the records as they are now, with the same stated "
        "dates for Appendix 1 and the performance table. Every earlier version is kept.",
    )


def report_version_view(request: HttpRequest, pk: int, number: int, extension: str) -> HttpResponse:
    """An earlier (or the current) published version, exactly as it was stored."""
    if extension not in ("html", "pdf"):
        raise Http404("The report is available as HTML or PDF")
    inspection = _inspection(request, pk)
    version = get_object_or_404(PublishedReport, inspection=inspection, number=number)
    record_access(
        request.user,
        AccessAction.EXPORT,
        f"report of {inspection}, version {number}, as {extension}",
        request=request,
    )
    if extension == "pdf":
        response = HttpResponse(bytes(version.pdf), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="{report_filename(inspection, f"v{number}.pdf")}"'
        )
        return response
    download = bool(request.GET.get("download"))
    response = HttpResponse(
        version.html if download else version.page_html, content_type="text/html; charset=utf-8"
    )
    if download:
        response["Content-Disposition"] = (
            f'attachment; filename="{report_filename(inspection, f"v{number}.html")}"'
        )
    return response


def report_view(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    if extension not in ("html", "pdf"):
        raise Http404("The report is available as HTML or PDF")
    inspection = _inspection(request, pk)
    if extension == "pdf" and latest_published(inspection) is None:
        return _report_pdf_job(request, inspection)
    download = extension == "pdf" or bool(request.GET.get("download"))
    html = render_report_html(inspection, self_contained=download)
    record_access(
        request.user, AccessAction.EXPORT, f"report of {inspection} as {extension}", request=request
    )
    if extension == "pdf":
        response = HttpResponse(render_report_pdf(inspection, html), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{report_filename(inspection, "pdf")}"'
        return response
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    if download:
        response["Content-Disposition"] = f'attachment; filename="{report_filename(inspection, "html")}"'
    return response


def _report_pdf_job(request: HttpRequest, inspection: Inspection) -> HttpResponse:
    """A report not yet published: its PDF is made by a background job (issue 12), which the button
    starts and whose page shows its progress and then the file. Asking does not change the report,
    but it does start work, so it takes a POST."""
    if request.method == "POST":
        with errors_as_message(request) as attempt:
            made = services.request_report_pdf(request.user, inspection)
        if attempt.succeeded:
            return redirect("jobs:job", task_id=made.task_id)
        return redirect("inspection:detail", pk=inspection.pk)
    return _form_page(
        request,
        inspection,
        django_forms.Form(),
        "Make the report's PDF",
        "Make the PDF",
        hint="The PDF is made from the report as it stands now, in the background: the next page "
        "shows how far it has got, then a link to the file.",
    )


def report_pdf_file_view(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    """A PDF made by the job: for anyone who may see the inspection, each download logged."""
    inspection = _inspection(request, pk)
    made = get_object_or_404(ReportPdf, inspection=inspection, pk=file_id, finished_at__isnull=False)
    record_access(
        request.user,
        AccessAction.EXPORT,
        f"report of {inspection} as pdf, made {made.finished_at:%-d %B %Y, %H:%M}",
        request=request,
    )
    response = HttpResponse(bytes(made.pdf or b""), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report_filename(inspection, "pdf")}"'
    return response


# ------------------------------------------------------------------ improvement plan


def action_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    if not (
        permissions.can_run_self_assessment(request.user, inspection.area)
        or permissions.can_manage_inspection(request.user, inspection)
    ):
        raise _refuse(request, f"improvement plan of inspection {pk}")
    form = forms.ActionForm(request.POST or None, inspection=inspection)
    if request.method == "POST" and form.is_valid():
        recommendation = inspection.recommendations.filter(pk=form.cleaned_data["recommendation"]).first()
        if recommendation is None:
            form.add_error("recommendation", "Choose a recommendation of this inspection")
        else:
            with errors_on(form) as attempt:
                services.add_action(
                    request.user,
                    recommendation,
                    action=form.cleaned_data["action"],
                    owner=form.cleaned_data["owner"],
                    due_date=form.cleaned_data["due_date"],
                )
            if attempt.succeeded:
                messages.success(request, "Improvement plan action added")
                return redirect(reverse("inspection:detail", args=[pk]) + "#improvement-plan")
    return _form_page(request, inspection, form, "Add an improvement plan action", "Add action")


def action_update_view(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    action = get_object_or_404(
        ImprovementPlanAction.objects.select_related("recommendation__inspection__area", "owner"),
        pk=action_id,
        recommendation__inspection=inspection,
    )
    if not permissions.can_update_action(request.user, action):
        raise _refuse(request, f"improvement action {action_id}")
    form = forms.ActionProgressForm(
        request.POST or None,
        initial={"progress": action.progress, "done": action.done, "version": action.version},
    )
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as attempt:
            services.update_action(
                request.user,
                action,
                progress=form.cleaned_data["progress"],
                done=form.cleaned_data["done"],
                expected_version=form.cleaned_data["version"],
            )
        if attempt.succeeded:
            messages.success(request, "Progress saved")
            return redirect(reverse("inspection:detail", args=[pk]) + "#improvement-plan")
    return _form_page(request, inspection, form, f"Progress: {action.action[:60]}", "Save progress")


# ---------------------------------------------------------------- HMI Probation's programme


def programme_view(request: HttpRequest) -> HttpResponse:
    """Every area region by region: inspection dates, published scores and re-inspection due."""
    if not permissions.can_see_programme(request.user):
        raise _refuse(request, "inspection programme")
    today = timezone.localdate()
    record_access(request.user, AccessAction.VIEW, "Inspection programme", request=request)
    return render(
        request,
        "inspection/programme.html",
        {
            "regions": inspection_programme(today),
            "caution": COMPARISON_CAUTION,
            "cycle_start": PROGRAMME_START,
            "today": today,
        },
    )
