"""iCalendar (RFC 5545) feeds of council meetings: one per body and one for all bodies.

Each meeting is one event whose ``UID`` is fixed by its id, so a calendar that subscribed to
the feed updates the event when the meeting moves and marks it ``STATUS:CANCELLED`` when it is
cancelled, instead of adding a second one. ``SEQUENCE`` grows with every change (the seconds
since the meeting was created to its last change), as RFC 5545 asks of an updated event.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from dimos.council.models import Meeting

PRODID = "-//Dimos//Council//EL"


def _host() -> str:
    return settings.SITE_URL.split("://")[-1].split("/")[0] or "dimos"


def uid(meeting: Meeting) -> str:
    """The event's stable id: the same for the meeting whatever changes."""
    return f"council-meeting-{meeting.pk}@{_host()}"


def summary(meeting: Meeting) -> str:
    return _("%(body)s: meeting %(number)s/%(year)s") % {
        "body": meeting.organization.name,
        "number": meeting.number,
        "year": meeting.year,
    }


def _event(meeting: Meeting) -> Event:
    event = Event()
    event.add("uid", uid(meeting))
    event.add("dtstamp", meeting.modified)
    event.add("last-modified", meeting.modified)
    event.add("created", meeting.created)
    event.add("sequence", max(0, int((meeting.modified - meeting.created).total_seconds())))
    event.add("dtstart", meeting.start)
    event.add("dtend", meeting.end)
    event.add("summary", summary(meeting))
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    event.add("url", settings.SITE_URL + meeting.get_absolute_url())
    if meeting.location is not None:
        place = meeting.location
        event.add(
            "location",
            ", ".join(
                part for part in (str(place.description), place.room, place.street_address) if part
            ),
        )
        if place.lat is not None and place.lon is not None:
            event.add("geo", (place.lat, place.lon))
    lines = [str(meeting.title)] if meeting.title else []
    if meeting.cancelled:
        lines.append(_("Cancelled: %(reason)s") % {"reason": meeting.cancel_reason})
    if lines:
        event.add("description", "\n\n".join(lines))
    return event


def feed(meetings: Iterable[Meeting], name: str) -> bytes:
    """A calendar of meetings (``meetings`` with their body and place selected)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for meeting in meetings:
        cal.add_component(_event(meeting))
    return cal.to_ical()  # type: ignore[no-any-return]


def response(body: bytes, name: str) -> HttpResponse:
    """The feed as a download a calendar application subscribes to."""
    answer = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    answer["Content-Disposition"] = f'inline; filename="{name}.ics"'
    return answer
