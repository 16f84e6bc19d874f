"""Case pages. Thin: permissions from accounts.permissions, reads from queries, writes from services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from oms.accounts.audit import record_access, record_listed
from oms.accounts.case_access import case_or_refuse
from oms.accounts.models import AccessAction, AccessLogEntry
from oms.accounts.permissions import (
    can_administer_case,
    can_edit_personal_details,
    can_read_access_log,
    can_register_cases,
    staff_of,
    visible_cases,
)
from oms.cases import forms, services
from oms.cases.case_page import ACCESS_LOG, case_page_context
from oms.cases.constants import EventKind
from oms.cases.form_errors import errors_on
from oms.cases.form_messages import govuk_message
from oms.cases.models import Allocation, Event, Offender, Requirement
from oms.cases.panels import OVERVIEW, PERSONAL_DETAILS, SECTIONS_BY_SLUG, CaseSection, render_panels
from oms.cases.queries import MAXIMUM_SEARCH_LENGTH, CaseFilters, case_list
from oms.risk.levels import RISK_OF_HARM_LEVEL_CHOICES

PAGE_SIZE = 50


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def case_list_view(request: HttpRequest) -> HttpResponse:
    params = request.GET
    filters = CaseFilters(
        search=params.get("q", "")[:MAXIMUM_SEARCH_LENGTH],
        tier=params.get("tier", ""),
        risk_of_harm_level=params.get("risk", ""),
        event_kind=params.get("event", ""),
        ppo=params.get("ppo") == "1",
        mappa_level=_int_or_none(params.get("mappa")),
        unallocated=params.get("unallocated") == "1",
        sort=params.get("sort", "name"),
        descending=params.get("order") == "desc",
    )
    cases = case_list(visible_cases(request.user), filters)
    page = Paginator(cases, PAGE_SIZE).get_page(params.get("page"))
    # Each case on the page is logged as listed (one INSERT); the template reuses the fetched rows.
    record_listed(
        request.user, [case.crn for case in page.object_list], "listed on the caseload page", request=request
    )
    query_without_page = params.copy()
    query_without_page.pop("page", None)
    query_without_sort = query_without_page.copy()
    for key in ("sort", "order"):
        query_without_sort.pop(key, None)
    staff = staff_of(request.user)
    return render(
        request,
        "cases/list.html",
        {
            "page": page,
            "filters": filters,
            "tiers": ["1", "2", "3", "4"] + [f"{p}{c}" for p in "ABCD" for c in "3210"],
            "risk_levels": RISK_OF_HARM_LEVEL_CHOICES,
            "event_kinds": EventKind.choices,
            "query_without_page": query_without_page.urlencode(),
            "query_without_sort": query_without_sort.urlencode(),
            "heading": _list_heading(staff),
            "sort_headers": _sort_headers(filters, query_without_sort.urlencode()),
            "can_register": can_register_cases(request.user),
        },
    )


SORTABLE_COLUMNS = (
    ("name", "Name"),
    ("crn", "CRN"),
    ("manager", "Offender manager"),
    ("tier", "Tier"),
    ("risk", "RoH"),
)


def _sort_headers(filters: CaseFilters, query: str) -> list[dict[str, str]]:
    """Each sortable column's link and its `aria-sort` (the sorted one says which way; a click reverses it)."""
    headers = []
    for key, label in SORTABLE_COLUMNS:
        sorted_here = filters.sort == key
        direction = ("descending" if filters.descending else "ascending") if sorted_here else "none"
        reverse_it = sorted_here and not filters.descending
        headers.append(
            {
                "label": label,
                "aria_sort": direction,
                "url": f"?{query}&sort={key}" + ("&order=desc" if reverse_it else ""),
            }
        )
    return headers


def _list_heading(staff: Any) -> str:
    if staff is None:
        return "All cases"
    role = staff.grade.role
    return {
        "offender_manager": "My caseload",
        "spo": "My teams' cases",
    }.get(role, "Cases you can see")


def _visible_case_or_refuse(request: HttpRequest, crn: str) -> Offender:
    return case_or_refuse(request, crn, queryset=Offender.objects.select_related("area"))


def _case_with_record(offender: Offender) -> Offender:
    """The case with its events, registrations, allocations and transfers (a fixed 7 queries)."""
    return (
        Offender.objects.select_related(
            "ethnicity", "offender_manager__grade", "offender_manager__team", "approved_premises", "area"
        )
        .prefetch_related(
            Prefetch(
                "events",
                queryset=Event.objects.select_related("offence")
                .prefetch_related(
                    Prefetch("requirements", queryset=Requirement.objects.select_related("requirement_type"))
                )
                .order_by("-is_active", "-sentence_date"),
            ),
            "registrations",
            Prefetch(
                "allocations",
                queryset=Allocation.objects.select_related("offender_manager__grade", "decided_by"),
            ),
            "transfers",
            "addresses",
        )
        .get(pk=offender.pk)
    )


def case_detail_view(request: HttpRequest, crn: str) -> HttpResponse:
    """The case overview: what is due, the current events, and the sections other apps put first."""
    return _case_section(request, crn, OVERVIEW)


def case_section_view(request: HttpRequest, crn: str, section: str) -> HttpResponse:
    """One section of the case page per URL (`/cases/<crn>/risk/`...): its panels only."""
    chosen = SECTIONS_BY_SLUG.get(section)
    if chosen is None or chosen is OVERVIEW:
        raise Http404(f"No section {section!r} on a case page")
    return _case_section(request, crn, chosen)


def _case_section(request: HttpRequest, crn: str, section: CaseSection) -> HttpResponse:
    offender = _case_with_record(_visible_case_or_refuse(request, crn))
    what = "viewed case" if section is OVERVIEW else f"viewed case: {section.label.lower()}"
    record_access(request.user, AccessAction.VIEW, what, crn=crn, request=request)
    events = list(offender.events.all())
    return render(
        request,
        "cases/detail.html",
        {
            **case_page_context(request, offender, section.key),
            "section": section,
            "is_overview": section is OVERVIEW,
            "is_personal_details": section is PERSONAL_DETAILS,
            "current_events": [e for e in events if e.is_active],
            "past_events": [e for e in events if not e.is_active],
            "can_administer": can_administer_case(request.user, offender),
            "can_edit": can_edit_personal_details(request.user, offender),
            "can_register": can_register_cases(request.user),
            "panels": render_panels(request, offender, section),
        },
    )


def _register_context(request: HttpRequest, *, existing: Offender | None) -> tuple[dict[str, Any], bool]:
    data = request.POST if request.method == "POST" else None
    person = forms.PersonForm(data, prefix="person") if existing is None else None
    event = forms.EventForm(data, prefix="event")
    requirements = forms.RequirementFormSet(data, prefix="requirements")
    transfer = forms.TransferInForm(data, prefix="transfer") if existing is None else None
    valid = all(f.is_valid() for f in (person, event, requirements, transfer) if f is not None)
    return {
        "person_form": person,
        "event_form": event,
        "requirement_formset": requirements,
        "transfer_form": transfer,
        "case": existing,
    }, valid


def _event_input(event_form: forms.EventForm, requirement_formset: Any) -> services.EventInput:
    data = event_form.cleaned_data
    requirements = tuple(
        services.RequirementInput(
            requirement_type=r["requirement_type"].code,
            hours=r.get("hours"),
            hours_per_day=r.get("hours_per_day"),
            length_months=r.get("length_months"),
            days=r.get("days"),
        )
        for r in requirement_formset.cleaned_data
        if r.get("requirement_type")
    )
    return services.EventInput(
        kind=data["kind"],
        court=data["court"],
        offence_code=data["offence_code"],
        sentence_date=data["sentence_date"],
        length_months=data["length_months"],
        prison=data.get("prison") or "",
        release_date=data.get("release_date"),
        licence_end_date=data.get("licence_end_date"),
        requirements=requirements,
    )


def _apply_requirement_problems(context: dict[str, Any], problems: list[tuple[int, str, str]]) -> None:
    formset = context["requirement_formset"]
    used = [f for f in formset.forms if f.cleaned_data.get("requirement_type")]
    for index, field_name, message in problems:
        target = used[index] if index < len(used) else formset.forms[0]
        target.add_error(field_name if field_name in target.fields else None, message)


def _apply_event_date_problems(context: dict[str, Any], problems: list[tuple[str, str]]) -> None:
    for field_name, message in problems:
        context["event_form"].add_error(field_name, message)


def _all_errors(context: dict[str, Any]) -> list[tuple[str, str]]:
    """Every error of every form on the page, for the one error summary at the top."""
    errors: list[tuple[str, str]] = []
    forms_on_page = [context.get("person_form"), context.get("event_form"), context.get("transfer_form")]
    forms_on_page += list(context["requirement_formset"].forms)
    for form in forms_on_page:
        if form is None or not form.is_bound:
            continue
        for name, field_errors in form.errors.items():
            if name not in form.fields:
                errors.extend(("main-content", str(e)) for e in field_errors)
                continue
            bound = form[name]
            is_choice = hasattr(bound.field, "choices")
            errors.extend(
                (bound.id_for_label, govuk_message(str(e), str(bound.label), is_choice=is_choice))
                for e in field_errors
            )
    return errors


def register_case_view(request: HttpRequest) -> HttpResponse:
    if not can_register_cases(request.user):
        raise PermissionDenied("Only case administrators and senior probation officers register cases")
    context, valid = _register_context(request, existing=None)
    if request.method == "POST" and valid:
        event = _event_input(context["event_form"], context["requirement_formset"])
        person = context["person_form"].cleaned_data
        problems = services.requirement_problems(event, person["date_of_birth"])
        date_problems = services.event_date_problems(event, person["date_of_birth"])
        if problems or date_problems:
            _apply_requirement_problems(context, problems)
            _apply_event_date_problems(context, date_problems)
        else:
            staff = staff_of(request.user)
            transfer = context["transfer_form"].cleaned_data
            area_id = staff.area_id if staff and staff.area_id else request.POST.get("area")
            offender = services.register_case(
                request.user,
                person={k: v for k, v in person.items()},
                area_id=int(area_id),  # type: ignore[arg-type]
                event=event,
                transferred_in_from=transfer.get("transferred_in_from", ""),
                complete_oasys_received=transfer.get("complete_oasys_received", False),
            )
            messages.success(request, f"Case {offender.crn} registered. Allocate an offender manager next.")
            return redirect("cases:detail", crn=offender.crn)
    context["errors"] = _all_errors(context)
    return render(request, "cases/register.html", context)


def add_event_view(request: HttpRequest, crn: str) -> HttpResponse:
    offender = _visible_case_or_refuse(request, crn)
    if not can_administer_case(request.user, offender):
        raise PermissionDenied("Only case administrators and senior probation officers register events")
    context, valid = _register_context(request, existing=offender)
    if request.method == "POST" and valid:
        event = _event_input(context["event_form"], context["requirement_formset"])
        problems = services.requirement_problems(event, offender.date_of_birth)
        date_problems = services.event_date_problems(event, offender.date_of_birth)
        if problems or date_problems:
            _apply_requirement_problems(context, problems)
            _apply_event_date_problems(context, date_problems)
        else:
            created = services.add_event(request.user, offender, event)
            messages.success(request, f"{created} registered")
            return redirect("cases:detail", crn=crn)
    context["errors"] = _all_errors(context)
    return render(request, "cases/register.html", context)


def allocate_view(request: HttpRequest, crn: str) -> HttpResponse:
    offender = _visible_case_or_refuse(request, crn)
    if not can_administer_case(request.user, offender):
        raise PermissionDenied("Only case administrators and senior probation officers allocate cases")
    initial = {"version": offender.version, "start_date": timezone.localdate()}
    form = forms.AllocationForm(request.POST or None, initial=initial, area_id=offender.area_id)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as attempt:
            services.allocate(
                request.user,
                offender,
                form.cleaned_data["offender_manager"],
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["start_date"],
                expected_version=form.cleaned_data["version"],
                manager_decision=form.cleaned_data["manager_decision"],
                over_capacity_reason=form.cleaned_data["over_capacity_reason"],
            )
        if attempt.succeeded:
            messages.success(request, f"Allocated to {form.cleaned_data['offender_manager']}")
            return redirect("cases:detail", crn=crn)
    return render(
        request,
        "cases/form_page.html",
        {"case": offender, "form": form, "title": "Allocate an offender manager", "button": "Allocate"},
    )


def terminate_event_view(request: HttpRequest, crn: str, number: int) -> HttpResponse:
    offender = _visible_case_or_refuse(request, crn)
    if not can_administer_case(request.user, offender):
        raise PermissionDenied("Only case administrators and senior probation officers end events")
    event = get_object_or_404(Event, offender=offender, number=number)
    form = forms.TerminateEventForm(
        request.POST or None, initial={"version": event.version, "terminated_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as attempt:
            services.terminate_event(
                request.user,
                event,
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["terminated_on"],
                notes=form.cleaned_data["notes"],
                expected_version=form.cleaned_data["version"],
            )
        if attempt.succeeded:
            messages.success(request, f"{event} ended")
            return redirect("cases:detail", crn=crn)
    return render(
        request,
        "cases/form_page.html",
        {"case": offender, "form": form, "title": f"End {event}", "button": "End event"},
    )


def transfer_out_view(request: HttpRequest, crn: str) -> HttpResponse:
    offender = _visible_case_or_refuse(request, crn)
    if not can_administer_case(request.user, offender):
        raise PermissionDenied("Only case administrators and senior probation officers transfer cases")
    form = forms.TransferOutForm(
        request.POST or None, initial={"version": offender.version, "transfer_date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as attempt:
            services.transfer_out(
                request.user,
                offender,
                to_area=form.cleaned_data["other_area"],
                on=form.cleaned_data["transfer_date"],
                notes=form.cleaned_data["notes"],
                expected_version=form.cleaned_data["version"],
            )
        if attempt.succeeded:
            messages.success(request, f"Case transferred to {form.cleaned_data['other_area']}")
            return redirect("cases:detail", crn=crn)
    return render(
        request,
        "cases/form_page.html",
        {"case": offender, "form": form, "title": "Transfer the case out", "button": "Transfer out"},
    )


def edit_personal_details_view(request: HttpRequest, crn: str) -> HttpResponse:
    offender = _visible_case_or_refuse(request, crn)
    if not can_edit_personal_details(request.user, offender):
        raise PermissionDenied("You cannot change this person's details")
    initial = {name: getattr(offender, name) for name in services.PERSONAL_DETAIL_FIELDS}
    initial["ethnicity"] = offender.ethnicity_id
    initial["version"] = offender.version
    form = forms.PersonalDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {
            name: data[name]
            for name in services.PERSONAL_DETAIL_FIELDS
            if name in data and data[name] != getattr(offender, name)
        }
        with errors_on(form) as attempt:
            services.update_personal_details(request.user, offender, changes, data["version"])
        if attempt.succeeded:
            messages.success(request, "Personal details saved")
            return redirect("cases:section", crn=crn, section=PERSONAL_DETAILS.slug)
    return render(
        request,
        "cases/form_page.html",
        {
            "case": offender,
            "form": form,
            "title": "Change personal details",
            "button": "Save",
            "cancel_url": reverse("cases:section", args=[crn, PERSONAL_DETAILS.slug]),
        },
    )


def access_log_view(request: HttpRequest, crn: str) -> HttpResponse:
    offender = _visible_case_or_refuse(request, crn)
    if not can_read_access_log(request.user, offender):
        raise PermissionDenied("Only managers can see who has looked at a case")
    record_access(request.user, AccessAction.VIEW, "viewed the access log", crn=crn, request=request)
    page = Paginator(AccessLogEntry.objects.filter(crn=crn), 100).get_page(request.GET.get("page"))
    offender = Offender.objects.select_related("offender_manager").get(pk=offender.pk)
    return render(
        request, "cases/access_log.html", {**case_page_context(request, offender, ACCESS_LOG), "page": page}
    )
