from django.urls import path

from oms.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("", views.area_outcomes_view, name="area"),
    path("cases/<str:crn>/<str:kind>/", views.record_view, name="record"),
]
