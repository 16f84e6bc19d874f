from django.urls import path

from oms.standards import views

app_name = "standards"
urlpatterns = [
    path("actions/", views.actions_view, name="actions"),
    path("enforcement/", views.enforcement_tracker_view, name="enforcement"),
]
