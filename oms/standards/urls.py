from django.urls import path

from oms.standards import views

app_name = "standards"
urlpatterns = [
    path("actions/", views.actions_view, name="actions"),
    path("actions/bring-up-to-date/", views.sweep_area_view, name="sweep-area"),
    path("enforcement/", views.enforcement_tracker_view, name="enforcement"),
]
