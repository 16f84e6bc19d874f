"""Sentence planning pages. Thin: permissions from planning.permissions (built on accounts), reads from
queries, writes from services, countersigning from the shared core."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.accounts.refusals import note_refusal
from oms.cases.form_errors import errors_as_message, errors_on
from oms.cases.models import Offender
from oms.planning import services
from oms.planning.forms import (
    BLANK_OBJECTIVE_ROWS,
    MAXIMUM_OBJECTIVE_ROWS,
    MINIMUM_OBJECTIVE_ROWS,
    ObjectiveForm,
    PlanForm,
    ProgressForm,
    staff_choices,
)
from oms.planning.models import Objective, SentencePlan
from oms.planning.permissions import can_read_plans, can_record_progress, can_write_plans
from oms.planning.printable import printable_context
from oms.planning.queries import (
    applicable,
    case_plans,
    current_requirement_types,
    objective_rows,
    objectives_of,
)
from oms.risk import countersigning
from oms.risk.countersigning import CountersigningEvent, CountersigningStatus
from oms.risk.forms import CountersignDecision


def _case(request: HttpRequest, crn: str) -> Offender:
    offender = get_object_or_404(Offender.objects.select_related("area", "offender_manager__team"), crn=crn)
    if not can_read_plans(request.user, offender):
        note_refusal(request, "sentence plans", crn=crn)
        raise PermissionDenied("You do not have access to this case's sentence plans")
    return offender


def _plan(offender: Offender, pk: int) -> SentencePlan:
    plan: SentencePlan = get_object_or_404(
        SentencePlan.objects.select_related(
            "author__grade", "countersigned_by", "event", "risk_management_plan"
        ),
        pk=pk,
        offender=offender,
    )
    plan.offender = offender
    return plan


def _history(plan: SentencePlan) -> list[CountersigningEvent]:
    return list(
        CountersigningEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(SentencePlan), object_id=plan.pk
        ).select_related("by")
    )


def case_plans_view(request: HttpRequest, crn: str) -> HttpResponse:
    offender = _case(request, crn)
    record_access(request.user, AccessAction.VIEW, "viewed sentence plans", crn=crn, request=request)
    return render(
        request,
        "planning/case.html",
        {
            "case": offender,
            "o": case_plans(offender, timezone.localdate()),
            "can_write": can_write_plans(request.user, offender),
        },
    )


@require_POST
def start_view(request: HttpRequest, crn: str) -> HttpResponse:
    offender = _case(request, crn)
    if not can_write_plans(request.user, offender):
        raise PermissionDenied(
            "Only the offender manager, their manager or the prison offender supervisor plan"
        )
    with errors_as_message(request) as attempt:
        plan = services.start_plan(request.user, offender)
    if not attempt.succeeded:
        return redirect("planning:case", crn=crn)
    return redirect("planning:edit", crn=crn, pk=plan.pk)


def plan_view(request: HttpRequest, crn: str, pk: int) -> HttpResponse:
    offender = _case(request, crn)
    plan = _plan(offender, pk)
    record_access(request.user, AccessAction.VIEW, f"viewed {plan.short_name}", crn=crn, request=request)
    rows = objective_rows(objectives_of(plan))
    return render(
        request,
        "planning/plan.html",
        {
            "case": offender,
            "plan": plan,
            "applies": applicable(plan, rows, current_requirement_types(offender)),
            "history": _history(plan),
            "can_write": can_write_plans(request.user, offender),
            "can_record_progress": plan.is_locked and can_record_progress(request.user, offender),
            "can_countersign": plan.status == CountersigningStatus.SUBMITTED
            and countersigning.may_countersign(request.user, plan),
        },
    )


def _objective_forms(
    request: HttpRequest, plan: SentencePlan, choices: list[tuple[Any, Any]], rows: int
) -> list[ObjectiveForm]:
    if request.method == "POST":
        return [
            ObjectiveForm(request.POST, prefix=f"objectives-{index}", staff_choices=choices)
            for index in range(rows)
        ]
    existing = list(plan.objectives.all())
    return [
        ObjectiveForm(
            prefix=f"objectives-{index}",
            staff_choices=choices,
            initial=ObjectiveForm.initial_for(existing[index]) if index < len(existing) else {},
        )
        for index in range(rows)
    ]


def _saved_data(request: HttpRequest, plan: SentencePlan, rows: int) -> QueryDict:
    data = request.POST.copy()
    data["version"] = str(plan.version)
    for key in [key for key in data if key.startswith("objectives-")]:
        del data[key]
    for index, objective in enumerate(plan.objectives.all()[:rows]):
        for name, value in ObjectiveForm.initial_for(objective).items():
            key = f"objectives-{index}-{name}"
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            else:
                data[key] = "" if value is None else str(value)
    for index in range(plan.objectives.count(), rows):
        data[f"objectives-{index}-delivered_by"] = "offender_manager"
        data[f"objectives-{index}-status"] = "not_started"
    return data


def _saved_forms(request: HttpRequest, plan: SentencePlan, rows: int) -> tuple[PlanForm, list[ObjectiveForm]]:
    data = _saved_data(request, plan, rows)
    form = PlanForm(data, plan=plan, rows=rows)
    form.is_valid()
    choices = staff_choices(plan)
    objective_forms = [
        ObjectiveForm(data, prefix=f"objectives-{index}", staff_choices=choices) for index in range(rows)
    ]
    for objective_form in objective_forms:
        objective_form.is_valid()
    return form, objective_forms


def _row_count(request: HttpRequest, plan: SentencePlan) -> int:
    if request.method == "POST":
        raw = request.POST.get("objective_rows", "")
        count = int(raw) if raw.isdigit() else MINIMUM_OBJECTIVE_ROWS
        return max(1, min(count, MAXIMUM_OBJECTIVE_ROWS))
    return max(MINIMUM_OBJECTIVE_ROWS, plan.objectives.count() + BLANK_OBJECTIVE_ROWS)


def edit_view(request: HttpRequest, crn: str, pk: int) -> HttpResponse:
    offender = _case(request, crn)
    plan = _plan(offender, pk)
    if not can_write_plans(request.user, offender):
        raise PermissionDenied("You can read this case's sentence plans but not change them")
    if not plan.is_editable:
        messages.error(
            request,
            f"This {plan.document_name} is {plan.get_status_display().lower()}: it cannot be changed."
            + (" Start a review to make a new version." if plan.is_locked else ""),
        )
        return redirect("planning:plan", crn=crn, pk=pk)
    rows = _row_count(request, plan)
    form = PlanForm(request.POST or None, plan=plan, rows=rows)
    objective_forms = _objective_forms(request, plan, staff_choices(plan), rows)
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in objective_forms):
        with errors_on(form, also=objective_forms) as saved:
            services.save_plan(
                request.user,
                plan,
                form.changes(),
                [f.as_input() for f in objective_forms],
                expected_version=form.cleaned_data["version"],
            )
        if saved.succeeded:
            if "submit" not in request.POST:
                messages.success(request, "Draft saved")
                return redirect("planning:edit", crn=crn, pk=pk)
            # The plan is saved as a draft before it is submitted (a refused submission loses nothing):
            # a refusal is shown on the plan as saved, one row per objective in order (so the rule's
            # row numbers match).
            form, objective_forms = _saved_forms(request, plan, rows)
            with errors_on(form, also=objective_forms) as submitted:
                services.submit_plan(request.user, plan, expected_version=plan.version)
            if submitted.succeeded:
                messages.success(request, f"{plan.title} submitted: {plan.get_status_display().lower()}")
                return redirect("planning:plan", crn=crn, pk=pk)
    extra_errors = [
        (f"id_{f.prefix}-{name}", message)
        for f in objective_forms
        for name, errors in f.errors.items()
        for message in errors
    ]
    return render(
        request,
        "planning/edit.html",
        {
            "case": offender,
            "plan": plan,
            "form": form,
            "objective_forms": objective_forms,
            "extra_errors": extra_errors,
            "title": plan.title,
        },
    )


def countersign_view(request: HttpRequest, crn: str, pk: int) -> HttpResponse:
    offender = _case(request, crn)
    plan = _plan(offender, pk)
    if not countersigning.may_countersign(request.user, plan):
        note_refusal(request, f"countersign {plan.short_name}", crn=crn)
        raise PermissionDenied(
            "Only the author's manager, or a deputy named for their team, can countersign this"
        )
    form = CountersignDecision(request.POST or None, initial={"version": plan.version})
    if request.method == "POST" and form.is_valid() and form.carry_out(request, plan):
        return redirect("risk:countersigning")
    record_access(
        request.user, AccessAction.VIEW, f"viewed {plan.short_name} to countersign", crn=crn, request=request
    )
    rows = objective_rows(objectives_of(plan))
    return render(
        request,
        "planning/countersign.html",
        {
            "case": offender,
            "plan": plan,
            "applies": applicable(plan, rows, current_requirement_types(offender)),
            "form": form,
            "history": _history(plan),
        },
    )


def progress_view(request: HttpRequest, crn: str, pk: int, objective_pk: int) -> HttpResponse:
    offender = _case(request, crn)
    plan = _plan(offender, pk)
    objective = get_object_or_404(Objective, pk=objective_pk, plan=plan)
    objective.plan = plan
    if not can_record_progress(request.user, offender):
        raise PermissionDenied("You can read this plan but not record progress on it")
    form = ProgressForm(request.POST or None, initial={"status": objective.status})
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as attempt:
            services.record_progress(
                request.user, objective, status=form.cleaned_data["status"], note=form.cleaned_data["note"]
            )
        if attempt.succeeded:
            messages.success(request, f"Progress recorded on objective {objective.number}")
            return redirect("planning:plan", crn=crn, pk=pk)
    return render(
        request,
        "planning/progress.html",
        {
            "case": offender,
            "plan": plan,
            "objective": objective,
            "form": form,
            "title": f"Progress on objective {objective.number}",
        },
    )


def _printable(request: HttpRequest, crn: str, pk: int, action: AccessAction, words: str) -> dict[str, Any]:
    offender = _case(request, crn)
    plan = _plan(offender, pk)
    record_access(request.user, action, f"{words} {plan.short_name}", crn=crn, request=request)
    return printable_context(plan)


def print_view(request: HttpRequest, crn: str, pk: int) -> HttpResponse:
    context = _printable(request, crn, pk, AccessAction.VIEW, "viewed the printable copy of")
    # The copy's styles follow the person's print needs, so they are written per page under the CSP's nonce.
    copy = render_to_string("planning/printable.html", {**context, "csp_nonce": request.csp_nonce})  # type: ignore[attr-defined]
    return render(request, "planning/print_page.html", {**context, "copy": copy, "case": context["offender"]})


def print_pdf_view(request: HttpRequest, crn: str, pk: int) -> HttpResponse:
    from weasyprint import HTML

    context = _printable(request, crn, pk, AccessAction.EXPORT, "printed")
    html = render_to_string("planning/printable.html", {**context, "standalone": True})
    # Tagged (PDF/UA) so a screen reader reads the plan in order.
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(pdf_variant="pdf/ua-1")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sentence-plan-{crn}-{pk}.pdf"'
    return response
