from django.urls import path

from oms.courts import views

app_name = "courts"
urlpatterns = [
    path("", views.court_report_list_view, name="list"),
    path("cases/<str:crn>/request/", views.request_report_view, name="request"),
    path("reports/<int:report_id>/", views.report_view, name="report"),
    path("reports/<int:report_id>/allocate/", views.allocate_view, name="allocate"),
    path("reports/<int:report_id>/write/", views.write_view, name="write"),
    path("reports/<int:report_id>/deliver/", views.deliver_view, name="deliver"),
    path("reports/<int:report_id>/outcome/", views.outcome_view, name="outcome"),
]
