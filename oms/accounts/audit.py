"""Recording every read and change of a case: who, what, when."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

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


# The most rows one list read logs: the API's largest page (oms/api/pagination.py MAXIMUM_PAGE_SIZE).
# Kept under SQLite's 999 bound parameters, so the whole page is one INSERT on every database.
LARGEST_LISTED_PAGE = 500


def record_listed(
    user: AbstractBaseUser | AnonymousUser | None,
    crns: Iterable[str],
    where: str,
    *,
    request: HttpRequest | None = None,
) -> int:
    """A list read (a caseload page, the case list API, the actions list): one entry per case on the
    page, so each case's "who has looked" page shows its row was listed.

    One INSERT ... SELECT whatever the length of the page, not one query per row (nor Django's
    bulk_create, which SQLite's parameter limit splits into a query per 142 rows).
    """
    listed = [crn for crn in dict.fromkeys(crns) if crn][:LARGEST_LISTED_PAGE]
    if not listed:
        return 0
    from oms.cases.models import Offender

    authenticated = user is not None and user.is_authenticated
    quote = connection.ops.quote_name
    log, cases = AccessLogEntry._meta.db_table, Offender._meta.db_table
    columns = ", ".join(quote(c) for c in ("at", "user_id", "username", "action", "crn", "what", "path"))
    sql = (
        f"INSERT INTO {quote(log)} ({columns}) "
        f"SELECT %s, %s, %s, %s, {quote('crn')}, %s, %s FROM {quote(cases)} "
        f"WHERE {quote('crn')} IN ({', '.join(['%s'] * len(listed))})"
    )
    params = [
        connection.ops.adapt_datetimefield_value(timezone.now()),
        user.pk if authenticated and user else None,
        user.get_username() if authenticated and user else "(system)",
        str(AccessAction.VIEW),
        where[:200],
        request.get_full_path()[:300] if request else "",
        *listed,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
