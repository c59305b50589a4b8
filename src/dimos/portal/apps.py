from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dimos.core.manifest import (
    ApiRouter,
    CatalogueEntry,
    DemoSeeder,
    DimosAppConfig,
    Manifest,
    PersonalDataHandler,
    Role,
    ref,
)


class PortalConfig(DimosAppConfig):
    name = "dimos.portal"
    label = "portal"
    verbose_name = _("Portal")
    manifest = Manifest(
        urls="dimos.portal.urls",
        url_prefix="",  # the home page, the catalogue, news, /my/ and /staff/
        api=ApiRouter("/", "dimos.portal.api.router"),
        catalogue=(
            CatalogueEntry(
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
            ),
        ),
        seeders=(DemoSeeder(key="news", seed=ref("dimos.portal.demo.seed_news")),),
        audit_sentences="dimos.portal.audit_sentences.SENTENCES",
        personal_data=(
            PersonalDataHandler(
                key="portal",
                export=ref("dimos.portal.personal_data.export_for"),
                erase=ref("dimos.portal.personal_data.erase_for"),
                # The emergency switches record staff work: kept, pointing at the stub.
                keeps=("portal.Emergency",),
            ),
        ),
        roles=(
            Role(
                key="emergency_admin",
                name=_("Emergency administrator"),
                description=_(
                    "switches the stay-at-home emergency on and off: the home page's banner "
                    "and the services listed first"
                ),
                permissions=("portal.switch_emergency",),
                superuser_only=True,
            ),
            Role(
                key="news_editor",
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
            ),
        ),
    )

    def ready(self) -> None:
        super().ready()
        from dimos.portal import selectors  # noqa: F401 - connects the home page cache clearing
