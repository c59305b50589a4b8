"""The back office of volunteers, at /staff/volunteers/ (the manifest's ``staff_urls``)."""

from django.urls import path

from dimos.volunteers import staff_views

app_name = "volunteers_staff"

urlpatterns = [
    path("", staff_views.queue, name="queue"),
    path("figures/", staff_views.figures, name="figures"),
    path("<int:pk>/", staff_views.detail, name="detail"),
    path("<int:pk>/documents/<int:document_pk>/", staff_views.document, name="document"),
    path("<int:pk>/<slug:action>/", staff_views.act, name="act"),
]
