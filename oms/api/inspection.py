"""Inspection API: the inspections a caller may see, their live scores and progress, and answers.

The same permissions as the pages (oms.inspection.permissions, built on accounts.permissions).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from oms.accounts.refusals import note_refusal
from oms.api.errors import InputSchema
from oms.inspection import permissions, services
from oms.inspection.models import Inspection, SampledCase
from oms.inspection.queries import inspection_progress, inspection_scores

PREFIX = "/inspections"
router = Router(tags=["inspection"])


class InspectionOut(Schema):
    id: int
    area: str
    kind: str
    status: str
    framework_id: str
    fieldwork_start: date
    fieldwork_end: date
    published_on: date | None


class ProgressOut(Schema):
    cases: int
    cases_done: int
    questions: int
    questions_answered: int
    questions_confirmed: int
    prefilled_unconfirmed: int


class AnswerIn(InputSchema):
    question_id: str
    value: str
    note: str = ""
    expected_version: int | None = None


class AnswerOut(Schema):
    question_id: str
    value: str
    note: str
    version: int


def _inspection(request: HttpRequest, inspection_id: int) -> Inspection:
    inspection = Inspection.objects.select_related("area").filter(pk=inspection_id).first()
    if inspection is None or not permissions.can_view_inspection(request.user, inspection):
        raise HttpError(404, "No such inspection, or not one you may see")
    return inspection


def _out(inspection: Inspection) -> dict[str, Any]:
    return {
        "id": inspection.pk,
        "area": inspection.area.name,
        "kind": inspection.kind,
        "status": inspection.status,
        "framework_id": inspection.framework_id,
        "fieldwork_start": inspection.fieldwork_start,
        "fieldwork_end": inspection.fieldwork_end,
        "published_on": inspection.published_on,
    }


@router.get("/", response=list[InspectionOut])
def list_inspections(request: HttpRequest) -> list[dict[str, Any]]:
    return [_out(i) for i in permissions.visible_inspections(request.user).select_related("area")]


@router.get("/{inspection_id}", response=InspectionOut)
def get_inspection(request: HttpRequest, inspection_id: int) -> dict[str, Any]:
    return _out(_inspection(request, inspection_id))


@router.get("/{inspection_id}/scores")
def get_scores(request: HttpRequest, inspection_id: int) -> dict[str, Any]:
    """The live scores: the JSON of `oms inspection score` over the stored answers."""
    return inspection_scores(_inspection(request, inspection_id))


@router.get("/{inspection_id}/progress", response=ProgressOut)
def get_progress(request: HttpRequest, inspection_id: int) -> Any:
    return inspection_progress(_inspection(request, inspection_id))


@router.post("/{inspection_id}/cases/{crn}/answers", response=list[AnswerOut])
def post_answers(request: HttpRequest, inspection_id: int, crn: str, answers: list[AnswerIn]) -> list[Any]:
    inspection = _inspection(request, inspection_id)
    sampled = (
        SampledCase.objects.select_related("offender")
        .filter(inspection=inspection, offender__crn=crn)
        .first()
    )
    if sampled is None:
        raise HttpError(404, "This case is not in the inspection's sample")
    sampled.inspection = inspection
    if not permissions.can_assess_case(request.user, sampled):
        note_refusal(request, f"assessing {crn} via API", crn=crn)
        raise HttpError(403, "You may not assess this case")
    return services.save_answers(
        request.user,
        sampled,
        [services.AnswerInput(a.question_id, a.value, a.note, a.expected_version) for a in answers],
    )
