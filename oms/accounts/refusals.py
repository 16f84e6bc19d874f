"""Every refusal is logged by one path: a page or API answer of 401 or 403 leaves exactly one entry.

Views and API handlers only refuse (raise PermissionDenied or HttpError(403), or let a service raise
it); `RefusalLogMiddleware` writes the access log entry for every 401 and 403 response, whichever door
gave it (a page, an API operation, the API's authentication or a read-only token). A view that knows
more than the response says (the case, the work refused) notes it with `note_refusal` first; the CLI,
which has no response, calls `record_refusal`, the same writer.

Logging where the answer is made, rather than in each view, is what keeps "13 refused requests left 3
log entries" from coming back: a new page cannot forget it, and no refusal is logged twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from oms.accounts.audit import record_access
from oms.accounts.models import AccessAction, AccessLogEntry

REFUSED_STATUSES = frozenset({401, 403})
_NOTE = "_oms_refusal"


class CaseRefused(PermissionDenied):
    """A service's refusal of work on a case: a 403 at every door, logged with the case's CRN."""

    def __init__(self, message: str, *, crn: str = "") -> None:
        super().__init__(message)
        self.crn = crn


@dataclass(frozen=True)
class RefusalNote:
    what: str
    crn: str = ""


def note_refusal(request: HttpRequest, what: str, *, crn: str = "") -> None:
    """Say what was refused (and on which case) before refusing; the middleware logs it once."""
    setattr(request, _NOTE, RefusalNote(what, crn))


def record_refusal(
    user: AbstractBaseUser | AnonymousUser | None,
    what: str,
    *,
    crn: str = "",
    request: HttpRequest | None = None,
) -> AccessLogEntry:
    return record_access(user, AccessAction.REFUSED, f"refused: {what}", crn=crn, request=request)


def _detail(response: HttpResponseBase) -> str:
    """The API's {"detail": ...}; a page's reason comes from its exception instead."""
    if not response.get("Content-Type", "").startswith("application/json"):
        return ""
    try:
        body = json.loads(getattr(response, "content", b"") or b"{}")
    except ValueError:
        return ""
    detail = body.get("detail") if isinstance(body, dict) else None
    return detail if isinstance(detail, str) else ""


def _crn_of(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    crn = match.kwargs.get("crn", "") if match else ""
    return crn if isinstance(crn, str) else ""


class RefusalLogMiddleware:
    """Placed after authentication, so the refused person is known (API token users are set by the
    token check itself, before it refuses a read-only token's write)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.status_code in REFUSED_STATUSES:
            note: RefusalNote | None = getattr(request, _NOTE, None)
            what = note.what if note else _detail(response) or f"{response.status_code} {request.method}"
            prefix = "API: " if request.path.startswith("/api/") else ""
            record_refusal(
                getattr(request, "user", None) or AnonymousUser(),
                f"{prefix}{what}",
                crn=(note.crn if note and note.crn else _crn_of(request)),
                request=request,
            )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        # A page's PermissionDenied becomes a 403 after this: keep its words for the log.
        if isinstance(exception, PermissionDenied) and getattr(request, _NOTE, None) is None:
            note_refusal(request, str(exception) or "permission denied", crn=getattr(exception, "crn", ""))
