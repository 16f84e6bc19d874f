"""Court report pages. Thin: permissions from courts.permissions, reads from queries, writes from services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from oms.accounts.audit import record_access
from oms.accounts.case_access import case_or_refuse
from oms.accounts.models import AccessAction
from oms.accounts.permissions import staff_of
from oms.cases.form_errors import errors_on
from oms.courts import forms, rules, services
from oms.courts.models import PreSentenceReport
from oms.courts.permissions import can_write_court_report, does_court_work
from oms.courts.queries import court_report_list
from oms.organisation.models import Team

PAGE_SIZE = 50


def court_report_list_view(request: HttpRequest) -> HttpResponse:
    if not does_court_work(request.user):
        raise PermissionDenied("Court reports are for offender managers, SPOs and case administrators")
    staff = staff_of(request.user)
    teams = list(Team.objects.filter(unit__area_id=staff.area_id)) if staff and staff.area_id else []
    try:
        team_id = int(request.GET.get("team", "") or 0) or None
    except ValueError:
        team_id = None
    outstanding = request.GET.get("show") != "all"
    reports = court_report_list(request.user, team_id=team_id, outstanding_only=outstanding)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "courts/list.html",
        {
            "page": page,
            "teams": teams,
            "team_id": team_id,
            "outstanding": outstanding,
            "today": timezone.localdate(),
        },
    )


def _report_or_refuse(request: HttpRequest, report_id: int) -> PreSentenceReport:
    report = get_object_or_404(PreSentenceReport.objects.select_related("offender"), pk=report_id)
    case_or_refuse(request, report.offender.crn)
    return report


def request_report_view(request: HttpRequest, crn: str) -> HttpResponse:
    offender = case_or_refuse(request, crn)
    if not can_write_court_report(request.user, offender):
        raise PermissionDenied("You cannot record court work on this case")
    form = forms.ReportRequestForm(request.POST or None, initial={"requested_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with errors_on(form) as attempt:
            report = services.request_report(
                request.user,
                offender,
                services.ReportRequest(
                    kind=data["kind"],
                    court=data["court"],
                    court_type=data["court_type"],
                    requested_on=data["requested_on"],
                    hearing_date=data["hearing_date"],
                    offence_code=data["offence_code"],
                    remanded_in_custody=data["remanded_in_custody"],
                ),
            )
        if attempt.succeeded:
            messages.success(request, f"Report requested: due {report.due_on:%-d %B %Y}")
            return redirect("courts:report", report_id=report.pk)
    return render(
        request,
        "cases/form_page.html",
        {
            "case": offender,
            "form": form,
            "title": "Record a request for a pre-sentence report",
            "button": "Save",
        },
    )


def report_view(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report_or_refuse(request, report_id)
    report = PreSentenceReport.objects.select_related("offender", "author__grade", "offence").get(
        pk=report.pk
    )
    record_access(
        request.user, AccessAction.VIEW, f"viewed {report}", crn=report.offender.crn, request=request
    )
    return render(
        request,
        "courts/report.html",
        {
            "report": report,
            "case": report.offender,
            "can_write": can_write_court_report(request.user, report.offender),
            "ppo_labels": rules.ppo_labels_in(report.written_text) if report.offender.is_ppo else [],
            "delivery_problems": services.delivery_problems(report) if not report.delivered_on else [],
            "today": timezone.localdate(),
        },
    )


def _report_form_view(
    request: HttpRequest,
    report_id: int,
    *,
    make_form: Callable[[PreSentenceReport, Any], django_forms.Form],
    save: Callable[[HttpRequest, PreSentenceReport, dict[str, Any]], str],
    title: str,
    button: str,
) -> HttpResponse:
    report = _report_or_refuse(request, report_id)
    if not can_write_court_report(request.user, report.offender):
        raise PermissionDenied("You cannot record court work on this case")
    form = make_form(report, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as attempt:
            message = save(request, report, form.cleaned_data)
        if attempt.succeeded:
            messages.success(request, message)
            return redirect("courts:report", report_id=report.pk)
    return render(
        request,
        "courts/form_page.html",
        {"case": report.offender, "report": report, "form": form, "title": title, "button": button},
    )


def allocate_view(request: HttpRequest, report_id: int) -> HttpResponse:
    def save(request: HttpRequest, report: PreSentenceReport, data: dict[str, Any]) -> str:
        services.allocate_author(request.user, report, data["author"], expected_version=data["version"])
        return f"Report allocated to {data['author']}"

    return _report_form_view(
        request,
        report_id,
        make_form=lambda report, data: forms.AllocateAuthorForm(
            data, initial={"version": report.version}, area_id=report.offender.area_id
        ),
        save=save,
        title="Allocate an author",
        button="Allocate",
    )


def write_view(request: HttpRequest, report_id: int) -> HttpResponse:
    def save(request: HttpRequest, report: PreSentenceReport, data: dict[str, Any]) -> str:
        labels = services.write_report(
            request.user, report, data, data["proposal"], expected_version=data["version"]
        )
        # The report page repeats the warning for as long as the words stay in the text.
        return (
            "Report saved" if not labels else "Report saved: it labels the person as a PPO, see the warning"
        )

    def make_form(report: PreSentenceReport, data: Any) -> django_forms.Form:
        initial = {name: getattr(report, name) for name in services.REPORT_SECTIONS}
        return forms.WriteReportForm(
            data, initial={**initial, "proposal": report.proposal, "version": report.version}
        )

    return _report_form_view(
        request, report_id, make_form=make_form, save=save, title="Write the report", button="Save report"
    )


def deliver_view(request: HttpRequest, report_id: int) -> HttpResponse:
    def save(request: HttpRequest, report: PreSentenceReport, data: dict[str, Any]) -> str:
        services.deliver_report(request.user, report, data["delivered_on"], expected_version=data["version"])
        late = report.working_days_late
        return "Report delivered on time" if not late else f"Report delivered {late} working days late"

    return _report_form_view(
        request,
        report_id,
        make_form=lambda report, data: forms.DeliverReportForm(
            data, initial={"version": report.version, "delivered_on": timezone.localdate()}
        ),
        save=save,
        title="Record delivery to the court",
        button="Record delivery",
    )


def outcome_view(request: HttpRequest, report_id: int) -> HttpResponse:
    def save(request: HttpRequest, report: PreSentenceReport, data: dict[str, Any]) -> str:
        services.record_outcome(
            request.user,
            report,
            sentence_passed=data["sentence_passed"],
            feedback=data["sentencer_feedback"],
            feedback_received_on=data["feedback_received_on"],
            expected_version=data["version"],
        )
        return "Court's decision recorded"

    return _report_form_view(
        request,
        report_id,
        make_form=lambda report, data: forms.CourtOutcomeForm(
            data,
            initial={
                "version": report.version,
                "sentence_passed": report.sentence_passed,
                "sentencer_feedback": report.sentencer_feedback,
                "feedback_received_on": report.feedback_received_on,
            },
        ),
        save=save,
        title="Record the sentence and sentencers' feedback",
        button="Save",
    )
