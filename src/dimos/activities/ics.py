"""The public iCalendar (RFC 5545) feed of sessions: all programmes, or one.

Each session is one event with a stable ``UID``, so a subscribed calendar updates a moved
session and marks a cancelled one ``STATUS:CANCELLED``. The session link is never in the
feed (it is for the people registered): the event's URL is the programme's public page.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from dimos.activities.models import ProgrammeStatus, Session

PRODID = "-//Dimos//Activities//EL"


def _host() -> str:
    return settings.SITE_URL.split("://")[-1].split("/")[0] or "dimos"


def _event(session: Session) -> Event:
    programme = session.programme
    event = Event()
    event.add("uid", f"activities-session-{session.pk}@{_host()}")
    event.add("dtstamp", programme.updated_at)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", str(programme.title))
    cancelled = session.cancelled or programme.status == ProgrammeStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("url", settings.SITE_URL + programme.get_absolute_url())
    if programme.in_person:
        place = ", ".join(p for p in (programme.place_name, programme.address) if p)
        if place:
            event.add("location", place)
        if programme.lat is not None and programme.lon is not None:
            event.add("geo", (programme.lat, programme.lon))
    elif programme.online:
        event.add("location", _("Online"))
    description = [programme.organiser_name]
    if session.note:
        description.append(session.note)
    event.add("description", "\n\n".join(description))
    return event


def response(sessions: Iterable[Session]) -> HttpResponse:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("Lessons, activities and events"))
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for session in sessions:
        cal.add_component(_event(session))
    answer = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    answer["Content-Disposition"] = 'inline; filename="activities.ics"'
    return answer
