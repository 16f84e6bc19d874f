"""The public API under /api/v1/: one router module per app, the same permissions as the pages."""

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from ninja import NinjaAPI
from ninja.security import SessionAuth

from oms.accounts.rate_limits import PerTokenThrottle
from oms.accounts.tokens import TokenAuth
from oms.api.cases import router as cases_router
from oms.api.docs import Reference, signed_in_only
from oms.api.errors import install_error_handlers

# Every operation can answer with these; the handlers raise them (ninja's HttpError, its validation
# and auth), so they are added to the published document rather than declared route by route.
ERROR_BODY = {"type": "object", "properties": {"detail": {}}, "required": ["detail"]}
ERROR_STATUSES = {
    400: "The request body is not JSON this API can read",
    401: "No or bad credentials",
    403: "No right to this object, or a read-only token",
    404: "No such object",
    422: "The request's data breaks a rule; detail names the field",
    413: "The request is too large",
    429: "Too many requests for this token",
    503: "The database cannot be reached: try again later",
}
WRITE_ERROR_STATUSES = {409: "Someone else saved this record first: reload and try again"}


class OmsApi(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for path in schema["paths"].values():
            for method, operation in path.items():
                statuses = ERROR_STATUSES | (WRITE_ERROR_STATUSES if method != "get" else {})
                responses = operation.setdefault("responses", {})
                for status, meaning in statuses.items():
                    if status not in responses and str(status) not in responses:
                        responses[status] = {
                            "description": meaning,
                            "content": {"application/json": {"schema": ERROR_BODY}},
                        }
        return schema


api = OmsApi(
    title="OMS API",
    version="1",
    description=(
        "Offender management. Authenticate with a session or a personal API token "
        "(Authorization: Bearer oms_...; create one at /accounts/api-tokens/). Every call is checked against "
        "the caller's right to the case and recorded."
    ),
    auth=[TokenAuth(), SessionAuth()],
    # Per token (or signed-in user) rate limit, counted exactly in the shared database (every server).
    throttle=[PerTokenThrottle()],
    urls_namespace="api",
    docs=Reference(),
    docs_decorator=signed_in_only,
)
install_error_handlers(api)
api.add_router("/cases", cases_router)


# Each app's API lives in oms/api/<app>.py with a `router` and a `PREFIX`; added here when present.
for _app in (
    "risk",
    "tiering",
    "planning",
    "supervision",
    "interventions",
    "courts",
    "victims",
    "standards",
    "performance",
    "inspection",
    "tokens",
):
    if find_spec(f"oms.api.{_app}") is not None:
        _module = import_module(f"oms.api.{_app}")
        api.add_router(_module.PREFIX, _module.router)
