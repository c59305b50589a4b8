"""What appointments contributes to "My account" and the staff home."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from dimos.appointments.models import Booking
from dimos.appointments.selectors import desk_bookings, sessions_for, upcoming_of
from dimos.core.registry import QueueCounts


def queue_counts(user: Any) -> QueueCounts:
    mine = desk_bookings(user).filter(day=timezone.localdate())  # the clerk's centres only
    today = mine.filter(status=Booking.Status.CONFIRMED)
    waiting = mine.filter(status=Booking.Status.CHECKED_IN)
    return QueueCounts(open=today.count() + waiting.count(), overdue=waiting.count())


def session_counts(user: Any) -> QueueCounts:
    return QueueCounts(open=sessions_for(user).filter(status="confirmed").count())


def my_appointments_panel(request: Any) -> dict[str, Any]:
    return {"bookings": upcoming_of(request.user)[:5]}
