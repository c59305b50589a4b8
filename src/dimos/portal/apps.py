from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "dimos.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from dimos.api.api import add_router
        from dimos.core import registry as r
        from dimos.portal import selectors  # noqa: F401 - connects the home page cache clearing
        from dimos.portal.api import router

        add_router("/", router)

        r.register_service(
            r.CatalogueEntry(
                key="news",
                topic="municipality",
                name=_("News and announcements"),
                summary=_(
                    "What the municipality announces: news, emergencies, changes to services."
                ),
                audience=_("Everyone"),
                url_name="portal:news",
                online=True,
                order=10,
                keywords=_("news, announcements, emergency, press"),
            )
        )
        from dimos.portal.demo import seed_news

        r.register_demo_seeder(r.DemoSeeder(key="news", seed=seed_news, order=30))
        r.register_role(
            r.Role(
                key="news_editor",
                app_label="portal",
                name=_("News editor"),
                description=_("writes news and announcements and sets the emergency banner"),
                permissions=(
                    "portal.add_newsitem",
                    "portal.change_newsitem",
                    "portal.delete_newsitem",
                    "portal.view_newsitem",
                    "core.change_municipality",
                    "core.view_municipality",
                ),
            )
        )
