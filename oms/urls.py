from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from oms.accounts.views import api_tokens_view, home_view, revoke_api_token_view
from oms.api.router import api
from oms.health import live_view, ready_view

handler400 = "oms.accounts.errors.bad_request_view"
handler403 = "oms.accounts.errors.permission_denied_view"
handler404 = "oms.accounts.errors.not_found_view"
handler500 = "oms.accounts.errors.server_error_view"

admin.site.site_header = "OMS reference data"
admin.site.site_title = "OMS"

urlpatterns = [
    path("", home_view, name="home"),
    # /health is readiness: a probe that knows only one address is told when the database is down.
    path("health", ready_view, name="health"),
    path("health/live", live_view, name="health-live"),
    path("health/ready", ready_view, name="health-ready"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/api-tokens/", api_tokens_view, name="api-tokens"),
    path("accounts/api-tokens/<int:token_id>/revoke/", revoke_api_token_view, name="api-token-revoke"),
    path("cases/", include("oms.cases.urls")),
    path("risk/", include("oms.risk.urls")),
    path("tiering/", include("oms.tiering.urls")),
    path("planning/", include("oms.planning.urls")),
    path("supervision/", include("oms.supervision.urls")),
    path("interventions/", include("oms.interventions.urls")),
    path("courts/", include("oms.courts.urls")),
    path("victims/", include("oms.victims.urls")),
    path("standards/", include("oms.standards.urls")),
    path("performance/", include("oms.performance.urls")),
    path("outcomes/", include("oms.outcomes.urls")),
    path("inspection/", include("oms.inspection.urls")),
    path("jobs/", include("oms.jobs.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
