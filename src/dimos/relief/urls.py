"""Relief's public pages, at /relief/ (the manifest's ``urls``)."""

from django.urls import path

from dimos.relief import views

app_name = "relief"

urlpatterns = [
    path("", views.start, name="start"),
    path("ask/", views.ask, name="ask"),
    path("mine/", views.mine, name="mine"),
    path("mine/<int:pk>/", views.detail, name="detail"),
]
