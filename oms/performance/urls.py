from django.urls import path

from oms.performance import views

app_name = "performance"
urlpatterns = [
    path("", views.performance_view, name="dashboard"),
    path("charts/<slug:key>.svg", views.chart_view, name="chart"),
    path("continuity/", views.continuity_view, name="continuity"),
    path("workforce/", views.workforce_view, name="workforce"),
    path("serious-further-offences/", views.sfo_register_view, name="sfo_register"),
    path("serious-further-offences/new/", views.sfo_new_view, name="sfo_new"),
    path("serious-further-offences/<int:sfo_id>/review/", views.sfo_review_view, name="sfo_review"),
    path("risks/", views.risk_register_view, name="risk_register"),
    path("risks/new/", views.risk_edit_view, name="risk_new"),
    path("risks/<int:risk_id>/", views.risk_edit_view, name="risk_edit"),
    path("risks/actions/<int:action_id>/done/", views.risk_action_done_view, name="risk_action_done"),
]
