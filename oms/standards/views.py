"""My actions, team actions, area actions: what is due and overdue on the cases a person may see."""

from __future__ import annotations

from datetime import date

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from oms.accounts.audit import record_listed
from oms.accounts.permissions import role_of, visible_cases
from oms.cases.models import Offender
from oms.organisation.constants import Role
from oms.standards import engine
from oms.standards.queries import actions

HEADINGS: dict[str, str] = {
    Role.OFFENDER_MANAGER: "My actions",
    Role.SENIOR_PROBATION_OFFICER: "Team actions",
    Role.SENIOR_MANAGER: "Area actions",
    Role.CASE_ADMINISTRATOR: "Area actions",
}


def _as_of(request: HttpRequest) -> tuple[date, str]:
    raw = request.GET.get("as_of", "")
    try:
        return (date.fromisoformat(raw), "") if raw else (timezone.localdate(), "")
    except ValueError:
        return timezone.localdate(), "The date to show actions as of must be a real date, like 2026-11-27"


def actions_view(request: HttpRequest) -> HttpResponse:
    as_of, as_of_error = _as_of(request)
    found = actions(visible_cases(request.user), as_of)
    status = request.GET.get("status", "")
    if status in (engine.ActionState.DUE, engine.ActionState.OVERDUE):
        found = [a for a in found if a.status.status == status]
    owner = request.GET.get("owner", "")
    owners = sorted({a.owner.name for a in found})
    if owner:
        found = [a for a in found if a.owner.name == owner]
    overdue = sum(1 for a in found if a.status.status == engine.ActionState.OVERDUE)
    page = Paginator(found, 100).get_page(request.GET.get("page"))
    record_listed(
        request.user,
        [action.offender.crn for action in page.object_list],
        "listed on the actions page",
        request=request,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "standards/actions.html",
        {
            "heading": HEADINGS.get(role_of(request.user) or "", "Actions due"),
            "page": page,
            "as_of": as_of,
            "as_of_error": as_of_error,
            "status": status,
            "owner": owner,
            "owners": owners,
            "overdue_count": overdue,
            "due_count": len(found) - overdue,
            "query": query.urlencode(),
        },
    )


# The enforcement rows of the National Standards (spec "Enforcement"): the case administrators' tracker.
ENFORCEMENT_RULES = ("judge_absence", "warning", "breach_action", "breach_resolved", "recall_request")
# Met clocks stay on the tracker this long, so a manager sees what was done late as well as what is due.
RECENTLY_MET_DAYS = 28


def enforcement_tracker_view(request: HttpRequest) -> HttpResponse:
    as_of, as_of_error = _as_of(request)
    found = [
        a
        for a in actions(visible_cases(request.user), as_of, open_only=False)
        if a.status.rule_key in ENFORCEMENT_RULES
        and (
            a.status.status in (engine.ActionState.DUE, engine.ActionState.OVERDUE)
            or (
                a.status.completed_on is not None
                and (as_of - a.status.completed_on).days <= RECENTLY_MET_DAYS
            )
        )
    ]
    rule = request.GET.get("rule", "")
    if rule in ENFORCEMENT_RULES:
        found = [a for a in found if a.status.rule_key == rule]
    counts = {key: 0 for key in ENFORCEMENT_RULES}
    for action in found:
        if action.status.status in (engine.ActionState.DUE, engine.ActionState.OVERDUE):
            counts[action.status.rule_key] += 1
    page = Paginator(found, 100).get_page(request.GET.get("page"))
    record_listed(
        request.user,
        [action.offender.crn for action in page.object_list],
        "listed on the enforcement tracker",
        request=request,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "standards/enforcement.html",
        {
            "page": page,
            "as_of": as_of,
            "as_of_error": as_of_error,
            "rule": rule,
            "rules": [(key, key.replace("_", " ").capitalize(), counts[key]) for key in ENFORCEMENT_RULES],
            "overdue_count": sum(1 for a in found if a.status.status == engine.ActionState.OVERDUE),
            "query": query.urlencode(),
        },
    )


def case_actions_panel(request: HttpRequest, offender: Offender) -> str:
    """What happens next on this case: its due and overdue actions (the case is already visible)."""
    as_of = timezone.localdate()
    found = actions(Offender.objects.filter(pk=offender.pk), as_of)
    return render_to_string("standards/case_panel.html", {"actions": found, "as_of": as_of}, request=request)


# Report 2.1(g): a case transferred in needs a complete, current OASys, a first appointment within
# 5 WD and a home visit within 10 WD. The checklist is those three rules' clocks on this case.
TRANSFER_IN_CHECKLIST = (
    ("transfer_in_complete_oasys_received", "A complete, current OASys received"),
    ("transfer_in_first_appointment", "First appointment"),
    ("transfer_in_home_visit", "Home visit"),
)


def transfer_checklist_panel(request: HttpRequest, offender: Offender) -> str:
    transfer = offender.transfers.filter(direction="in").order_by("-transfer_date").first()
    if transfer is None:
        return ""
    found = {
        a.status.rule_key: a.status
        for a in actions(Offender.objects.filter(pk=offender.pk), timezone.localdate(), open_only=False)
        if a.status.trigger_date is not None and a.status.trigger_date >= transfer.transfer_date
    }
    rows = [(label, found.get(key)) for key, label in TRANSFER_IN_CHECKLIST]
    return render_to_string(
        "standards/transfer_checklist.html", {"transfer": transfer, "rows": rows}, request=request
    )
