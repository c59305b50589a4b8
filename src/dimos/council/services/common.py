"""What the secretariat's services share: the refusal, the audit and the timeline, who sits
in a body, and how members and followers are told."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from dimos.core import audit
from dimos.core.notifications import notify
from dimos.core.workflow import Refused
from dimos.council import signals
from dimos.council.models import (
    Meeting,
    MeetingEvent,
    MeetingState,
    Membership,
    Organization,
    Person,
)

if TYPE_CHECKING:
    pass

CHANGE = "council.change_meeting"


class CouncilError(Refused):
    """What a meeting's state (or the input) does not allow; shown to the secretary.

    ``field`` names the form field the refusal is about, when there is one (the page shows
    the message next to it)."""

    def __init__(self, message: Any, code: str = "", field: str = "") -> None:
        super().__init__(message, code)
        self.field = field or code


def _actor(actor: Any) -> Any:
    return actor if actor is not None and actor.pk else None


def public_url(meeting: Meeting) -> str:
    """The meeting's public page (the council's front page while that page is not mounted)."""
    try:
        return meeting.get_absolute_url()
    except NoReverseMatch:
        return reverse("council:index")


def _when(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "j E Y, H:i")


def _event(meeting: Meeting, action: str, *, actor: Any, note: str = "") -> MeetingEvent:
    return MeetingEvent.objects.create(
        meeting=meeting,
        actor=_actor(actor),
        action=action,
        from_state=meeting.state,
        to_state=meeting.state,
        note=note,
    )


def _audit(action: str, *, actor: Any, target: Any, request: Any, **details: Any) -> None:
    audit.record(
        action=f"council.{action}",
        actor=actor,
        target=target,
        request=request,
        details=details or None,
    )


# How the history on the workspace names each step (MeetingEvent.action).
EVENT_LABELS = {
    "prepare": _("Prepared"),
    "invite": _("Invitation published"),
    "republish": _("Changed agenda published"),
    "hold": _("Held"),
    "cancel": _("Cancelled"),
    "move": _("Moved"),
    "recording": _("Recording set"),
    "minutes": _("Minutes published"),
}


# --- Who sits in a body ------------------------------------------------------------------------


def members_of(organization: Organization, day: date) -> QuerySet[Membership]:
    """The memberships of a body current on ``day`` (one row per person)."""
    return (
        Membership.objects.live()
        .filter(organization=organization, start_date__lte=day, person__deleted=False)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("person", "on_behalf_of")
        .order_by("person__family_name", "person__given_name", "pk")
    )


def meeting_members(meeting: Meeting, *, voting: bool = False) -> list[Person]:
    """The people who sit in the meeting's body on its day (with a vote, if ``voting``)."""
    rows = members_of(meeting.organization, timezone.localdate(meeting.start))
    if voting:
        rows = rows.filter(voting_right=True)
    seen: dict[int, Person] = {}
    for membership in rows:
        seen.setdefault(membership.person_id, membership.person)
    return list(seen.values())


def _tell_members(meeting: Meeting, change: str = "") -> None:
    """Tell the body's members with an account (an invitation, a move, a cancellation)."""
    for person in meeting_members(meeting):
        if person.user is not None and person.user.is_active:
            notify(
                kind="council.invitation",
                recipient=person.user,
                context={"meeting": meeting, "person": person, "change": change},
                url=public_url(meeting),
            )


def _publish_later(meeting: Meeting, *, changed: bool) -> None:
    """Send ``agenda_published`` once the write is committed (a rolled-back one tells nobody)."""
    pk = meeting.pk

    def send() -> None:
        fresh = Meeting.objects.select_related("organization").get(pk=pk)
        signals.agenda_published.send(sender=Meeting, meeting=fresh, changed=changed)

    transaction.on_commit(send)


def _not_closed(meeting: Meeting) -> None:
    if meeting.state in (MeetingState.HELD, MeetingState.CANCELLED):
        raise CouncilError(
            _("This cannot be done: the meeting is “%(state)s”.")
            % {"state": meeting.get_state_display()},
            code="state",
        )
