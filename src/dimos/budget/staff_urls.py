"""The budget officers' back office, at /staff/budget/ (the manifest's ``staff_urls``)."""

from django.urls import path

from dimos.budget import staff_views

app_name = "budget_staff"

urlpatterns = [
    path("", staff_views.home, name="home"),
]
