"""Writes: schedule, assign, set out, delivered, failed, and the runs that batch a day's
deliveries for one courier. Each audited, each in a transaction.

The status moves (out, delivered, failed) are the table :data:`WORKFLOW`, applied by the
workflow kit (:mod:`dimos.core.workflow`). A source app registers itself with
:func:`register_source`: its listener learns what happened to its deliveries (called after
each status change, inside the transaction), its completion page is linked from the day
sheet, and its recipients' data may be private to a permission (:mod:`dimos.deliveries.sources`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core import audit, transactions
from dimos.core.workflow import Move, Refused, Transition, Workflow
from dimos.deliveries import routes, sources
from dimos.deliveries.conf import conf
from dimos.deliveries.models import (
    OPEN_DELIVERY_STATUSES,
    Delivery,
    DeliveryStatus,
    Run,
    RunStop,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from dimos.accounts.models import User
    from dimos.core.models import District

Listener = Callable[[Delivery, "User | None"], None]


class DeliveryError(Refused):
    """A change that the delivery's status does not allow."""


class RunError(Refused):
    """A change to a run that cannot be made (a delivery of another day, or on another run)."""


def register_source(
    source: str,
    *,
    listener: Listener | None = None,
    completion_url: Callable[[Delivery], str] | None = None,
    private_to: str = "",
) -> None:
    """A source app's deliveries: ``listener(delivery, actor)`` runs after every status
    change; ``completion_url(delivery)`` is the app's page where the courier completes the visit
    (linked from the day sheet instead of its own delivered/failed forms); ``private_to`` a
    permission: only its holders and each delivery's courier see whom and where it is for,
    and every such view is audited."""
    sources.register(
        sources.Source(
            key=source, listener=listener, completion_url=completion_url, private_to=private_to
        )
    )


def register_listener(source: str, listener: Listener) -> None:
    """``listener(delivery, actor)`` runs after every status change of ``source``'s deliveries
    (:func:`register_source` with only a listener, keeping what else was registered)."""
    known = sources.get(source)
    register_source(
        source,
        listener=listener,
        completion_url=known.completion_url,
        private_to=known.private_to,
    )


def _changed(delivery: Delivery, actor: User | None) -> None:
    listener = sources.get(delivery.source).listener
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
    lat: float | None = None,
    lon: float | None = None,
    district: District | None = None,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> Delivery:
    """Plan a visit. ``person`` is the account it is for, if any (its export and erasure);
    ``lat``/``lon`` its map point and ``district`` its area, when the source app knows them
    (runs are ordered by the point and proposed by the district)."""
    from dimos.core.geo import valid_point

    if window_end <= window_start:
        raise DeliveryError("The time window must end after it starts.")
    if lat is None or lon is None or not valid_point(lat, lon):
        lat = lon = None
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
        lat=lat,
        lon=lon,
        district=district,
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
    details: dict[str, object] = {
        "date": date.isoformat(),
        "window": f"{window_start:%H:%M}-{window_end:%H:%M}",
        "assigned_to": assigned_to.pk if assigned_to else None,
    }
    # Moved to another day, or given to someone other than its run's courier: it leaves the run.
    stop = RunStop.objects.filter(delivery=delivery).select_related("run").first()
    if stop is not None and (
        stop.run.date != date
        or (stop.run.courier_id is not None and stop.run.courier_id != delivery.assigned_to_id)
    ):
        stop.delete()
        details["left_run"] = stop.run_id
    audit.record(
        action="delivery.planned", actor=actor, target=delivery, request=request, details=details
    )
    _changed(delivery, actor)  # the source app learns the new plan (and who delivers it)
    return delivery


RECIPIENT_FIELDS = ("recipient_name", "address", "phone", "instructions", "lat", "lon", "district")


@transaction.atomic
def update_recipient(
    *,
    delivery: Delivery,
    recipient_name: str,
    address: str,
    phone: str = "",
    instructions: str = "",
    lat: float | None = None,
    lon: float | None = None,
    district: District | None = None,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> list[str]:
    """The source app corrected who or where a visit still to make is for (a coordinator
    fixed the address, two records of one person were merged): the courier's sheet follows.
    A visit already made keeps what it was made with. Audited with the names of the fields
    changed, never their values; answers those names."""
    from dimos.core.geo import valid_point

    delivery = _locked(delivery)
    if not delivery.is_open:
        return []
    if lat is None or lon is None or not valid_point(lat, lon):
        lat = lon = None
    values = {
        "recipient_name": recipient_name[:200],
        "address": address[:300],
        "phone": phone[:30],
        "instructions": instructions[:300],
        "lat": lat,
        "lon": lon,
        "district": district,
    }
    changed = [name for name in RECIPIENT_FIELDS if getattr(delivery, name) != values[name]]
    if not changed:
        return []
    for name in changed:
        setattr(delivery, name, values[name])
    delivery.save(update_fields=[*changed, "updated_at"])
    audit.record(
        action="delivery.recipient_changed",
        actor=actor,
        target=delivery,
        request=request,
        details={"fields": changed},
    )
    return changed


def _received(move: Move) -> None:
    move.set("received_by", move.data["received_by"][:200])


def _delivered(move: Move) -> None:
    """A delivery done is a completed transaction (dimos.core.transactions): the person it was
    for, when it was for an account, is asked how it went."""
    delivery: Delivery = move.case
    transactions.completed(
        "deliveries.delivery",
        delivery.pk,
        user=delivery.person,
        online=True,
        started_at=delivery.created_at,
    )


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
            after=_delivered,
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


def record_views(
    *, deliveries: list[Delivery], actor: User, page: str, request: HttpRequest | None = None
) -> None:
    """A member of staff saw whom and where these deliveries are for: audited for the sources
    that keep their recipients private (relief's beneficiaries)."""
    for delivery in deliveries:
        if sources.is_private(delivery):
            audit.record(
                action="delivery.viewed",
                actor=actor,
                target=delivery,
                request=request,
                details={"page": page},
            )


# --- Runs -------------------------------------------------------------------------------------


def _start() -> routes.Point:
    return (conf.START_LAT, conf.START_LON)


def _point(delivery: Delivery) -> routes.Point | None:
    return (delivery.lat, delivery.lon) if delivery.has_point else None  # type: ignore[return-value]


def ordered(deliveries: list[Delivery]) -> list[Delivery]:
    """``deliveries`` along the way from the start point; those without a point last."""
    order = routes.order_along_the_way([_point(d) for d in deliveries], _start())
    return [deliveries[i] for i in order]


def _stops(run: Run) -> list[Delivery]:
    ids = list(run.stops.order_by("position").values_list("delivery_id", flat=True))
    by_id = Delivery.objects.in_bulk(ids)
    return [by_id[i] for i in ids]


def _write_order(run: Run, deliveries: list[Delivery]) -> None:
    """The run's stops become ``deliveries``, in this order (run locked by the caller)."""
    run.stops.all().delete()
    try:
        with transaction.atomic():
            RunStop.objects.bulk_create(
                RunStop(run=run, delivery=d, position=n) for n, d in enumerate(deliveries, 1)
            )
    except IntegrityError as exc:
        raise RunError(
            _("A delivery is already on another run. Reload the page and try again."),
            code="taken",
        ) from exc
    run.save(update_fields=["updated_at"])


def _lock_run(run: Run) -> Run:
    try:
        return Run.objects.select_for_update().get(pk=run.pk)
    except Run.DoesNotExist as exc:
        raise RunError(_("This run no longer exists."), code="gone") from exc


def _check_joinable(run: Run, delivery: Delivery) -> None:
    if delivery.date != run.date:
        raise RunError(_("This delivery is planned for another day."), code="day")
    if not delivery.is_open:
        raise RunError(_("This delivery is no longer to be made."), code="closed")


def _assign(delivery: Delivery, courier: User | None, run: Run, actor: User, request: Any) -> None:
    """The run's courier delivers it, while it is still to set out (a volunteer who held it
    is told by the source app, through its listener)."""
    if courier is None or delivery.status != DeliveryStatus.SCHEDULED:
        return
    if delivery.assigned_to_id == courier.pk:
        return
    delivery.assigned_to = courier
    delivery.save(update_fields=["assigned_to", "updated_at"])
    audit.record(
        action="delivery.assigned",
        actor=actor,
        target=delivery,
        request=request,
        details={"assigned_to": courier.pk, "run": run.pk},
    )
    _changed(delivery, actor)  # the source app learns who delivers it now


@transaction.atomic
def create_run(
    *,
    date: dt.date,
    district: District | None,
    deliveries: list[Delivery],
    courier: User | None = None,
    actor: User,
    request: HttpRequest | None = None,
) -> Run:
    """Batch ``deliveries`` (of ``date``, on no other run) into a run, ordered along the way;
    with a courier, each delivery still to set out becomes theirs."""
    if not deliveries:
        raise RunError(_("Choose at least one delivery for the run."), code="empty")
    locked = list(Delivery.objects.select_for_update().filter(pk__in=[d.pk for d in deliveries]))
    for delivery in locked:
        if delivery.date != date:
            raise RunError(_("This delivery is planned for another day."), code="day")
        if not delivery.is_open:
            raise RunError(_("This delivery is no longer to be made."), code="closed")
    run = Run.objects.create(date=date, district=district, courier=courier, created_by=actor)
    stops = ordered(sorted(locked, key=lambda d: (d.window_start, d.pk)))
    _write_order(run, stops)
    audit.record(
        action="run.created",
        actor=actor,
        target=run,
        request=request,
        details={
            "date": date.isoformat(),
            "district": district.pk if district else None,
            "deliveries": [d.pk for d in stops],
        },
    )
    for delivery in stops:
        _assign(delivery, courier, run, actor, request)
    return run


@transaction.atomic
def set_run_courier(
    *, run: Run, courier: User | None, actor: User, request: HttpRequest | None = None
) -> Run:
    """Who carries the run: every delivery on it still to set out becomes theirs."""
    run = _lock_run(run)
    run.courier = courier
    run.save(update_fields=["courier", "updated_at"])
    audit.record(
        action="run.courier",
        actor=actor,
        target=run,
        request=request,
        details={"courier": courier.pk if courier else None},
    )
    for delivery in _stops(run):
        _assign(delivery, courier, run, actor, request)
    return run


@transaction.atomic
def add_stop(
    *, run: Run, delivery: Delivery, actor: User, request: HttpRequest | None = None
) -> Run:
    """Put a delivery of the run's day on it, as the last stop."""
    run = _lock_run(run)
    delivery = _locked(delivery)
    _check_joinable(run, delivery)
    if RunStop.objects.filter(delivery=delivery).exists():
        raise RunError(_("This delivery is already on a run."), code="taken")
    _write_order(run, [*_stops(run), delivery])
    audit.record(
        action="run.stop_added",
        actor=actor,
        target=run,
        request=request,
        details={"delivery": delivery.pk},
    )
    _assign(delivery, run.courier, run, actor, request)
    return run


@transaction.atomic
def remove_stop(
    *, run: Run, delivery: Delivery, actor: User, request: HttpRequest | None = None
) -> Run:
    """Take a delivery off the run (it keeps its day and courier, and can join another)."""
    run = _lock_run(run)
    stops = _stops(run)
    if delivery.pk not in {d.pk for d in stops}:
        raise RunError(_("This delivery is not on this run."), code="absent")
    _write_order(run, [d for d in stops if d.pk != delivery.pk])
    audit.record(
        action="run.stop_removed",
        actor=actor,
        target=run,
        request=request,
        details={"delivery": delivery.pk},
    )
    return run


@transaction.atomic
def move_stop(
    *, run: Run, delivery: Delivery, up: bool, actor: User, request: HttpRequest | None = None
) -> Run:
    """Swap a stop with the one before it (``up``) or after it; at an end, nothing moves."""
    run = _lock_run(run)
    stops = _stops(run)
    ids = [d.pk for d in stops]
    if delivery.pk not in ids:
        raise RunError(_("This delivery is not on this run."), code="absent")
    i = ids.index(delivery.pk)
    j = i - 1 if up else i + 1
    if not 0 <= j < len(stops):
        return run
    stops[i], stops[j] = stops[j], stops[i]
    return _reordered(run, stops, actor, request)


def _reordered(run: Run, stops: list[Delivery], actor: User, request: Any) -> Run:
    """Write the run's new order of stops, audited with it."""
    _write_order(run, stops)
    audit.record(
        action="run.reordered",
        actor=actor,
        target=run,
        request=request,
        details={"deliveries": [d.pk for d in stops]},
    )
    return run


@transaction.atomic
def order_run(*, run: Run, actor: User, request: HttpRequest | None = None) -> Run:
    """Order the run's stops along the way again (after stops were added or moved)."""
    run = _lock_run(run)
    stops = ordered(_stops(run))
    return _reordered(run, stops, actor, request)


@transaction.atomic
def dissolve_run(*, run: Run, actor: User, request: HttpRequest | None = None) -> None:
    """Undo the batch: its deliveries keep their day and courier and can join other runs."""
    run = _lock_run(run)
    audit.record(
        action="run.dissolved",
        actor=actor,
        target=run,
        request=request,
        details={"deliveries": [d.pk for d in _stops(run)]},
    )
    run.delete()


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
        lat=None,
        lon=None,
        person=None,
        updated_at=now,
    )


@transaction.atomic
def take_delivery(
    *, delivery_id: int, courier: User, actor: User, request: HttpRequest | None = None
) -> None:
    """Give a scheduled delivery that has no courier to ``courier`` (a volunteer taking a
    task, or a coordinator giving it to one). One conditional UPDATE: when someone took it
    meanwhile, nothing changes and :class:`DeliveryError` (code ``taken``) says so."""
    taken = Delivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.SCHEDULED, assigned_to__isnull=True
    ).update(assigned_to=courier, updated_at=timezone.now())
    if not taken:
        raise DeliveryError(_("Someone else has already taken this delivery."), code="taken")
    audit.record(
        action="delivery.taken",
        actor=actor,
        target=Delivery(pk=delivery_id),
        request=request,
        details={"assigned_to": courier.pk},
    )


@transaction.atomic
def release_delivery(
    *, delivery_id: int, courier: User, actor: User, request: HttpRequest | None = None
) -> None:
    """``courier`` gives back a delivery still to be made: it has no courier again. Refused
    (:class:`DeliveryError`) once it is on its way or done, or when it is someone else's."""
    released = Delivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.SCHEDULED, assigned_to=courier
    ).update(assigned_to=None, updated_at=timezone.now())
    if not released:
        raise DeliveryError(_("This delivery can no longer be changed."), code="not_yours")
    audit.record(
        action="delivery.released",
        actor=actor,
        target=Delivery(pk=delivery_id),
        request=request,
        details={"released_by": courier.pk},
    )
