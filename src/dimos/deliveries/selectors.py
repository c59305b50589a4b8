"""Reads for other apps and for the staff pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from dimos.deliveries.models import OPEN_DELIVERY_STATUSES, Delivery


def deliveries_for(*, source: str, reference: str) -> QuerySet[Delivery]:
    return Delivery.objects.filter(source=source, reference=reference).order_by("-date", "-pk")


def day_list(*, day: dt.date, assigned_to: Any = None) -> QuerySet[Delivery]:
    deliveries = Delivery.objects.filter(date=day).select_related("assigned_to")
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
