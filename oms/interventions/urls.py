from django.urls import path

from oms.interventions import views

app_name = "interventions"
urlpatterns = [
    path("", views.interventions_list_view, name="list"),
    path("cases/<str:crn>/", views.case_interventions_view, name="case"),
    path("cases/<str:crn>/record/<slug:action>/", views.case_action_view, name="record"),
]
