"""Open311 GeoReport v2 at /open311/v2/: every endpoint takes a .json or .xml suffix."""

from django.urls import URLPattern, path

from dimos.reports.open311 import views

app_name = "open311"

urlpatterns: list[URLPattern] = [
    path("discovery.<str:fmt>", views.discovery, name="discovery"),
    path("services.<str:fmt>", views.services, name="services"),
    path("services/<str:code>.<str:fmt>", views.service_definition, name="service"),
    path("requests.<str:fmt>", views.requests, name="requests"),
    path("requests/<str:request_id>.<str:fmt>", views.service_request, name="request"),
    path("tokens/<str:token>.<str:fmt>", views.token, name="token"),
    path("servicerequestupdates.<str:fmt>", views.request_updates, name="updates"),
    # Anything else under /open311/v2/ is an Open311 404, not the site's HTML page.
    path("<path:rest>", views.unknown, name="unknown"),
]
