"""Supervision pages. Thin: permissions from supervision.permissions, reads from queries, writes from services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.accounts.permissions import staff_of, visible_cases
from oms.accounts.refusals import CaseRefused, note_refusal
from oms.cases.case_page import TIMELINE, case_page_context, current_address
from oms.cases.constants import EventKind
from oms.cases.date_input import date_from_query
from oms.cases.form_errors import errors_as_message, errors_kept, errors_on
from oms.cases.forms import choices_by_team
from oms.cases.models import Offender
from oms.cases.panels import CONTACTS
from oms.supervision import forms, queries, services
from oms.supervision.constants import UNACCEPTABLE_OUTCOMES, ContactTypeCode, RecallStatus
from oms.supervision.enforcement import WARNING_PERIOD_MONTHS, add_months
from oms.supervision.models import (
    Breach,
    Contact,
    EnforcementWarning,
    RecallRecommendation,
    ReminderPreference,
)
from oms.supervision.permissions import (
    calendar_staff_choices,
    can_decide_enforceability,
    can_manage_supervision,
    can_record_contact,
    can_record_outcome,
    can_sign_off_recall,
    can_use_calendar,
    can_use_reception,
    contact_types_for,
)
from oms.supervision.timeline import case_timeline, sources


def _visible_case(request: HttpRequest, offender: Offender) -> Offender:
    """The case, if this user may see it; a refusal is logged and answered 403."""
    if not visible_cases(request.user).filter(pk=offender.pk).exists():
        note_refusal(request, "no right to this case", crn=offender.crn)
        raise PermissionDenied("You do not have access to this case")
    return offender


def _case(request: HttpRequest, crn: str) -> Offender:
    return _visible_case(request, get_object_or_404(Offender, crn=crn))


def _form_page(request: HttpRequest, case: Offender, form: Form, title: str, button: str) -> HttpResponse:
    return render(
        request, "cases/form_page.html", {"case": case, "form": form, "title": title, "button": button}
    )


def _breach_confirmation(
    request: HttpRequest, case: Offender, form: Form, cancel_url: str
) -> HttpResponse | None:
    """After a save the service refused only for want of confirmation that breach action starts
    (its error on `confirm_breach`): the page that says so, with what was entered kept to confirm.
    Nothing has been written."""
    problems = form.errors.get(services.BREACH_CONFIRMATION_FIELD)
    if not problems:
        return None
    entered = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", services.BREACH_CONFIRMATION_FIELD)
        for value in values
    ]
    return render(
        request,
        "supervision/confirm_breach.html",
        {"case": case, "message": problems[0], "entered": entered, "cancel_url": cancel_url},
    )


# ---------------------------------------------------------------- calendar and reception


def calendar_view(request: HttpRequest) -> HttpResponse:
    if not can_use_calendar(request.user):
        raise PermissionDenied(
            "The calendar is for offender managers, senior probation officers and case administrators"
        )
    choices = list(calendar_staff_choices(request.user))
    if not choices:
        return render(request, "supervision/calendar.html", {"choices": [], "days": [], "chosen": None})
    wanted = request.GET.get("staff", "")
    me = staff_of(request.user)
    chosen = next((s for s in choices if str(s.pk) == wanted), None)
    if wanted and chosen is None:
        raise PermissionDenied("You cannot see that person's calendar")
    chosen = chosen or next((s for s in choices if me and s.pk == me.pk), choices[0])
    week = date_from_query(request.GET, "week", "Week of")
    monday = queries.week_start(week.value or timezone.localdate())
    days = queries.week_calendar(request.user, chosen, monday)
    return render(
        request,
        "supervision/calendar.html",
        {
            "choices": choices,
            # An SPO or case administrator chooses among many offender managers: grouped by team.
            "staff_by_team": choices_by_team(
                ((s.pk, f"{s.full_name} ({s.grade.code})", s.team.name if s.team else "") for s in choices),
                empty_label=None,
            ),
            "chosen": chosen,
            "days": days,
            "monday": monday,
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "today": timezone.localdate(),
            "week_field": week.field(monday),
            "date_errors": [(week.anchor, week.error)] if week.error else [],
            "has_errors": bool(week.error),
            "total": sum(len(d.appointments) for d in days),
        },
    )


def reception_view(request: HttpRequest) -> HttpResponse:
    if not can_use_reception(request.user):
        raise PermissionDenied("Reception is for case administrators")
    refusal = ""
    if request.method == "POST":
        contact = get_object_or_404(
            Contact.objects.select_related("offender"), pk=request.POST.get("contact") or 0
        )
        _visible_case(request, contact.offender)
        with errors_kept() as attempt:
            if request.POST.get("action") == "seen":
                services.mark_seen(request.user, contact)
                messages.success(
                    request,
                    f"{contact.offender.full_name} seen after waiting {contact.waiting_minutes} minutes",
                )
            else:
                services.check_in(request.user, contact)
                messages.success(request, f"{contact.offender.full_name} checked in")
        if attempt.succeeded:
            return redirect("supervision:reception")
        refusal = attempt.message
    today = timezone.localdate()
    contacts = queries.reception_list(request.user, today)
    return render(
        request,
        "supervision/reception.html",
        {
            "contacts": contacts,
            "today": today,
            "average_wait": queries.average_wait_minutes(contacts),
            "waiting": sum(1 for c in contacts if c.arrived_at and not c.seen_at),
            "refusal": refusal,
        },
        status=400 if refusal else 200,
    )


# ---------------------------------------------------------------- appointments and contacts


def book_appointment_view(request: HttpRequest, crn: str) -> HttpResponse:
    case = _case(request, crn)
    if not can_manage_supervision(request.user, case):
        raise PermissionDenied("Only the offender manager, SPOs and case administrators book appointments")
    form = forms.AppointmentForm(request.POST or None, offender=case)
    form.limit_contact_types(contact_types_for(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with errors_on(form, {"starts_at": "day"}) as attempt:
            booked = services.book_appointments(
                request.user,
                case,
                services.AppointmentInput(
                    contact_type=data["contact_type"],
                    starts_at=forms.combine(data["day"], data["start_time"]),
                    duration_minutes=data["duration_minutes"],
                    location=data["location"],
                    staff=data["staff"],
                    repeat=data["repeat"],
                    occurrences=data["occurrences"] or 1,
                    home_visit_purpose=data["home_visit_purpose"],
                    enforceable=data["enforceable"],
                    notes=data["notes"],
                ),
            )
        if attempt.succeeded:
            messages.success(
                request,
                f"{len(booked)} appointment{'s' if len(booked) != 1 else ''} booked, the first on "
                f"{services.describe_slot(booked[0])}",
            )
            return redirect("cases:section", crn=crn, section=CONTACTS.slug)
    return _form_page(request, case, form, "Book an appointment", "Book")


def record_contact_view(request: HttpRequest, crn: str) -> HttpResponse:
    case = _case(request, crn)
    if not can_record_contact(request.user, case):
        raise PermissionDenied("You cannot record contacts on this case")
    form = forms.ContactForm(request.POST or None)
    form.limit_contact_types(contact_types_for(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with errors_on(form, {"starts_at": "day"}) as attempt:
            _contact, result = services.record_contact(
                request.user,
                case,
                services.ContactInput(
                    contact_type=data["contact_type"],
                    starts_at=forms.combine(data["day"], data["start_time"]),
                    duration_minutes=data["duration_minutes"] or 60,
                    outcome=data["outcome"],
                    location=data["location"],
                    absence_reason=data["absence_reason"],
                    notes=data["notes"],
                    enforceable=data["enforceable"],
                    home_visit_purpose=data["home_visit_purpose"],
                    home_visit_findings=data["home_visit_findings"],
                    induction_given=data["induction_given"],
                    confirm_breach=data["confirm_breach"],
                ),
            )
        if attempt.succeeded:
            messages.success(request, result.message.replace("Outcome recorded", "Contact recorded"))
            if result.breach:
                return redirect("supervision:breach", pk=result.breach.pk)
            return redirect("cases:section", crn=crn, section=CONTACTS.slug)
        confirmation = _breach_confirmation(
            request, case, form, reverse("supervision:record-contact", args=[crn])
        )
        if confirmation:
            return confirmation
    return _form_page(request, case, form, "Record a contact", "Record contact")


def contact_view(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(
        Contact.objects.select_related("offender", "contact_type", "staff", "recorded_by", "event", "breach"),
        pk=pk,
    )
    case = _visible_case(request, contact.offender)
    record_access(request.user, AccessAction.VIEW, f"viewed contact {contact}", crn=case.crn, request=request)
    may_record = can_record_outcome(request.user, contact)
    initial = {
        "version": contact.version,
        "outcome": contact.outcome,
        "absence_reason": contact.absence_reason,
        "enforceable": contact.enforceable,
        "induction_given": contact.induction_given,
        "notes": contact.notes,
        "home_visit_findings": contact.home_visit_findings,
    }
    form = forms.OutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_record:  # before the form is read: a refusal never depends on what was posted
            raise CaseRefused("You cannot record the outcome of this appointment", crn=case.crn)
        if form.is_valid():
            data = form.cleaned_data
            with errors_on(form, {"starts_at": "day"}) as attempt:
                result = services.record_outcome(
                    request.user,
                    contact,
                    services.OutcomeInput(
                        outcome=data["outcome"],
                        absence_reason=data["absence_reason"],
                        enforceable=data["enforceable"],
                        notes=data["notes"],
                        home_visit_findings=data["home_visit_findings"],
                        induction_given=data["induction_given"],
                        confirm_breach=data["confirm_breach"],
                    ),
                    expected_version=data["version"],
                )
            if attempt.succeeded:
                messages.success(request, result.message)
                if result.warning:
                    return redirect("supervision:warning-letter", pk=result.warning.pk)
                if result.breach:
                    return redirect("supervision:breach", pk=result.breach.pk)
                return redirect("cases:section", crn=case.crn, section=CONTACTS.slug)
            confirmation = _breach_confirmation(
                request, case, form, reverse("supervision:contact", args=[contact.pk])
            )
            if confirmation:
                return confirmation
    return _contact_page(request, case, contact, form, may_record=may_record)


def _contact_page(
    request: HttpRequest,
    case: Offender,
    contact: Contact,
    form: Form,
    *,
    may_record: bool,
    refusal: str = "",
) -> HttpResponse:
    warning = EnforcementWarning.objects.filter(failure=contact).first()
    breach_started = Breach.objects.filter(failure=contact).first()
    on_licence = contact.event is not None and contact.event.kind == EventKind.LICENCE
    unenforced = contact.is_unacceptable and not warning and not breach_started and not contact.breach_id
    may_manage = can_manage_supervision(request.user, case)
    return render(
        request,
        "supervision/contact.html",
        {
            "case": case,
            "contact": contact,
            "form": form,
            "may_record": may_record,
            "is_home_visit": contact.contact_type_id == ContactTypeCode.HOME_VISIT,
            "warning": warning,
            "breach_started": breach_started,
            "refusal": refusal,
            # A licence is enforced by recall, never by a warning or breach action.
            "can_enforce": may_manage and unenforced and not on_licence,
            "recall_instead": services.LICENCE_RECALL_INSTEAD
            if on_licence and contact.is_unacceptable
            else "",
            "can_recommend_recall": may_manage and on_licence and contact.is_unacceptable,
        },
        status=400 if refusal else 200,
    )


@require_POST
def enforce_contact_view(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact.objects.select_related("offender", "event", "contact_type"), pk=pk)
    case = _visible_case(request, contact.offender)
    if not can_manage_supervision(request.user, case):
        raise PermissionDenied("Only the offender manager, SPOs and case administrators enforce")
    breach = request.POST.get("action") == "breach"
    with errors_kept() as attempt:
        if breach:
            started = services.initiate_breach(request.user, contact)
        else:
            warning = services.give_warning(request.user, contact)
    if attempt.succeeded:
        if breach:
            messages.success(request, "Breach action started")
            return redirect("supervision:breach", pk=started.pk)
        messages.success(request, "Warning given: print the letter and send it today")
        return redirect("supervision:warning-letter", pk=warning.pk)
    form = forms.OutcomeForm(initial={"version": contact.version, "outcome": contact.outcome})
    return _contact_page(request, case, contact, form, may_record=False, refusal=attempt.message)


# Decisions shown on one page: a team's year of them is far fewer than this.
NOT_ENFORCEABLE_PAGE_SIZE = 200


def not_enforceable_view(request: HttpRequest) -> HttpResponse:
    """The SPO's list of failures marked not enforceable: awaiting approval first, then decided."""
    if not can_decide_enforceability(request.user):
        raise PermissionDenied("Only senior probation officers decide whether a failure is enforceable")
    decisions = list(
        Contact.objects.filter(
            offender__in=visible_cases(request.user),
            enforceable=False,
            outcome__in=list(UNACCEPTABLE_OUTCOMES),
        )
        .select_related("offender", "recorded_by", "not_enforceable_approved_by", "contact_type")
        .order_by(F("not_enforceable_approved_at").desc(nulls_first=True), "starts_at", "pk")[
            :NOT_ENFORCEABLE_PAGE_SIZE
        ]
    )
    record_access(request.user, AccessAction.VIEW, "viewed failures marked not enforceable", request=request)
    return render(
        request,
        "supervision/not_enforceable.html",
        {
            "awaiting": [c for c in decisions if c.not_enforceable_approved_by_id is None],
            "decided": [c for c in decisions if c.not_enforceable_approved_by_id is not None],
        },
    )


@require_POST
def approve_not_enforceable_view(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact.objects.select_related("offender"), pk=pk)
    _visible_case(request, contact.offender)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    with errors_as_message(request) as attempt:
        services.approve_not_enforceable(
            request.user, contact, reason=request.POST.get("reason", ""), expected_version=version
        )
    if attempt.succeeded:
        messages.success(request, f"{contact.offender.crn}: approved as not enforceable")
    return redirect("supervision:not-enforceable")


def timeline_view(request: HttpRequest, crn: str) -> HttpResponse:
    case = _case(request, crn)
    all_sources = sources()
    chosen = [k for k in request.GET.getlist("kind") if k in {s.key for s in all_sources}]
    entries = case_timeline(request, case, chosen)
    record_access(request.user, AccessAction.VIEW, "viewed the case timeline", crn=crn, request=request)
    return render(
        request,
        "supervision/timeline.html",
        {
            **case_page_context(request, case, TIMELINE),
            "entries": entries,
            "sources": all_sources,
            "chosen": chosen,
        },
    )


# ---------------------------------------------------------------- warnings and breach


def with_article(noun: str) -> str:
    """ "an unpaid work session", "a home visit": the article a reader expects before the noun."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _letter_context(warning: EnforcementWarning) -> dict[str, Any]:
    failure = warning.failure
    offender = warning.offender
    start = timezone.localtime(failure.starts_at)
    # The letterhead is the office of the officer who gave the warning (or of the case's manager).
    officer = warning.issued_by or offender.offender_manager
    team = officer.team if officer is not None else None
    until = add_months(warning.issued_on, WARNING_PERIOD_MONTHS)
    return {
        "warning": warning,
        "offender": offender,
        "failure": failure,
        "failure_what": with_article(failure.contact_type.name.lower()),
        "failure_when": f"{start:%A} {start.day} {start:%B %Y} at {start:%H:%M}",
        "office": team.unit if team is not None else None,
        "recipient_address": current_address(offender),
        "warning_until": until,
        "large_print": offender.large_print,
        "paper_colour": offender.paper_colour,
        "plain_english": offender.literacy_need or offender.dyslexia,
        "officer": warning.issued_by,
    }


def _warning(request: HttpRequest, pk: int) -> EnforcementWarning:
    warning = get_object_or_404(
        EnforcementWarning.objects.select_related(
            "offender__area",
            "offender__offender_manager__team__unit",
            "event",
            "failure__contact_type",
            "issued_by__team__unit",
        ),
        pk=pk,
    )
    _visible_case(request, warning.offender)
    return warning


def warning_letter_view(request: HttpRequest, pk: int) -> HttpResponse:
    warning = _warning(request, pk)
    record_access(
        request.user, AccessAction.VIEW, "viewed a warning letter", crn=warning.offender.crn, request=request
    )
    letter = render_to_string("supervision/warning_letter.html", _letter_context(warning))
    return render(
        request,
        "supervision/warning_page.html",
        {"case": warning.offender, "warning": warning, "letter": letter},
    )


def warning_letter_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    from weasyprint import HTML

    warning = _warning(request, pk)
    record_access(
        request.user,
        AccessAction.EXPORT,
        "printed a warning letter",
        crn=warning.offender.crn,
        request=request,
    )
    html = render_to_string(
        "supervision/warning_letter.html", {**_letter_context(warning), "standalone": True}
    )
    # Tagged (PDF/UA) so a screen reader reads the letter in order.
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(pdf_variant="pdf/ua-1")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="warning-{warning.offender.crn}-{warning.pk}.pdf"'
    return response


def breach_view(request: HttpRequest, pk: int) -> HttpResponse:
    breach = get_object_or_404(
        Breach.objects.select_related(
            "offender", "event", "failure__contact_type", "warning_relied_on", "initiated_by"
        ),
        pk=pk,
    )
    case = _visible_case(request, breach.offender)
    may_change = can_manage_supervision(request.user, case)
    initial = {
        "version": breach.version,
        "laid_before_court_on": breach.laid_before_court_on,
        "court": breach.court or breach.event.court,
        "resolved_on": breach.resolved_on,
        "outcome": breach.outcome,
        "notes": breach.notes,
    }
    form = forms.BreachForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied("You cannot change this breach")
        if form.is_valid():
            data = form.cleaned_data
            with errors_on(form, {"starts_at": "day"}) as attempt:
                services.update_breach(
                    request.user,
                    breach,
                    services.BreachProgress(
                        laid_before_court_on=data["laid_before_court_on"],
                        court=data["court"],
                        resolved_on=data["resolved_on"],
                        outcome=data["outcome"],
                        notes=data["notes"],
                        hearing_date=data["hearing_date"],
                    ),
                    expected_version=data["version"],
                )
            if attempt.succeeded:
                messages.success(request, "Breach updated")
                return redirect("supervision:breach", pk=pk)
    record_access(request.user, AccessAction.VIEW, "viewed breach", crn=case.crn, request=request)
    failures = list(breach.failures.select_related("contact_type").order_by("starts_at"))
    return render(
        request,
        "supervision/breach.html",
        {
            "case": case,
            "breach": breach,
            "form": form,
            "may_change": may_change,
            "hearings": list(breach.hearings.all()),
            "failures": failures,
        },
    )


# ---------------------------------------------------------------- recall


def recommend_recall_view(request: HttpRequest, crn: str) -> HttpResponse:
    case = _case(request, crn)
    if not can_manage_supervision(request.user, case):
        raise PermissionDenied("Only the offender manager, SPOs and case administrators recommend recall")
    form = forms.RecallForm(request.POST or None, offender=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with errors_on(form, {"starts_at": "day"}) as attempt:
            recommendation = services.recommend_recall(
                request.user,
                data["event"],
                recall_type=data["recall_type"],
                emergency=data["emergency"],
                reason=data["reason"],
            )
        if attempt.succeeded:
            messages.success(request, "Recall recommended: a senior probation officer must sign it off next")
            return redirect("supervision:recall", pk=recommendation.pk)
    return _form_page(request, case, form, "Recommend recall", "Recommend")


def recall_view(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = get_object_or_404(
        RecallRecommendation.objects.select_related(
            "offender", "event", "recommended_by", "spo_signed_by", "aco_signed_by"
        ),
        pk=pk,
    )
    case = _visible_case(request, recommendation.offender)
    action = request.POST.get("action") if request.method == "POST" else None
    outcome_form = forms.RecallOutcomeForm(
        request.POST if action == "outcome" else None,
        initial={"version": recommendation.version, "outcome_on": timezone.localdate()},
    )
    decision_form = forms.RecallDecisionForm(
        request.POST if action == "decide" else None, initial={"version": recommendation.version}
    )
    resubmit_form = forms.RecallResubmitForm(
        request.POST if action == "resubmit" else None,
        initial={"version": recommendation.version, "reason": recommendation.reason},
    )
    refusal = ""
    if request.method == "POST":
        if action == "sign":
            # The service refuses a wrong role (403, logged by the one refusal path).
            with errors_kept() as signing:
                services.sign_off_recall(
                    request.user, recommendation, expected_version=int(request.POST.get("version", 0) or 0)
                )
            if signing.succeeded:
                messages.success(request, "Signed off")
                return redirect("supervision:recall", pk=pk)
            refusal = signing.message
        if action == "decide":
            # Refused before the form is read (a refusal never depends on what was posted).
            services.refuse_unless_recall_decider(request.user, recommendation, "decide")
            if decision_form.is_valid():
                data = decision_form.cleaned_data
                with errors_on(decision_form) as deciding:
                    if data["decision"] == "sign_off":
                        services.sign_off_recall(
                            request.user, recommendation, expected_version=data["version"]
                        )
                    elif data["decision"] == "return":
                        services.return_recall(
                            request.user,
                            recommendation,
                            reason=data["reason"],
                            expected_version=data["version"],
                        )
                    else:
                        services.decline_recall(
                            request.user,
                            recommendation,
                            reason=data["reason"],
                            expected_version=data["version"],
                        )
                if deciding.succeeded:
                    messages.success(request, RECALL_DECISION_MESSAGES[data["decision"]])
                    return redirect("supervision:recall", pk=pk)
        if action == "resubmit":
            services.refuse_unless_recall_resubmitter(request.user, recommendation)
            if resubmit_form.is_valid():
                with errors_on(resubmit_form) as resubmitting:
                    services.resubmit_recall(
                        request.user,
                        recommendation,
                        reason=resubmit_form.cleaned_data["reason"],
                        expected_version=resubmit_form.cleaned_data["version"],
                    )
                if resubmitting.succeeded:
                    messages.success(request, "Resubmitted: a senior probation officer must sign it off next")
                    return redirect("supervision:recall", pk=pk)
        if action == "outcome":
            if not can_manage_supervision(request.user, case):
                raise PermissionDenied("You cannot record the outcome of this recall")
            if outcome_form.is_valid():
                data = outcome_form.cleaned_data
                with errors_on(outcome_form) as recording:
                    services.record_recall_outcome(
                        request.user,
                        recommendation,
                        outcome=data["outcome"],
                        on=data["outcome_on"],
                        notes=data["notes"],
                        expected_version=data["version"],
                    )
                if recording.succeeded:
                    messages.success(request, "Recall outcome recorded")
                    return redirect("supervision:recall", pk=pk)
    record_access(
        request.user, AccessAction.VIEW, "viewed recall recommendation", crn=case.crn, request=request
    )
    waiting_for_sign_off = recommendation.status in (RecallStatus.AWAITING_SPO, RecallStatus.AWAITING_ACO)
    invalid = any(f.is_bound and f.errors for f in (outcome_form, decision_form, resubmit_form))
    return render(
        request,
        "supervision/recall.html",
        {
            "case": case,
            "recall": recommendation,
            "form": outcome_form,
            "decision_form": decision_form,
            "resubmit_form": resubmit_form,
            "steps": list(recommendation.steps.select_related("by")),
            "refusal": refusal,
            "can_sign": can_sign_off_recall(request.user, case) and waiting_for_sign_off,
            "can_resubmit": can_manage_supervision(request.user, case)
            and recommendation.status == RecallStatus.RETURNED,
            "can_record_outcome": can_manage_supervision(request.user, case)
            and recommendation.status == RecallStatus.SIGNED_OFF,
        },
        status=400 if refusal or invalid else 200,
    )


RECALL_DECISION_MESSAGES = {
    "sign_off": "Signed off",
    "return": "Returned to the offender manager for more information",
    "decline": "Recall declined: the offender manager is told on their home page",
}


def reminder_preference_view(request: HttpRequest, crn: str) -> HttpResponse:
    case = _case(request, crn)
    if not can_manage_supervision(request.user, case):
        raise PermissionDenied("Only the offender manager, SPOs and case administrators change reminders")
    preference = ReminderPreference.objects.filter(offender=case).first()
    initial = {
        "channel": preference.channel if preference else "none",
        "mobile_number": preference.mobile_number if preference else "",
        "email_address": preference.email_address if preference else "",
        "version": preference.version if preference else 1,
    }
    form = forms.ReminderPreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with errors_on(form, {"starts_at": "day"}) as attempt:
            services.save_reminder_preference(
                request.user,
                case,
                channel=data["channel"],
                mobile_number=data["mobile_number"],
                email_address=data["email_address"],
                expected_version=data["version"],
            )
        if attempt.succeeded:
            messages.success(request, "Reminder preferences saved")
            return redirect("cases:section", crn=crn, section=CONTACTS.slug)
    return _form_page(request, case, form, "Appointment reminders", "Save")
