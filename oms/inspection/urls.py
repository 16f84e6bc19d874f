from django.urls import path

from oms.inspection import views

app_name = "inspection"
urlpatterns = [
    path("", views.inspection_list_view, name="list"),
    path("new/", views.inspection_create_view, name="create"),
    path("programme/", views.programme_view, name="programme"),
    path("self-assessment/new/", views.self_assessment_create_view, name="create-self-assessment"),
    path("<int:pk>/", views.inspection_detail_view, name="detail"),
    path("<int:pk>/team/", views.team_member_add_view, name="team-add"),
    path("<int:pk>/sample/", views.sample_view, name="sample"),
    path("<int:pk>/status/", views.status_view, name="status"),
    path("<int:pk>/summary/", views.summary_view, name="summary"),
    path("<int:pk>/recommendations/new/", views.recommendation_add_view, name="recommendation-add"),
    path("<int:pk>/ratings/<str:criterion_id>/", views.rating_view, name="rating"),
    path("<int:pk>/questionnaires/<str:kind>/", views.questionnaire_view, name="questionnaire"),
    path("<int:pk>/report-text/<str:criterion_id>/", views.report_text_view, name="report-text"),
    path("<int:pk>/report.<str:extension>", views.report_view, name="report"),
    path("<int:pk>/report-pdf/<int:file_id>/", views.report_pdf_file_view, name="report-pdf-file"),
    path("<int:pk>/report/v<int:number>.<str:extension>", views.report_version_view, name="report-version"),
    path("<int:pk>/corrections/new/", views.correction_view, name="correction"),
    path("<int:pk>/plan/new/", views.action_add_view, name="action-add"),
    path("<int:pk>/plan/<int:action_id>/", views.action_update_view, name="action-update"),
    path("<int:pk>/cases/<str:crn>/", views.assessment_view, name="assess"),
    path(
        "<int:pk>/cases/<str:crn>/criteria/<str:criterion_id>/",
        views.criterion_view,
        name="assess-criterion",
    ),
    path("<int:pk>/cases/<str:crn>/interview/", views.interview_view, name="interview"),
]
