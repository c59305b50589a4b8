"""DCAT-AP at the root, where ckanext-dcat puts it, and CKAN's ``/api/3``."""

from django.urls import path, re_path

from dimos.opendata import dcat_views
from dimos.opendata.ckan import views as ckan_views

app_name = "opendata_dcat"

urlpatterns = [
    re_path(r"^catalog\.(?P<fmt>ttl|rdf|jsonld)$", dcat_views.catalogue, name="catalogue"),
    re_path(
        r"^dataset/(?P<name>[A-Za-z0-9_-]{2,100})\.(?P<fmt>ttl|rdf|jsonld)$",
        dcat_views.dataset,
        name="dataset",
    ),
    # The datasets' URIs in the DCAT-AP output resolve to their pages.
    path("dataset/<uuid:pk>", dcat_views.dataset_uri, name="dataset_uri"),
    path("api/3", ckan_views.version, name="version"),
]
