"""Data that browser tests start from."""

from __future__ import annotations

from typing import Any


def seed(*, emergency: bool = False) -> None:
    """The demo municipality and news; with ``emergency``, its red announcement banner too."""
    from django.core.cache import cache

    from dimos.core.demo import seed_municipality
    from dimos.portal.demo import seed_news

    municipality = seed_municipality()
    seed_news()
    if emergency:
        municipality.emergency_message_el = "Διακοπή νερού στο κέντρο έως τις 14:00."
        municipality.emergency_message_en = "No water in the town centre until 14:00."
        municipality.save()
    cache.clear()  # the municipality profile is cached


def seed_staff_records(admin: Any, clerk: Any) -> None:
    """An audit entry and a failed delivery, so the staff tables have rows and buttons."""
    from dimos.core import audit
    from dimos.core.models import Delivery, Notification

    audit.record(action="accounts.roles_changed", actor=admin, target=clerk)
    notification = Notification.objects.create(
        recipient=clerk, kind="accounts.welcome", subject="Welcome", body="Hello", language="el"
    )
    Delivery.objects.create(
        notification=notification,
        channel=Delivery.Channel.EMAIL,
        address=clerk.email,
        status=Delivery.Status.FAILED,
        attempts=5,
        last_error="Connection refused",
    )
