"""Relief: food and medicine brought home to people who must stay there (issue 12)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dimos.core.manifest import (
    AccountPanel,
    ApiRouter,
    CatalogueEntry,
    DemoSeeder,
    DimosAppConfig,
    Manifest,
    NotificationKind,
    PersonalDataHandler,
    Role,
    StaffQueue,
    ref,
)


class ReliefConfig(DimosAppConfig):
    name = "dimos.relief"
    label = "relief"
    verbose_name = _("Help at home")
    default_auto_field = "django.db.models.BigAutoField"
    manifest = Manifest(
        urls="dimos.relief.urls",  # /relief/
        staff_urls="dimos.relief.staff_urls",  # /staff/relief/
        api=ApiRouter("/relief", "dimos.relief.api.router"),
        conf="dimos.relief.conf.conf",
        catalogue=(
            CatalogueEntry(
                key="relief",
                topic="health-welfare",
                name=_("Food and medicine at home"),
                summary=_(
                    "For people who must stay home: a food parcel, shopping or medicine from "
                    "the pharmacy, brought to the door. Ask for yourself or for someone else."
                ),
                audience=_("People who must stay home, their relatives and neighbours"),
                url_name="relief:start",
                online=True,
                order=10,
                emergency=True,
                keywords=_(
                    "help, food, medicine, pharmacy, shopping, stay at home, quarantine, "
                    "elderly, relief, delivery"
                ),
            ),
        ),
        panels=(
            AccountPanel(
                key="relief",
                title=_("Help at home"),
                template="relief/panel.html",
                context=ref("dimos.relief.panels.my_panel"),
                order=65,
            ),
        ),
        queues=(
            StaffQueue(
                key="relief",
                title=_("Requests for help at home"),
                description=_("Requests not scheduled yet; overdue once their day has come."),
                url_name="relief_staff:board",
                permission="relief.view_reliefrequest",
                counts=ref("dimos.relief.panels.queue_counts"),
                order=110,
            ),
        ),
        roles=(
            Role(
                key="relief_coordinator",
                name=_("Relief coordinator"),
                description=_(
                    "takes the helpline's calls, triages and schedules requests for help at "
                    "home, sees the beneficiaries' data"
                ),
                permissions=(
                    "relief.view_reliefrequest",
                    "relief.change_reliefrequest",
                    "relief.view_beneficiary",
                    "relief.change_beneficiary",
                    "deliveries.view_delivery",
                    "deliveries.change_delivery",
                ),
            ),
        ),
        notification_kinds=(
            NotificationKind(key="relief.received", title=_("Your request for help was received")),
            NotificationKind(key="relief.updated", title=_("News about your request for help")),
            NotificationKind(key="relief.code", title=_("The code for your delivery")),
            NotificationKind(
                key="relief.code_alert", title=_("A courier entered wrong codes too many times")
            ),
            NotificationKind(key="relief.task_assigned", title=_("A coordinator gave you a task")),
            NotificationKind(key="relief.task_reminder", title=_("A reminder of your task")),
            NotificationKind(
                key="relief.task_withdrawn", title=_("A task you held was given to another courier")
            ),
            NotificationKind(
                key="relief.task_handed_back", title=_("A volunteer handed a task back")
            ),
            NotificationKind(
                key="relief.task_unassigned", title=_("A task for today has no one yet")
            ),
        ),
        personal_data=(
            PersonalDataHandler(
                key="relief",
                export=ref("dimos.relief.personal_data.export_for"),
                erase=ref("dimos.relief.personal_data.erase_for"),
                models=(
                    "relief.Beneficiary",
                    "relief.ReliefRequest",
                    "relief.Need",
                    "relief.RequestEvent",
                    "relief.TaskClaim",
                    "relief.Recurrence",
                ),
                files=ref("dimos.relief.personal_data.files_for"),
            ),
        ),
        seeders=(
            DemoSeeder(
                key="relief",
                seed=ref("dimos.relief.demo.seed"),
                after=("municipality", "accounts"),
            ),
            DemoSeeder(
                key="relief-tasks",
                seed=ref("dimos.relief.demo.seed_tasks"),
                after=("relief", "volunteers"),
            ),
        ),
        audit_sentences="dimos.relief.audit_sentences.SENTENCES",
    )

    def ready(self) -> None:
        from dimos.deliveries.services import register_source
        from dimos.relief import services, volunteering
        from dimos.volunteers import task_pages

        super().ready()
        # The day sheet links each visit to its code form; a beneficiary's name, address and
        # phone are seen only by coordinators and that delivery's courier, every view audited.
        register_source(
            services.SOURCE,
            listener=services.delivery_changed,
            completion_url=_visit_url,
            private_to="relief.view_beneficiary",
        )
        task_pages.register(volunteering.TASK_PAGE)  # linked from the volunteer's page


def _visit_url(delivery: Any) -> str:
    reference = str(delivery.reference)
    return reverse("relief_staff:visit", args=[int(reference)]) if reference.isdigit() else ""
