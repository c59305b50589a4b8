"""The organisers' pages of activities, at /staff/activities/ (the manifest's ``staff_urls``)."""

from django.urls import path

from dimos.activities import staff_views

app_name = "activities_staff"

urlpatterns = [
    path("", staff_views.programme_list, name="list"),
    path("new/", staff_views.programme_new, name="new"),
    path("check-in/", staff_views.check_in, name="check_in"),
    path("check-in/<str:code>/", staff_views.check_in, name="check_in_code"),
    path("<int:pk>/", staff_views.programme_detail, name="detail"),
    path("<int:pk>/edit/", staff_views.programme_edit, name="edit"),
    path("<int:pk>/export.csv", staff_views.export, name="export"),
    path("<int:pk>/sessions/<int:session_pk>/", staff_views.attendance, name="attendance"),
    path(
        "<int:pk>/sessions/<int:session_pk>/<slug:action>/",
        staff_views.session_action,
        name="session_action",
    ),
    path("<int:pk>/<slug:action>/", staff_views.programme_action, name="act"),
]
