from django.urls import path

from oms.performance import views

app_name = "performance"
urlpatterns = [
    path("", views.performance_view, name="dashboard"),
    path("recalculate/", views.recalculate_view, name="recalculate"),
    path("national/", views.national_view, name="national"),
    path("national/weights/", views.national_weights_view, name="national_weights"),
    path("charts/<slug:key>.svg", views.chart_view, name="chart"),
    path("continuity/", views.continuity_view, name="continuity"),
    path("workforce/", views.workforce_view, name="workforce"),
    path("workforce/<int:staff_id>/sickness/", views.sickness_absence_view, name="workforce_sickness"),
    path(
        "workforce/<int:staff_id>/supervision/", views.supervision_session_view, name="workforce_supervision"
    ),
    path("workforce/<int:staff_id>/appraisal/", views.appraisal_view, name="workforce_appraisal"),
    path("workforce/<int:staff_id>/training-need/", views.training_need_view, name="workforce_training_need"),
    path(
        "workforce/<int:staff_id>/training-completed/",
        views.training_completed_view,
        name="workforce_training_completed",
    ),
    path("serious-further-offences/", views.sfo_register_view, name="sfo_register"),
    path("serious-further-offences/new/", views.sfo_new_view, name="sfo_new"),
    path("serious-further-offences/<int:sfo_id>/review/", views.sfo_review_view, name="sfo_review"),
    path("risks/", views.risk_register_view, name="risk_register"),
    path("risks/new/", views.risk_edit_view, name="risk_new"),
    path("risks/<int:risk_id>/", views.risk_edit_view, name="risk_edit"),
    path("risks/actions/<int:action_id>/done/", views.risk_action_done_view, name="risk_action_done"),
]
