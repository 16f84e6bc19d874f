"""Tiering and allocation pages. Thin: permissions, queries, services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from oms.accounts.audit import record_access, record_listed
from oms.accounts.case_access import case_or_refuse
from oms.accounts.models import AccessAction
from oms.accounts.permissions import staff_of
from oms.accounts.refusals import note_refusal
from oms.cases.form_errors import errors_on
from oms.cases.models import Offender
from oms.organisation.models import Staff
from oms.risk.levels import RiskOfHarmLevel
from oms.tiering import services
from oms.tiering.forms import AllocateFromQueueForm, OverrideForm, OverrideSignOffForm
from oms.tiering.permissions import (
    allocates_cases,
    can_allocate_case,
    can_override_tier,
    can_review_grade_exceptions,
    can_sign_off_tier_override,
)
from oms.tiering.queries import (
    HISTORY_SHOWN,
    allocation_deadline,
    allocation_queue,
    awaiting_sign_off,
    cases_outside_grade_rules,
    current_decision,
    decision_history,
    decision_rows,
    offender_managers_with_workload,
    plain_explanation,
    tier_as_2005_number,
)
from oms.tiering.workload import recommended_grade


def _case(request: HttpRequest, crn: str) -> Offender:
    return case_or_refuse(request, crn, what="tiering", queryset=Offender.objects.select_related("area"))


def case_tier_view(request: HttpRequest, crn: str) -> HttpResponse:
    offender = _case(request, crn)
    record_access(request.user, AccessAction.VIEW, "viewed tier decisions", crn=crn, request=request)
    decision = current_decision(offender)
    may_override = can_override_tier(request.user, offender)
    form = None
    if may_override:
        form = OverrideForm(
            request.POST or None,
            tiers=services.tiers_for(decision.framework if decision else offender.area.tiering_framework),
            initial={"decision": decision.pk if decision else None},
        )
        if request.method == "POST" and form.is_valid():
            with errors_on(form) as attempt:
                services.override_tier(
                    request.user,
                    offender,
                    tier=form.cleaned_data["tier"],
                    reason=form.cleaned_data["reason"],
                    expected_decision_id=form.cleaned_data["decision"],
                )
            if attempt.succeeded:
                messages.success(request, f"Tier set to {form.cleaned_data['tier']}")
                return redirect("tiering:case", crn=crn)
    elif request.method == "POST":
        raise PermissionDenied("Only a senior probation officer or senior manager can override a tier")
    return render(
        request,
        "tiering/case.html",
        {
            "case": offender,
            "decision": decision,
            "explanation": plain_explanation(decision),
            "rows": decision_rows(decision) if decision else ([], []),
            "history": list(decision_history(offender)[:HISTORY_SHOWN]),
            "form": form,
            "awaiting": awaiting_sign_off(offender),
            "may_sign_off": can_sign_off_tier_override(request.user, offender),
        },
    )


def override_sign_off_view(request: HttpRequest, crn: str) -> HttpResponse:
    offender = case_or_refuse(request, crn, may=can_sign_off_tier_override, what="tier override sign-off")
    awaiting = awaiting_sign_off(offender)
    if awaiting is None:
        messages.info(request, "No tier override of this case is waiting for a sign-off")
        return redirect("tiering:case", crn=crn)
    form = OverrideSignOffForm(request.POST or None, initial={"decision": awaiting.pk})
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as attempt:
            services.sign_off_override(
                request.user,
                awaiting,
                approve=form.cleaned_data["outcome"] == "sign_off",
                note=form.cleaned_data["note"],
            )
        if attempt.succeeded:
            signed = form.cleaned_data["outcome"] == "sign_off"
            messages.success(
                request, f"Tier {awaiting.tier} {'is now in force' if signed else 'override declined'}"
            )
            return redirect("tiering:case", crn=crn)
    return render(
        request,
        "tiering/sign_off.html",
        {"case": offender, "awaiting": awaiting, "current": current_decision(offender), "form": form},
    )


def allocation_queue_view(request: HttpRequest) -> HttpResponse:
    if not allocates_cases(request.user):
        raise PermissionDenied(
            "The allocation queue is for senior probation officers and case administrators"
        )
    today = timezone.localdate()
    rows = allocation_queue(request.user, today)
    record_listed(
        request.user, [row.offender.crn for row in rows], "listed on the allocation queue", request=request
    )
    return render(
        request,
        "tiering/allocation.html",
        {"rows": rows, "today": today, "reviews_grade_exceptions": can_review_grade_exceptions(request.user)},
    )


def grade_exceptions_view(request: HttpRequest) -> HttpResponse:
    if not can_review_grade_exceptions(request.user):
        note_refusal(request, "cases outside the grade rules")
        raise PermissionDenied("The cases held outside the grade rules are for managers")
    rows = cases_outside_grade_rules(request.user)
    return render(request, "tiering/grade_exceptions.html", {"rows": rows})


def allocate_view(request: HttpRequest, crn: str) -> HttpResponse:
    offender = _case(request, crn)
    if not can_allocate_case(request.user, offender):
        raise PermissionDenied("Only senior probation officers and case administrators allocate cases")
    staff = staff_of(request.user)
    workloads = offender_managers_with_workload(offender.area)
    level = RiskOfHarmLevel(offender.risk_of_harm_level) if offender.risk_of_harm_level else None
    grade = recommended_grade(tier_as_2005_number(offender.tier), level)
    current = offender.events.filter(is_active=True).order_by("sentence_date").first()
    deadline = allocation_deadline(current.start_date, offender.tier) if current else None
    form = AllocateFromQueueForm(
        request.POST or None,
        workloads=workloads,
        initial={"version": offender.version, "start_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        chosen = (
            Staff.objects.select_related("grade").filter(pk=form.cleaned_data["offender_manager"]).first()
        )
        if chosen is None:
            form.add_error("offender_manager", "Choose the offender manager")
        else:
            with errors_on(form) as attempt:
                services.allocate_from_queue(
                    request.user,
                    offender,
                    chosen,
                    reason=form.cleaned_data["reason"],
                    on=form.cleaned_data["start_date"],
                    expected_version=form.cleaned_data["version"],
                    manager_decision=form.cleaned_data["manager_decision"],
                    over_capacity_reason=form.cleaned_data["over_capacity_reason"],
                )
            if attempt.succeeded:
                messages.success(
                    request, f"{offender.crn} allocated to {chosen}. They have been told by email."
                )
                return redirect("tiering:allocation")
    return render(
        request,
        "tiering/allocate.html",
        {
            "case": offender,
            "form": form,
            "workloads": [
                {
                    "w": w,
                    "may_hold": w.may_hold(offender.tier, offender.risk_of_harm_level),
                    "recommended": w.grade is grade,
                }
                for w in workloads
            ],
            "recommended_grade": grade,
            "deadline": deadline,
            "allocator": staff,
        },
    )
