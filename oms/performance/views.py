"""Performance, continuity, workforce and the registers. Thin: permissions, queries and services do the work."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.accounts.permissions import staff_of, visible_cases
from oms.cases.form_errors import errors_as_message, errors_on
from oms.cases.models import Offender
from oms.organisation.models import Area, Staff
from oms.performance import charts, forms, queries, services
from oms.performance.judgement import RAG_FOR_STATUS, shows_asterisk
from oms.performance.measures import MEASURES, MEASURES_BY_KEY
from oms.performance.models import OrganisationalRisk, RiskAction, SeriousFurtherOffence
from oms.performance.national import comparison_for, national_weights, stored_national_report
from oms.performance.permissions import (
    area_of,
    can_record_appraisal_of,
    can_record_workforce_for,
    can_see_national_report,
    can_see_performance,
    can_see_registers,
    can_see_workforce,
    can_set_national_weights,
    performance_unit_of,
    workforce_staff,
)

# The default period: the financial year to date, as the report's table ("April-December 2006").
FINANCIAL_YEAR_STARTS_MONTH = 4


def _financial_year_start(today: date) -> date:
    year = today.year if today.month >= FINANCIAL_YEAR_STARTS_MONTH else today.year - 1
    return date(year, FINANCIAL_YEAR_STARTS_MONTH, 1)


def _area_or_refuse(request: HttpRequest) -> Area:
    area = area_of(request.user)
    if area is None:
        raise PermissionDenied("You are not in a probation area")
    return area


def _period(request: HttpRequest) -> tuple[forms.PeriodForm, date, date]:
    today = timezone.localdate()
    default_from, default_to = _financial_year_start(today), today
    if "date_from" in request.GET or "date_to" in request.GET:
        form = forms.PeriodForm(request.GET)
        if form.is_valid():
            return form, form.cleaned_data["date_from"], form.cleaned_data["date_to"]
        return form, default_from, default_to
    return (
        forms.PeriodForm(initial={"date_from": default_from, "date_to": default_to}),
        default_from,
        default_to,
    )


def performance_view(request: HttpRequest) -> HttpResponse:
    if not can_see_performance(request.user):
        raise PermissionDenied("Performance is for senior managers and senior probation officers")
    area = _area_or_refuse(request)
    form, date_from, date_to = _period(request)
    unit = performance_unit_of(request.user)
    # Stored figures (the nightly sweep's, or "Recalculate now"): a few grouped queries (issue 13).
    page = queries.performance_page(area, date_from, date_to, unit, stored=True)
    # The area beside its region and England and Wales (spec/national.md; report 4.2 and 4.3).
    comparison = comparison_for(area, date_from, date_to, stored=True)
    rows = []
    for result in page.results:
        points = page.trends[result.measure.key]
        rows.append(
            {
                "result": result,
                "region": comparison.region_results.get(result.measure.key),
                "england_and_wales": comparison.england_and_wales.get(result.measure.key),
                "asterisk": shows_asterisk(result.status),
                "rag": RAG_FOR_STATUS[result.status].value,
                # The same SVG as the download, inline: no request per chart (issue 13). Safe: the
                # chart escapes every text it writes.
                "chart": mark_safe(charts.trend_svg(result.measure, float(result.target), points)),
                "months": points,
            }
        )
    record_access(
        request.user, AccessAction.VIEW, f"Performance {area.code} {date_from} to {date_to}", request=request
    )
    return render(
        request,
        "performance/dashboard.html",
        {
            "page": page,
            "rows": rows,
            "form": form,
            "comparison": comparison,
            "computed_at": as_at(page.computed_at) if page.computed_at else None,
        },
    )


@require_POST
def recalculate_view(request: HttpRequest) -> HttpResponse:
    """ "Recalculate now": the area's stored figures from its records, without waiting for the night."""
    area = _area_or_refuse(request)
    services.recalculate_area_figures(request.user, area)
    messages.success(request, "The area's performance figures have been recalculated from its records")
    # Back to the period the page showed (its two dates, escaped: nothing else is followed).
    period = urlencode({k: request.POST[k] for k in ("date_from", "date_to") if request.POST.get(k)})
    return redirect(reverse("performance:dashboard") + (f"?{period}" if period else ""))


def as_at(moment: datetime) -> str:
    """A moment as GOV.UK writes it: "2:00am on 6 December 2026" (Europe/London)."""
    local = timezone.localtime(moment)
    hour = local.hour % 12 or 12
    return f"{hour}:{local:%M}{'am' if local.hour < 12 else 'pm'} on {local.day} {local:%B %Y}"


# ---------------------------------------------------------------- national


def national_view(request: HttpRequest) -> HttpResponse:
    """The league table of the weighted scorecard with movement, England and Wales and the regions."""
    if not can_see_national_report(request.user):
        raise PermissionDenied("The national performance report is for national users")
    form, date_from, date_to = _period(request)
    report = stored_national_report(date_from, date_to)
    measures = [
        {
            "measure": measure,
            "england_and_wales": report.england_and_wales.results[index],
            "regions": [region.results[index] for region in report.regions],
        }
        for index, measure in enumerate(MEASURES)
    ]
    record_access(
        request.user, AccessAction.VIEW, f"National performance {date_from} to {date_to}", request=request
    )
    return render(
        request,
        "performance/national.html",
        {
            "report": report,
            "measures": measures,
            "form": form,
            "can_set_weights": can_set_national_weights(request.user),
            "computed_at": as_at(report.computed_at) if report.computed_at else None,
        },
    )


def national_weights_view(request: HttpRequest) -> HttpResponse:
    if not can_set_national_weights(request.user):
        raise PermissionDenied("Only the national performance team sets the scorecard's weights")
    form = forms.NationalWeightsForm(request.POST or None, weights=national_weights())
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as attempt:
            services.set_national_weights(request.user, dict(form.cleaned_data))
        if attempt.succeeded:
            messages.success(request, "Scorecard weights saved")
            return redirect("performance:national")
    return render(
        request,
        "performance/form_page.html",
        {
            "form": form,
            "title": "Weights of the national scorecard",
            "button": "Save weights",
            "back": "performance:national",
        },
    )


def chart_view(request: HttpRequest, key: str) -> HttpResponse:
    """The trend chart of one measure as an SVG file: the same picture the page shows."""
    if not can_see_performance(request.user):
        raise PermissionDenied("Performance is for senior managers and senior probation officers")
    measure = MEASURES_BY_KEY.get(key)
    if measure is None:
        raise Http404("No such measure")
    area = _area_or_refuse(request)
    _form, date_from, date_to = _period(request)
    unit = performance_unit_of(request.user)
    observations = queries.area_observations(area, date_from, date_to, stored=True)
    trend = queries.trends(observations, unit.pk if unit else None)[key]
    target = observations.settings.target(measure)
    response = HttpResponse(charts.trend_svg(measure, float(target), trend), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="{key}.svg"'
    return response


def continuity_view(request: HttpRequest) -> HttpResponse:
    if not (can_see_performance(request.user) or can_see_registers(request.user)):
        raise PermissionDenied("Continuity is for senior managers and senior probation officers")
    area = _area_or_refuse(request)
    cases = list(queries.discontinuous_cases(request.user, area))
    queries.log_case_reads(
        request.user, [c.crn for c in cases], "Continuity: three or more offender managers", request
    )
    return render(
        request,
        "performance/continuity.html",
        {"cases": cases, "threshold": queries.DISCONTINUITY_MANAGERS, "area": area},
    )


def workforce_view(request: HttpRequest) -> HttpResponse:
    if not can_see_workforce(request.user):
        raise PermissionDenied("Workforce is for senior managers and senior probation officers")
    today = timezone.localdate()
    rows = queries.workforce(workforce_staff(request.user), today)
    record_access(
        request.user,
        AccessAction.VIEW,
        "Workforce: supervision, appraisal, sickness, training",
        request=request,
    )
    return render(
        request,
        "performance/workforce.html",
        {
            "rows": rows,
            "behind": sum(1 for r in rows if r.behind),
            "sessions_needed": queries.SUPERVISION_SESSIONS_A_QUARTER,
            "own_staff_id": own.pk if (own := staff_of(request.user)) else None,
        },
    )


# ---------------------------------------------------------------- workforce records


def _person_or_refuse(request: HttpRequest, staff_id: int) -> Staff:
    """The member of staff whose record is being entered, if the user manages them; 403 otherwise."""
    if not can_see_workforce(request.user):
        raise PermissionDenied("Workforce records are for senior managers and senior probation officers")
    person = get_object_or_404(Staff.objects.select_related("grade"), pk=staff_id)
    if not can_record_workforce_for(request.user, person):
        raise PermissionDenied(f"You do not manage {person.full_name}")
    return person


def _workforce_form_page(
    request: HttpRequest,
    form: django_forms.Form,
    *,
    title: str,
    saved: str,
    save: Callable[[dict[str, Any]], object],
) -> HttpResponse:
    """Show the form; on a valid post save it, then go back to the workforce page with a message."""
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as attempt:
            save(form.cleaned_data)
        if attempt.succeeded:
            messages.success(request, saved)
            return redirect("performance:workforce")
    return render(
        request,
        "performance/form_page.html",
        {"form": form, "title": title, "button": "Save", "back": "performance:workforce"},
    )


def _manager_initial(request: HttpRequest, person: Staff, field: str) -> dict[str, Any]:
    """The date defaults to today and the supervisor or appraiser to the manager entering it."""
    own = staff_of(request.user)
    initial: dict[str, Any] = {"held_on": timezone.localdate()}
    if own is not None and own.pk != person.pk:
        initial[field] = own.pk
    return initial


def sickness_absence_view(request: HttpRequest, staff_id: int) -> HttpResponse:
    person = _person_or_refuse(request, staff_id)
    form = forms.SicknessAbsenceForm(request.POST or None)

    def save(data: dict[str, Any]) -> object:
        return services.record_sickness(
            request.user,
            person,
            services.SicknessInput(
                first_day=data["first_day"],
                reason_category=data["reason_category"],
                last_day=data["last_day"],
                working_days_lost=data["working_days_lost"],
            ),
            today=timezone.localdate(),
        )

    return _workforce_form_page(
        request,
        form,
        title=f"Record a sickness absence for {person.full_name}",
        saved=f"Sickness absence recorded for {person.full_name}",
        save=save,
    )


def supervision_session_view(request: HttpRequest, staff_id: int) -> HttpResponse:
    person = _person_or_refuse(request, staff_id)
    form = forms.SupervisionSessionForm(
        request.POST or None, person=person, initial=_manager_initial(request, person, "supervisor")
    )

    def save(data: dict[str, Any]) -> object:
        return services.record_supervision_session(
            request.user,
            person,
            held_on=data["held_on"],
            supervisor=data["supervisor"],
            notes=data["notes"],
            today=timezone.localdate(),
        )

    return _workforce_form_page(
        request,
        form,
        title=f"Record a supervision session with {person.full_name}",
        saved=f"Supervision session recorded for {person.full_name}",
        save=save,
    )


def appraisal_view(request: HttpRequest, staff_id: int) -> HttpResponse:
    person = _person_or_refuse(request, staff_id)
    if not can_record_appraisal_of(request.user, person):
        raise PermissionDenied("You cannot record your own appraisal: your manager records it")
    form = forms.AppraisalForm(
        request.POST or None, person=person, initial=_manager_initial(request, person, "appraiser")
    )

    def save(data: dict[str, Any]) -> object:
        return services.record_appraisal(
            request.user,
            person,
            held_on=data["held_on"],
            appraiser=data["appraiser"],
            objectives_summary=data["objectives_summary"],
            today=timezone.localdate(),
        )

    return _workforce_form_page(
        request,
        form,
        title=f"Record an appraisal of {person.full_name}",
        saved=f"Appraisal recorded for {person.full_name}",
        save=save,
    )


def training_need_view(request: HttpRequest, staff_id: int) -> HttpResponse:
    person = _person_or_refuse(request, staff_id)
    form = forms.TrainingNeedForm(request.POST or None, initial={"identified_on": timezone.localdate()})

    def save(data: dict[str, Any]) -> object:
        return services.record_training_need(
            request.user,
            person,
            description=data["description"],
            identified_on=data["identified_on"],
            today=timezone.localdate(),
        )

    return _workforce_form_page(
        request,
        form,
        title=f"Record a training need for {person.full_name}",
        saved=f"Training need recorded for {person.full_name}",
        save=save,
    )


def training_completed_view(request: HttpRequest, staff_id: int) -> HttpResponse:
    person = _person_or_refuse(request, staff_id)
    form = forms.TrainingCompletedForm(
        request.POST or None, person=person, initial={"completed_on": timezone.localdate()}
    )

    def save(data: dict[str, Any]) -> object:
        return services.record_training_completed(
            request.user,
            person,
            course=data["course"],
            completed_on=data["completed_on"],
            training_need=data["training_need"],
            today=timezone.localdate(),
        )

    return _workforce_form_page(
        request,
        form,
        title=f"Record training completed by {person.full_name}",
        saved=f"Training completed recorded for {person.full_name}",
        save=save,
    )


# ---------------------------------------------------------------- serious further offences


def _registers_or_refuse(request: HttpRequest) -> Area:
    if not can_see_registers(request.user):
        raise PermissionDenied("The registers are for senior managers")
    return _area_or_refuse(request)


def sfo_register_view(request: HttpRequest) -> HttpResponse:
    area = _registers_or_refuse(request)
    today = timezone.localdate()
    register = queries.sfo_register(request.user, area)
    queries.log_case_reads(
        request.user, [s.offender.crn for s in register], "Serious further offences register", request
    )
    rows = [(sfo, sfo.review_status_on(today)) for sfo in register]
    return render(request, "performance/sfo_register.html", {"rows": rows, "today": today})


def sfo_new_view(request: HttpRequest) -> HttpResponse:
    _registers_or_refuse(request)
    form = forms.SeriousFurtherOffenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        offender = visible_cases(request.user).filter(crn=data["crn"].strip().upper()).first()
        if offender is None:
            form.add_error("crn", "There is no case with that CRN that you can see")
        else:
            with errors_on(form) as attempt:
                services.record_serious_further_offence(
                    request.user,
                    Offender.objects.get(pk=offender.pk),
                    services.SeriousFurtherOffenceInput(
                        offence_code=data["offence_code"],
                        offence_description=data["offence_description"],
                        offence_date=data["offence_date"],
                        notified_on=data["notified_on"],
                        review_author=staff_of(request.user),
                    ),
                )
            if attempt.succeeded:
                messages.success(request, "Serious further offence recorded")
                return redirect("performance:sfo_register")
    return render(
        request,
        "performance/form_page.html",
        {
            "form": form,
            "title": "Record a serious further offence",
            "button": "Record",
            "back": "performance:sfo_register",
        },
    )


def sfo_review_view(request: HttpRequest, sfo_id: int) -> HttpResponse:
    _registers_or_refuse(request)
    sfo = get_object_or_404(SeriousFurtherOffence.objects.select_related("offender"), pk=sfo_id)
    if not visible_cases(request.user).filter(pk=sfo.offender_id).exists():
        raise PermissionDenied("You do not have access to this case")
    form = forms.SfoReviewForm(
        request.POST or None,
        initial={
            "version": sfo.version,
            "completed_on": timezone.localdate(),
            "learning_points": sfo.learning_points,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with errors_on(form) as attempt:
            services.record_sfo_review(
                request.user,
                sfo,
                completed_on=data["completed_on"],
                learning_points=data["learning_points"],
                version=data["version"],
            )
        if attempt.succeeded:
            messages.success(request, "Review recorded")
            return redirect("performance:sfo_register")
    record_access(
        request.user,
        AccessAction.VIEW,
        "Serious further offence review",
        crn=sfo.offender.crn,
        request=request,
    )
    return render(
        request,
        "performance/form_page.html",
        {
            "form": form,
            "title": f"Review of the serious further offence: {sfo.offender.full_name} ({sfo.offender.crn})",
            "button": "Save review",
            "back": "performance:sfo_register",
        },
    )


# ---------------------------------------------------------------- organisational risk register


def risk_register_view(request: HttpRequest) -> HttpResponse:
    area = _registers_or_refuse(request)
    risks, heat_map = queries.risk_register(area)
    record_access(
        request.user, AccessAction.VIEW, f"Organisational risk register {area.code}", request=request
    )
    return render(
        request,
        "performance/risk_register.html",
        {"risks": risks, "heat_map": heat_map, "area": area, "today": timezone.localdate()},
    )


def _risk_input(data: dict[str, Any]) -> services.RiskInput:
    return services.RiskInput(
        title=data["title"],
        description=data["description"],
        owner=data["owner"],
        likelihood=data["likelihood"],
        impact=data["impact"],
        next_review_on=data["next_review_on"],
        last_reviewed_on=data["last_reviewed_on"],
        is_closed=data["is_closed"],
    )


def risk_edit_view(request: HttpRequest, risk_id: int | None = None) -> HttpResponse:
    area = _registers_or_refuse(request)
    risk = get_object_or_404(OrganisationalRisk, pk=risk_id, area=area) if risk_id else None
    initial: dict[str, Any] = {}
    if risk is not None:
        initial = {
            name: getattr(risk, name)
            for name in (
                "title",
                "description",
                "likelihood",
                "impact",
                "next_review_on",
                "last_reviewed_on",
                "is_closed",
                "version",
            )
        }
        initial["owner"] = risk.owner_id
    form = forms.RiskForm(request.POST or None, initial=initial, area=area)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new_action = None
        if data["action_description"]:
            new_action = services.ActionInput(
                data["action_description"], data["action_owner"], data["action_due_on"]
            )
        with errors_on(form) as attempt:
            services.save_risk(
                request.user,
                area,
                _risk_input(data),
                risk=risk,
                version=data["version"],
                new_action=new_action,
            )
        if attempt.succeeded:
            messages.success(request, "Risk saved")
            return redirect("performance:risk_register")
    return render(
        request,
        "performance/risk_form.html",
        {"form": form, "risk": risk, "title": "Change a risk" if risk else "Add a risk"},
    )


@require_POST
def risk_action_done_view(request: HttpRequest, action_id: int) -> HttpResponse:
    area = _registers_or_refuse(request)
    action = get_object_or_404(RiskAction.objects.select_related("risk"), pk=action_id, risk__area=area)
    with errors_as_message(request) as attempt:
        services.complete_risk_action(request.user, action, timezone.localdate())
    if attempt.succeeded:
        messages.success(request, "Action marked done")
    return redirect("performance:risk_edit", risk_id=action.risk_id)
