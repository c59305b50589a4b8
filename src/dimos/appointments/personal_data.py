"""What the appointments app holds about a person: their bookings and the notes on them.

Bookings made logged in, and those made without an account (by phone at the desk, say) with
the account's email or phone number, are the person's. Erasing the account cancels those
still to come and clears who booked, how to reach them and why, on every one of them; the
counsellor's notes on their sessions are deleted. The booking rows stay, anonymous, for the
centres' figures.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from dimos.appointments.models import Booking, FeedToken, SessionNote
from dimos.appointments.slots import availability_changed

if TYPE_CHECKING:
    from dimos.accounts.models import User


def _mine(user: User) -> Q:
    rule = Q(resident=user)
    if user.email:
        rule |= Q(resident__isnull=True, email__iexact=user.email)
    digits = re.sub(r"\D", "", user.phone or "")
    if len(digits) >= 10:
        rule |= Q(resident__isnull=True, person_key=f"phone:{digits[-10:]}")
    return rule


def export_for(user: User) -> dict[str, Any]:
    bookings = (
        Booking.objects.filter(_mine(user))
        .select_related("service", "centre")
        .prefetch_related("notes")
    )
    feed = FeedToken.objects.filter(user=user).first()
    return {
        "calendar_feed_link": (
            {"made": feed.created_at.isoformat(), "expires": feed.expires_at.isoformat()}
            if feed
            else None
        ),
        "bookings": [_booking(b) for b in bookings],
    }


def _booking(b: Booking) -> dict[str, Any]:
    return {
        "reference": b.reference,
        "service": str(b.service),
        "centre": str(b.centre),
        "starts_at": b.starts_at.isoformat(),
        "status": b.status,
        "booked": b.get_source_display(),
        "name": b.name,
        "email": b.email,
        "phone": b.phone,
        "reason": b.reason,
        "session_notes": [{"at": n.created_at.isoformat(), "text": n.text} for n in b.notes.all()],
    }


def erase_for(user: User) -> None:
    mine = Booking.objects.filter(_mine(user))
    now = timezone.now()
    mine.filter(status=Booking.Status.CONFIRMED, starts_at__gt=now).update(
        status=Booking.Status.CANCELLED, cancelled_at=now
    )
    mine.filter(status=Booking.Status.HELD).update(status=Booking.Status.RELEASED)
    availability_changed()
    SessionNote.objects.filter(booking__in=mine).delete()
    FeedToken.objects.filter(user=user).delete()
    # One key per booking: two of them (one made logged in, one at the desk) may share a day.
    erased_key = Concat(Value(f"erased:{user.pk}:"), Cast("pk", output_field=CharField()))
    mine.update(resident=None, name="", email="", phone="", reason="", person_key=erased_key)
