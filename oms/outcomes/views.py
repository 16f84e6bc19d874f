"""The area's outcomes page and the case's outcome records: thin, reads from queries, writes from services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from oms.accounts.audit import record_access
from oms.accounts.case_access import case_or_refuse
from oms.accounts.models import AccessAction
from oms.cases.date_input import date_from_query
from oms.cases.form_errors import errors_on
from oms.cases.models import Offender
from oms.outcomes import forms, services
from oms.outcomes.permissions import can_record_outcomes, can_see_area_outcomes
from oms.outcomes.queries import NEED_LABELS, Period, current_caseload, outcomes_of
from oms.performance.permissions import area_of


@dataclass(frozen=True)
class OutcomeKind:
    title: str
    form: type[forms.CaseOutcomeForm]
    save: Callable[[Any, Offender, dict[str, Any]], object]


KINDS: dict[str, OutcomeKind] = {
    "further-offence": OutcomeKind(
        "Record a reconviction or caution",
        forms.FurtherOffenceForm,
        lambda user, case, data: services.record_further_offence(
            user, case, services.FurtherOffenceInput(**data)
        ),
    ),
    "domestic-violence": OutcomeKind(
        "Record a police domestic violence check",
        forms.DomesticViolenceCheckForm,
        lambda user, case, data: services.record_domestic_violence_check(
            user, case, services.DomesticViolenceCheckInput(**{**data, "callouts": data["callouts"] or 0})
        ),
    ),
    "victim-awareness": OutcomeKind(
        "Record victim awareness work",
        forms.VictimAwarenessForm,
        lambda user, case, data: services.record_victim_awareness(
            user, case, services.VictimAwarenessInput(**data)
        ),
    ),
    "restrictive-measure": OutcomeKind(
        "Record a restrictive measure eased or increased",
        forms.RestrictiveMeasureForm,
        lambda user, case, data: services.record_restrictive_measure_change(
            user, case, services.RestrictiveMeasureInput(**data)
        ),
    ),
    "end-compliance": OutcomeKind(
        "Record compliance at the end of the sentence",
        forms.EndComplianceForm,
        lambda user, case, data: services.record_end_compliance(
            user, case, services.EndComplianceInput(**data)
        ),
    ),
}


def record_view(request: HttpRequest, crn: str, kind: str) -> HttpResponse:
    outcome = KINDS.get(kind)
    if outcome is None:
        raise Http404("No such outcome record")
    offender = case_or_refuse(request, crn, may=can_record_outcomes, what="recording outcomes")
    form = outcome.form(request.POST or None, offender=offender)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as attempt:
            outcome.save(request.user, offender, dict(form.cleaned_data))
        if attempt.succeeded:
            messages.success(request, f"{outcome.title.removeprefix('Record ').capitalize()} recorded")
            return redirect("cases:detail", crn=offender.crn)
    return render(
        request,
        "cases/form_page.html",
        {"case": offender, "form": form, "title": outcome.title, "button": "Save"},
    )


def area_outcomes_view(request: HttpRequest) -> HttpResponse:
    if not can_see_area_outcomes(request.user):
        record_access(request.user, AccessAction.REFUSED, "refused: area outcomes", request=request)
        raise PermissionDenied("Outcomes are for managers")
    area = area_of(request.user)
    if area is None:
        raise Http404("No area")
    today = timezone.localdate()
    chosen_start = date_from_query(request.GET, "from", "From")
    chosen_end = date_from_query(request.GET, "to", "To")
    start, end = chosen_start.value, chosen_end.value or today
    errors = [(chosen.anchor, chosen.error) for chosen in (chosen_start, chosen_end) if chosen.error]
    if start is not None and start > end:
        errors.append(
            (
                chosen_start.anchor,
                "The period must start on or before it ends: showing everything to the end date",
            )
        )
        start = None
    figures = outcomes_of(current_caseload(Offender.objects.filter(area=area)), Period(start, end))
    record_access(request.user, AccessAction.VIEW, f"outcomes of {area.name}", request=request)
    return render(
        request,
        "outcomes/area.html",
        {
            "area": area,
            "figures": figures,
            "start": start,
            "end": end,
            "from_field": chosen_start.field(chosen_start.value),  # as typed, even if after "To"
            "to_field": chosen_end.field(end),
            "date_errors": errors,
            "has_errors": bool(errors),
            "need_labels": NEED_LABELS,
        },
    )
