from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "dimos.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from dimos.api.api import add_router
        from dimos.core import registry as r
        from dimos.core.api import router

        add_router("/", router)
        from dimos.core.panels import notifications_panel, register_core_checks

        for key, title, order in (
            ("getting-started", _("Getting started"), 10),
            ("certificates", _("Certificates and documents"), 20),
            ("city", _("Living in the city"), 30),
            ("health-welfare", _("Health and welfare"), 40),
            ("education", _("Education and children"), 50),
            ("participation", _("Participation and transparency"), 60),
            ("municipality", _("The municipality"), 70),
        ):
            r.register_topic(r.Topic(key=key, title=title, order=order))

        r.register_panel(
            r.AccountPanel(
                key="notifications",
                title=_("Notifications"),
                template="core/panels/notifications.html",
                context=notifications_panel,
                order=20,
            )
        )
        r.register_role(
            r.Role(
                key="auditor",
                app_label="core",
                name=_("Auditor"),
                description=_("reads the audit log"),
                permissions=("core.view_auditentry",),
                superuser_only=True,
            )
        )
        r.register_role(
            r.Role(
                key="platform_operator",
                app_label="core",
                name=_("Platform operator"),
                description=_(
                    "watches notification deliveries and background work, retries failed sends"
                ),
                permissions=("core.view_delivery", "core.change_delivery", "core.view_taskworker"),
                superuser_only=True,
            )
        )
        from dimos.core.panels import delivery_queue_counts, operations_queue_counts

        r.register_queue(
            r.StaffQueue(
                key="failed-deliveries",
                title=_("Failed notifications"),
                description=_("Emails and SMS that could not be sent after every retry."),
                url_name="core:deliveries",
                permission="core.change_delivery",
                counts=delivery_queue_counts,
                order=900,
            )
        )
        r.register_queue(
            r.StaffQueue(
                key="background-work",
                title=_("Background work"),
                description=_("Tasks and notifications that are late: a worker may be down."),
                url_name="core:operations",
                permission="core.view_taskworker",
                counts=operations_queue_counts,
                order=910,
            )
        )
        register_core_checks()
        from dimos.core import personal_data

        personal_data.register_checks()
        r.register_personal_data(
            r.PersonalDataHandler(
                key="notifications",
                app_label="core",
                export=personal_data.export_notifications,
                erase=personal_data.erase_notifications,
                models=personal_data.MODELS,
                keeps=personal_data.KEEPS,
            )
        )
        from dimos.core import demo

        r.register_demo_seeder(
            r.DemoSeeder(key="municipality", seed=demo.seed_municipality, order=10)
        )
        from dimos.core import audit_sentences

        r.register_audit_sentences(audit_sentences.SENTENCES)
