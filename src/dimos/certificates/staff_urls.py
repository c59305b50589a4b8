"""The back office of certificates, at /staff/certificates/ (the manifest's ``staff_urls``)."""

from django.urls import path

from dimos.certificates import staff_views

app_name = "certificates_staff"

urlpatterns = [
    path("", staff_views.queue, name="queue"),
    path("new/", staff_views.phone_request, name="phone"),
    path("totals/", staff_views.totals, name="totals"),
    path("documents/<str:code>/pdf/", staff_views.document_pdf, name="document_pdf"),
    path(
        "documents/<str:code>/revoke/",
        staff_views.document_act,
        {"action": "revoke"},
        name="revoke",
    ),
    path(
        "documents/<str:code>/retry/", staff_views.document_act, {"action": "retry"}, name="retry"
    ),
    path("<int:pk>/", staff_views.detail, name="detail"),
    path("<int:pk>/files/<int:attachment_pk>/", staff_views.attachment, name="attachment"),
    path("<int:pk>/<slug:action>/", staff_views.act, name="act"),
]
