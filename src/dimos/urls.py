"""The URL map: every installed app's mounts, as its manifest declares them (ADR 0023).

Adding an app adds nothing here: its ``urls``, ``staff_urls``, API router and other mounts
come from ``dimos.core.manifest.app_urlpatterns()``, in ``INSTALLED_APPS`` order. Below them,
the mounts of the libraries the platform is built on.
"""

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from dimos.core.manifest import app_urlpatterns

admin.site.site_header = "Dimos"
admin.site.site_title = "Dimos"

urlpatterns: list[URLPattern | URLResolver] = [
    *app_urlpatterns(),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from dimos.core.views import media

    urlpatterns += [path("media/<path:path>", media)]

handler400 = "dimos.portal.views.error_400"
handler403 = "dimos.portal.views.error_403"
handler404 = "dimos.portal.views.error_404"
handler500 = "dimos.portal.views.error_500"
