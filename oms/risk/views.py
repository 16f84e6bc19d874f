"""Risk pages. Thin: permissions from risk.permissions (built on accounts), reads from queries, writes
from services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from oms.accounts.audit import record_access
from oms.accounts.case_access import case_or_refuse
from oms.accounts.models import AccessAction
from oms.accounts.permissions import staff_of
from oms.accounts.refusals import note_refusal
from oms.cases.form_errors import errors_as_message, errors_on
from oms.cases.models import Event, Offender
from oms.risk import countersigning, services
from oms.risk.countersigning import CountersignedDocument, CountersigningEvent
from oms.risk.countersigning_rules import COUNTERSIGNING_WORKING_DAYS
from oms.risk.forms import FORMS, CountersignDecision
from oms.risk.models import DOCUMENT_KINDS
from oms.risk.permissions import can_read_risk_work, can_write_risk_work, sees_countersigning_queue
from oms.risk.queries import case_risk_overview, document_rows


def _case(request: HttpRequest, crn: str) -> Offender:
    return case_or_refuse(
        request,
        crn,
        may=can_read_risk_work,
        what="risk work",
        queryset=Offender.objects.select_related("area", "offender_manager__team"),
    )


def _document(offender: Offender, kind: str, pk: int) -> CountersignedDocument:
    model = DOCUMENT_KINDS.get(kind)
    if model is None:
        raise Http404("No such assessment")
    document: CountersignedDocument = get_object_or_404(
        model.objects.select_related("author__grade", "countersigned_by", "event"), pk=pk, offender=offender
    )
    document.offender = offender
    return document


def _history(document: CountersignedDocument) -> list[CountersigningEvent]:
    from django.contrib.contenttypes.models import ContentType

    return list(
        CountersigningEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(type(document)), object_id=document.pk
        ).select_related("by")
    )


def case_risk_view(request: HttpRequest, crn: str) -> HttpResponse:
    offender = _case(request, crn)
    record_access(request.user, AccessAction.VIEW, "viewed risk assessments", crn=crn, request=request)
    overview = case_risk_overview(offender, timezone.localdate())
    return render(
        request,
        "risk/case.html",
        {
            "case": offender,
            "overview": overview,
            "can_write": can_write_risk_work(request.user, offender),
            "sections": [
                (kind, model.document_name, overview.documents[kind])
                for kind, model in DOCUMENT_KINDS.items()
            ],
        },
    )


@require_POST
def start_view(request: HttpRequest, crn: str, kind: str) -> HttpResponse:
    offender = _case(request, crn)
    if kind not in DOCUMENT_KINDS:
        raise Http404("No such assessment")
    if not can_write_risk_work(request.user, offender):
        raise PermissionDenied(
            "Only the offender manager, their manager or the prison offender supervisor assess this case"
        )
    event = None
    if request.POST.get("event"):
        event = get_object_or_404(
            Event, pk=int(request.POST["event"]) if request.POST["event"].isdigit() else 0, offender=offender
        )
    with errors_as_message(request) as attempt:
        document = services.start_document(request.user, offender, kind, event=event)
    if not attempt.succeeded:
        return redirect("risk:case", crn=crn)
    return redirect("risk:edit", crn=crn, kind=kind, pk=document.pk)


def document_view(request: HttpRequest, crn: str, kind: str, pk: int) -> HttpResponse:
    offender = _case(request, crn)
    document = _document(offender, kind, pk)
    record_access(request.user, AccessAction.VIEW, f"viewed {document}"[:200], crn=crn, request=request)
    return render(
        request,
        "risk/document.html",
        {
            "case": offender,
            "kind": kind,
            "document": document,
            "rows": document_rows(document),
            "history": _history(document),
            "can_write": can_write_risk_work(request.user, offender),
            "can_countersign": document.status == countersigning.CountersigningStatus.SUBMITTED
            and countersigning.may_countersign(request.user, document),
        },
    )


def edit_view(request: HttpRequest, crn: str, kind: str, pk: int) -> HttpResponse:
    offender = _case(request, crn)
    document = _document(offender, kind, pk)
    if not can_write_risk_work(request.user, offender):
        raise PermissionDenied("You can read this case's assessments but not change them")
    if not document.is_editable:
        messages.error(
            request,
            f"This {document.document_name} is {document.get_status_display().lower()}: it cannot be changed."
            + (" Start a new version to reassess." if document.is_locked else ""),
        )
        return redirect("risk:document", crn=crn, kind=kind, pk=pk)
    form = FORMS[kind](request.POST or None, document=document)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as saved:
            services.update_document(
                request.user, document, form.changes(), expected_version=form.cleaned_data["version"]
            )
        if saved.succeeded:
            if "submit" not in request.POST:
                messages.success(request, "Draft saved")
                return redirect("risk:edit", crn=crn, kind=kind, pk=pk)
            # The answers are saved as a draft first (a refused submission loses nothing): a refusal
            # re-shows them at the saved version.
            data = request.POST.copy()
            data["version"] = str(document.version)
            form.data = data
            with errors_on(form) as submitted:
                _, opened = services.submit_document(
                    request.user, document, expected_version=document.version
                )
            if submitted.succeeded:
                if opened is not None:
                    messages.success(
                        request,
                        "Screening submitted. It indicates a full RoH analysis, which is now open: "
                        + "; ".join(getattr(document, "reasons", [])),
                    )
                    return redirect("risk:edit", crn=crn, kind="analysis", pk=opened.pk)
                messages.success(
                    request,
                    f"{document.title} submitted: {document.get_status_display().lower()}",
                )
                return redirect("risk:document", crn=crn, kind=kind, pk=pk)
    return render(
        request,
        "risk/edit.html",
        {
            "case": offender,
            "kind": kind,
            "document": document,
            "form": form,
            "title": document.title,
        },
    )


def countersign_view(request: HttpRequest, crn: str, kind: str, pk: int) -> HttpResponse:
    offender = _case(request, crn)
    document = _document(offender, kind, pk)
    if not countersigning.may_countersign(request.user, document):
        note_refusal(request, f"countersign {document}", crn=crn)
        raise PermissionDenied(
            "Only the author's manager, or a deputy named for their team, can countersign this"
        )
    form = CountersignDecision(request.POST or None, initial={"version": document.version})
    if request.method == "POST" and form.is_valid() and form.carry_out(request, document):
        return redirect("risk:countersigning")
    record_access(
        request.user, AccessAction.VIEW, f"viewed {document} to countersign"[:200], crn=crn, request=request
    )
    return render(
        request,
        "risk/countersign.html",
        {
            "case": offender,
            "kind": kind,
            "document": document,
            "rows": document_rows(document),
            "form": form,
            "history": _history(document),
        },
    )


def countersigning_queue_view(request: HttpRequest) -> HttpResponse:
    staff = staff_of(request.user)
    if staff is None or not sees_countersigning_queue(request.user):
        raise PermissionDenied("The countersigning queue is for senior probation officers and their deputies")
    rows = countersigning.awaiting_countersignature(staff, timezone.localdate())
    kind_of = {model: kind for kind, model in DOCUMENT_KINDS.items()}
    items: list[dict[str, Any]] = []
    for row in rows:
        kind = kind_of.get(type(row.document))
        url = (
            reverse("risk:countersign", args=[row.document.offender.crn, kind, row.document.pk])
            if kind
            else getattr(row.document, "get_countersign_url", lambda: "")()
        )
        items.append({"row": row, "url": url})
    return render(
        request,
        "risk/queue.html",
        {
            "items": items,
            "overdue": sum(1 for row in rows if row.overdue),
            "limit": COUNTERSIGNING_WORKING_DAYS,
        },
    )
