"""What the core contributes to "My account" and the staff home."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from dimos.core.models import Delivery
from dimos.core.registry import QueueCounts

if TYPE_CHECKING:
    from django.http import HttpRequest

    from dimos.accounts.models import User


def notifications_panel(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {"notifications": list(user.notifications.all()[:5])}  # type: ignore[union-attr]


def delivery_queue_counts(user: User) -> QueueCounts:
    failed = Delivery.objects.filter(status=Delivery.Status.FAILED)
    day_ago = timezone.now() - timedelta(days=1)
    return QueueCounts(open=failed.count(), overdue=failed.filter(created_at__lt=day_ago).count())


def operations_queue_counts(user: User) -> QueueCounts:
    from dimos.core.workers import queue_health

    health = queue_health()
    late = health.waiting + health.long_running + health.overdue_deliveries
    return QueueCounts(open=late, overdue=late)
