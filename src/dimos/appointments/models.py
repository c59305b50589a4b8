"""Appointments: service centres, their hours and desks, service types, slots and bookings.

Capacity is enforced by the database (the ADR "appointment capacity" in docs/adr/ explains why):
a booking occupies one numbered *seat* of a slot, seats are numbered 1…capacity, and a partial
unique index allows one active booking per (slot, seat). A second partial unique index allows
one active booking per person, service and day.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core.models import Translated


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("By video call")


class Centre(models.Model):
    """A citizen service centre (ΚΕΠ) or any office where people are seen by appointment."""

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name_el = models.CharField(_("name (Greek)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    address_el = models.CharField(_("address (Greek)"), max_length=300)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("takes appointments"), default=True)
    # The desk staff of this centre: a clerk sees and acts on this centre's bookings only.
    clerks = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="appointment_centres",
        verbose_name=_("clerks working here"),
        help_text=_("Service centre clerks see, check in and book at this centre only."),
    )

    name = Translated("name")
    address = Translated("address")

    class Meta:
        verbose_name = _("service centre")
        verbose_name_plural = _("service centres")
        ordering = ["name_el"]

    def __str__(self) -> str:
        return str(self.name)


class OpeningHours(models.Model):
    """One opening period of a centre on a weekday; a weekday may have several (split shift)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["centre", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")), name="appt_hours_closes_after_opens"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="appt_hours_weekday_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Closure(models.Model):
    """Days a centre is closed besides weekends and public holidays (or a day staff blocked)."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="closures")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to (inclusive)"))
    reason_el = models.CharField(_("reason (Greek)"), max_length=200, blank=True)
    reason_en = models.CharField(_("reason (English)"), max_length=200, blank=True)

    reason = Translated("reason")

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["centre", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="appt_closure_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.centre} {self.starts_on}–{self.ends_on}"


class ServiceType(models.Model):
    """What a resident books: its length, what to bring, how it happens and its rules."""

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name_el = models.CharField(_("name (Greek)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_el = models.TextField(_("description (Greek)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    documents_el = models.TextField(_("documents to bring (Greek)"), blank=True)
    documents_en = models.TextField(_("documents to bring (English)"), blank=True)
    mode = models.CharField(_("how"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=15)
    buffer_minutes = models.PositiveSmallIntegerField(_("buffer after (minutes)"), default=0)
    min_notice_hours = models.PositiveSmallIntegerField(_("minimum notice (hours)"), default=2)
    max_days_ahead = models.PositiveSmallIntegerField(_("bookable days ahead"), default=30)
    change_deadline_hours = models.PositiveSmallIntegerField(
        _("cancel or reschedule up to (hours before)"), default=24
    )
    is_confidential = models.BooleanField(
        _("confidential (counselling)"),
        default=False,
        help_text=_("Only the assigned counsellor and the supervisors see who booked and why."),
    )
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="supervised_services",
        verbose_name=_("supervisors"),
    )
    is_active = models.BooleanField(_("bookable"), default=True)

    name = Translated("name")
    description = Translated("description")
    documents = Translated("documents")

    class Meta:
        verbose_name = _("service type")
        verbose_name_plural = _("service types")
        ordering = ["name_el"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5, duration_minutes__lte=480),
                name="appt_service_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(max_days_ahead__gte=1, max_days_ahead__lte=366),
                name="appt_service_window_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.name)

    @property
    def step_minutes(self) -> int:
        return self.duration_minutes + self.buffer_minutes


class Desk(models.Model):
    """A desk (or a counsellor) at a centre; each desk serving a service adds one seat a slot."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="desks")
    name = models.CharField(_("name"), max_length=100)
    services = models.ManyToManyField(
        ServiceType, related_name="desks", blank=True, verbose_name=_("services")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointment_desks",
        verbose_name=_("staffed by (the counsellor, for confidential services)"),
    )
    is_active = models.BooleanField(_("open"), default=True)

    class Meta:
        verbose_name = _("desk")
        verbose_name_plural = _("desks")
        ordering = ["centre", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.centre} · {self.name}"


class Slot(models.Model):
    """A bookable time of a service at a centre, materialised so bookings can point at it.

    ``capacity`` is the number of desks serving the service; bookings take seats 1…capacity.
    """

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="slots")
    service = models.ForeignKey(ServiceType, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField()
    blocked = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "centre", "starts_at"], name="appt_slot_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="appt_slot_order"
            ),
        ]
        indexes = [models.Index(fields=["centre", "starts_at"], name="appt_slot_centre_start")]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.service} · {self.centre} · {local:%Y-%m-%d %H:%M}"


def new_reference() -> str:
    # 8 characters from an alphabet without look-alikes (0/O, 1/I/L): read out on the phone.
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(8))


def new_token() -> str:
    return secrets.token_urlsafe(24)


class BookingQuerySet(models.QuerySet["Booking"]):
    def active(self) -> BookingQuerySet:
        return self.filter(status__in=Booking.ACTIVE)

    def occupying(self, now: datetime | None = None) -> BookingQuerySet:
        """Bookings that take a seat now: active ones, less holds that have expired."""
        now = now or timezone.now()
        return self.filter(
            Q(status__in=Booking.BOOKED) | Q(status=Booking.Status.HELD, hold_expires_at__gt=now)
        )

    def visible_to_clerks(self) -> BookingQuerySet:
        return self.filter(service__is_confidential=False)


class Booking(models.Model):
    """A seat of a slot taken by a person: held while they confirm, then booked."""

    class Status(models.TextChoices):
        HELD = "held", _("Held while confirming")
        CONFIRMED = "confirmed", _("Booked")
        CHECKED_IN = "checked_in", _("Checked in")
        SERVED = "served", _("Served")
        NO_SHOW = "no_show", _("Did not come")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Hold expired")
        RELEASED = "released", _("Hold released")

    class Source(models.TextChoices):
        WEB = "web", _("Online")
        API = "api", _("API")
        PHONE = "phone", _("By phone, entered by staff")

    # Statuses that keep the seat (and count for "one per person per service per day").
    ACTIVE = ("held", "confirmed", "checked_in", "served", "no_show")
    BOOKED = ("confirmed", "checked_in", "served", "no_show")

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    seat = models.PositiveSmallIntegerField()
    # Denormalised from the slot so the database can enforce one booking per person per day.
    service = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="bookings")
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="bookings")
    day = models.DateField()
    starts_at = models.DateTimeField(db_index=True)
    desk = models.ForeignKey(
        Desk, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.HELD)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    reference = models.CharField(max_length=12, unique=True, default=new_reference)
    manage_token = models.CharField(max_length=40, unique=True, default=new_token)
    # Who: an account, or a caller booked by staff (identified by phone or email).
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointment_bookings",
    )
    person_key = models.CharField(max_length=260)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    reason = models.TextField(_("what it is about"), blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    ics_sequence = models.PositiveSmallIntegerField(default=0)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at", "pk"]
        permissions = [
            ("counsel", _("Can hold counselling sessions assigned to them")),
            ("supervise_counselling", _("Can supervise a confidential service")),
        ]
        constraints = [
            # The guarantee: one active booking per seat, and seats are 1…capacity.
            models.UniqueConstraint(
                fields=["slot", "seat"],
                condition=Q(status__in=("held", "confirmed", "checked_in", "served", "no_show")),
                name="appt_one_booking_per_seat",
            ),
            models.UniqueConstraint(
                fields=["person_key", "service", "day"],
                condition=Q(status__in=("held", "confirmed", "checked_in", "served", "no_show")),
                name="appt_one_per_person_service_day",
            ),
            models.CheckConstraint(condition=Q(seat__gte=1), name="appt_seat_positive"),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(hold_expires_at__isnull=False),
                name="appt_hold_has_expiry",
            ),
        ]
        indexes = [
            models.Index(fields=["slot", "status"], name="appt_booking_slot_status"),
            models.Index(fields=["person_key", "status"], name="appt_booking_person"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def ends_at(self) -> datetime:
        return self.slot.ends_at

    @property
    def is_booked(self) -> bool:
        return self.status == self.Status.CONFIRMED


class SessionNote(models.Model):
    """A counsellor's note on a confidential session: seen by the counsellor and supervisors."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("session note")
        verbose_name_plural = _("session notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.booking} · {self.created_at:%Y-%m-%d}"


def _feed_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class FeedToken(models.Model):
    """A staff member's calendar feed link: shown once, stored hashed, expiring, revocable.

    One per person; making a new one replaces the old. It stops working when it expires,
    when it is revoked, and when the person is deactivated or loses the role.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appointment_feed"
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("calendar feed link")
        verbose_name_plural = _("calendar feed links")

    def __str__(self) -> str:
        return f"{self.user_id} · {self.created_at:%Y-%m-%d}"

    @classmethod
    def generate(cls) -> tuple[str, str]:
        """A new raw token and its hash."""
        raw = secrets.token_urlsafe(32)
        return raw, _feed_hash(raw)

    @classmethod
    def find(cls, raw: str) -> FeedToken | None:
        return cls.objects.select_related("user").filter(key_hash=_feed_hash(raw)).first()

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
