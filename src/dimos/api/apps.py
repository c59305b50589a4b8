from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dimos.core.manifest import ApiRouter, CatalogueEntry, DimosAppConfig, Manifest, Mount


class ApiConfig(DimosAppConfig):
    name = "dimos.api"
    label = "api"
    verbose_name = _("API")
    manifest = Manifest(
        # The NinjaAPI with every app's router (registered by their manifests' ``api``).
        mounts=(Mount("api/v1/", "dimos.api.urls"),),
        # The person's own data (/me…): the layer above accounts, whose services it calls.
        api=ApiRouter("/", "dimos.api.me.router"),
        catalogue=(
            CatalogueEntry(
                key="open-api",
                topic="participation",
                name=_("Open API for developers"),
                summary=_(
                    "The municipality's data and services through a documented REST API "
                    "(OpenAPI 3.1), free to reuse."
                ),
                audience=_("Developers, journalists and researchers"),
                url_name="api-1.0.0:openapi-view",
                online=True,
                order=90,
                keywords=_("API, open data, developers, OpenAPI, REST"),
            ),
        ),
    )
