from django.urls import path

from oms.risk import views

app_name = "risk"
urlpatterns = [
    path("countersigning/", views.countersigning_queue_view, name="countersigning"),
    path("cases/<str:crn>/", views.case_risk_view, name="case"),
    path("cases/<str:crn>/<str:kind>/start/", views.start_view, name="start"),
    path("cases/<str:crn>/<str:kind>/<int:pk>/", views.document_view, name="document"),
    path("cases/<str:crn>/<str:kind>/<int:pk>/edit/", views.edit_view, name="edit"),
    path("cases/<str:crn>/<str:kind>/<int:pk>/countersign/", views.countersign_view, name="countersign"),
]
