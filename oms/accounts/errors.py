"""Error pages that never touch the database, and the same errors in JSON for the API.

A 503 when the database is unreachable, else the GOV.UK page; under /api/ every error Django itself
answers (an unknown address, a bad request, a crash outside an operation) is {"detail": "..."} too,
so an API client never has to read HTML.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def server_error_view(request: HttpRequest) -> HttpResponse:
    """Django calls this inside its exception handler, so the exception in flight says what went wrong.

    When the database cannot be reached the service is unavailable, not broken: answer 503 with a
    Retry-After, and recover by itself (every request opens a fresh connection).
    """
    error = sys.exc_info()[1]
    response: HttpResponse
    if isinstance(error, DATABASE_UNAVAILABLE):
        if is_api(request):
            response = JsonResponse({"detail": "Sorry, the service is unavailable"}, status=503)
        else:
            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    if is_api(request):
        return JsonResponse({"detail": "Sorry, there is a problem with the service"}, status=500)
    return HttpResponse(render_to_string("500.html"), status=500)


def not_found_view(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"detail": "Not Found"}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request_view(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"detail": "Bad request"}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied_view(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"detail": str(exception) or "You do not have access to this"}, status=403)
    return defaults.permission_denied(request, exception)


def nul_in_address_response(request: HttpRequest, parameter: str) -> HttpResponse:
    """A NUL byte in the path or a query parameter: PostgreSQL cannot even compare it, so refuse it."""
    problem = "Remove the NUL character (\\x00): text cannot contain it"
    if is_api(request):
        return JsonResponse({"detail": f"{parameter}: {problem}", "field": parameter}, status=422)
    return HttpResponse(
        render_to_string("400.html", {"problem": f"The web address's {parameter} is not valid. {problem}."}),
        status=400,
    )
