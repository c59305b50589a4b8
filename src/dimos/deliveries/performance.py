"""The deliveries' figures for the published service performance (a ``CompletedTransaction``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Q

from dimos.core.monthly import monthly_figures
from dimos.core.registry import Completion, MonthFigures
from dimos.deliveries.models import Delivery, DeliveryStatus


def figures(since: dt.date) -> list[MonthFigures]:
    """Deliveries planned per month, and those delivered, with the days they took."""
    return monthly_figures(
        Delivery.objects.all(),
        since,
        started="created_at",
        completed="completed_at",
        done=Q(status=DeliveryStatus.DELIVERED),
        online=Q(pk__isnull=False),
    )


def completions(since: dt.date) -> Iterator[Completion]:
    """The deliveries done since ``since``, as completed transactions."""
    rows = Delivery.objects.filter(
        status=DeliveryStatus.DELIVERED, completed_at__date__gte=since
    ).select_related("person")
    for delivery in rows.iterator():
        yield Completion(
            kind="deliveries.delivery",
            object_id=str(delivery.pk),
            service="home-delivery",
            user=delivery.person,
            started_at=delivery.created_at,
            completed_at=delivery.completed_at,
        )
