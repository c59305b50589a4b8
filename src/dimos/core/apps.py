from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dimos.core.manifest import (
    AccountPanel,
    ApiRouter,
    Check,
    DemoSeeder,
    DimosAppConfig,
    Manifest,
    PersonalDataHandler,
    Role,
    StaffQueue,
    Topic,
    ref,
)


class CoreConfig(DimosAppConfig):
    name = "dimos.core"
    label = "core"
    verbose_name = _("Platform")
    manifest = Manifest(
        urls="dimos.core.urls",
        url_prefix="",  # geocoding and the platform's staff pages (audit log, operations)
        api=ApiRouter("/", "dimos.core.api.router"),
        topics=(
            Topic(key="getting-started", title=_("Getting started"), order=10),
            Topic(key="certificates", title=_("Certificates and documents"), order=20),
            Topic(key="city", title=_("Living in the city"), order=30),
            Topic(key="health-welfare", title=_("Health and welfare"), order=40),
            Topic(key="education", title=_("Education and children"), order=50),
            Topic(key="participation", title=_("Participation and transparency"), order=60),
            Topic(key="municipality", title=_("The municipality"), order=70),
        ),
        panels=(
            AccountPanel(
                key="notifications",
                title=_("Notifications"),
                template="core/panels/notifications.html",
                context=ref("dimos.core.panels.notifications_panel"),
                order=20,
            ),
        ),
        roles=(
            Role(
                key="auditor",
                name=_("Auditor"),
                description=_("reads the audit log"),
                permissions=("core.view_auditentry",),
                superuser_only=True,
            ),
            Role(
                key="platform_operator",
                name=_("Platform operator"),
                description=_(
                    "watches notification deliveries and background work, retries failed sends"
                ),
                permissions=("core.view_delivery", "core.change_delivery", "core.view_taskworker"),
                superuser_only=True,
            ),
        ),
        queues=(
            StaffQueue(
                key="failed-deliveries",
                title=_("Failed notifications"),
                description=_("Emails and SMS that could not be sent after every retry."),
                url_name="core:deliveries",
                permission="core.change_delivery",
                counts=ref("dimos.core.panels.delivery_queue_counts"),
                order=900,
            ),
            StaffQueue(
                key="background-work",
                title=_("Background work"),
                description=_("Tasks and notifications that are late: a worker may be down."),
                url_name="core:operations",
                permission="core.view_taskworker",
                counts=ref("dimos.core.panels.operations_queue_counts"),
                order=910,
            ),
        ),
        personal_data=(
            PersonalDataHandler(
                key="notifications",
                export=ref("dimos.core.personal_data.export_notifications"),
                erase=ref("dimos.core.personal_data.erase_notifications"),
                models=("core.Notification", "core.NotificationAttachment", "core.Delivery"),
                # The municipality's own contacts; audit entries point at the account's
                # anonymous stub and name it when read (ADR 0005): the account's export lists
                # them as the person's activity.
                keeps=("core.Municipality", "core.AuditEntry"),
            ),
        ),
        seeders=(DemoSeeder(key="municipality", seed=ref("dimos.core.demo.seed_municipality")),),
        audit_sentences="dimos.core.audit_sentences.SENTENCES",
        checks=(
            Check("dimos.core.checks.production_mode", tags=("security",), deploy=True),
            Check("dimos.core.checks.production_email", tags=("security",)),
            Check("dimos.core.checks.legacy_private_dir"),
            Check("dimos.core.personal_data.check_declared"),
        ),
    )

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from dimos.core.fulltext import ensure_all

        super().ready()
        # A table that a later migration rebuilds (SQLite's way to alter one) loses the triggers
        # of its full-text index: the indexes are made whole again after every migrate.
        post_migrate.connect(ensure_all, sender=self, dispatch_uid="dimos-fulltext")
