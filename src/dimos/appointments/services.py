"""Writes on appointments: holding a slot, booking, cancelling, moving, and the desk's work.

The no-double-booking guarantee lives in :func:`_take_seat`: a booking is an INSERT (or, when
moved, an UPDATE) of a (slot, seat) pair that a partial unique index allows once among active
bookings, with seats numbered 1…capacity. Two people racing for the last seat both try the same
seat number; the database lets one through and the other gets an IntegrityError, re-reads the
seats and either takes another one or is told the slot was just taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.appointments import ics
from dimos.appointments.conf import conf
from dimos.appointments.models import Booking, Closure, FeedToken, SessionNote, Slot
from dimos.appointments.slots import (
    SlotView,
    availability_changed,
    cached_next_free,
    desks_for,
    is_bookable_time,
    service_and_centre,
)
from dimos.core import audit, transactions
from dimos.core.models import Notification
from dimos.core.notifications import Attachment, notify
from dimos.core.tasks import enqueue_on_commit
from dimos.core.workflow import Move, Refused, Transition, Workflow

if TYPE_CHECKING:
    from datetime import date

    from django.http import HttpRequest

    from dimos.accounts.models import User
    from dimos.appointments.models import Centre


class BookingError(Refused):
    """A booking action that is not allowed; the message is shown to the person."""

    code = "invalid"

    def __init__(self, message: Any, code: str = "") -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code


class SlotTaken(BookingError):
    """Every seat of the slot was taken a moment ago; ``alternatives`` are the next free ones."""

    code = "slot_taken"

    def __init__(self, slot: Slot) -> None:
        super().__init__(_("Sorry, this time was just taken by someone else."))
        self.slot = slot
        self.alternatives: list[SlotView] = []

    def offer_alternatives(self) -> list[SlotView]:
        # Kept under the availability generation, which every booking changes: as current as
        # the free times themselves (cached_next_free).
        self.alternatives = cached_next_free(self.slot.service, self.slot.centre)
        return self.alternatives


WINDOW_ERRORS = {
    "past": _("This time is in the past."),
    "too_soon": _("This time is too soon: it must be booked further in advance."),
    "beyond_window": _("This time is too far ahead: it cannot be booked yet."),
    "closed": _("The centre is closed on that day."),
    "unavailable": _("This time cannot be booked."),
}


@dataclass(frozen=True)
class Person:
    """Who a booking is for: an account, or a caller identified by phone or email."""

    user: User | None = None
    name: str = ""
    email: str = ""
    phone: str = ""

    @property
    def key(self) -> str:
        if self.user is not None:
            return f"user:{self.user.pk}"
        digits = re.sub(r"\D", "", self.phone)
        if digits:
            return f"phone:{digits[-10:]}"
        if self.email:
            return f"email:{self.email.strip().lower()}"
        raise BookingError(_("A phone number or an email address is needed."), "invalid")

    @property
    def display_name(self) -> str:
        if self.user is not None:
            return self.name or self.user.get_full_name() or self.user.email
        return self.name

    @property
    def contact_email(self) -> str:
        return self.email or (self.user.email if self.user is not None else "")

    @property
    def contact_phone(self) -> str:
        return self.phone or (getattr(self.user, "phone", "") if self.user is not None else "")


def _slot_pk(slot_id: Any) -> int:
    try:
        return int(str(slot_id))
    except (TypeError, ValueError):
        raise BookingError(_("This time does not exist."), "invalid_slot") from None


def get_slot(slot_id: Any) -> Slot:
    """The slot with this id (as sent by a form or a client), or a clear error."""
    slot = Slot.objects.select_related("service", "centre").filter(pk=_slot_pk(slot_id)).first()
    if slot is None:
        raise BookingError(_("This time does not exist."), "invalid_slot")
    return slot


def check_bookable(slot: Slot, now: datetime | None = None) -> None:
    problem = is_bookable_time(slot, now)
    if problem:
        raise BookingError(WINDOW_ERRORS[problem], problem)


def _is_day_conflict(exc: IntegrityError) -> bool:
    text = str(exc)
    return "appt_one_per_person_service_day" in text or "person_key" in text


def _free_seats(slot: Slot) -> list[int]:
    taken = set(
        Booking.objects.filter(slot=slot, status__in=Booking.ACTIVE).values_list("seat", flat=True)
    )
    return [n for n in range(1, slot.capacity + 1) if n not in taken]


def _take_seat(slot: Slot, write: Any) -> int:
    """Run ``write(seat)`` for a free seat of ``slot`` until the database accepts one.

    ``write`` inserts or updates a booking on (slot, seat); it runs in a savepoint, so a seat
    taken by a concurrent transaction only undoes that attempt. When no seat is left, raises
    :class:`SlotTaken`.
    """
    now = timezone.now()
    # Holds that ran out free their seat for whoever comes next.
    Booking.objects.filter(slot=slot, status=Booking.Status.HELD, hold_expires_at__lte=now).update(
        status=Booking.Status.EXPIRED
    )
    for _attempt in range(slot.capacity + 1):
        seats = _free_seats(slot)
        if not seats:
            break
        try:
            with transaction.atomic():
                write(seats[0])
            availability_changed()
            return seats[0]
        except IntegrityError as exc:
            if _is_day_conflict(exc):
                raise BookingError(
                    _("You already have an appointment for this service on that day."),
                    "already_booked",
                ) from None
            # Someone took this seat between our read and our write: look again.
            continue
    raise SlotTaken(slot)


def _slot_with_counts(pk: int, person_key: str, now: datetime) -> Slot | None:
    """The slot, with ``taken`` (seats held or booked now) and ``missed`` (the person's
    no-shows in the counted period), in one statement.

    Plain SQL on purpose: every try in a rush runs it, and building the ORM's query with its
    two counting subqueries cost about a hundred times the lookups themselves (each uses an
    index). The service and the centre come from the cache (they change only in the admin).
    """
    slots = connection.ops.quote_name(Slot._meta.db_table)
    bookings = connection.ops.quote_name(Booking._meta.db_table)
    active = list(Booking.ACTIVE)
    since = timezone.localdate(now) - timedelta(days=conf.NO_SHOW_DAYS)
    sql = (
        "SELECT s.id, s.centre_id, s.service_id,"  # noqa: S608 - names, never values
        " s.starts_at, s.ends_at, s.capacity, s.blocked,"
        f" (SELECT COUNT(*) FROM {bookings} b WHERE b.slot_id = s.id"
        f" AND b.status IN ({', '.join(['%s'] * len(active))})"
        " AND NOT (b.status = %s AND b.hold_expires_at IS NOT NULL AND b.hold_expires_at <= %s))"
        " AS taken,"
        f" (SELECT COUNT(*) FROM {bookings} b WHERE b.person_key = %s AND b.status = %s"
        " AND b.day >= %s) AS missed"
        f" FROM {slots} s WHERE s.id = %s"
    )
    params = [
        *active,
        Booking.Status.HELD,
        connection.ops.adapt_datetimefield_value(now),
        person_key,
        Booking.Status.NO_SHOW,
        connection.ops.adapt_datefield_value(since),
        pk,
    ]
    found = list(Slot.objects.raw(sql, params))
    if not found:
        return None
    slot = found[0]
    slot.service, slot.centre = service_and_centre(slot.service_id, slot.centre_id)
    return slot


def _slot_to_book(slot_id: Any, person: Person, source: str, now: datetime) -> Slot:
    """The slot, after the refusals that need no write, read before any transaction.

    On SQLite a write transaction holds the database's one write lock: in a rush most tries
    are for a time already full, and answering those from a read keeps the lock for the ones
    that can succeed. A seat freed after this read is still found by :func:`_take_seat`; a
    slot full at this read was full at that moment, so "just taken" is the true answer. The
    refusals come in the same order as before: no such time, not bookable, suspended, taken.
    """
    try:
        key = person.key
    except BookingError:
        check_bookable(get_slot(slot_id), now)
        raise
    slot = _slot_with_counts(_slot_pk(slot_id), key, now)
    if slot is None:
        raise BookingError(_("This time does not exist."), "invalid_slot")
    check_bookable(slot, now)
    limit = conf.NO_SHOW_LIMIT
    if source != Booking.Source.PHONE and limit and slot.missed >= limit:  # type: ignore[attr-defined]
        raise BookingError(
            _(
                "Online booking is suspended for you after several missed appointments. "
                "Please call the centre to book."
            ),
            "suspended",
        )
    if slot.taken >= slot.capacity:  # type: ignore[attr-defined]
        raise SlotTaken(slot)
    return slot


def _new_booking(
    *,
    slot: Slot,
    person: Person,
    status: str,
    source: str,
    reason: str,
    now: datetime,
) -> Booking:
    # Release this person's earlier holds for the service: picking another time replaces them.
    Booking.objects.filter(
        person_key=person.key, service=slot.service, status=Booking.Status.HELD
    ).update(status=Booking.Status.RELEASED)
    desks = desks_for(slot.service, slot.centre)
    hold_until = now + timedelta(minutes=conf.HOLD_MINUTES)
    booking = Booking(
        slot=slot,
        service=slot.service,
        centre=slot.centre,
        day=timezone.localdate(slot.starts_at),
        starts_at=slot.starts_at,
        status=status,
        hold_expires_at=hold_until if status == Booking.Status.HELD else None,
        resident=person.user,
        person_key=person.key,
        name=person.display_name[:200],
        email=person.contact_email[:254],
        phone=person.contact_phone[:30],
        reason=reason.strip()[:4000],
        source=source,
        created_at=now,
        confirmed_at=now if status == Booking.Status.CONFIRMED else None,
    )

    def write(seat: int) -> None:
        booking.pk = None
        booking.seat = seat
        booking.desk = desks[seat - 1] if seat <= len(desks) else None
        booking.save(force_insert=True)

    _take_seat(slot, write)
    return booking


def hold_slot(*, slot_id: Any, person: Person, request: HttpRequest | None = None) -> Booking:
    """Hold a seat of a slot for a few minutes while the person confirms."""
    now = timezone.now()
    slot = _slot_to_book(slot_id, person, Booking.Source.WEB, now)
    with transaction.atomic():
        booking = _new_booking(
            slot=slot,
            person=person,
            status=Booking.Status.HELD,
            source=Booking.Source.WEB,
            reason="",
            now=now,
        )
        audit.record(action="appointment.held", actor=person.user, target=booking, request=request)
    return booking


def book_slot(
    *,
    slot_id: Any,
    person: Person,
    reason: str = "",
    source: str = Booking.Source.WEB,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> Booking:
    """Book a slot in one step (the API, and staff booking for a caller)."""
    now = timezone.now()
    slot = _slot_to_book(slot_id, person, source, now)
    with transaction.atomic():
        booking = _new_booking(
            slot=slot,
            person=person,
            status=Booking.Status.CONFIRMED,
            source=source,
            reason=reason,
            now=now,
        )
        _after_confirm(booking, actor=actor or person.user, request=request)
    return booking


def confirm_hold(
    *,
    booking: Booking,
    reason: str = "",
    phone: str = "",
    request: HttpRequest | None = None,
) -> Booking:
    """Turn a held seat into a booking. A hold past its time still counts if nobody took it."""
    with transaction.atomic():
        locked = Booking.objects.select_for_update().select_related("slot").get(pk=booking.pk)
        if locked.status != Booking.Status.HELD:
            if locked.status == Booking.Status.CONFIRMED:
                return locked
            raise BookingError(
                _("Your hold on this time ran out and the time is no longer held for you."),
                "hold_expired",
            )
        check_bookable(locked.slot)
        locked.status = Booking.Status.CONFIRMED
        locked.hold_expires_at = None
        locked.confirmed_at = timezone.now()
        locked.reason = reason.strip()[:4000]
        if phone:
            locked.phone = phone.strip()[:30]
        locked.save(update_fields=["status", "hold_expires_at", "confirmed_at", "reason", "phone"])
        _after_confirm(locked, actor=locked.resident, request=request)
    return locked


def manage_path(booking: Booking) -> str:
    """The manage page with the booking's key: a secret, sent only in outgoing messages."""
    return reverse("appointments:manage", args=[booking.reference]) + f"?key={booking.manage_token}"


def _notify(booking: Booking, kind: str, method: str = "REQUEST") -> None:
    invite = Attachment(
        filename=f"appointment-{booking.reference}.ics",
        content=ics.booking_calendar(booking, method=method),
        content_type=f"text/calendar; method={method}; charset=utf-8",
    )
    context = {"booking": booking, "confidential": booking.service.is_confidential}
    # The manage key goes only into the outgoing email/SMS (sealed until sent); the stored
    # message and the inbox link to the page without it, which its owner opens logged in.
    url = reverse("appointments:manage", args=[booking.reference])
    if booking.resident is not None:
        notify(
            kind=kind,
            recipient=booking.resident,
            context=context,
            url=url,
            private_url=manage_path(booking),
            attachments=[invite],
        )
    elif booking.email or booking.phone:
        notify(
            kind=kind,
            email=booking.email,
            phone=booking.phone,
            context=context,
            url=url,
            private_url=manage_path(booking),
            attachments=[invite],
        )


def _schedule_reminder(booking: Booking) -> None:
    from dimos.appointments.tasks import send_reminder

    when = booking.starts_at - timedelta(hours=conf.REMINDER_HOURS)
    if when > timezone.now():
        enqueue_on_commit(send_reminder, booking.pk, booking.starts_at.isoformat(), run_after=when)


def _after_confirm(booking: Booking, *, actor: User | None, request: HttpRequest | None) -> None:
    audit.record(
        action="appointment.booked",
        actor=actor,
        target=booking,
        request=request,
        details={"source": booking.source, "slot": booking.slot_id},
    )
    # The message (with its .ics) and the reminder are a worker's job once the booking is
    # committed: the write transaction holds only the booking and its audit entry.
    from dimos.appointments.tasks import send_confirmation

    enqueue_on_commit(send_confirmation, booking.pk)


def send_confirmation(*, booking_id: int) -> str:
    """The "booked" message with the calendar invitation, and the reminder's schedule.

    Once per booking: a second run (a retried task) finds the message and sends nothing.
    """
    booking = (
        Booking.objects.select_related("service", "centre", "slot", "resident")
        .filter(pk=booking_id, status=Booking.Status.CONFIRMED)
        .first()
    )
    if booking is None:
        return "skipped"
    url = reverse("appointments:manage", args=[booking.reference])
    if Notification.objects.filter(kind="appointments.confirmed", url=url).exists():
        return "skipped"
    _notify(booking, "appointments.confirmed")
    _schedule_reminder(booking)
    return "sent"


def can_change(booking: Booking, now: datetime | None = None) -> bool:
    """Whether the resident may still cancel or move the booking (before the deadline)."""
    now = now or timezone.now()
    deadline = booking.starts_at - timedelta(hours=booking.service.change_deadline_hours)
    return booking.status == Booking.Status.CONFIRMED and now < deadline


def cancel_booking(
    *,
    booking: Booking,
    actor: User | None,
    by_staff: bool = False,
    request: HttpRequest | None = None,
) -> Booking:
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.status != Booking.Status.CONFIRMED:
            raise BookingError(_("This appointment can no longer be cancelled."), "not_active")
        if not by_staff and not can_change(locked):
            raise BookingError(
                _("It is too late to cancel online: please call the centre."), "too_late"
            )
        locked.status = Booking.Status.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.ics_sequence += 1
        locked.save(update_fields=["status", "cancelled_at", "ics_sequence"])
        availability_changed()
        audit.record(
            action="appointment.cancelled",
            actor=actor,
            target=locked,
            request=request,
            details={"by_staff": by_staff},
        )
        _notify(locked, "appointments.cancelled", method="CANCEL")
    return locked


def reschedule_booking(
    *,
    booking: Booking,
    slot_id: Any,
    actor: User | None,
    by_staff: bool = False,
    request: HttpRequest | None = None,
) -> Booking:
    """Move a booking to another slot of the same service; it keeps its reference."""
    new_slot = get_slot(slot_id)
    if new_slot.service_id != booking.service_id:
        raise BookingError(_("This time is for another service."), "invalid_slot")
    check_bookable(new_slot)
    with transaction.atomic():
        locked = Booking.objects.select_for_update().select_related("slot").get(pk=booking.pk)
        if not by_staff and not can_change(locked):
            raise BookingError(
                _("It is too late to change this appointment online: please call the centre."),
                "too_late",
            )
        if locked.status != Booking.Status.CONFIRMED:
            raise BookingError(_("This appointment can no longer be changed."), "not_active")
        if locked.slot_id == new_slot.pk:
            return locked
        old_start = locked.starts_at
        desks = desks_for(new_slot.service, new_slot.centre)

        def write(seat: int) -> None:
            Booking.objects.filter(pk=locked.pk).update(
                slot=new_slot,
                seat=seat,
                centre=new_slot.centre,
                day=timezone.localdate(new_slot.starts_at),
                starts_at=new_slot.starts_at,
                desk=desks[seat - 1] if seat <= len(desks) else None,
                ics_sequence=locked.ics_sequence + 1,
                reminder_sent_at=None,
            )

        _take_seat(new_slot, write)
        locked.refresh_from_db()
        audit.record(
            action="appointment.rescheduled",
            actor=actor,
            target=locked,
            request=request,
            details={"from": old_start.isoformat(), "to": locked.starts_at.isoformat()},
        )
        _notify(locked, "appointments.rescheduled")
        _schedule_reminder(locked)
    return locked


def send_reminder(*, booking_id: int, starts_at: str) -> str:
    """The day-before reminder; skipped if the booking was cancelled or moved since."""
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("service", "centre", "slot", "resident")
            .filter(pk=booking_id)
            .first()
        )
        if booking is None or booking.status != Booking.Status.CONFIRMED:
            return "skipped"
        if booking.starts_at.isoformat() != starts_at or booking.reminder_sent_at is not None:
            return "skipped"
        booking.reminder_sent_at = timezone.now()
        booking.save(update_fields=["reminder_sent_at"])
        _notify(booking, "appointments.reminder")
    return "sent"


# --- The desk ---------------------------------------------------------------------------------


def _has_started(move: Move) -> None:
    if move.now < move.case.starts_at:
        raise BookingError(_("The appointment has not started yet."), "too_soon")


def _served(move: Move) -> None:
    """An appointment served is a completed transaction (dimos.core.transactions); a
    confidential session is not: nobody is asked to rate counselling."""
    booking: Booking = move.case
    if booking.service.is_confidential:
        return
    transactions.completed(
        "appointments.booking",
        booking.pk,
        user=booking.resident,
        email=booking.email,
        online=booking.source != Booking.Source.PHONE,
        started_at=booking.created_at,
    )


# The desk's moves, applied by the workflow kit (dimos.core.workflow).
DESK = Workflow(
    model=Booking,
    error=BookingError,
    transitions={
        "check_in": Transition(
            sources=(Booking.Status.CONFIRMED,),
            target=Booking.Status.CHECKED_IN,
            stamp=("checked_in_at",),
        ),
        "served": Transition(
            sources=(Booking.Status.CONFIRMED, Booking.Status.CHECKED_IN),
            target=Booking.Status.SERVED,
            stamp=("finished_at",),
            after=_served,
        ),
        "no_show": Transition(
            sources=(Booking.Status.CONFIRMED,),
            target=Booking.Status.NO_SHOW,
            stamp=("finished_at",),
            effect=_has_started,
        ),
    },
    audit_action="appointment.{action}",
    refusal=lambda booking, action, t: _("This cannot be done to this appointment now."),
)
DESK_TRANSITIONS = DESK.transitions


def desk_action(
    *, booking: Booking, action: str, actor: User, request: HttpRequest | None = None
) -> Booking:
    """Check a person in, mark them served, or record that they did not come."""
    return DESK.apply(booking, action, actor=actor, request=request).case  # type: ignore[no-any-return]


def set_slot_blocked(
    *, slot: Slot, blocked: bool, actor: User, request: HttpRequest | None = None
) -> None:
    with transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(blocked=blocked)
        availability_changed()
        audit.record(
            action="appointment.slot_blocked" if blocked else "appointment.slot_unblocked",
            actor=actor,
            target=slot,
            request=request,
            details={"at": f"{timezone.localtime(slot.starts_at):%Y-%m-%d %H:%M}"},
        )


def block_day(
    *,
    centre: Centre,
    day: date,
    reason: str,
    actor: User,
    request: HttpRequest | None = None,
) -> Closure:
    """Close a centre for a day: nothing more is booked; existing bookings stay listed."""
    with transaction.atomic():
        closure = Closure.objects.create(
            centre=centre,
            starts_on=day,
            ends_on=day,
            reason_el=reason[:200],
            reason_en=reason[:200],
        )
        availability_changed()
        audit.record(action="appointment.day_blocked", actor=actor, target=closure, request=request)
    return closure


# --- Confidential sessions --------------------------------------------------------------------


def is_confidential(booking_or_slot: Booking | Slot) -> bool:
    """Whether a booking or a time is of a confidential service (its audit entries are)."""
    return bool(booking_or_slot.service.is_confidential)


def can_see_confidential(user: Any, booking: Booking) -> bool:
    """Only the assigned counsellor and the service's supervisors see a confidential booking."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if booking.desk is not None and booking.desk.staff_id == user.pk:
        return bool(user.has_perm("appointments.counsel"))
    return bool(user.has_perm("appointments.supervise_counselling")) and (
        booking.service.supervisors.filter(pk=user.pk).exists()
    )


def add_session_note(
    *, booking: Booking, text: str, actor: User, request: HttpRequest | None = None
) -> SessionNote:
    if not can_see_confidential(actor, booking):
        raise BookingError(_("You cannot write notes on this session."), "forbidden")
    text = text.strip()
    if not text:
        raise BookingError(_("The note is empty."), "invalid")
    with transaction.atomic():
        note = SessionNote.objects.create(booking=booking, author=actor, text=text[:10000])
        # The note itself stays out of the audit log: only that one was written.
        audit.record(action="appointment.note_added", actor=actor, target=booking, request=request)
    return note


# --- Staff calendar feed links ------------------------------------------------------------------


def make_feed_link(*, user: User, request: HttpRequest | None = None) -> str:
    """A new calendar feed token for the staff member (replacing theirs); answers it raw, once.

    Only its hash is stored; it expires after ``DIMOS_APPOINTMENTS_FEED_DAYS``.
    """
    raw, digest = FeedToken.generate()
    now = timezone.now()
    with transaction.atomic():
        FeedToken.objects.filter(user=user).delete()
        token = FeedToken.objects.create(
            user=user,
            key_hash=digest,
            created_at=now,
            expires_at=now + timedelta(days=conf.FEED_DAYS),
        )
        audit.record(
            action="appointment.feed_link_created",
            actor=user,
            target=token,
            request=request,
            details={"expires_at": token.expires_at.isoformat()},
        )
    return raw


def revoke_feed_link(*, user: User, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        token = FeedToken.objects.filter(user=user).first()
        if token is None:
            return
        audit.record(
            action="appointment.feed_link_revoked", actor=user, target=token, request=request
        )
        token.delete()
