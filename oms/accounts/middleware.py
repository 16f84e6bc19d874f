"""Every page needs a signed-in user, except sign-in itself and the API (which answers 401 on its own);
no request carries a NUL byte in its address."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.http import HttpRequest, HttpResponseBase

from oms.accounts.errors import nul_in_address_response
from oms.cases.input_limits import NUL

PUBLIC_PREFIXES = ("/api/", "/static/", "/health")


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if request.path.startswith(PUBLIC_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class RefuseNulInAddressMiddleware:
    """A path or query parameter with a NUL byte is refused before any view reads it.

    PostgreSQL refuses NUL even in a comparison (a 500 from any filter), SQLite does not: refused here
    for both, naming the parameter. Form and JSON bodies are checked by their forms and schemas.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if NUL in request.path:
            return nul_in_address_response(request, "path")
        for name, values in request.GET.lists():
            if NUL in name or any(NUL in value for value in values):
                return nul_in_address_response(request, name.replace(NUL, ""))
        return self.get_response(request)
