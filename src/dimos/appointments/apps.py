"""Appointments at citizen service centres (KEP) and confidential psychological support."""

from django.utils.translation import gettext_lazy as _

from dimos.core.manifest import (
    AccountPanel,
    ApiRouter,
    CatalogueEntry,
    CompletedTransaction,
    ConfidentialTarget,
    DemoSeeder,
    DimosAppConfig,
    Manifest,
    NotificationKind,
    OpenDataFile,
    OpenDataset,
    PersonalDataHandler,
    Role,
    StaffQueue,
    ref,
)


def _always(obj: object) -> bool:
    return True


class AppointmentsConfig(DimosAppConfig):
    name = "dimos.appointments"
    label = "appointments"
    verbose_name = _("Appointments")
    default_auto_field = "django.db.models.BigAutoField"
    manifest = Manifest(
        urls="dimos.appointments.urls",  # /appointments/
        staff_urls="dimos.appointments.staff_urls",  # /staff/appointments/
        api=ApiRouter("/appointments", "dimos.appointments.api.router"),
        conf="dimos.appointments.conf.conf",
        catalogue=(
            CatalogueEntry(
                key="book-appointment",
                topic="certificates",
                name=_("Book an appointment at a citizen service centre (KEP)"),
                summary=_(
                    "Choose the service, the centre and a free time: no queue, and a reminder "
                    "the day before."
                ),
                audience=_("Residents and businesses"),
                url_name="appointments:start",
                online=True,
                at_desk=True,
                order=20,
                keywords=_("KEP, appointment, booking, citizen service centre, queue"),
            ),
            CatalogueEntry(
                key="psychological-support",
                topic="health-welfare",
                name=_("Psychological support"),
                summary=_(
                    "Confidential sessions with a counsellor, in person, by phone or by video; "
                    "helplines for when you need someone now."
                ),
                audience=_("Everyone"),
                url_name="appointments:support",
                online=True,
                order=20,
                keywords=_("counselling, psychologist, mental health, helpline, support"),
            ),
        ),
        panels=(
            AccountPanel(
                key="appointments",
                title=_("My appointments"),
                template="appointments/panel.html",
                context=ref("dimos.appointments.panels.my_appointments_panel"),
                order=35,
            ),
        ),
        queues=(
            StaffQueue(
                key="appointments",
                title=_("KEP appointments"),
                description=_("Today's; overdue: those waiting."),
                url_name="appointments_staff:day",
                permission="appointments.view_booking",
                counts=ref("dimos.appointments.panels.queue_counts"),
                order=110,
            ),
            StaffQueue(
                key="counselling",
                title=_("Sessions"),
                description=_("Yours, and those you supervise."),
                url_name="appointments_staff:sessions",
                permission="appointments.counsel",
                counts=ref("dimos.appointments.panels.session_counts"),
                order=111,
            ),
        ),
        roles=(
            Role(
                key="kep_clerk",
                name=_("Service centre clerk"),
                description=_(
                    "sees the appointments at the centres, checks people in, books for callers"
                ),
                permissions=("appointments.view_booking", "appointments.change_booking"),
            ),
            Role(
                key="counsellor",
                name=_("Counsellor"),
                description=_("holds the confidential sessions assigned to them"),
                permissions=("appointments.counsel",),
            ),
            Role(
                key="counselling_supervisor",
                name=_("Counselling supervisor"),
                description=_("sees every session of the confidential services they supervise"),
                permissions=(
                    "appointments.counsel",
                    "appointments.supervise_counselling",
                    "core.view_confidential_audit",
                ),
            ),
        ),
        notification_kinds=tuple(
            NotificationKind(key=key, title=title, mandatory=True)
            for key, title in (
                ("appointments.confirmed", _("Appointment booked")),
                ("appointments.rescheduled", _("Appointment moved")),
                ("appointments.cancelled", _("Appointment cancelled")),
                ("appointments.reminder", _("Appointment reminder")),
            )
        ),
        transactions=(
            CompletedTransaction(
                key="appointments.booking",
                service="book-appointment",
                title=_("Book an appointment at a citizen service centre (KEP)"),
                figures=ref("dimos.appointments.performance.figures"),
                completions=ref("dimos.appointments.performance.completions"),
                order=30,
            ),
        ),
        personal_data=(
            PersonalDataHandler(
                key="appointments",
                export=ref("dimos.appointments.personal_data.export_for"),
                erase=ref("dimos.appointments.personal_data.erase_for"),
                models=(
                    "appointments.Booking",
                    "appointments.SessionNote",
                    "appointments.FeedToken",
                ),
                # Office contacts and staff assignments: nobody's personal data.
                keeps=("appointments.Centre", "appointments.ServiceType", "appointments.Desk"),
            ),
        ),
        # Who booked or opened a counselling session is for the supervisors' eyes only.
        confidential_targets=(
            ConfidentialTarget(
                key="appointments.booking", test=ref("dimos.appointments.services.is_confidential")
            ),
            ConfidentialTarget(key="appointments.sessionnote", test=_always),
            ConfidentialTarget(
                key="appointments.slot", test=ref("dimos.appointments.services.is_confidential")
            ),
        ),
        seeders=(
            DemoSeeder(
                key="appointments",
                seed=ref("dimos.appointments.demo.seed"),
                after=("accounts",),  # the demo clerk works at the centres
            ),
        ),
        open_data=(
            OpenDataset(
                key="appointment-volumes",
                title=_("Appointments per service centre and month"),
                description=_(
                    "How many appointments each service centre had each month: booked, served, "
                    "missed and cancelled. Confidential counselling sessions are left out. "
                    "Counts only. Refreshed daily."
                ),
                files=(
                    OpenDataFile(
                        key="csv",
                        name=_("Appointments per centre and month"),
                        format="CSV",
                        produce=ref("dimos.appointments.open_data.table"),
                    ),
                ),
                keywords=(_("appointments"), _("service centres")),
                theme="GOVE",
                frequency="DAILY",
                order=30,
            ),
        ),
        audit_sentences="dimos.appointments.audit_sentences.SENTENCES",
    )

    def ready(self) -> None:
        from dimos.appointments import slots

        super().ready()
        slots.connect_signals()
