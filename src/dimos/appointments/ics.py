"""iCalendar (RFC 5545) files: one booking's invitation, and the staff calendar feeds."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from dimos.appointments.conf import conf
from dimos.appointments.models import Booking

PRODID = "-//Dimos//Appointments//EL"


def _calendar(method: str = "") -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    return cal


def _uid(booking: Booking) -> str:
    host = settings.SITE_URL.split("://")[-1].split("/")[0] or "dimos"
    return f"appointment-{booking.reference}@{host}"


def _event(booking: Booking, *, for_staff: bool, status: str = "CONFIRMED") -> Event:
    event = Event()
    event.add("uid", _uid(booking))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", booking.starts_at)
    event.add("dtend", booking.slot.ends_at)
    event.add("sequence", booking.ics_sequence)
    event.add("status", status)
    confidential = booking.service.is_confidential
    if for_staff:
        # Staff calendars live on phones and shared devices: initials and a reference only,
        # never the reason, and nothing at all for a confidential session.
        summary = (
            _("Confidential session %(ref)s") % {"ref": booking.reference}
            if confidential
            else f"{booking.service.name} · {booking.reference}"
        )
    else:
        summary = _("Appointment") if confidential else str(booking.service.name)
        event.add(
            "url", settings.SITE_URL + reverse("appointments:manage", args=[booking.reference])
        )
        event.add(
            "description",
            _("Reference: %(ref)s") % {"ref": booking.reference}
            + (f"\n\n{booking.service.documents}" if booking.service.documents else ""),
        )
    event.add("summary", summary)
    if booking.service.mode == "in_person":
        event.add("location", f"{booking.centre.name}, {booking.centre.address}")
        event.add("geo", (booking.centre.lat, booking.centre.lon))
    return event


def booking_calendar(booking: Booking, method: str = "REQUEST") -> bytes:
    """The ``.ics`` sent with a confirmation (REQUEST) or a cancellation (CANCEL)."""
    language = (booking.resident.preferred_language if booking.resident else "") or None
    with translation.override(language or settings.LANGUAGE_CODE):
        cal = _calendar(method if method in {"REQUEST", "CANCEL"} else "PUBLISH")
        event = _event(
            booking, for_staff=False, status="CANCELLED" if method == "CANCEL" else "CONFIRMED"
        )
        if booking.status == Booking.Status.CONFIRMED and method != "CANCEL":
            # A reminder the evening before, in the person's own calendar as well.
            from icalendar import Alarm

            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", _("Appointment tomorrow"))
            alarm.add("trigger", timedelta(hours=-conf.REMINDER_HOURS))
            event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()  # type: ignore[no-any-return]


def feed(bookings: Iterable[Booking], name: str) -> bytes:
    """A calendar of bookings for staff (subscribed to by URL)."""
    cal = _calendar()
    cal.add("x-wr-calname", name)
    for booking in bookings:
        cal.add_component(_event(booking, for_staff=True))
    return cal.to_ical()  # type: ignore[no-any-return]
