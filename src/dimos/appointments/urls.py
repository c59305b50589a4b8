"""The residents' pages of appointments, at /appointments/ (the manifest's ``urls``)."""

from django.urls import path

from dimos.appointments import views

app_name = "appointments"

urlpatterns = [
    path("", views.start, name="start"),
    path("support/", views.support, name="support"),
    path("hold/", views.hold, name="hold"),
    path("confirm/<str:reference>/", views.confirm, name="confirm"),
    path("booking/<str:reference>/", views.manage, name="manage"),
    path("booking/<str:reference>/calendar.ics", views.booking_ics, name="ics"),
    path("booking/<str:reference>/cancel/", views.cancel, name="cancel"),
    path("booking/<str:reference>/move/", views.reschedule, name="reschedule"),
    path("book/<slug:service>/", views.choose_centre, name="centres"),
    path("book/<slug:service>/<slug:centre>/", views.calendar, name="calendar"),
    path("book/<slug:service>/<slug:centre>/<str:day>/", views.day, name="day"),
]
