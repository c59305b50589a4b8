"""The URL map: each app brings its own ``urls.py``."""

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from dimos.api.api import api

admin.site.site_header = "Dimos"
admin.site.site_title = "Dimos"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("dimos.portal.urls")),
    path("", include("dimos.accounts.urls")),
    path("", include("dimos.core.urls")),
    path("reports/", include("dimos.reports.urls")),
    path("staff/reports/", include("dimos.reports.urls_staff")),
    path("", include("dimos.certificates.urls")),
    path("", include("dimos.deliveries.urls")),
    path("", include("dimos.appointments.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("open311/v2/", include("dimos.reports.urls_open311")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from dimos.core.views import media

    urlpatterns += [path("media/<path:path>", media)]

handler403 = "dimos.portal.views.error_403"
handler404 = "dimos.portal.views.error_404"
handler500 = "dimos.portal.views.error_500"
