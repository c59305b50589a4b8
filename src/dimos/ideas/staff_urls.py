"""The moderators' pages of the ideas app, at /staff/ideas/ (the manifest's ``staff_urls``)."""

from django.urls import path

from dimos.ideas import staff_views

app_name = "ideas_staff"

urlpatterns = [
    path("", staff_views.index, name="index"),
]
