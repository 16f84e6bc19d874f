"""Error pages that never touch the database: a 503 when it is unreachable, else the GOV.UK 500."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def server_error_view(request: HttpRequest) -> HttpResponse:
    """Django calls this inside its exception handler, so the exception in flight says what went wrong.

    When the database cannot be reached the service is unavailable, not broken: answer 503 with a
    Retry-After, and recover by itself (every request opens a fresh connection).
    """
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNAVAILABLE):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(render_to_string("500.html"), status=500)
