"""The open budget's public pages, at /budget/ (the manifest's ``urls``)."""

from django.urls import path

from dimos.budget import views

app_name = "budget"

urlpatterns = [
    path("", views.index, name="index"),
]
