"""The council secretariat's back office, at /staff/council/ (the manifest's ``staff_urls``)."""

from django.urls import path

from dimos.council import staff_views

app_name = "council_staff"

urlpatterns = [
    path("", staff_views.home, name="home"),
]
