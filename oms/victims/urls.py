from django.urls import path

from oms.victims import views

app_name = "victims"
urlpatterns = [
    path("", views.victim_list_view, name="list"),
    path("cases/<str:crn>/", views.case_victims_view, name="case"),
    path("cases/<str:crn>/record/<slug:action>/", views.case_action_view, name="record"),
]
