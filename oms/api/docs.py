"""The API's documentation page and OpenAPI document: for signed-in users (or a token) only.

The page is a GOV.UK page the service draws from its own OpenAPI document (oms/api/reference.py), so
it meets WCAG 2.2 AA like every other page and needs no script at all.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

from oms.accounts.tokens import TokenAuth
from oms.api.reference import reference_from

if TYPE_CHECKING:
    from ninja import NinjaAPI

OPENAPI_DOCUMENT = "openapi.json"


class Reference(DocsBase):
    """Every operation and schema of the API as a GOV.UK page, with a link to the OpenAPI document."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        document = api.get_openapi_schema(path_params=kwargs)
        return render(
            request,
            "api/docs.html",
            {"reference": reference_from(document), "openapi_url": self.get_openapi_url(api, kwargs)},
        )


def signed_in_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The docs page sends a stranger to sign in; the document answers 401 without a session or token."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated or TokenAuth()(request) is not None:
            return view(request, *args, **kwargs)
        if request.path.endswith(OPENAPI_DOCUMENT):
            return JsonResponse(
                {"detail": "Sign in or send an API token to read the API document"}, status=401
            )
        return redirect_to_login(request.get_full_path())

    return guarded
