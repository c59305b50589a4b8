"""The residents' pages of certificates, at the root: /certificates/… and /verify/…."""

from django.urls import path

from dimos.certificates import views

app_name = "certificates"

urlpatterns = [
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
