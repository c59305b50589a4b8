"""The council's public pages, at /council/ (the manifest's ``urls``)."""

from django.urls import path

from dimos.council import views

app_name = "council"

urlpatterns = [
    path("", views.index, name="index"),
]
