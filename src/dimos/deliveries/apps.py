"""Deliveries at people's homes, reusable by any app (certificates now, relief later)."""

from django.utils.translation import gettext_lazy as _

from dimos.core.manifest import (
    CompletedTransaction,
    DimosAppConfig,
    Manifest,
    PersonalDataHandler,
    Role,
    StaffQueue,
    ref,
)


class DeliveriesConfig(DimosAppConfig):
    name = "dimos.deliveries"
    label = "deliveries"
    verbose_name = _("Deliveries at home")
    default_auto_field = "django.db.models.BigAutoField"
    manifest = Manifest(
        staff_urls="dimos.deliveries.staff_urls",  # /staff/deliveries/
        roles=(
            Role(
                key="delivery_staff",
                name=_("Home deliveries"),
                description=_("plans and carries out deliveries at people's homes"),
                permissions=("deliveries.view_delivery", "deliveries.change_delivery"),
            ),
        ),
        queues=(
            StaffQueue(
                key="deliveries",
                title=_("Deliveries at home"),
                description=_("Deliveries not yet completed; overdue if their day has passed."),
                url_name="deliveries:first_open",
                permission="deliveries.view_delivery",
                counts=ref("dimos.deliveries.selectors.queue_counts"),
                order=120,
            ),
        ),
        transactions=(
            CompletedTransaction(
                key="deliveries.delivery",
                service="home-delivery",
                title=_("Deliveries at home"),
                figures=ref("dimos.deliveries.performance.figures"),
                completions=ref("dimos.deliveries.performance.completions"),
                order=40,
            ),
        ),
        personal_data=(
            PersonalDataHandler(
                key="deliveries",
                export=ref("dimos.deliveries.personal_data.export_for"),
                erase=ref("dimos.deliveries.personal_data.erase_for"),
                models=("deliveries.Delivery",),
                # A run names only staff (its courier, who made it) and its deliveries.
                keeps=("deliveries.Run", "deliveries.RunStop"),
            ),
        ),
        conf="dimos.deliveries.conf.conf",
        audit_sentences="dimos.deliveries.audit_sentences.SENTENCES",
    )
