"""The CKAN Action API (mounted at api/3/ and api/)."""

from django.urls import path

from dimos.opendata.ckan import views

app_name = "opendata_ckan"

urlpatterns = [
    path("action/<str:name>", views.action, name="action"),
]
