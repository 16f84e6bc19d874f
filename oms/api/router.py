"""The public API under /api/v1/: one router module per app, the same permissions as the pages."""

from ninja import NinjaAPI
from ninja.security import SessionAuth

from oms.api.cases import router as cases_router

api = NinjaAPI(
    title="OMS API",
    version="1",
    description="Offender management: cases, events and requirements. Every call is checked against the caller's right to the case and recorded.",
    auth=SessionAuth(),
    urls_namespace="api",
)
api.add_router("/cases", cases_router)
