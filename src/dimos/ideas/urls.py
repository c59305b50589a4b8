"""The public pages of the ideas app, at /ideas/ (the manifest's ``urls``)."""

from django.urls import path

from dimos.ideas import views

app_name = "ideas"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("<slug:slug>/", views.competition, name="competition"),
]
