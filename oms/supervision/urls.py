from django.urls import path

from oms.supervision import views

app_name = "supervision"
urlpatterns = [
    path("calendar/", views.calendar_view, name="calendar"),
    path("reception/", views.reception_view, name="reception"),
    path("cases/<str:crn>/appointments/new/", views.book_appointment_view, name="book"),
    path("cases/<str:crn>/contacts/new/", views.record_contact_view, name="record-contact"),
    path("cases/<str:crn>/timeline/", views.timeline_view, name="timeline"),
    path("cases/<str:crn>/recall/new/", views.recommend_recall_view, name="recommend-recall"),
    path("cases/<str:crn>/reminders/", views.reminder_preference_view, name="reminders"),
    path("contacts/<int:pk>/", views.contact_view, name="contact"),
    path("contacts/<int:pk>/enforce/", views.enforce_contact_view, name="enforce"),
    path("not-enforceable/", views.not_enforceable_view, name="not-enforceable"),
    path(
        "contacts/<int:pk>/not-enforceable/approve/",
        views.approve_not_enforceable_view,
        name="approve-not-enforceable",
    ),
    path("warnings/<int:pk>/letter/", views.warning_letter_view, name="warning-letter"),
    path("warnings/<int:pk>/letter.pdf", views.warning_letter_pdf_view, name="warning-letter-pdf"),
    path("breaches/<int:pk>/", views.breach_view, name="breach"),
    path("recalls/<int:pk>/", views.recall_view, name="recall"),
]
