"""Open data: a dataset catalogue with CKAN's Action API and DCAT-AP 3, fed by the platform's
own services through the registry (ADR 0026)."""

from django.utils.translation import gettext_lazy as _

from dimos.core.manifest import (
    CatalogueEntry,
    DemoSeeder,
    DimosAppConfig,
    Manifest,
    Mount,
    PersonalDataHandler,
    Role,
    StaffQueue,
    ref,
)


class OpenDataConfig(DimosAppConfig):
    name = "dimos.opendata"
    label = "opendata"
    verbose_name = _("Open data")
    default_auto_field = "django.db.models.BigAutoField"
    manifest = Manifest(
        urls="dimos.opendata.urls",  # /data/
        url_prefix="data/",
        staff_urls="dimos.opendata.staff_urls",  # /staff/data/
        staff_prefix="data",
        mounts=(
            Mount("api/3/", "dimos.opendata.ckan.urls"),  # CKAN Action API
            Mount("api/", "dimos.opendata.ckan.urls_short"),  # as ckanapi calls it
            Mount("", "dimos.opendata.dcat_urls"),  # /catalog.ttl, /dataset/<name>.ttl, /api/3
        ),
        conf="dimos.opendata.conf.conf",
        catalogue=(
            CatalogueEntry(
                key="open-data",
                topic="participation",
                name=_("Open data"),
                summary=_(
                    "The municipality's datasets to preview, filter and download, with an API "
                    "that CKAN clients and European data portals read."
                ),
                audience=_("Everyone: developers, journalists, researchers"),
                url_name="opendata:index",
                online=True,
                order=40,
                keywords=_("open data, datasets, CSV, API, CKAN, DCAT, download, statistics"),
            ),
        ),
        queues=(
            StaffQueue(
                key="opendata",
                title=_("Datasets to finish"),
                description=_("Drafts, and files that could not be loaded as tables."),
                url_name="opendata_staff:home",
                permission="opendata.publish_dataset",
                counts=ref("dimos.opendata.panels.queue_counts"),
                order=500,
            ),
        ),
        roles=(
            Role(
                key="open_data_publisher",
                name=_("Open data publisher"),
                description=_("publishes and edits the datasets of the open-data catalogue"),
                permissions=(
                    "opendata.publish_dataset",
                    "opendata.view_dataset",
                    "opendata.add_dataset",
                    "opendata.change_dataset",
                    "opendata.add_resource",
                    "opendata.change_resource",
                    "opendata.delete_resource",
                ),
            ),
        ),
        personal_data=(
            PersonalDataHandler(
                key="opendata",
                export=ref("dimos.opendata.personal_data.export_for"),
                erase=ref("dimos.opendata.personal_data.erase_for"),
                # Public data and its history: the staff who changed a dataset are named as the
                # authors of their work; contacts are the office's, not a person's.
                keeps=(
                    "opendata.DatasetChange",
                    "opendata.Dataset",
                    "opendata.Organization",
                    "opendata.Group",
                    "opendata.Tag",
                    "opendata.Resource",
                ),
            ),
        ),
        seeders=(
            DemoSeeder(
                key="opendata",
                seed=ref("dimos.opendata.demo.seed"),
                after=("municipality", "accounts"),
            ),
        ),
        audit_sentences="dimos.opendata.audit_sentences.SENTENCES",
    )
