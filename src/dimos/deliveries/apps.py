"""Deliveries at people's homes, reusable by any app (certificates now, relief later)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveriesConfig(AppConfig):
    name = "dimos.deliveries"
    label = "deliveries"
    verbose_name = _("Deliveries at home")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dimos.core import registry as r
        from dimos.deliveries.selectors import queue_counts

        r.register_role(
            r.Role(
                key="delivery_staff",
                app_label="deliveries",
                name=_("Home deliveries"),
                description=_("plans and carries out deliveries at people's homes"),
                permissions=("deliveries.view_delivery", "deliveries.change_delivery"),
            )
        )
        r.register_queue(
            r.StaffQueue(
                key="deliveries",
                title=_("Deliveries at home"),
                description=_("Deliveries not yet completed; overdue if their day has passed."),
                url_name="deliveries:first_open",
                permission="deliveries.view_delivery",
                counts=queue_counts,
                order=120,
            )
        )
        from dimos.deliveries import audit_sentences, personal_data

        r.register_personal_data(
            r.PersonalDataHandler(
                key="deliveries",
                export=personal_data.export_for,
                erase=personal_data.erase_for,
                models=personal_data.MODELS,
            )
        )

        r.register_audit_sentences(audit_sentences.SENTENCES)
