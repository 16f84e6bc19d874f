"""Court reports API: the same permissions as the pages; every read and write recorded."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.errors import HttpError

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.accounts.permissions import can_view_case
from oms.accounts.refusals import note_refusal
from oms.api.errors import InputSchema
from oms.cases.models import Offender
from oms.courts import services
from oms.courts.models import PreSentenceReport
from oms.courts.permissions import can_write_court_report, does_court_work
from oms.courts.queries import report_record, reports_visible_to

PREFIX = "/courts"
router = Router(tags=["courts"])


class ReportIn(InputSchema):
    kind: str
    court: str
    court_type: str = "magistrates"
    requested_on: date
    offence_code: str = ""
    remanded_in_custody: bool = False
    hearing_date: date | None = None


def _case(request: HttpRequest, crn: str) -> Offender:
    offender = get_object_or_404(Offender, crn=crn)
    if not can_view_case(request.user, offender) or not does_court_work(request.user):
        note_refusal(request, "court reports", crn=crn)
        raise HttpError(403, "You do not have access to this case's court reports")
    return offender


@router.get("/cases/{crn}/reports")
def case_reports(request: HttpRequest, crn: str) -> list[dict[str, Any]]:
    offender = _case(request, crn)
    record_access(request.user, AccessAction.VIEW, "viewed court reports (API)", crn=crn, request=request)
    return [report_record(r) for r in reports_visible_to(request.user).filter(offender=offender)]


@router.post("/cases/{crn}/reports", response={201: dict[str, Any]})
def request_report(request: HttpRequest, crn: str, payload: ReportIn) -> Status[dict[str, Any]]:
    offender = _case(request, crn)
    if not can_write_court_report(request.user, offender):
        raise HttpError(403, "You cannot record court work on this case")
    report = services.request_report(request.user, offender, services.ReportRequest(**payload.dict()))
    report = PreSentenceReport.objects.select_related("offender", "author").get(pk=report.pk)
    return Status(201, report_record(report))
