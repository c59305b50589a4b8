"""Appointment volumes per service centre and month (counts only; confidential counselling
left out), for the open-data catalogue."""

from __future__ import annotations

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from dimos.appointments.models import Booking
from dimos.core.registry import Table

COLUMNS = ("month", "centre", "centre_name", "booked", "served", "no_show", "cancelled")


def table() -> Table:
    counts = (
        Booking.objects.filter(service__is_confidential=False)
        .exclude(status__in=("held", "expired", "released"))
        .annotate(month=TruncMonth("starts_at"))
        .values("month", "centre_id", "centre__name_el")
        .annotate(
            booked=Count("pk"),
            served=Count("pk", filter=Q(status="served")),
            no_show=Count("pk", filter=Q(status="no_show")),
            cancelled=Count("pk", filter=Q(status="cancelled")),
        )
        .order_by("month", "centre__name_el")
    )
    rows = (
        [
            row["month"].strftime("%Y-%m"),
            row["centre_id"],
            row["centre__name_el"],
            row["booked"],
            row["served"],
            row["no_show"],
            row["cancelled"],
        ]
        for row in counts
    )
    return Table(columns=COLUMNS, rows=rows)
