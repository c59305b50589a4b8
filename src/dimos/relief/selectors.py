"""Reads of relief: the coordinators' board, a person's own requests, counts."""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections import defaultdict
from difflib import SequenceMatcher
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from dimos.core.cached import Version
from dimos.relief.models import (
    OPEN_STATUSES,
    Beneficiary,
    Need,
    Recurrence,
    ReliefRequest,
    Status,
    TaskClaim,
)

# What the coordinators' board shows (requests, their needs, beneficiaries' districts, the
# deliveries' couriers, the volunteers holding them): every save or delete of one names a new
# version of the cached board, so a change shows on the next request. Cache invalidation is
# the one use of signals the style guide allows; deliveries of any service bump it (a cheap
# write, and relief does not need to know which).
BOARD_VERSION = Version("relief:board")


def _board_changed(**kwargs: object) -> None:
    BOARD_VERSION.changed()


for _model in (ReliefRequest, Need, Beneficiary, TaskClaim, Recurrence, "deliveries.Delivery"):
    _uid = f"relief-board-{_model if isinstance(_model, str) else _model.__name__}"
    post_save.connect(_board_changed, sender=_model, dispatch_uid=f"{_uid}-save")
    post_delete.connect(_board_changed, sender=_model, dispatch_uid=f"{_uid}-delete")


# What a volunteer is offered also depends on the volunteer (districts, skills, hours) and on
# the tasks they declined: those changes name a new version of the offers too.
OFFERS_VERSION = Version("relief:offers")


def _offers_changed(**kwargs: object) -> None:
    OFFERS_VERSION.changed()


for _sender in (
    "relief.TaskDismissal",
    "volunteers.Volunteer",
    "volunteers.Volunteer_skills",
    "volunteers.Volunteer_districts",
):
    post_save.connect(_offers_changed, sender=_sender, dispatch_uid=f"relief-offers-{_sender}-save")
    post_delete.connect(
        _offers_changed, sender=_sender, dispatch_uid=f"relief-offers-{_sender}-delete"
    )
for _sender in ("volunteers.Volunteer_skills", "volunteers.Volunteer_districts"):
    m2m_changed.connect(_offers_changed, sender=_sender, dispatch_uid=f"relief-offers-{_sender}")


def offers_version() -> str:
    return f"{BOARD_VERSION()}|{OFFERS_VERSION()}"


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


# --- The same person twice ---------------------------------------------------------------------

# Two records are likely the same person with the same phone, or a similar name at the same
# address or within this many metres.
NEAR_METRES = 60
SIMILAR_NAMES = 0.85


def phone_key(phone: str) -> str:
    """A phone as its national number: digits only, without the country code (0030, +30)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("0030"):
        digits = digits[4:]
    elif digits.startswith("30") and len(digits) == 12:
        digits = digits[2:]
    return digits


def _plain(text: str) -> str:
    """Lower case without accents or punctuation, words in order: «Ευανθία  Παπά» and
    «ΠΑΠΑ Ευανθια» read the same."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    letters = "".join(
        ch if ch.isalnum() else " " for ch in decomposed if not unicodedata.combining(ch)
    )
    return " ".join(sorted(letters.split()))


def _names_alike(a: str, b: str) -> bool:
    a, b = _plain(a), _plain(b)
    return bool(a and b) and (a == b or SequenceMatcher(None, a, b).ratio() >= SIMILAR_NAMES)


def _metres(a: Beneficiary, b: Beneficiary) -> float:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return float("inf")
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    x = math.radians(b.lon - a.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
    y = math.radians(b.lat - a.lat)
    return 6_371_000 * math.hypot(x, y)


def why_alike(a: Beneficiary, b: Beneficiary) -> str:
    """Why two records look like the same person ("phone", "name and place"), or ""."""
    if a.pk == b.pk:
        return ""
    key = phone_key(a.phone)
    if len(key) >= 10 and key == phone_key(b.phone):
        return "phone"
    if _names_alike(a.full_name, b.full_name) and (
        (_plain(a.address) and _plain(a.address) == _plain(b.address))
        or _metres(a, b) <= NEAR_METRES
    ):
        return "name and place"
    return ""


def _living() -> QuerySet[Beneficiary]:
    return Beneficiary.objects.filter(erased_at__isnull=True).select_related("district")


def duplicate_candidates(beneficiary: Beneficiary) -> list[tuple[Beneficiary, str]]:
    """Other records that are likely the same person, with why: the same phone's last
    digits, or a point near theirs, or the same address, then compared in full."""
    near = Q()
    if beneficiary.lat is not None and beneficiary.lon is not None:
        step = 0.001  # about 110 m of latitude: more than NEAR_METRES either way
        near = Q(
            lat__range=(beneficiary.lat - step, beneficiary.lat + step),
            lon__range=(beneficiary.lon - step * 1.5, beneficiary.lon + step * 1.5),
        )
    key = phone_key(beneficiary.phone)
    match = Q(address__iexact=beneficiary.address.strip()) if beneficiary.address.strip() else Q()
    if len(key) >= 10:
        match |= Q(phone__contains=key[-4:])
    if near:
        match |= near
    if not match:
        return []
    found = []
    for other in _living().filter(match).exclude(pk=beneficiary.pk)[:200]:
        reason = why_alike(beneficiary, other)
        if reason:
            found.append((other, reason))
    return found


def likely_duplicates(limit: int = 100) -> list[tuple[Beneficiary, Beneficiary, str]]:
    """Pairs of records that are likely the same person, across everyone not erased: grouped
    by phone, and by a grid of about 100 m on the map (with its neighbours), then compared."""
    people = list(_living().only("pk", "full_name", "address", "lat", "lon", "phone", "district"))
    pairs: dict[tuple[int, int], tuple[Beneficiary, Beneficiary, str]] = {}

    def consider(a: Beneficiary, b: Beneficiary) -> None:
        first, second = (a, b) if a.pk < b.pk else (b, a)
        if (first.pk, second.pk) in pairs:
            return
        reason = why_alike(first, second)
        if reason:
            pairs[(first.pk, second.pk)] = (first, second, reason)

    by_phone: dict[str, list[Beneficiary]] = defaultdict(list)
    by_cell: dict[tuple[int, int], list[Beneficiary]] = defaultdict(list)
    by_address: dict[str, list[Beneficiary]] = defaultdict(list)
    for person in people:
        key = phone_key(person.phone)
        if len(key) >= 10:
            by_phone[key].append(person)
        if person.lat is not None and person.lon is not None:
            by_cell[(int(person.lat // 0.001), int(person.lon // 0.0013))].append(person)
        if _plain(person.address):
            by_address[_plain(person.address)].append(person)
    for group in (*by_phone.values(), *by_address.values()):
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                consider(a, b)
    for (row, col), group in by_cell.items():
        for d_row in (0, 1):
            for d_col in (-1, 0, 1) if d_row else (0, 1):
                others = (
                    group
                    if (d_row, d_col) == (0, 0)
                    else by_cell.get((row + d_row, col + d_col), [])
                )
                for i, a in enumerate(group):
                    for b in others[i + 1 :] if others is group else others:
                        consider(a, b)
    return sorted(pairs.values(), key=lambda p: (p[0].full_name, p[0].pk, p[1].pk))[:limit]
