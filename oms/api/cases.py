from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction
from oms.accounts.permissions import visible_cases
from oms.accounts.refusals import note_refusal
from oms.api.errors import READ_ERRORS, ErrorOut
from oms.api.pagination import ListedCasesPagination
from oms.cases.models import Offender
from oms.cases.queries import MAXIMUM_SEARCH_LENGTH, CaseFilters, case_list, case_summary

router = Router(tags=["cases"])


class CaseSummaryOut(Schema):
    crn: str
    name: str
    offender_manager: str | None
    tier: str | None
    risk_of_harm_level: str | None
    current_event_types: list[str]

    # The list hands over model rows (paginated in SQL); the detail hands over a ready record.
    @staticmethod
    def resolve_name(obj: Offender | dict[str, object]) -> object:
        return obj["name"] if isinstance(obj, dict) else obj.full_name

    @staticmethod
    def resolve_offender_manager(obj: Offender | dict[str, object]) -> object:
        return case_summary(obj)["offender_manager"] if isinstance(obj, Offender) else obj["offender_manager"]

    @staticmethod
    def resolve_tier(obj: Offender | dict[str, object]) -> object:
        return (obj.tier or None) if isinstance(obj, Offender) else obj["tier"]

    @staticmethod
    def resolve_risk_of_harm_level(obj: Offender | dict[str, object]) -> object:
        return (obj.risk_of_harm_level or None) if isinstance(obj, Offender) else obj["risk_of_harm_level"]

    @staticmethod
    def resolve_current_event_types(obj: Offender | dict[str, object]) -> object:
        return (
            case_summary(obj)["current_event_types"]
            if isinstance(obj, Offender)
            else obj["current_event_types"]
        )


class RequirementOut(Schema):
    requirement_type: str
    description: str


class EventOut(Schema):
    number: int
    kind: str
    court: str
    offence_code: str
    sentence_date: date
    length_months: int
    release_date: date | None
    is_active: bool
    termination_reason: str
    requirements: list[RequirementOut]


class CaseOut(CaseSummaryOut):
    pnc_number: str
    date_of_birth: date
    gender: str
    is_ppo: bool
    mappa_level: int | None
    events: list[EventOut]


@router.get("/", response={200: list[CaseSummaryOut], 401: ErrorOut})
@paginate(ListedCasesPagination)
def list_cases(
    request: HttpRequest,
    q: str = Query("", max_length=MAXIMUM_SEARCH_LENGTH, description="CRN, PNC number or name"),
    tier: str = "",
    risk: str = "",
) -> QuerySet[Offender]:
    return case_list(
        visible_cases(request.user), CaseFilters(search=q, tier=tier, risk_of_harm_level=risk, sort="crn")
    )


@router.get("/{crn}", response={200: CaseOut, **READ_ERRORS})
def get_case(request: HttpRequest, crn: str) -> dict[str, object]:
    offender = (
        visible_cases(request.user)
        .filter(crn=crn)
        .prefetch_related("events__requirements__requirement_type", "events__offence")
        .select_related("offender_manager")
        .first()
    )
    if offender is None:
        if Offender.objects.filter(crn=crn).exists():
            note_refusal(request, "no right to this case", crn=crn)
            raise HttpError(403, "You do not have access to this case")
        raise HttpError(404, f"No case with CRN {crn}")
    record_access(request.user, AccessAction.VIEW, "API: read case", crn=crn, request=request)
    return case_record(offender)


def case_record(offender: Offender) -> dict[str, object]:
    return {
        **case_summary(offender),
        "pnc_number": offender.pnc_number,
        "date_of_birth": offender.date_of_birth,
        "gender": offender.gender,
        "is_ppo": offender.is_ppo,
        "mappa_level": offender.mappa_level,
        "events": [
            {
                "number": e.number,
                "kind": e.kind,
                "court": e.court,
                "offence_code": e.offence_id,
                "sentence_date": e.sentence_date,
                "length_months": e.length_months,
                "release_date": e.release_date,
                "is_active": e.is_active,
                "termination_reason": e.termination_reason,
                "requirements": [
                    {"requirement_type": r.requirement_type_id, "description": r.describe()}
                    for r in e.requirements.all()
                ],
            }
            for e in offender.events.all()
        ],
    }
