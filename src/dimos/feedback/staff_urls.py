"""The back office of feedback, at /staff/feedback/ (the manifest's ``staff_urls``)."""

from django.urls import path

from dimos.feedback import staff_views

app_name = "feedback_staff"

urlpatterns = [
    path("", staff_views.queue, name="queue"),
    path("<slug:kind>/<int:pk>/", staff_views.detail, name="detail"),
]
