"""Rate limits counted exactly in the shared database: per API token, and bad tokens per address.

A fixed window (a minute for "600/m"): the counter for (caller, window) is incremented by one atomic
upsert in the database, so concurrent requests on any number of servers each see a different count
and no more than the limit pass. Expired windows are deleted as requests come.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from oms.accounts.client_address import client_address
from oms.accounts.models import RequestCounter

PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    limit: int
    period_seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """ "600/m" -> 600 a minute; the unit is s, m, h or d (or a word starting with one)."""
        number, _, unit = text.partition("/")
        return cls(int(number), PERIOD_SECONDS[unit.strip()[:1]])

    def window(self, now: float) -> int:
        return int(now // self.period_seconds) * self.period_seconds

    def seconds_left(self, now: float) -> int:
        return max(1, int(self.window(now) + self.period_seconds - now))


def count_request(key: str, rate: Rate, now: float | None = None) -> int:
    """Add one to the caller's count for this window and return it (1 for the window's first).

    One INSERT ... ON CONFLICT DO UPDATE ... RETURNING (PostgreSQL, and SQLite from 3.35): atomic, so
    concurrent requests each get their own count, and always the same two statements, so a page's
    query count does not depend on whether it opened a window.
    """
    now = time.time() if now is None else now
    window = rate.window(now)
    table = RequestCounter._meta.db_table
    quote = connection.ops.quote_name
    key_column, window_column, expires_column, count_column = (
        quote(name)
        for name in ("key", "window", "expires", "count")  # the fields set no db_column
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(table)} ({key_column}, {window_column}, {expires_column}, {count_column}) "
            f"VALUES (%s, %s, %s, 1) ON CONFLICT ({key_column}, {window_column}) "
            f"DO UPDATE SET {count_column} = {quote(table)}.{count_column} + 1 RETURNING {count_column}",
            [key, window, window + rate.period_seconds],
        )
        count = int(cursor.fetchone()[0])
    RequestCounter.objects.filter(expires__lt=int(now)).delete()
    return count


def requests_so_far(key: str, rate: Rate, now: float | None = None) -> int:
    now = time.time() if now is None else now
    found = RequestCounter.objects.filter(key=key, window=rate.window(now)).values_list("count", flat=True)
    return found.first() or 0


def api_caller(request: HttpRequest) -> str:
    """Per token when a token was used (as documented), else per signed-in user, else per address."""
    token = getattr(request, "api_token", None)
    if token is not None:
        return f"api:token:{token.pk}"
    if request.user.is_authenticated:
        return f"api:user:{request.user.pk}"
    return f"api:address:{client_address(request)}"


class PerTokenThrottle(BaseThrottle):
    """OMS_API_RATE per token (read at each request, so a changed setting holds at once)."""

    def allow_request(self, request: HttpRequest) -> bool:
        rate = Rate.parse(settings.OMS_API_RATE)
        return count_request(api_caller(request), rate) <= rate.limit

    def wait(self) -> float:
        return Rate.parse(settings.OMS_API_RATE).seconds_left(time.time())


def bad_token_key(request: HttpRequest) -> str:
    return f"bad-token:{client_address(request)}"


def bad_tokens_exhausted(request: HttpRequest) -> bool:
    """Has this address sent as many bad tokens as it may in this window? Then it is not heard."""
    rate = Rate.parse(settings.OMS_API_BAD_TOKEN_RATE)
    return requests_so_far(bad_token_key(request), rate) >= rate.limit


def count_bad_token(request: HttpRequest) -> None:
    count_request(bad_token_key(request), Rate.parse(settings.OMS_API_BAD_TOKEN_RATE))
