"""The CKAN Action API without its version (``/api/action/<name>``), as ``ckanapi`` calls it."""

from django.urls import path

from dimos.opendata.ckan import views

app_name = "opendata_ckan_short"

urlpatterns = [
    path("action/<str:name>", views.action, name="action"),
]
