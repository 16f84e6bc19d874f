"""The API's one error path: every failure answers {"detail": "..."} in JSON with the right status.

The services raise `CaseRuleError` (a broken rule, naming its field) and `StaleRecordError` (a stale
save); the handlers installed here turn them, and every other failure, into a response, so no
operation translates an error itself (Zulip's JsonableError with one handler). Bad input is the
caller's error (400, 413 or 422 naming the field), never an outage; an unexpected failure is a 500 in
JSON, and an unreachable database a 503, never an HTML page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Schema
from ninja.errors import ValidationError
from pydantic import ValidationInfo, field_validator

from oms.accounts.errors import DATABASE_UNAVAILABLE
from oms.accounts.refusals import note_refusal
from oms.cases.input_limits import date_problem, text_problem
from oms.cases.services import CaseRuleError, StaleRecordError

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger(__name__)

SERVER_ERROR = "Sorry, there is a problem with the service. Try again later."
UNAVAILABLE = "Sorry, the service is unavailable. Try again in a few minutes."
TOO_LARGE = "The request is too large"
RETRY_AFTER_SECONDS = "30"


class ErrorOut(Schema):
    detail: str


# 401 no or bad credentials; 403 no right to this object; 404 no such object; 409 a stale save.
READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 409: ErrorOut, 422: ErrorOut}


class InputSchema(Schema):
    """Every request body the API reads: text without NUL and within its length, plausible dates.

    Checked for every field by type, before any rule of the domain, so the answer names the field at
    fault; the model guard (oms/cases/stored_values.py) holds the stored columns' own lengths.
    """

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: Any, info: ValidationInfo) -> Any:
        problem = None
        if isinstance(value, str):
            problem = text_problem(value)
        elif isinstance(value, date):
            problem = date_problem(value)
        if problem:
            raise ValueError(problem)
        return value


def error_body(detail: str, status: int, **extra: Any) -> JsonResponse:
    return JsonResponse({"detail": detail, **extra}, status=status)


def _named(field: str, message: str) -> str:
    return f"{field}: {message}" if field else message


def _field_of(location: list[Any] | tuple[Any, ...]) -> str:
    """("body", "payload", "notes") -> "notes"; ("query", "q") -> "q"; list items keep their index."""
    parts = [str(p) for p in location]
    if parts and parts[0] in ("body", "query", "path", "form", "header", "cookie"):
        parts = parts[1:]
    if len(parts) > 1 and parts[0] == "payload":
        parts = parts[1:]
    return ".".join(parts)


def _validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    problems = [
        (_field_of(e.get("loc", ())), str(e.get("msg", "")).removeprefix("Value error, "))
        for e in error.errors
    ]
    return error_body(
        "; ".join(_named(field, message) for field, message in problems),
        422,
        errors=[{"field": field, "message": message} for field, message in problems],
    )


def _rule_broken(request: HttpRequest, error: CaseRuleError) -> HttpResponse:
    return error_body(_named(error.field, str(error)), 422, field=error.field)


def _stale(request: HttpRequest, error: StaleRecordError) -> HttpResponse:
    return error_body(str(error), 409)


def _forbidden(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    # A service's refusal (the service decides who may do the work) is the page's 403, as {"detail"};
    # the refusal log (oms/accounts/refusals.py) records it with the case the service named.
    detail = str(error) or "You may not do this"
    note_refusal(request, detail, crn=getattr(error, "crn", ""))
    return error_body(detail, 403)


def _too_large(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    return error_body(TOO_LARGE, 413)


def _unavailable(request: HttpRequest, error: Exception) -> HttpResponse:
    response = error_body(UNAVAILABLE, 503)
    response["Retry-After"] = RETRY_AFTER_SECONDS
    return response


def _server_error(request: HttpRequest, error: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path, exc_info=error)
    return error_body(SERVER_ERROR, 500)


def install_error_handlers(api: NinjaAPI) -> None:
    """The most specific handler wins (ninja looks up the exception's classes in order)."""
    handlers: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
        (CaseRuleError, _rule_broken),
        (StaleRecordError, _stale),
        (ValidationError, _validation_error),
        (PermissionDenied, _forbidden),
        (RequestDataTooBig, _too_large),
        *[(unavailable, _unavailable) for unavailable in DATABASE_UNAVAILABLE],
        (Exception, _server_error),
    ]
    for error, handler in handlers:
        api.add_exception_handler(error, handler)
