"""Reads for other apps and for the staff pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from dimos.deliveries.models import OPEN_DELIVERY_STATUSES, Delivery, Run, RunStop

# ``district`` argument meaning "the deliveries without a district".
NO_DISTRICT = "none"


def deliveries_for(*, source: str, reference: str) -> QuerySet[Delivery]:
    return Delivery.objects.filter(source=source, reference=reference).order_by("-date", "-pk")


def day_list(*, day: dt.date, assigned_to: Any = None) -> QuerySet[Delivery]:
    deliveries = Delivery.objects.filter(date=day).select_related("assigned_to", "district")
    if assigned_to is not None:
        deliveries = deliveries.filter(assigned_to=assigned_to)
    return deliveries.order_by("window_start", "address", "pk")


def first_open_day() -> dt.date | None:
    """The earliest day with a delivery still to be made (an overdue one first), if any."""
    first = (
        Delivery.objects.filter(status__in=OPEN_DELIVERY_STATUSES)
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
    return first


def queue_counts(user: Any) -> Any:
    from dimos.core.registry import QueueCounts

    open_ = Delivery.objects.filter(status__in=OPEN_DELIVERY_STATUSES)
    overdue = open_.filter(date__lt=timezone.localdate())
    return QueueCounts(open=open_.count(), overdue=overdue.count())


def runs_of(day: dt.date) -> QuerySet[Run]:
    return (
        Run.objects.filter(date=day)
        .select_related("district", "courier")
        .annotate(stop_count=Count("stops"))
        .order_by("district__name_el", "pk")
    )


def run_of(delivery_ids: list[int]) -> dict[int, int]:
    """Delivery id → the id of the run it is on, for those on one."""
    return dict(
        RunStop.objects.filter(delivery_id__in=delivery_ids).values_list("delivery_id", "run_id")
    )


def unbatched(*, day: dt.date, district: Any = None) -> QuerySet[Delivery]:
    """The day's deliveries still to make that are on no run; of one district (a District,
    :data:`NO_DISTRICT` for those without one, ``None`` for all)."""
    deliveries = (
        Delivery.objects.filter(date=day, status__in=OPEN_DELIVERY_STATUSES)
        .exclude(pk__in=RunStop.objects.values("delivery_id"))
        .select_related("district", "assigned_to")
    )
    if district == NO_DISTRICT:
        deliveries = deliveries.filter(district__isnull=True)
    elif district is not None:
        deliveries = deliveries.filter(district=district)
    return deliveries.order_by("window_start", "pk")


def stops_of(run: Run) -> list[Delivery]:
    """The run's deliveries in the order of the way."""
    stops = run.stops.select_related(
        "delivery", "delivery__district", "delivery__assigned_to"
    ).order_by("position")
    return [stop.delivery for stop in stops]
