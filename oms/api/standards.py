"""National Standards actions due and overdue, for the caller's cases or one case."""

from collections.abc import Sequence
from datetime import date
from typing import overload

from django.db.models import QuerySet
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
from oms.standards.models import StoredAction
from oms.standards.queries import actions, as_actions, open_only, stored_actions, with_state

PREFIX = "/standards"
router = Router(tags=["national standards"])


class ActionOut(Schema):
    crn: str
    rule: str
    description: str
    deadline: date | None
    status: str
    owner: str
    owner_role: str
    working_days_overdue: int


class _ActionPages(Sequence[dict[str, object]]):
    """Stored actions as the paginator slices them: only the page asked for is read and converted."""

    def __init__(self, rows: QuerySet[StoredAction], today: date) -> None:
        self.rows, self.today = rows, today

    def __len__(self) -> int:
        return self.rows.count()

    @overload
    def __getitem__(self, index: int) -> dict[str, object]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, object]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, object] | list[dict[str, object]]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        page = list(self.rows.select_related("offender")[index])
        return [a.as_json() for a in as_actions(page, self.today)]


@router.get("/actions", response=list[ActionOut])
@paginate(ListedCasesPagination)
def list_actions(
    request: HttpRequest, as_of: date | None = None, status: str = ""
) -> Sequence[dict[str, object]]:
    """Due and overdue actions on every case the caller may see (`status`: due or overdue). Today's
    come from the stored actions, a page at a time; another `as_of` date is evaluated fresh."""
    today = timezone.localdate()
    if as_of is None or as_of == today:
        rows = with_state(open_only(stored_actions(visible_cases(request.user), today)), status)
        return _ActionPages(rows, today)
    found = [a.as_json() for a in actions(visible_cases(request.user), as_of)]
    return [a for a in found if not status or a["status"] == status]


@router.get("/cases/{crn}/actions", response=list[ActionOut])
def case_actions(request: HttpRequest, crn: str, as_of: date | None = None) -> list[dict[str, object]]:
    offender = api_case_or_refuse(request, crn, what="actions due")
    record_access(request.user, AccessAction.VIEW, "API: read actions due", crn=crn, request=request)
    today = timezone.localdate()
    if as_of is None or as_of == today:
        rows = open_only(stored_actions(None, today).filter(offender_id=offender.pk)).select_related(
            "offender"
        )
        return [a.as_json() for a in as_actions(list(rows), today)]
    return [a.as_json() for a in actions(Offender.objects.filter(pk=offender.pk), as_of)]
