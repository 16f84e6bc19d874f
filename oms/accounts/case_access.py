"""Opening one case for a page or an API call: the case if the user may, else a logged refusal.

Every app's case pages and API operations start here, so a refusal always looks and is recorded
the same way (the refusal is logged once, by oms/accounts/refusals.py). `may` is the rule for the work in hand (reading the case by default; an app may pass
a narrower one, such as risk work).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja.errors import HttpError

from oms.accounts.permissions import AnyUser, can_view_case
from oms.accounts.refusals import note_refusal
from oms.cases.models import Offender

REFUSAL = "You do not have access to this case"
CasePermission = Callable[[AnyUser, Offender], bool]


def _find(crn: str, queryset: QuerySet[Offender] | None) -> Offender | None:
    return (queryset if queryset is not None else Offender.objects.all()).filter(crn=crn).first()


def case_or_refuse(
    request: HttpRequest,
    crn: str,
    *,
    may: CasePermission = can_view_case,
    what: str = "no right to this case",
    queryset: QuerySet[Offender] | None = None,
) -> Offender:
    """For pages: 404 when there is no such case, 403 (logged) when the user may not have it."""
    offender = _find(crn, queryset)
    if offender is None:
        raise Http404(f"No case with CRN {crn}")
    if not may(request.user, offender):
        note_refusal(request, what, crn=crn)
        raise PermissionDenied(REFUSAL)
    return offender


def api_case_or_refuse(
    request: HttpRequest,
    crn: str,
    *,
    may: CasePermission = can_view_case,
    what: str = "no right to this case",
    queryset: QuerySet[Offender] | None = None,
) -> Offender:
    """For the API: the same rule, answered as 404 or 403 with a {"detail"} body."""
    offender = _find(crn, queryset)
    if offender is None:
        raise HttpError(404, f"No case with CRN {crn}")
    if not may(request.user, offender):
        note_refusal(request, what, crn=crn)
        raise HttpError(403, REFUSAL)
    return offender
