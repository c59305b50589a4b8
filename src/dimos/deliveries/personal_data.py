"""What the deliveries app holds about a person: the visits planned for their account.

Erasing the account cancels the visits still to be done and clears, on every visit, who it
was for, where and how to reach them and who received it; the row stays (without the person)
for the day sheets' history.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from dimos.deliveries.models import OPEN_DELIVERY_STATUSES, Delivery, DeliveryStatus

if TYPE_CHECKING:
    from dimos.accounts.models import User


def export_for(user: User) -> list[dict[str, Any]]:
    return [
        {
            "service": d.source,
            "reference": d.reference,
            "what": d.title,
            "recipient": d.recipient_name,
            "address": d.address,
            "phone": d.phone,
            "instructions": d.instructions,
            "lat": d.lat,
            "lon": d.lon,
            "day": d.date.isoformat(),
            "from": d.window_start.strftime("%H:%M"),
            "until": d.window_end.strftime("%H:%M"),
            "status": d.status,
            "received_by": d.received_by,
            "completed_at": d.completed_at.isoformat() if d.completed_at else None,
        }
        for d in Delivery.objects.filter(person=user)
    ]


def erase_for(user: User) -> None:
    now = timezone.now()
    mine = Delivery.objects.filter(person=user)
    mine.filter(status__in=OPEN_DELIVERY_STATUSES).update(
        status=DeliveryStatus.FAILED,
        failure_reason="cancelled: account erased",
        completed_at=now,
    )
    mine.update(
        recipient_name="",
        address="",
        phone="",
        instructions="",
        received_by="",
        lat=None,
        lon=None,
        person=None,
        updated_at=now,
    )
