"""National Standards actions due and overdue, for the caller's cases or one case."""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from oms.accounts.audit import record_access
from oms.accounts.case_access import api_case_or_refuse
from oms.accounts.models import AccessAction
from oms.accounts.permissions import visible_cases
from oms.api.pagination import ListedCasesPagination
from oms.cases.models import Offender
from oms.standards.queries import actions

PREFIX = "/standards"
router = Router(tags=["national standards"])


class ActionOut(Schema):
    crn: str
    rule: str
    description: str
    deadline: date | None
    status: str
    owner: str
    working_days_overdue: int


@router.get("/actions", response=list[ActionOut])
@paginate(ListedCasesPagination)
def list_actions(
    request: HttpRequest, as_of: date | None = None, status: str = ""
) -> list[dict[str, object]]:
    """Due and overdue actions on every case the caller may see (`status`: due or overdue)."""
    found = [a.as_json() for a in actions(visible_cases(request.user), as_of or timezone.localdate())]
    return [a for a in found if not status or a["status"] == status]


@router.get("/cases/{crn}/actions", response=list[ActionOut])
def case_actions(request: HttpRequest, crn: str, as_of: date | None = None) -> list[dict[str, object]]:
    offender = api_case_or_refuse(request, crn, what="actions due")
    record_access(request.user, AccessAction.VIEW, "API: read actions due", crn=crn, request=request)
    return [
        a.as_json() for a in actions(Offender.objects.filter(pk=offender.pk), as_of or timezone.localdate())
    ]
