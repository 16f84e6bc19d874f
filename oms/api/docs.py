"""The API's documentation page and OpenAPI document: for signed-in users (or a token) only.

Swagger UI comes from the service's own static files (the locked npm package swagger-ui-dist, copied
by bin/build-assets), under the same Content Security Policy as every page, so the docs render where
there is no internet and no outside script can run on a page that holds a session.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

from oms.accounts.tokens import TokenAuth

if TYPE_CHECKING:
    from ninja import NinjaAPI

OPENAPI_DOCUMENT = "openapi.json"


class OwnSwagger(DocsBase):
    """Swagger UI from /static/vendor/swagger-ui, started by /static/oms/api-docs.js (no inline script)."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {"url": self.get_openapi_url(api, kwargs), "csrfToken": get_token(request)}
        return render(request, "api/docs.html", {"api": api, "swagger_settings": settings})


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
