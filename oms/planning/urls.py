from django.urls import path

from oms.planning import views

app_name = "planning"
urlpatterns = [
    path("cases/<str:crn>/", views.case_plans_view, name="case"),
    path("cases/<str:crn>/start/", views.start_view, name="start"),
    path("cases/<str:crn>/<int:pk>/", views.plan_view, name="plan"),
    path("cases/<str:crn>/<int:pk>/edit/", views.edit_view, name="edit"),
    path("cases/<str:crn>/<int:pk>/countersign/", views.countersign_view, name="countersign"),
    path(
        "cases/<str:crn>/<int:pk>/objectives/<int:objective_pk>/progress/",
        views.progress_view,
        name="progress",
    ),
    path("cases/<str:crn>/<int:pk>/print/", views.print_view, name="print"),
    path("cases/<str:crn>/<int:pk>/print.pdf", views.print_pdf_view, name="print-pdf"),
]
