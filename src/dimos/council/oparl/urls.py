"""The OParl 1.1 API, at /oparl/v1/ (the manifest's mount); docs/api.md, "OParl"."""

from django.urls import URLPattern, path

from dimos.council.oparl import views

app_name = "oparl"

urlpatterns: list[URLPattern] = [
    path("", views.system, name="system"),
    path("body/", views.bodies, name="bodies"),
    path("body/<int:pk>/", views.body, name="body"),
    path("body/<int:pk>/<str:kind>/", views.body_list, name="body_list"),
    path("organization/<int:pk>/meeting/", views.organization_meetings, name="org_meetings"),
    path("file/<int:pk>/access/", views.file_access, name="file_access"),
    path("file/<int:pk>/download/", views.file_download, name="file_download"),
    *(path(f"{kind}/<int:pk>/", views.detail, {"kind": kind}, name=kind) for kind in views.KINDS),
    # Anything else under /oparl/v1/ is OParl's 404 (JSON), not the site's HTML page.
    path("<path:rest>", views.unknown, name="unknown"),
]
