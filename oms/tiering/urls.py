from django.urls import path

from oms.tiering import views

app_name = "tiering"
urlpatterns = [
    path("allocation/", views.allocation_queue_view, name="allocation"),
    path("allocation/outside-grade-rules/", views.grade_exceptions_view, name="grade-exceptions"),
    path("workload/", views.workload_view, name="workload"),
    path("workload/<int:staff_id>/allocate/", views.allocate_to_officer_view, name="allocate-to"),
    path("allocation/<str:crn>/", views.allocate_view, name="allocate"),
    path("cases/<str:crn>/", views.case_tier_view, name="case"),
    path("cases/<str:crn>/sign-off/", views.override_sign_off_view, name="sign-off"),
]
