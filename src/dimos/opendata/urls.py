"""The catalogue's public pages, at /data/."""

from django.urls import path

from dimos.opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:name>/", views.dataset, name="dataset"),
    path("<slug:name>/resource/<uuid:resource_id>/", views.resource, name="resource"),
    path(
        "<slug:name>/resource/<uuid:resource_id>/rows.<str:fmt>",
        views.rows_export,
        name="rows",
    ),
    path(
        "<slug:name>/resource/<uuid:resource_id>/download/<str:filename>",
        views.download,
        name="download",
    ),
]
