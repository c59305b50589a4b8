"""The Advocate's back office, at /staff/advocate/ (the manifest's ``staff_urls``)."""

from django.urls import path

from dimos.advocate import staff_views

app_name = "advocate_staff"

urlpatterns = [
    path("", staff_views.queue, name="queue"),
    path("new/", staff_views.file_for, name="file"),
    path("report/<int:year>/", staff_views.report_edit, name="report"),
    path("service/", staff_views.service_requests, name="service_requests"),
    path("service/<int:pk>/", staff_views.service_request, name="service_request"),
    path(
        "service/<int:pk>/documents/<int:document_pk>/",
        staff_views.service_document,
        name="service_document",
    ),
    path("<int:pk>/", staff_views.detail, name="detail"),
    path("<int:pk>/answer.pdf", staff_views.answer_pdf, name="answer_pdf"),
    path("<int:pk>/documents/<int:document_pk>/", staff_views.document, name="document"),
    path("<int:pk>/<slug:action>/", staff_views.act, name="act"),
]
