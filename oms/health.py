"""Health checks for the load balancer and the orchestrator, answered without signing in.

Liveness (/health/live): the process answers; restart it if not. It never touches the database, so
a database outage does not restart every app server. Readiness (/health/ready, and /health): the
database answers a query; while it does not, take this server out of service (503).
"""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse

from oms.accounts.errors import DATABASE_UNAVAILABLE


def live_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def ready_view(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DATABASE_UNAVAILABLE:
        response = HttpResponse("database unavailable", content_type="text/plain", status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse("ok", content_type="text/plain")
