"""Recording every read and change of a case: who, what, when."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest

from oms.accounts.models import AccessAction, AccessLogEntry


def record_access(
    user: AbstractBaseUser | AnonymousUser | None,
    action: AccessAction | str,
    what: str,
    *,
    crn: str = "",
    request: HttpRequest | None = None,
) -> AccessLogEntry:
    authenticated = user is not None and user.is_authenticated
    return AccessLogEntry.objects.create(
        user_id=user.pk if authenticated and user else None,
        username=user.get_username()
        if authenticated and user
        else ("(system)" if user is None else "(anonymous)"),
        action=str(action),
        crn=crn,
        what=what[:200],
        path=request.get_full_path()[:300] if request else "",
    )
