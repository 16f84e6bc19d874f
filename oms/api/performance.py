"""Performance measures and the organisational risk register over the API (session or token auth)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.performance.measures import compute_measures
from oms.performance.permissions import area_of, can_see_performance, can_see_registers, performance_unit_of
from oms.performance.queries import risk_register

PREFIX = "/performance"
router = Router(tags=["performance"])


class MeasureOut(Schema):
    key: str
    label: str
    target: float
    value: float | None
    unit: str
    numerator: float | None
    denominator: float | None
    status: str


class PerformanceOut(Schema):
    area: str
    unit: str | None
    date_from: date
    date_to: date
    measures: list[MeasureOut]


class RiskOut(Schema):
    id: int
    title: str
    owner: str
    likelihood: int
    impact: int
    score: int
    rag: str
    next_review_on: date
    open_actions: int


def _number(value: Any) -> float | None:
    return float(value) if value is not None else None


@router.get("/measures", response=PerformanceOut)
def measures(request: HttpRequest, date_from: date, date_to: date) -> dict[str, Any]:
    """The measures of report criterion 4.2 for the caller's area (an SPO: their unit)."""
    if not can_see_performance(request.user):
        raise HttpError(403, "Performance is for senior managers and senior probation officers")
    if date_from > date_to:
        raise HttpError(422, "date_from: the start of the period must be on or before date_to")
    area = area_of(request.user)
    if area is None:
        raise HttpError(403, "You are not in a probation area")
    unit = performance_unit_of(request.user)
    results = compute_measures(area, date_from, date_to, unit)
    record_access(
        request.user,
        AccessAction.VIEW,
        f"API performance {area.code} {date_from} to {date_to}",
        request=request,
    )
    return {
        "area": area.name,
        "unit": unit.name if unit else None,
        "date_from": date_from,
        "date_to": date_to,
        "measures": [
            {
                **r.as_json(),
                "target": float(r.target),
                "value": _number(r.value),
                "numerator": _number(r.numerator),
                "denominator": _number(r.denominator),
            }
            for r in results
        ],
    }


@router.get("/risks", response=list[RiskOut])
def risks(request: HttpRequest) -> list[dict[str, Any]]:
    """The open risks of the caller's area, highest score first."""
    if not can_see_registers(request.user):
        raise HttpError(403, "The risk register is for senior managers")
    area = area_of(request.user)
    if area is None:
        raise HttpError(403, "You are not in a probation area")
    rated, _ = risk_register(area)
    record_access(request.user, AccessAction.VIEW, f"API risk register {area.code}", request=request)
    return [
        {
            "id": risk.pk,
            "title": risk.title,
            "owner": risk.owner.full_name,
            "likelihood": risk.likelihood,
            "impact": risk.impact,
            "score": risk.score,
            "rag": rag.value,
            "next_review_on": risk.next_review_on,
            "open_actions": sum(1 for a in risk.actions.all() if a.done_on is None),
        }
        for risk, rag in rated
    ]
