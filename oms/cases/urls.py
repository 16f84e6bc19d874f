from django.urls import path

from oms.cases import import_views, views

app_name = "cases"
urlpatterns = [
    path("", views.case_list_view, name="list"),
    path("register/", views.register_case_view, name="register"),
    path("import/", import_views.import_view, name="import"),
    path("<str:crn>/", views.case_detail_view, name="detail"),
    path("<str:crn>/events/new/", views.add_event_view, name="add-event"),
    path("<str:crn>/events/<int:number>/end/", views.terminate_event_view, name="terminate-event"),
    path("<str:crn>/allocate/", views.allocate_view, name="allocate"),
    path("<str:crn>/transfer-out/", views.transfer_out_view, name="transfer-out"),
    path("<str:crn>/personal-details/", views.edit_personal_details_view, name="edit"),
    path("<str:crn>/access-log/", views.access_log_view, name="access-log"),
    # Last: the sections of the case page (risk, sentence-plan, ...), after every fixed path above.
    path("<str:crn>/<slug:section>/", views.case_section_view, name="section"),
]
