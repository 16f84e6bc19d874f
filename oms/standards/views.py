"""My actions, team actions, area actions: what is due and overdue on the cases a person may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Window
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from oms.accounts.audit import record_listed
from oms.accounts.permissions import AnyUser, role_of, staff_of, visible_cases
from oms.cases.date_input import QueryDate, date_from_query
from oms.cases.models import Offender
from oms.cases.queries import MAXIMUM_SEARCH_LENGTH
from oms.organisation.constants import Role
from oms.organisation.models import Staff
from oms.standards import engine
from oms.standards.models import StoredAction
from oms.standards.owners import OWNER_KIND_LABELS, OwnerKind
from oms.standards.queries import (
    Action,
    DeadlineBand,
    actions,
    as_actions,
    in_band,
    in_deadline_band,
    judged_rules,
    matching_case,
    open_only,
    owned_by,
    rules_for_area,
    stored_actions,
)
from oms.standards.task_links import Task, tasks_for

PAGE_SIZE = 100
SWEEPERS = frozenset({Role.SENIOR_MANAGER, Role.CASE_ADMINISTRATOR})

HEADINGS: dict[str, str] = {
    # Everything due on the person's own cases, whoever does it (the Owner column says who); the
    # home page's "Your actions" counts only their own, and links to this list filtered to them.
    Role.OFFENDER_MANAGER: "Actions on my cases",
    Role.SENIOR_PROBATION_OFFICER: "Team actions",
    Role.SENIOR_MANAGER: "Area actions",
    Role.CASE_ADMINISTRATOR: "Area actions",
}


def _as_of(request: HttpRequest) -> tuple[date, QueryDate]:
    """The day the page is shown as of: the date typed, or today when none (or a wrong one) was."""
    chosen = date_from_query(request.GET, "as_of", "As of")
    return chosen.value or timezone.localdate(), chosen


def _as_of_context(as_of: date, chosen: QueryDate) -> dict[str, Any]:
    return {
        "as_of": as_of,
        "as_of_field": chosen.field(as_of),
        "date_errors": [(chosen.anchor, chosen.error)] if chosen.error else [],
        "has_errors": bool(chosen.error),
    }


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
        # A kind is every action of that kind of owner, named person or not (a MAPPA action's owner).
        return Q(owner_kind=value)
    return None


def _action_matches(action: Action, owner: str, user_staff: Staff | None) -> bool:
    """The same owner filter, for actions evaluated fresh (a date other than today)."""
    if owner == "mine":
        return user_staff is not None and action.owner.staff_id == user_staff.pk
    kind, _, value = owner.partition(":")
    if kind == "staff":
        return str(action.owner.staff_id) == value
    if kind == "kind":
        return action.owner.kind == value
    return True


# Issue 13 item 4: the list is read by case (each case's actions under its name) or as one list.
BY_CASE, ONE_LIST = "cases", "list"
SORTS: dict[str, str] = {
    "deadline": "Most overdue first",
    "-deadline": "Latest deadline first",
    "case": "Case name",
}
STATUSES: dict[str, str] = {
    "": "Due and overdue",
    DeadlineBand.OVERDUE: "Overdue",
    DeadlineBand.THIS_WEEK: "Due this week",
    DeadlineBand.LATER: "Due later",
}


@dataclass(frozen=True)
class ActionFilters:
    """What the person asked to see, read from the query string (anything unknown means "any")."""

    status: str = ""
    owner: str = ""
    rule: str = ""
    case: str = ""
    sort: str = "deadline"
    view: str = BY_CASE

    @classmethod
    def from_query(cls, params: QueryDict) -> ActionFilters:
        status = params.get("status", "")
        sort = params.get("sort", "")
        return cls(
            status=status if status in set(DeadlineBand) else "",
            owner=params.get("owner", ""),
            rule=params.get("rule", "")[:80],
            case=params.get("case", "").strip()[:MAXIMUM_SEARCH_LENGTH],
            sort=sort if sort in SORTS else "deadline",
            view=ONE_LIST if params.get("view") == ONE_LIST else BY_CASE,
        )


@dataclass(frozen=True)
class ActionRow:
    action: Action
    task: Task


@dataclass
class CaseGroup:
    """A case's header row (name, CRN, tier, RoH, how many actions) and its actions on the page."""

    offender: Offender
    count: int
    rows: list[ActionRow] = field(default_factory=list)


def _case_groups(shown: list[ActionRow], sizes: dict[int, int]) -> list[CaseGroup]:
    """The page's rows under their cases' headers, in page order (`sizes`: each case's actions in all)."""
    groups: list[CaseGroup] = []
    for row in shown:
        if not groups or groups[-1].offender.pk != row.action.offender.pk:
            groups.append(CaseGroup(row.action.offender, sizes[row.action.offender.pk]))
        groups[-1].rows.append(row)
    return groups


_ROW_ORDER: dict[str, tuple[str, ...]] = {
    # Open actions only: the earliest deadline is the most overdue, so no CASE expression is sorted;
    # ties by case id rather than name, so that a page is chosen without joining the cases.
    "deadline": ("deadline", "offender_id", "rule_key", "pk"),
    "-deadline": ("-deadline", "offender_id", "rule_key", "pk"),
    "case": ("offender__family_name", "offender__first_name", "offender_id", "deadline", "rule_key", "pk"),
}
_GROUP_ORDER: dict[str, tuple[str, ...]] = {
    "deadline": ("case_first", "offender_id"),
    "-deadline": ("-case_last", "offender_id"),
    "case": ("offender__family_name", "offender__first_name", "offender_id"),
}


def _rule_choices(user_staff: Staff | None) -> list[tuple[str, str]]:
    """The action types of the person's area (its own rule file if it has one), by name."""
    rules = judged_rules(rules_for_area(user_staff.area_id if user_staff else None))
    return sorted(((rule.key, rule.name) for rule in rules if rule.enabled), key=lambda item: item[1])


def _rows(actions_found: list[Action], user: AnyUser) -> list[ActionRow]:
    tasks = tasks_for(actions_found, user)
    return [ActionRow(action, task) for action, task in zip(actions_found, tasks, strict=True)]


def _stored_page(
    rows: QuerySet[StoredAction], filters: ActionFilters, as_of: date, number: str | None, user: AnyUser
) -> tuple[Page[Any], list[ActionRow], list[CaseGroup], int, int]:
    """Today's actions from the table: counted, sorted, grouped and paginated by the database, in
    the same queries for one action or sixty thousand."""
    counted = rows.order_by().aggregate(
        overdue=Count("pk", filter=Q(deadline__lt=as_of)),
        due=Count("pk", filter=Q(deadline__gte=as_of) | Q(deadline__isnull=True)),
    )
    overdue, due = counted["overdue"], counted["due"]
    if filters.view == ONE_LIST:
        ordered = rows.order_by(*_ROW_ORDER[filters.sort])
        page = _page(ordered, overdue + due, number)
        return page, _rows(as_actions(_rows_of(ordered, page), as_of), user), [], overdue, due
    # By case: a page of rows as in one list, each case's rows together and the cases in the order
    # asked for (by their most overdue action, their latest, or their name). The case's deadlines and
    # its number of actions are window functions over the same rows: the page's ids are chosen in one
    # query whatever the size of the area, and only those hundred rows are then read in full.
    case = [F("offender_id")]
    windowed = rows.annotate(case_actions=Window(Count("pk"), partition_by=case))
    if filters.sort == "deadline":
        windowed = windowed.annotate(case_first=Window(Min("deadline"), partition_by=case))
    elif filters.sort == "-deadline":
        windowed = windowed.annotate(case_last=Window(Max("deadline"), partition_by=case))
    windowed = windowed.order_by(*_GROUP_ORDER[filters.sort], "deadline", "rule_key", "pk")
    page = _page(windowed, overdue + due, number)
    start = (page.number - 1) * PAGE_SIZE
    picked = list(windowed.values_list("pk", "case_actions")[start : start + PAGE_SIZE])
    by_pk = StoredAction.objects.in_bulk([pk for pk, _ in picked] or [0])
    sizes = {by_pk[pk].offender_id: size for pk, size in picked}
    shown = _rows(as_actions([by_pk[pk] for pk, _ in picked], as_of), user)
    return page, shown, _case_groups(shown, sizes), overdue, due


def _fresh_page(
    found: list[Action], filters: ActionFilters, as_of: date, number: str | None, user: AnyUser
) -> tuple[Page[Any], list[ActionRow], list[CaseGroup], int, int]:
    """Another date's actions, evaluated fresh: the same filters, sorts and grouping, in Python."""
    found = [a for a in found if in_band(a, filters.status, as_of)]
    if filters.rule:
        found = [a for a in found if a.status.rule_key == filters.rule]
    if filters.case:
        wanted = filters.case.lower()
        found = [
            a for a in found if a.offender.crn.lower() == wanted or wanted in a.offender.full_name.lower()
        ]
    overdue = sum(1 for a in found if a.status.status == engine.ActionState.OVERDUE)
    due = len(found) - overdue

    def deadline(action: Action) -> date:
        return action.status.deadline or date.max

    def by_name(action: Action) -> tuple[str, str, int]:
        return (action.offender.family_name, action.offender.first_name, action.offender.pk)

    found.sort(key=lambda a: (deadline(a), by_name(a)))
    if filters.sort == "-deadline":
        found.sort(key=deadline, reverse=True)
    elif filters.sort == "case":
        found.sort(key=by_name)
    if filters.view == BY_CASE:
        # Each case's actions together, the cases in the order of their first action so far.
        grouped: dict[int, list[Action]] = {}
        for action in found:
            grouped.setdefault(action.offender.pk, []).append(action)
        found = [action for case_actions in grouped.values() for action in sorted(case_actions, key=deadline)]
        sizes = {pk: len(case_actions) for pk, case_actions in grouped.items()}
    page = Paginator(found, PAGE_SIZE).get_page(number)
    shown = _rows(list(page.object_list), user)
    if filters.view == ONE_LIST:
        return page, shown, [], overdue, due
    return page, shown, _case_groups(shown, sizes), overdue, due


def actions_view(request: HttpRequest) -> HttpResponse:
    """Today's actions come from the stored table (filtered, counted and paginated by the database);
    another date is evaluated fresh."""
    as_of, as_of_input = _as_of(request)
    filters = ActionFilters.from_query(request.GET)
    user_staff = staff_of(request.user)
    cases = visible_cases(request.user)
    number = request.GET.get("page")
    if as_of == timezone.localdate():
        rows = open_only(stored_actions(cases, as_of))
        owners = _owner_choices(cases)
        chosen = _owner_filter(filters.owner, user_staff)
        if chosen is not None:
            rows = rows.filter(chosen)
        if filters.rule:
            rows = rows.filter(rule_key=filters.rule)
        rows = matching_case(in_deadline_band(rows, filters.status, as_of), filters.case)
        page, shown, groups, overdue, due = _stored_page(rows, filters, as_of, number, request.user)
    else:
        found = actions(cases, as_of)
        labels = {
            (f"staff:{a.owner.staff_id}" if a.owner.staff_id else f"kind:{a.owner.kind}"): a.owner.name
            for a in found
        }
        owners = sorted(labels.items(), key=lambda item: item[1])
        if filters.owner:
            found = [a for a in found if _action_matches(a, filters.owner, user_staff)]
        page, shown, groups, overdue, due = _fresh_page(found, filters, as_of, number, request.user)
    record_listed(
        request.user,
        [row.action.offender.crn for row in shown],
        "listed on the actions page",
        request=request,
    )
    query = request.GET.copy()
    query.pop("page", None)
    as_of_input.carry(query)
    without_view = query.copy()
    without_view.pop("view", None)
    # The Deadline column says how the rows are sorted (aria-sort) and sorts the other way when
    # chosen; most overdue first is the deadline ascending.
    by_deadline = query.copy()
    by_deadline["sort"] = "-deadline" if filters.sort == "deadline" else "deadline"
    deadline_sort = {"deadline": "ascending", "-deadline": "descending"}.get(filters.sort, "none")
    return render(
        request,
        "standards/actions.html",
        {
            "heading": HEADINGS.get(role_of(request.user) or "", "Actions due"),
            "page": page,
            "rows": shown,
            "groups": groups,
            "filters": filters,
            "by_case": filters.view == BY_CASE,
            **_as_of_context(as_of, as_of_input),
            "owners": owners,
            "rules": _rule_choices(user_staff),
            "statuses": STATUSES.items(),
            "sorts": SORTS.items(),
            "can_choose_mine": user_staff is not None,
            "can_sweep": can_sweep_area(request.user),
            "overdue_count": overdue,
            "due_count": due,
            "query": query.urlencode(),
            "query_without_view": without_view.urlencode(),
            "deadline_sort": deadline_sort,
            "deadline_sort_query": by_deadline.urlencode(),
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
    as_of, as_of_input = _as_of(request)
    rule = request.GET.get("rule", "")
    cases = visible_cases(request.user)
    recently = as_of - timedelta(days=RECENTLY_MET_DAYS)
    if as_of == timezone.localdate():
        rows = stored_actions(cases, as_of).filter(rule_key__in=ENFORCEMENT_RULES)
        rows = rows.filter(
            Q(status__in=[engine.ActionState.DUE, engine.ActionState.OVERDUE]) | Q(completed_on__gte=recently)
        )
        shown_rows = rows.filter(rule_key=rule) if rule in ENFORCEMENT_RULES else rows
        # One pass over the area's enforcement rows counts every rule's open clocks, the overdue
        # among those shown and the rows to paginate (rather than a query for each).
        is_open = Q(status__in=[engine.ActionState.DUE, engine.ActionState.OVERDUE])
        shown = Q(rule_key=rule) if rule in ENFORCEMENT_RULES else Q()
        counted = rows.order_by().aggregate(
            **{key: Count("pk", filter=is_open & Q(rule_key=key)) for key in ENFORCEMENT_RULES},
            overdue=Count("pk", filter=is_open & shown & Q(deadline__lt=as_of)),
            total=Count("pk", filter=shown) if rule in ENFORCEMENT_RULES else Count("pk"),
        )
        counts = {key: counted[key] for key in ENFORCEMENT_RULES}
        overdue = counted["overdue"]
        rows = shown_rows.order_by(F("is_overdue").desc(), "deadline", "offender_id", "rule_key", "pk")
        page: Page[Any] = _page(rows, counted["total"], request.GET.get("page"))
        found = as_actions(_rows_of(rows, page), as_of)
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
        found = list(page.object_list)
    record_listed(
        request.user,
        [action.offender.crn for action in found],
        "listed on the enforcement tracker",
        request=request,
    )
    listed = _rows(found, request.user)
    query = request.GET.copy()
    query.pop("page", None)
    as_of_input.carry(query)
    return render(
        request,
        "standards/enforcement.html",
        {
            "page": page,
            "rows": listed,
            **_as_of_context(as_of, as_of_input),
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
    found = _rows(as_actions(list(rows), as_of), request.user)
    return render_to_string("standards/case_panel.html", {"rows": found, "as_of": as_of}, request=request)


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
