"""Appointments at citizen service centres (KEP) and confidential psychological support."""

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def queue_counts(user: Any) -> Any:
    from django.utils import timezone

    from dimos.appointments.models import Booking
    from dimos.appointments.selectors import desk_bookings
    from dimos.core.registry import QueueCounts

    mine = desk_bookings(user).filter(day=timezone.localdate())  # the clerk's centres only
    today = mine.filter(status=Booking.Status.CONFIRMED)
    waiting = mine.filter(status=Booking.Status.CHECKED_IN)
    return QueueCounts(open=today.count() + waiting.count(), overdue=waiting.count())


def session_counts(user: Any) -> Any:
    from dimos.appointments.selectors import sessions_for
    from dimos.core.registry import QueueCounts

    return QueueCounts(open=sessions_for(user).filter(status="confirmed").count())


def my_appointments_panel(request: Any) -> dict[str, Any]:
    from dimos.appointments.selectors import upcoming_of

    return {"bookings": upcoming_of(request.user)[:5]}


class AppointmentsConfig(AppConfig):
    name = "dimos.appointments"
    label = "appointments"
    verbose_name = _("Appointments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dimos.api.api import add_router
        from dimos.appointments import demo, services, slots
        from dimos.appointments.api import router
        from dimos.core import registry as r

        add_router("/appointments", router)
        slots.connect_signals()

        r.register_service(
            r.CatalogueEntry(
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
            )
        )
        r.register_service(
            r.CatalogueEntry(
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
            )
        )
        r.register_panel(
            r.AccountPanel(
                key="appointments",
                title=_("My appointments"),
                template="appointments/panel.html",
                context=my_appointments_panel,
                order=35,
            )
        )
        r.register_queue(
            r.StaffQueue(
                key="appointments",
                title=_("KEP appointments"),
                description=_("Today's; overdue: those waiting."),
                url_name="appointments_staff:day",
                permission="appointments.view_booking",
                counts=queue_counts,
                order=110,
            )
        )
        r.register_queue(
            r.StaffQueue(
                key="counselling",
                title=_("Sessions"),
                description=_("Yours, and those you supervise."),
                url_name="appointments_staff:sessions",
                permission="appointments.counsel",
                counts=session_counts,
                order=111,
            )
        )
        r.register_role(
            r.Role(
                key="kep_clerk",
                app_label="appointments",
                name=_("Service centre clerk"),
                description=_(
                    "sees the appointments at the centres, checks people in, books for callers"
                ),
                permissions=("appointments.view_booking", "appointments.change_booking"),
            )
        )
        r.register_role(
            r.Role(
                key="counsellor",
                app_label="appointments",
                name=_("Counsellor"),
                description=_("holds the confidential sessions assigned to them"),
                permissions=("appointments.counsel",),
            )
        )
        r.register_role(
            r.Role(
                key="counselling_supervisor",
                app_label="appointments",
                name=_("Counselling supervisor"),
                description=_("sees every session of the confidential services they supervise"),
                permissions=(
                    "appointments.counsel",
                    "appointments.supervise_counselling",
                    "core.view_confidential_audit",
                ),
            )
        )
        for key, title in (
            ("appointments.confirmed", _("Appointment booked")),
            ("appointments.rescheduled", _("Appointment moved")),
            ("appointments.cancelled", _("Appointment cancelled")),
            ("appointments.reminder", _("Appointment reminder")),
        ):
            r.register_notification_kind(r.NotificationKind(key=key, title=title, mandatory=True))
        from dimos.appointments import personal_data

        r.register_personal_data(
            r.PersonalDataHandler(
                key="appointments",
                export=personal_data.export_for,
                erase=personal_data.erase_for,
                models=personal_data.MODELS,
                keeps=personal_data.KEEPS,
            )
        )
        r.register_demo_seeder(r.DemoSeeder(key="appointments", seed=demo.seed, order=60))
        from dimos.appointments import audit_sentences

        r.register_audit_sentences(audit_sentences.SENTENCES)
        # Who booked or opened a counselling session is for the supervisors' eyes only.
        r.register_confidential_target(
            r.ConfidentialTarget(key="appointments.booking", test=services.is_confidential)
        )
        r.register_confidential_target(
            r.ConfidentialTarget(key="appointments.sessionnote", test=lambda note: True)
        )
        r.register_confidential_target(
            r.ConfidentialTarget(key="appointments.slot", test=services.is_confidential)
        )
