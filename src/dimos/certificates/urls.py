"""URLs of the certificates app, mounted at the site root: each path carries its own prefix."""

from django.urls import URLPattern, URLResolver, include, path

from dimos.certificates import staff_views, views

resident: list[URLPattern] = [
    path("certificates/", views.start, name="start"),
    path("certificates/new/<slug:code>/", views.new_request, name="new"),
    path("certificates/my/", views.my_requests, name="mine"),
    path("certificates/<int:pk>/", views.detail, name="detail"),
    path("certificates/<int:pk>/reply/", views.reply, name="reply"),
    path("certificates/<int:pk>/files/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("certificates/<int:pk>/pdf/<str:code>/", views.download, name="download"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify_code, name="verify_code"),
]

staff: list[URLPattern] = [
    path("", staff_views.queue, name="queue"),
    path("new/", staff_views.phone_request, name="phone"),
    path("totals/", staff_views.totals, name="totals"),
    path("documents/<str:code>/pdf/", staff_views.document_pdf, name="document_pdf"),
    path("documents/<str:code>/revoke/", staff_views.revoke, name="revoke"),
    path("documents/<str:code>/retry/", staff_views.retry, name="retry"),
    path("<int:pk>/", staff_views.detail, name="detail"),
    path("<int:pk>/files/<int:attachment_pk>/", staff_views.attachment, name="attachment"),
    path("<int:pk>/<slug:action>/", staff_views.act, name="act"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include((resident, "certificates"))),
    path("staff/certificates/", include((staff, "certificates_staff"))),
]
