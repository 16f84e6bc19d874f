"""Victim contact scheme pages: victim liaison officers only. Every read of victim data is logged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from oms.accounts.audit import record_access
from oms.accounts.case_access import case_or_refuse
from oms.accounts.models import AccessAction
from oms.cases.form_errors import errors_on
from oms.cases.models import Offender
from oms.victims import forms, services
from oms.victims.models import Victim
from oms.victims.permissions import can_see_victim_identities, is_victim_liaison_officer
from oms.victims.queries import statutory_contact_cases, statutory_contact_for_case, victims_of

ONLY_VLOS = "Victim details are for victim liaison officers only"


def _chosen(victim: Victim | None) -> Victim:
    if victim is None:
        raise Http404("Choose the victim")
    return victim


ACTIONS: dict[
    str,
    tuple[
        str, type[django_forms.Form], bool, Callable[[Any, Offender, Victim | None, dict[str, Any]], object]
    ],
] = {
    "victim": ("Record a victim", forms.VictimForm, False, lambda u, o, v, d: services.add_victim(u, o, **d)),
    "offer": (
        "Record an offer of contact",
        forms.OfferForm,
        True,
        lambda u, o, v, d: services.record_offer(u, _chosen(v), **d),
    ),
    "information": (
        "Record information given",
        forms.InformationForm,
        True,
        lambda u, o, v, d: services.record_information(u, _chosen(v), **d),
    ),
    "representation": (
        "Record representations on licence conditions",
        forms.RepresentationForm,
        True,
        lambda u, o, v, d: services.record_representation(u, _chosen(v), **d),
    ),
}


def _vlo_case(request: HttpRequest, crn: str) -> Offender:
    if not is_victim_liaison_officer(request.user):
        raise PermissionDenied(ONLY_VLOS)
    offender = case_or_refuse(request, crn)
    if not can_see_victim_identities(request.user, offender):
        raise PermissionDenied(ONLY_VLOS)
    return offender


def victim_list_view(request: HttpRequest) -> HttpResponse:
    if not is_victim_liaison_officer(request.user):
        raise PermissionDenied(ONLY_VLOS)
    today = timezone.localdate()
    rows = statutory_contact_cases(request.user)
    record_access(request.user, AccessAction.VIEW, "viewed the victim contact worklist", request=request)
    for row in rows:
        row.status = row.status_on(today)  # type: ignore[attr-defined]
    offered_in_time = sum(1 for r in rows if r.offered_in_time)
    return render(
        request,
        "victims/list.html",
        {
            "rows": rows,
            "today": today,
            "offered_in_time": offered_in_time,
            "due_rows": [r for r in rows if r.offer_due <= today],
        },
    )


def case_victims_view(request: HttpRequest, crn: str) -> HttpResponse:
    offender = _vlo_case(request, crn)
    victims = victims_of(offender)
    record_access(
        request.user,
        AccessAction.VIEW,
        f"viewed victim details ({len(victims)} victims)",
        crn=crn,
        request=request,
    )
    return render(
        request,
        "victims/case.html",
        {"case": offender, "victims": victims, "statutory": statutory_contact_for_case(offender)},
    )


def case_action_view(request: HttpRequest, crn: str, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("No such action")
    title, form_class, needs_victim, save = ACTIONS[action]
    offender = _vlo_case(request, crn)
    victim = None
    if needs_victim:
        try:
            victim = Victim.objects.select_related("event", "offender").get(
                offender=offender, pk=int(request.GET.get("id", ""))
            )
        except (ValueError, Victim.DoesNotExist) as error:
            raise Http404("No such victim on this case") from error
    form = form_class(request.POST if request.method == "POST" else None, offender=offender)  # type: ignore[call-arg]
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as attempt:
            save(request.user, offender, victim, dict(form.cleaned_data))
        if attempt.succeeded:
            messages.success(request, f"{title.replace('Record ', '').capitalize()} recorded")
            return redirect("victims:case", crn=crn)
    return render(
        request,
        "cases/form_page.html",
        {
            "case": offender,
            "form": form,
            "title": title,
            "button": "Save",
            "cancel_url": reverse("victims:case", args=[crn]),
        },
    )
