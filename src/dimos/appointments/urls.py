"""URLs of the appointments app, mounted at the site root: each path carries its own prefix."""

from django.urls import URLPattern, URLResolver, include, path

from dimos.appointments import staff_views, views

staff_patterns = (
    [
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
    ],
    "appointments_staff",
)

public_patterns = [
    path("appointments/", views.start, name="start"),
    path("appointments/support/", views.support, name="support"),
    path("appointments/hold/", views.hold, name="hold"),
    path("appointments/confirm/<str:reference>/", views.confirm, name="confirm"),
    path("appointments/booking/<str:reference>/", views.manage, name="manage"),
    path("appointments/booking/<str:reference>/calendar.ics", views.booking_ics, name="ics"),
    path("appointments/booking/<str:reference>/cancel/", views.cancel, name="cancel"),
    path("appointments/booking/<str:reference>/move/", views.reschedule, name="reschedule"),
    path("appointments/book/<slug:service>/", views.choose_centre, name="centres"),
    path("appointments/book/<slug:service>/<slug:centre>/", views.calendar, name="calendar"),
    path("appointments/book/<slug:service>/<slug:centre>/<str:day>/", views.day, name="day"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include((public_patterns, "appointments"))),
    path("staff/appointments/", include(staff_patterns)),
]
