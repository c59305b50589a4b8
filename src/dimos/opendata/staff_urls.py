"""The catalogue's back office, at /staff/data/."""

from django.urls import path

from dimos.opendata import staff_views

app_name = "opendata_staff"

urlpatterns = [
    path("", staff_views.home, name="home"),
    path("new/", staff_views.create, name="create"),
    path("refresh/", staff_views.refresh, name="refresh"),
    path("<uuid:pk>/", staff_views.detail, name="dataset"),
    path("<uuid:pk>/edit/", staff_views.edit, name="edit"),
    path("<uuid:pk>/state/", staff_views.change_state, name="state"),
    path("<uuid:pk>/history/", staff_views.history, name="history"),
    path("<uuid:pk>/resources/new/", staff_views.add_resource, name="add_resource"),
    path("<uuid:pk>/resources/<uuid:resource_id>/", staff_views.edit_resource, name="resource"),
    path(
        "<uuid:pk>/resources/<uuid:resource_id>/remove/",
        staff_views.remove_resource,
        name="remove_resource",
    ),
]
