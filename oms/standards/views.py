"""My actions, team actions, area actions: what is due and overdue on the cases a person may see."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from oms.accounts.audit import record_listed
from oms.accounts.permissions import AnyUser, role_of, staff_of, visible_cases
from oms.cases.models import Offender
from oms.organisation.constants import Role
from oms.organisation.models import Staff
from oms.standards import engine
from oms.standards.models import StoredAction
from oms.standards.owners import OWNER_KIND_LABELS, OwnerKind
from oms.standards.queries import (
    Action,
    actions,
    as_actions,
    open_counts,
    open_only,
    owned_by,
    stored_actions,
    with_state,
)

PAGE_SIZE = 100
SWEEPERS = frozenset({Role.SENIOR_MANAGER, Role.CASE_ADMINISTRATOR})

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


def _page(rows: QuerySet[StoredAction], count: int | None, number: str | None) -> Page[Any]:
    """One page of rows; their cases read for that page only, and the count reused if known."""
    paginator = Paginator(rows, PAGE_SIZE)
    if count is not None:
        paginator.__dict__["count"] = count  # Paginator.count is a cached property: one COUNT saved
    return paginator.get_page(number)


def _rows_of(rows: QuerySet[StoredAction], page: Page[Any]) -> list[StoredAction]:
    """The page's rows, read even when there are none (Django skips an empty slice's query), so a
    list runs the same queries whether it is empty or full."""
    start = (page.number - 1) * PAGE_SIZE
    return list(rows[start : start + PAGE_SIZE])


def _owner_choices(cases: QuerySet[Offender]) -> list[tuple[str, str]]:
    """Whose work to show: the offender managers of the visible cases by name (one query over the
    cases, not over their actions), and each group that owns work."""
    choices = {
        f"staff:{pk}": f"{first} {family}"
        for pk, first, family in Staff.objects.filter(
            Exists(cases.filter(offender_manager_id=OuterRef("pk")))
        ).values_list("pk", "first_name", "family_name")
    }
    for kind in OwnerKind:
        if kind != OwnerKind.OFFENDER_MANAGER:
            label = OWNER_KIND_LABELS[kind]
            choices[f"kind:{kind}"] = label[:1].upper() + label[1:]
    return sorted(choices.items(), key=lambda item: item[1])


def _owner_filter(owner: str, user_staff: Staff | None) -> Q | None:
    if owner == "mine":
        return owned_by(user_staff) if user_staff else Q(pk__in=[])
    kind, _, value = owner.partition(":")
    if kind == "staff" and value.isdigit():
        return Q(owner_staff_id=int(value))
    if kind == "kind" and value in set(OwnerKind):
        return Q(owner_kind=value, owner_staff__isnull=True)
    return None


def _action_matches(action: Action, owner: str, user_staff: Staff | None) -> bool:
    """The same owner filter, for actions evaluated fresh (a date other than today)."""
    if owner == "mine":
        return user_staff is not None and action.owner.staff_id == user_staff.pk
    kind, _, value = owner.partition(":")
    if kind == "staff":
        return str(action.owner.staff_id) == value
    if kind == "kind":
        return action.owner.staff_id is None and action.owner.kind == value
    return True


def actions_view(request: HttpRequest) -> HttpResponse:
    """Today's actions come from the stored table (filtered, counted and paginated by the database);
    another date is evaluated fresh."""
    as_of, as_of_error = _as_of(request)
    status = request.GET.get("status", "")
    owner = request.GET.get("owner", "")
    user_staff = staff_of(request.user)
    cases = visible_cases(request.user)
    if as_of == timezone.localdate():
        rows = open_only(stored_actions(cases, as_of))
        owners = _owner_choices(cases)
        chosen = _owner_filter(owner, user_staff)
        if chosen is not None:
            rows = rows.filter(chosen)
        rows = with_state(rows, status)
        overdue, due = open_counts(rows)
        page: Page[Any] = _page(rows, overdue + due, request.GET.get("page"))
        shown = as_actions(_rows_of(rows, page), as_of)
    else:
        found = actions(cases, as_of)
        if status in (engine.ActionState.DUE, engine.ActionState.OVERDUE):
            found = [a for a in found if a.status.status == status]
        labels = {
            (f"staff:{a.owner.staff_id}" if a.owner.staff_id else f"kind:{a.owner.kind}"): a.owner.name
            for a in found
        }
        owners = sorted(labels.items(), key=lambda item: item[1])
        if owner:
            found = [a for a in found if _action_matches(a, owner, user_staff)]
        overdue = sum(1 for a in found if a.status.status == engine.ActionState.OVERDUE)
        due = len(found) - overdue
        page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
        shown = list(page.object_list)
    record_listed(
        request.user, [action.offender.crn for action in shown], "listed on the actions page", request=request
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "standards/actions.html",
        {
            "heading": HEADINGS.get(role_of(request.user) or "", "Actions due"),
            "page": page,
            "page_actions": shown,
            "as_of": as_of,
            "as_of_error": as_of_error,
            "status": status,
            "owner": owner,
            "owners": owners,
            "can_choose_mine": user_staff is not None,
            "can_sweep": can_sweep_area(request.user),
            "overdue_count": overdue,
            "due_count": due,
            "query": query.urlencode(),
        },
    )


def can_sweep_area(user: AnyUser) -> bool:
    """Area managers and case administrators may re-evaluate their whole area's actions on demand."""
    staff = staff_of(user)
    return staff is not None and staff.area_id is not None and staff.grade.role in SWEEPERS


@require_POST
def sweep_area_view(request: HttpRequest) -> HttpResponse:
    """Start a sweep of the user's area as a background job and show its progress."""
    if not can_sweep_area(request.user):
        raise PermissionDenied("Only area managers and case administrators can re-evaluate an area")
    staff = staff_of(request.user)
    assert staff is not None and staff.area is not None
    from oms.standards.tasks import enqueue_sweep

    (job,) = enqueue_sweep([staff.area], user=request.user)
    return redirect("jobs:job", task_id=str(job.id))


# The enforcement rows of the National Standards (spec "Enforcement"): the case administrators' tracker.
ENFORCEMENT_RULES = ("judge_absence", "warning", "breach_action", "breach_resolved", "recall_request")
# Met clocks stay on the tracker this long, so a manager sees what was done late as well as what is due.
RECENTLY_MET_DAYS = 28


def enforcement_tracker_view(request: HttpRequest) -> HttpResponse:
    as_of, as_of_error = _as_of(request)
    rule = request.GET.get("rule", "")
    cases = visible_cases(request.user)
    recently = as_of - timedelta(days=RECENTLY_MET_DAYS)
    if as_of == timezone.localdate():
        rows = stored_actions(cases, as_of).filter(rule_key__in=ENFORCEMENT_RULES)
        rows = rows.filter(
            Q(status__in=[engine.ActionState.DUE, engine.ActionState.OVERDUE]) | Q(completed_on__gte=recently)
        )
        open_rows = open_only(rows)
        counted = dict(
            open_rows.order_by().values_list("rule_key").annotate(n=Count("pk")).values_list("rule_key", "n")
        )
        counts = {key: counted.get(key, 0) for key in ENFORCEMENT_RULES}
        if rule in ENFORCEMENT_RULES:
            rows = rows.filter(rule_key=rule)
        overdue = open_only(rows).filter(Q(is_overdue=True)).count()
        page: Page[Any] = _page(rows, None, request.GET.get("page"))
        shown = as_actions(_rows_of(rows, page), as_of)
    else:
        found = [
            a
            for a in actions(cases, as_of, open_only=False)
            if a.status.rule_key in ENFORCEMENT_RULES
            and (
                a.status.status in (engine.ActionState.DUE, engine.ActionState.OVERDUE)
                or (a.status.completed_on is not None and a.status.completed_on >= recently)
            )
        ]
        if rule in ENFORCEMENT_RULES:
            found = [a for a in found if a.status.rule_key == rule]
        counts = {key: 0 for key in ENFORCEMENT_RULES}
        for action in found:
            if action.status.status in (engine.ActionState.DUE, engine.ActionState.OVERDUE):
                counts[action.status.rule_key] += 1
        overdue = sum(1 for a in found if a.status.status == engine.ActionState.OVERDUE)
        page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
        shown = list(page.object_list)
    record_listed(
        request.user,
        [action.offender.crn for action in shown],
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
            "page_actions": shown,
            "as_of": as_of,
            "as_of_error": as_of_error,
            "rule": rule,
            "rules": [(key, key.replace("_", " ").capitalize(), counts[key]) for key in ENFORCEMENT_RULES],
            "overdue_count": overdue,
            "query": query.urlencode(),
        },
    )


def case_actions_panel(request: HttpRequest, offender: Offender) -> str:
    """What happens next on this case: its due and overdue actions (the case is already visible)."""
    as_of = timezone.localdate()
    rows = open_only(stored_actions(None, as_of).filter(offender_id=offender.pk))
    found = as_actions(list(rows), as_of)
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
    rows = stored_actions(None).filter(
        offender_id=offender.pk,
        rule_key__in=[key for key, _ in TRANSFER_IN_CHECKLIST],
        trigger_date__gte=transfer.transfer_date,
    )
    found = {a.status.rule_key: a.status for a in as_actions(list(rows))}
    checklist = [(label, found.get(key)) for key, label in TRANSFER_IN_CHECKLIST]
    return render_to_string(
        "standards/transfer_checklist.html", {"transfer": transfer, "rows": checklist}, request=request
    )
