from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "dimos.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from dimos.api.api import add_router
        from dimos.api.me import router
        from dimos.core import registry as r

        add_router("/", router)

        r.register_service(
            r.CatalogueEntry(
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
            )
        )
