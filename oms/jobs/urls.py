from django.urls import path

from oms.jobs import views

app_name = "jobs"
urlpatterns = [path("<str:task_id>/", views.job_view, name="job")]
