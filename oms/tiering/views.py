"""Tiering and allocation pages. Thin: permissions, queries, services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from oms.accounts.audit import record_access, record_listed
from oms.accounts.case_access import case_or_refuse
from oms.accounts.models import AccessAction
from oms.accounts.permissions import staff_of
from oms.accounts.refusals import note_refusal
from oms.cases.form_errors import errors_on
from oms.cases.models import Offender
from oms.organisation.models import Staff, Team
from oms.risk.levels import RiskOfHarmLevel
from oms.tiering import services
from oms.tiering.forms import AllocateFromQueueForm, AllocateToOfficerForm, OverrideForm, OverrideSignOffForm
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
    cases_for_officer,
    cases_outside_grade_rules,
    current_decision,
    decision_history,
    decision_rows,
    offender_managers_with_workload,
    plain_explanation,
    team_workload,
    tier_as_2005_number,
    unallocated_cases,
    workload_teams,
)
from oms.tiering.workload import CAPACITY_WARNING_ABOVE_PERCENT, recommended_grade


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


def _chosen_team(request: HttpRequest, teams: list[Team]) -> Team | None:
    wanted = request.GET.get("team", "")
    return next((t for t in teams if str(t.pk) == wanted), teams[0] if teams else None)


def workload_view(request: HttpRequest) -> HttpResponse:
    """A team's workload table: each offender manager's cases, points and capacity, with an Allocate
    action on each row."""
    if not allocates_cases(request.user):
        note_refusal(request, "team workload")
        raise PermissionDenied("Team workload is for senior probation officers and case administrators")
    teams = workload_teams(request.user)
    team = _chosen_team(request, teams)
    staff = staff_of(request.user)
    rows = team_workload(staff.area, team) if team is not None and staff and staff.area else []
    return render(
        request,
        "tiering/workload.html",
        {
            "teams": teams,
            "team": team,
            "rows": rows,
            "warning_above": CAPACITY_WARNING_ABOVE_PERCENT,
            "waiting": unallocated_cases(request.user).count(),
        },
    )


def allocate_to_officer_view(request: HttpRequest, staff_id: int) -> HttpResponse:
    """Allocate one of the waiting cases to the offender manager chosen from the workload table."""
    if not allocates_cases(request.user):
        note_refusal(request, "allocating from the team workload")
        raise PermissionDenied("Only senior probation officers and case administrators allocate cases")
    allocator = staff_of(request.user)
    teams = workload_teams(request.user)
    area = allocator.area if allocator else None
    workload = next(
        (
            w
            for w in (offender_managers_with_workload(area) if area else [])
            if w.staff.pk == staff_id and w.staff.team_id in {t.pk for t in teams}
        ),
        None,
    )
    if workload is None or area is None:
        raise Http404("No offender manager of your teams has that number")
    today = timezone.localdate()
    rows = cases_for_officer(request.user, workload, area, today)
    form = AllocateToOfficerForm(request.POST or None, cases=rows, initial={"start_date": today})
    if request.method == "POST" and form.is_valid():
        crn, _, version = form.cleaned_data["case"].partition(":")
        offender = case_or_refuse(request, crn, may=can_allocate_case, what="allocation")
        with errors_on(form) as attempt:
            services.allocate_from_queue(
                request.user,
                offender,
                workload.staff,
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["start_date"],
                expected_version=int(version),
                manager_decision=form.cleaned_data["manager_decision"],
                over_capacity_reason=form.cleaned_data["over_capacity_reason"],
            )
        if attempt.succeeded:
            messages.success(
                request, f"{offender.crn} allocated to {workload.staff}. They have been told by email."
            )
            return redirect(f"{reverse('tiering:workload')}?team={workload.staff.team_id}")
    record_listed(
        request.user,
        [row.case.offender.crn for row in rows],
        "listed to allocate from the team workload",
        request=request,
    )
    chosen = form["case"].value() if form.is_bound else ""
    return render(
        request,
        "tiering/allocate_to_officer.html",
        {
            "officer": workload,
            "rows": [
                {"row": row, "value": f"{row.case.offender.crn}:{row.case.offender.version}"} for row in rows
            ],
            "chosen": chosen,
            "form": form,
            "over_capacity_now": workload.capacity_percent is not None
            and workload.capacity_percent > CAPACITY_WARNING_ABOVE_PERCENT,
            "warning_above": CAPACITY_WARNING_ABOVE_PERCENT,
        },
        status=400 if form.is_bound and form.errors else 200,
    )
