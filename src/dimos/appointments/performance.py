"""The appointments' figures for the published service performance (a
``CompletedTransaction``). Confidential counselling is never counted or rated."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Q

from dimos.appointments.models import Booking
from dimos.core.monthly import monthly_figures
from dimos.core.registry import Completion, MonthFigures


def figures(since: dt.date) -> list[MonthFigures]:
    """Appointments booked per month, and those served, with the days from booking to it."""
    return monthly_figures(
        Booking.objects.filter(service__is_confidential=False, status__in=Booking.BOOKED),
        since,
        started="created_at",
        completed="finished_at",
        done=Q(status=Booking.Status.SERVED),
        online=~Q(source=Booking.Source.PHONE),
    )


def completions(since: dt.date) -> Iterator[Completion]:
    """The appointments served since ``since`` (never counselling), as completed
    transactions."""
    rows = Booking.objects.filter(
        service__is_confidential=False,
        status=Booking.Status.SERVED,
        finished_at__date__gte=since,
    ).select_related("resident")
    for booking in rows.iterator():
        yield Completion(
            kind="appointments.booking",
            object_id=str(booking.pk),
            service="book-appointment",
            user=booking.resident,
            email=booking.email,
            online=booking.source != Booking.Source.PHONE,
            started_at=booking.created_at,
            completed_at=booking.finished_at,
        )
