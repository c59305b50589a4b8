"""The volunteers' public pages, at /volunteers/ (the manifest's ``urls``)."""

from django.urls import path

from dimos.volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("", views.start, name="start"),
    path("apply/", views.apply, name="apply"),
    path("me/", views.me, name="me"),
    path("me/details/", views.profile, name="profile"),
    path("me/hours/", views.hours, name="hours"),
    path("me/conduct/", views.conduct, name="conduct"),
    path("me/<slug:action>/", views.step, name="step"),
]
