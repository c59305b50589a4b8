"""Reads of relief: the coordinators' board, a person's own requests, counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from dimos.core.cached import Version
from dimos.relief.models import OPEN_STATUSES, Beneficiary, Need, ReliefRequest, Status

# What the coordinators' board shows (requests, their needs, beneficiaries' districts, the
# deliveries' couriers): every save or delete of one names a new version of the cached board,
# so a change shows on the next request. Cache invalidation is the one use of signals the
# style guide allows; deliveries of any service bump it (a cheap write, and relief does not
# need to know which).
BOARD_VERSION = Version("relief:board")


def _board_changed(**kwargs: object) -> None:
    BOARD_VERSION.changed()


for _model in (ReliefRequest, Need, Beneficiary, "deliveries.Delivery"):
    _uid = f"relief-board-{_model if isinstance(_model, str) else _model.__name__}"
    post_save.connect(_board_changed, sender=_model, dispatch_uid=f"{_uid}-save")
    post_delete.connect(_board_changed, sender=_model, dispatch_uid=f"{_uid}-delete")


def board(
    *, days: list[dt.date], district: Any = None, status: str = ""
) -> QuerySet[ReliefRequest]:
    """The requests of these days: unassigned (no courier yet) first, then urgent, by window."""
    rows = ReliefRequest.objects.filter(day__in=days).select_related(
        "beneficiary__district", "delivery__assigned_to"
    )
    if district is not None:
        rows = rows.filter(beneficiary__district=district)
    if status:
        rows = rows.filter(status=status)
    return rows.annotate(
        unassigned=Case(
            When(
                Q(status__in=OPEN_STATUSES)
                & (Q(delivery__isnull=True) | Q(delivery__assigned_to__isnull=True)),
                then=Value(0),
            ),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("day", "unassigned", "-urgent", "window_start", "pk")


def counts(days: list[dt.date]) -> dict[tuple[int | None, str], int]:
    """(district id, status) → number of requests on these days."""
    rows = (
        ReliefRequest.objects.filter(day__in=days)
        .values("beneficiary__district", "status")
        .annotate(n=Count("pk"))
    )
    return {(r["beneficiary__district"], r["status"]): r["n"] for r in rows}


def open_count() -> int:
    return ReliefRequest.objects.filter(status__in=(Status.RECEIVED, Status.ACCEPTED)).count()


def overdue_count() -> int:
    """Requests whose day has come and that are not scheduled yet."""
    return ReliefRequest.objects.filter(
        status__in=(Status.RECEIVED, Status.ACCEPTED), day__lte=timezone.localdate()
    ).count()


def own_requests(user: Any) -> QuerySet[ReliefRequest]:
    """What a person asked online (for themself or others), newest first."""
    return (
        ReliefRequest.objects.filter(requester=user)
        .select_related("beneficiary")
        .prefetch_related("needs")
        .order_by("-created_at", "-pk")
    )


def search_beneficiaries(query: str, limit: int = 20) -> QuerySet[Beneficiary]:
    """The helpline's search: by name, phone digits or address."""
    query = query.strip()
    rows = Beneficiary.objects.filter(erased_at__isnull=True).select_related("district")
    if not query:
        return rows.none()
    digits = "".join(ch for ch in query if ch.isdigit())
    match = Q(full_name__icontains=query) | Q(address__icontains=query)
    if len(digits) >= 4:
        match |= Q(phone__contains=digits[-4:])
    return rows.filter(match)[:limit]


def for_delivery(delivery_id: int) -> ReliefRequest | None:
    return (
        ReliefRequest.objects.filter(delivery_id=delivery_id)
        .select_related("beneficiary", "delivery")
        .first()
    )


def courier_requests(user: Any, day: dt.date) -> QuerySet[ReliefRequest]:
    """A courier's relief visits (through their deliveries): those of ``day`` and the ones
    still to make from it on."""
    return (
        ReliefRequest.objects.filter(delivery__assigned_to=user)
        .filter(
            Q(delivery__date=day)
            | Q(delivery__date__gt=day, status__in=(Status.SCHEDULED, Status.OUT))
        )
        .select_related("beneficiary", "delivery")
        .prefetch_related("needs")
        .order_by("delivery__date", "delivery__window_start", "pk")
    )
