"""Writes: schedule, assign, set out, delivered, failed. Each audited, each in a transaction.

The status moves (out, delivered, failed) are the table :data:`WORKFLOW`, applied by the
workflow kit (:mod:`dimos.core.workflow`). A source app learns what happened to its
deliveries through a listener it registers with :func:`register_listener` (called after each
status change, inside the transaction).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core import audit
from dimos.core.workflow import Move, Refused, Transition, Workflow
from dimos.deliveries.models import OPEN_DELIVERY_STATUSES, Delivery, DeliveryStatus

if TYPE_CHECKING:
    from django.http import HttpRequest

    from dimos.accounts.models import User

Listener = Callable[[Delivery, "User | None"], None]
_listeners: dict[str, Listener] = {}


class DeliveryError(Refused):
    """A change that the delivery's status does not allow."""


def register_listener(source: str, listener: Listener) -> None:
    """``listener(delivery, actor)`` runs after every status change of ``source``'s deliveries."""
    _listeners[source] = listener


def _changed(delivery: Delivery, actor: User | None) -> None:
    listener = _listeners.get(delivery.source)
    if listener is not None:
        listener(delivery, actor)


@transaction.atomic
def schedule_delivery(
    *,
    source: str,
    reference: str,
    title: str,
    recipient_name: str,
    address: str,
    date: dt.date,
    window_start: dt.time,
    window_end: dt.time,
    phone: str = "",
    instructions: str = "",
    assigned_to: User | None = None,
    person: User | None = None,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> Delivery:
    """Plan a visit. ``person`` is the account it is for, if any (its export and erasure)."""
    if window_end <= window_start:
        raise DeliveryError("The time window must end after it starts.")
    delivery = Delivery.objects.create(
        source=source,
        reference=reference,
        title=title[:200],
        recipient_name=recipient_name[:200],
        address=address[:300],
        phone=phone[:30],
        instructions=instructions[:300],
        date=date,
        window_start=window_start,
        window_end=window_end,
        assigned_to=assigned_to,
        person=person,
    )
    audit.record(
        action="delivery.scheduled",
        actor=actor,
        target=delivery,
        request=request,
        details={"source": source, "reference": reference, "date": date.isoformat()},
    )
    return delivery


def _locked(delivery: Delivery) -> Delivery:
    return Delivery.objects.select_for_update().get(pk=delivery.pk)


@transaction.atomic
def plan_delivery(
    *,
    delivery: Delivery,
    date: dt.date,
    window_start: dt.time,
    window_end: dt.time,
    assigned_to: User | None,
    actor: User,
    request: HttpRequest | None = None,
) -> Delivery:
    """Change the day, the time window or who delivers, while it is still to be done."""
    delivery = _locked(delivery)
    if delivery.status != DeliveryStatus.SCHEDULED:
        raise DeliveryError("Only a scheduled delivery can be re-planned.")
    if window_end <= window_start:
        raise DeliveryError("The time window must end after it starts.")
    delivery.date, delivery.window_start, delivery.window_end = date, window_start, window_end
    delivery.assigned_to = assigned_to
    delivery.save(update_fields=["date", "window_start", "window_end", "assigned_to", "updated_at"])
    audit.record(
        action="delivery.planned",
        actor=actor,
        target=delivery,
        request=request,
        details={
            "date": date.isoformat(),
            "window": f"{window_start:%H:%M}-{window_end:%H:%M}",
            "assigned_to": assigned_to.pk if assigned_to else None,
        },
    )
    return delivery


def _received(move: Move) -> None:
    move.set("received_by", move.data["received_by"][:200])


def _failed(move: Move) -> None:
    move.set("failure_reason", move.data["reason"][:300])
    move.details["reason"] = move.data["reason"][:300]


WORKFLOW = Workflow(
    model=Delivery,
    error=DeliveryError,
    transitions={
        "out": Transition(sources=(DeliveryStatus.SCHEDULED,), target=DeliveryStatus.OUT),
        "delivered": Transition(
            sources=(DeliveryStatus.SCHEDULED, DeliveryStatus.OUT),
            target=DeliveryStatus.DELIVERED,
            stamp=("completed_at",),
            effect=_received,
        ),
        "failed": Transition(
            sources=(DeliveryStatus.SCHEDULED, DeliveryStatus.OUT),
            target=DeliveryStatus.FAILED,
            stamp=("completed_at",),
            effect=_failed,
        ),
    },
    audit_action="delivery.{target}",
    notify=lambda move: _changed(move.case, move.actor),
    refusal=lambda delivery, action, transition: _("This delivery can no longer be changed."),
    touch=("updated_at",),
)


def set_out(*, delivery: Delivery, actor: User, request: HttpRequest | None = None) -> Delivery:
    return WORKFLOW.apply(delivery, "out", actor=actor, request=request).case  # type: ignore[no-any-return]


def mark_delivered(
    *, delivery: Delivery, received_by: str, actor: User, request: HttpRequest | None = None
) -> Delivery:
    received_by = received_by.strip()
    if not received_by:
        raise DeliveryError(_("The name of the person who received it is needed."))
    move = WORKFLOW.apply(
        delivery, "delivered", actor=actor, request=request, received_by=received_by
    )
    return move.case  # type: ignore[no-any-return]


def mark_failed(
    *, delivery: Delivery, reason: str, actor: User, request: HttpRequest | None = None
) -> Delivery:
    reason = reason.strip()
    if not reason:
        raise DeliveryError(_("A reason is needed."))
    return WORKFLOW.apply(delivery, "failed", actor=actor, request=request, reason=reason).case  # type: ignore[no-any-return]


def erase_delivery(*, delivery_id: int) -> None:
    """Forget who a delivery was for (a source app erasing a person without an account):
    a visit still to be done is cancelled; the row stays, without the person, for the day
    sheets' history."""
    now = timezone.now()
    rows = Delivery.objects.filter(pk=delivery_id)
    rows.filter(status__in=OPEN_DELIVERY_STATUSES).update(
        status=DeliveryStatus.FAILED, failure_reason="cancelled: data erased", completed_at=now
    )
    rows.update(
        recipient_name="",
        address="",
        phone="",
        instructions="",
        received_by="",
        person=None,
        updated_at=now,
    )
