"""Slots derived from the rules: opening hours, closures, public holidays, desks and the window.

The rules decide which times are bookable; :class:`~dimos.appointments.models.Slot` rows are
materialised for those times (idempotently, ``bulk_create(ignore_conflicts=True)`` on a unique
key) so that bookings can point at them and the database can count seats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from dimos.appointments.conf import conf
from dimos.appointments.models import (
    Booking,
    Centre,
    Closure,
    Desk,
    OpeningHours,
    ServiceType,
    Slot,
)
from dimos.core.cached import CachedAnswer, Version
from dimos.core.workdays import _holidays


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def is_holiday(day: date) -> bool:
    return day in _holidays(day.year)


@dataclass(frozen=True)
class Window:
    """The first and last moments a service can be booked for, as seen at ``now``."""

    earliest: datetime
    last_day: date

    @classmethod
    def of(cls, service: ServiceType, now: datetime | None = None) -> Window:
        now = now or timezone.now()
        return cls(
            earliest=now + timedelta(hours=service.min_notice_hours),
            last_day=timezone.localdate(now) + timedelta(days=service.max_days_ahead),
        )

    def allows(self, starts_at: datetime) -> bool:
        return starts_at >= self.earliest and timezone.localdate(starts_at) <= self.last_day


def _read_rules(
    service: ServiceType, centre: Centre, start: date, end: date
) -> tuple[int, dict[int, list[tuple[time, time]]], list[tuple[date, date]]]:
    """Capacity, opening hours and closures, in three queries."""
    hours: dict[int, list[tuple[time, time]]] = {}
    for h in OpeningHours.objects.filter(centre=centre).order_by("weekday", "opens"):
        hours.setdefault(h.weekday, []).append((h.opens, h.closes))
    closures = list(
        Closure.objects.filter(centre=centre, starts_on__lte=end, ends_on__gte=start).values_list(
            "starts_on", "ends_on"
        )
    )
    capacity = Desk.objects.filter(centre=centre, is_active=True, services=service).count()
    return capacity, hours, closures


@dataclass
class Rules:
    """What is needed to compute a centre's slots for a service, loaded in three queries."""

    service: ServiceType
    centre: Centre
    capacity: int
    hours: dict[int, list[tuple[time, time]]]
    closures: list[tuple[date, date]]

    @classmethod
    def load(cls, service: ServiceType, centre: Centre, start: date, end: date) -> Rules:
        """The rules for the days ``start``…``end``: kept a few seconds under the rules'
        version, which every edit of a centre, its hours, closures or desks, or a service,
        changes (see :func:`connect_signals`)."""
        if _cache_seconds() <= 0:
            return cls(service, centre, *_read_rules(service, centre, start, end))
        entry = RULES.get(
            shared_by=[service.pk, centre.pk, start, end],
            compute=lambda: _read_rules(service, centre, start, end),
        )
        return cls(service, centre, *entry.value)

    def closed_reason(self, day: date) -> str:
        """Why a centre is closed on ``day`` ("" when it is open)."""
        if any(a <= day <= b for a, b in self.closures):
            return "closure"
        if is_holiday(day):
            return "holiday"
        if not self.hours.get(day.weekday()):
            return "no_hours"
        return ""

    def times(self, day: date) -> list[tuple[datetime, datetime]]:
        """The slot start and end times of a day, by the opening hours (ignoring the window)."""
        if not self.centre.is_active or not self.service.is_active or self.capacity < 1:
            return []
        if self.closed_reason(day):
            return []
        tz = _tz()
        duration = timedelta(minutes=self.service.duration_minutes)
        step = timedelta(minutes=self.service.step_minutes)
        out: list[tuple[datetime, datetime]] = []
        for opens, closes in self.hours.get(day.weekday(), []):
            start = datetime.combine(day, opens, tzinfo=tz)
            end = datetime.combine(day, closes, tzinfo=tz)
            while start + duration <= end:
                out.append((start, start + duration))
                start += step
        return out


@dataclass
class SlotView:
    """One bookable time as shown to a resident."""

    slot_id: int
    starts_at: datetime
    ends_at: datetime
    free: int
    capacity: int


@dataclass
class DayView:
    day: date
    closed: str = ""  # "closure", "holiday", "no_hours" or "" when open
    slots: list[SlotView] = field(default_factory=list)

    @property
    def free_slots(self) -> list[SlotView]:
        return [s for s in self.slots if s.free > 0]

    @property
    def free_count(self) -> int:
        return len(self.free_slots)


def _materialise(rules: Rules, wanted: list[tuple[datetime, datetime]]) -> None:
    Slot.objects.bulk_create(
        [
            Slot(
                centre=rules.centre,
                service=rules.service,
                starts_at=s,
                ends_at=e,
                capacity=rules.capacity,
            )
            for s, e in wanted
        ],
        ignore_conflicts=True,
    )


def _slot_rows(
    rules: Rules, start: datetime, end: datetime, now: datetime
) -> dict[datetime, tuple[int, int, bool, int]]:
    rows = (
        Slot.objects.filter(
            service=rules.service, centre=rules.centre, starts_at__gte=start, starts_at__lt=end
        )
        .annotate(
            taken=Count(
                "bookings",
                filter=Q(bookings__status__in=Booking.BOOKED)
                | Q(bookings__status=Booking.Status.HELD, bookings__hold_expires_at__gt=now),
            )
        )
        .values_list("starts_at", "pk", "capacity", "blocked", "taken")
    )
    return {s: (pk, cap, blocked, taken) for s, pk, cap, blocked, taken in rows}


def availability(
    service: ServiceType,
    centre: Centre,
    first_day: date,
    last_day: date,
    now: datetime | None = None,
) -> list[DayView]:
    """Each day from ``first_day`` to ``last_day`` with its bookable slots and free seats.

    Times outside the booking window (minimum notice, days ahead) are left out. Four queries
    when the slots already exist; the first look at a day creates its slot rows.
    """
    now = now or timezone.now()
    window = Window.of(service, now)
    last_day = min(last_day, window.last_day)
    rules = Rules.load(service, centre, first_day, last_day)
    days: list[DayView] = []
    wanted: list[tuple[datetime, datetime]] = []
    # The slots of each day, by start: no local-date conversion per slot (days are local).
    slots_of: dict[datetime, list[SlotView]] = {}
    day = first_day
    while day <= last_day:
        view = DayView(day=day, closed=rules.closed_reason(day))
        days.append(view)
        # Every time of `day` is on `day`, within the last day: only the notice to check.
        for t in rules.times(day):
            if t[0] >= window.earliest:
                wanted.append(t)
                slots_of[t[0]] = view.slots
        day += timedelta(days=1)
    if not wanted:
        return days
    tz = _tz()
    start = datetime.combine(first_day, time.min, tzinfo=tz)
    end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=tz)
    rows = _slot_rows(rules, start, end, now)
    missing = [t for t in wanted if t[0] not in rows]
    stale = [rows[s][0] for s, _ in wanted if s in rows and rows[s][1] != rules.capacity]
    if missing or stale:
        if missing:
            _materialise(rules, missing)
        if stale:
            Slot.objects.filter(pk__in=stale).update(capacity=rules.capacity)
        rows = _slot_rows(rules, start, end, now)
    for s, e in wanted:
        pk, capacity, blocked, taken = rows[s]
        if blocked:
            continue
        slots_of[s].append(SlotView(pk, s, e, max(capacity - taken, 0), capacity))
    return days


# --- The public pages' short cache --------------------------------------------------------------
#
# Computing a month of slots takes tens of milliseconds; the public calendar and the API's
# availability are read far more often than bookings change. Their answers are cached for
# DIMOS_APPOINTMENTS_AVAILABILITY_CACHE_SECONDS under a *generation* that every write changing
# free times replaces (see :func:`availability_changed`). With a shared cache (Redis) a change
# shows everywhere at once; with the per-process memory cache, other workers may show the old
# answer until it expires. A stale answer never books anything: the booking itself is checked
# by the database and a taken time answers "just taken" with the next free ones.

GENERATION = Version("appointments:availability")


def generation() -> str:
    """Names the current state of availability: it changes on every write that frees or takes
    a time (see :func:`availability_changed`). Keys of cached public answers include it."""
    return GENERATION()


def availability_changed() -> None:
    """Drop the cached free times: call on every write that changes which times are free.

    Now, for readers in this process and this transaction, and again after the commit, so an
    answer computed meanwhile from the data before the commit is not kept either.
    """
    GENERATION.changed()


# What decides which times exist (centres, hours, closures, desks, services): edits are rare,
# and bookings do not change it, so it has a version of its own.
RULES_VERSION = Version("appointments:rules")


def _changed_by_signal(**kwargs: object) -> None:
    RULES_VERSION.changed()
    availability_changed()


def connect_signals() -> None:
    """Edits of centres, hours, closures, desks, services and slots (the admin) drop the cache."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in (Centre, OpeningHours, Closure, Desk, ServiceType, Slot):
        uid = f"appointments-availability-{model.__name__}"
        post_save.connect(_changed_by_signal, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_changed_by_signal, sender=model, dispatch_uid=uid + "-delete")
    m2m_changed.connect(
        _changed_by_signal,
        sender=Desk.services.through,
        dispatch_uid="appointments-availability-desk-services",
    )


def _cache_seconds() -> int:
    return int(conf.AVAILABILITY_CACHE_SECONDS)


DAYS = CachedAnswer("appointments:days", version=GENERATION, seconds=_cache_seconds)
RULES = CachedAnswer("appointments:rules", version=RULES_VERSION, seconds=_cache_seconds)
DESKS = CachedAnswer("appointments:desks", version=RULES_VERSION, seconds=_cache_seconds)
PLACES = CachedAnswer("appointments:places", version=RULES_VERSION, seconds=_cache_seconds)
# The next free times after "just taken": every booking changes the generation, so they are
# as current as the free times themselves (and the booking is checked by the database).
NEXT_FREE = CachedAnswer("appointments:next-free", version=GENERATION, seconds=_cache_seconds)


def cached_availability(
    service: ServiceType, centre: Centre, first_day: date, last_day: date
) -> list[DayView]:
    """:func:`availability` for the public pages, kept for a few seconds (see above)."""
    if _cache_seconds() <= 0:
        return availability(service, centre, first_day, last_day)
    question = [service.pk, centre.pk, first_day, last_day]
    entry = DAYS.get(
        shared_by=question, compute=lambda: availability(service, centre, first_day, last_day)
    )
    return list(entry.value)


def next_free(
    service: ServiceType,
    centre: Centre,
    after: datetime | None = None,
    limit: int = 3,
    now: datetime | None = None,
) -> list[SlotView]:
    """The next ``limit`` free slots (after ``after``), for "that one was just taken"."""
    now = now or timezone.now()
    first = timezone.localdate(after or now)
    window = Window.of(service, now)
    found: list[SlotView] = []
    day = first
    while day <= window.last_day and len(found) < limit:
        chunk_end = min(day + timedelta(days=6), window.last_day)
        for view in availability(service, centre, day, chunk_end, now):
            found.extend(s for s in view.free_slots if after is None or s.starts_at > after)
        day = chunk_end + timedelta(days=1)
    return found[:limit]


def is_bookable_time(slot: Slot, now: datetime | None = None) -> str:
    """ "" when ``slot`` may be booked now, else why not (a code for the error message)."""
    now = now or timezone.now()
    service, centre = slot.service, slot.centre
    if not service.is_active or not centre.is_active:
        return "unavailable"
    if slot.starts_at < now:
        return "past"
    window = Window.of(service, now)
    if slot.starts_at < window.earliest:
        return "too_soon"
    if timezone.localdate(slot.starts_at) > window.last_day:
        return "beyond_window"
    day = timezone.localdate(slot.starts_at)
    rules = Rules.load(service, centre, day, day)
    if rules.closed_reason(day):
        return "closed"
    if slot.blocked or (slot.starts_at, slot.ends_at) not in rules.times(day):
        return "unavailable"
    if rules.capacity != slot.capacity:
        Slot.objects.filter(pk=slot.pk).update(capacity=rules.capacity)
        slot.capacity = rules.capacity
    return ""


def desks_for(service: ServiceType, centre: Centre) -> list[Desk]:
    """The desks serving a service at a centre, in seat order (seat n → the n-th desk)."""

    def read() -> list[Desk]:
        return list(
            Desk.objects.filter(centre=centre, is_active=True, services=service)
            .select_related("staff")
            .order_by("pk")
        )

    if _cache_seconds() <= 0:
        return read()
    return list(DESKS.get(shared_by=[service.pk, centre.pk], compute=read).value)


def service_and_centre(service_id: int, centre_id: int) -> tuple[ServiceType, Centre]:
    """A service and a centre by id, kept a few seconds under the rules' version."""

    def read() -> tuple[ServiceType, Centre]:
        return ServiceType.objects.get(pk=service_id), Centre.objects.get(pk=centre_id)

    if _cache_seconds() <= 0:
        return read()
    service, centre = PLACES.get(shared_by=[service_id, centre_id], compute=read).value
    return service, centre


def cached_next_free(service: ServiceType, centre: Centre, limit: int = 3) -> list[SlotView]:
    """:func:`next_free` from now, kept under the availability generation (see above)."""
    if _cache_seconds() <= 0:
        return next_free(service, centre, limit=limit)
    entry = NEXT_FREE.get(
        shared_by=[service.pk, centre.pk, limit],
        compute=lambda: next_free(service, centre, limit=limit),
    )
    return list(entry.value)
