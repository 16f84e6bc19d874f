"""The public API under /api/v1/: one router module per app, the same permissions as the pages."""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from ninja import NinjaAPI
from ninja.security import SessionAuth
from ninja.throttling import AuthRateThrottle

from oms.accounts.tokens import TokenAuth
from oms.api.cases import router as cases_router

api = NinjaAPI(
    title="OMS API",
    version="1",
    description=(
        "Offender management. Authenticate with a session or a personal API token "
        "(Authorization: Bearer oms_...; create one at /accounts/api-tokens/). Every call is checked against "
        "the caller's right to the case and recorded."
    ),
    auth=[TokenAuth(), SessionAuth()],
    # Per token (or signed-in user) rate limit, counted in the shared cache so it holds across servers.
    throttle=[AuthRateThrottle(settings.OMS_API_RATE)],
    urls_namespace="api",
)
api.add_router("/cases", cases_router)

# Each app's API lives in oms/api/<app>.py with a `router` and a `PREFIX`; added here when present.
for _app in (
    "risk",
    "tiering",
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
