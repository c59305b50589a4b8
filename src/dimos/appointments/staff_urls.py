"""The desk and the counsellors' pages, at /staff/appointments/ (the manifest's ``staff_urls``)."""

from django.urls import path

from dimos.appointments import staff_views

app_name = "appointments_staff"

urlpatterns = [
    path("", staff_views.day_view, name="day"),
    path("booking/<int:pk>/<str:action>/", staff_views.booking_action, name="action"),
    path("slot/<int:pk>/block/", staff_views.block_slot, name="block_slot"),
    path("block-day/<slug:centre>/<str:day>/", staff_views.block_day, name="block_day"),
    path("caller/", staff_views.caller, name="caller"),
    path("feed/", staff_views.feed_link, name="feed_link"),
    path("feed/<str:token>.ics", staff_views.feed, name="feed"),
    path("sessions/", staff_views.sessions, name="sessions"),
    path("sessions/<int:pk>/", staff_views.session, name="session"),
    path("sessions/times/", staff_views.counselling_times, name="counselling_times"),
]
