"""Activities: programmes of sessions (online lessons, workshops, events) and who registers.

A programme is for children (an age range) or for adults; online, in person or both. Its
sessions are materialised rows, made from its schedule (one-off or recurring, with exceptions
and public holidays skipped). People register for the whole programme: a guardian for a child
of theirs (a :class:`Child`: first name and year of birth, with the parental consent's version
and time), or an adult for themselves.

Capacity is kept by the database (ADR 0028, as appointments do in ADR 0009): a registration
holding a place owns a **seat** number 1…capacity, and a partial unique index on
(programme, seat) among confirmed and offered registrations lets one registration own each
seat. Waitlisted registrations hold no seat; their order is their id (arrival order).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dimos.core.models import Translated
from dimos.core.storage import private_storage  # migrations name it here too

LANGUAGES = (
    ("el", _("Greek")),
    ("en", _("English")),
    ("fr", _("French")),
    ("de", _("German")),
    ("bg", _("Bulgarian")),
    ("sq", _("Albanian")),
)


class Subject(models.TextChoices):
    ARTS = "arts", _("Arts and crafts")
    MUSIC = "music", _("Music")
    SCIENCE = "science", _("Science and maths")
    TECHNOLOGY = "technology", _("Technology and coding")
    LANGUAGES = "languages", _("Languages and reading")
    SPORT = "sport", _("Sport and movement")
    ENVIRONMENT = "environment", _("Environment")
    CIVIC = "civic", _("The city and its people")
    OTHER = "other", pgettext_lazy("activity subject", "Other")


class Audience(models.TextChoices):
    CHILDREN = "children", _("Children")
    ADULTS = "adults", _("Adults")


class Kind(models.TextChoices):
    LESSON = "lesson", _("Lesson")
    WORKSHOP = "workshop", _("Workshop")
    EVENT = "event", _("Event")


class Mode(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    HYBRID = "hybrid", _("Online and in person")


class Repeat(models.TextChoices):
    ONCE = "once", _("Once")
    DAILY = "daily", _("Every day")
    WEEKLY = "weekly", _("Every week")


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", pgettext_lazy("programme", "Cancelled")


class ProgrammeQuerySet(models.QuerySet["Programme"]):
    def published(self) -> ProgrammeQuerySet:
        return self.filter(status=ProgrammeStatus.PUBLISHED)

    def organised_by(self, user: Any) -> ProgrammeQuerySet:
        return self.filter(organisers=user)


class Programme(models.Model):
    """A lesson, a workshop series or an event, with its schedule and its rules."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.LESSON)
    title_el = models.CharField(_("title (Greek)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_el = models.TextField(_("description (Greek)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    subject = models.CharField(
        _("subject"), max_length=20, choices=Subject.choices, default=Subject.OTHER
    )
    organiser_name = models.CharField(
        _("organiser"),
        max_length=200,
        help_text=_("A department, a school or a volunteer teacher, as the public sees it."),
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="organised_programmes",
        blank=True,
        verbose_name=_("organisers who see the participants"),
    )
    audience = models.CharField(
        _("for"), max_length=20, choices=Audience.choices, default=Audience.CHILDREN
    )
    age_min = models.PositiveSmallIntegerField(_("youngest age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("oldest age"), null=True, blank=True)
    mode = models.CharField(_("where"), max_length=20, choices=Mode.choices, default=Mode.ONLINE)
    video_url = models.URLField(
        _("link of the online session"),
        max_length=500,
        blank=True,
        help_text=_("Shown only to people with a confirmed place, never on public pages."),
    )
    place_name = models.CharField(_("place"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    registration_opens = models.DateTimeField(_("registration opens"))
    registration_closes = models.DateTimeField(_("registration closes"))
    teams = models.BooleanField(_("participants register with a team name"), default=False)
    check_in = models.BooleanField(_("check-in with a QR code at the door"), default=False)
    certificate = models.BooleanField(_("certificate of attendance"), default=False)
    # The schedule the sessions are made from (services.schedule_sessions).
    first_start = models.DateTimeField(_("first session starts"))
    duration_minutes = models.PositiveIntegerField(_("length in minutes"), default=60)
    repeat = models.CharField(
        _("repeats"), max_length=10, choices=Repeat.choices, default=Repeat.ONCE
    )
    repeat_until = models.DateField(_("repeats until"), null=True, blank=True)
    skip_holidays = models.BooleanField(_("no sessions on public holidays"), default=True)
    exceptions = models.JSONField(_("days without a session"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    ends_at = models.DateTimeField(_("last session ends"), null=True, blank=True)
    # After retention erased the participants: the anonymous counts that remain.
    participants_erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    kept_counts = models.JSONField(default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ("first_start", "pk")
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        permissions = [
            ("manage_all_programmes", "Can schedule every programme and name its organisers")
        ]
        indexes = [models.Index(fields=["status", "first_start"], name="act_prog_status_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_closes__gt=models.F("registration_opens")),
                name="act_registration_window",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="act_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.title_el

    title = Translated("title")
    description = Translated("description")

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("activities:detail", args=[self.pk])

    @property
    def for_children(self) -> bool:
        return self.audience == Audience.CHILDREN

    @property
    def online(self) -> bool:
        return self.mode in (Mode.ONLINE, Mode.HYBRID)

    @property
    def in_person(self) -> bool:
        return self.mode in (Mode.IN_PERSON, Mode.HYBRID)

    def registration_open(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return (
            self.status == ProgrammeStatus.PUBLISHED
            and self.registration_opens <= now < self.registration_closes
        )

    def language_names(self) -> list[str]:
        names = dict(LANGUAGES)
        return [str(names[code]) for code in self.languages if code in names]

    def age_fits(self, age: int) -> bool:
        return (self.age_min is None or age >= self.age_min) and (
            self.age_max is None or age <= self.age_max
        )


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", pgettext_lazy("session", "Cancelled")


class Session(models.Model):
    """One meeting of a programme. A moved session keeps its row (and its attendance)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    moved_from = models.DateTimeField(_("was at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ("starts_at", "pk")
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["starts_at"], name="act_session_start")]

    def __str__(self) -> str:
        return f"{self.programme_id} @ {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED


class Material(models.Model):
    """A link or a file for the people registered (never on a public page)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(
        _("file"),
        storage=private_storage,
        upload_to="activities/%Y/%m/",
        max_length=200,
        blank=True,
    )
    after_session = models.BooleanField(
        _("shown after the first session"),
        default=False,
        help_text=_("Notes and recordings: shown once the first session has taken place."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "pk")
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.title


class Child(models.Model):
    """A child of a guardian's account: the least data — first name and year of birth —
    and the parental consent the guardian gave, with its version and time."""

    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activity_children"
    )
    first_name = models.CharField(_("first name"), max_length=60)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    consent_version = models.PositiveSmallIntegerField(_("consent version"))
    consent_at = models.DateTimeField(_("consent given at"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("birth_year", "first_name", "pk")
        verbose_name = _("child")
        verbose_name_plural = _("children")

    def __str__(self) -> str:
        return self.first_name

    def age_in(self, year: int) -> int:
        """The age the child reaches in ``year`` (a programme's year)."""
        return year - self.birth_year


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    OFFERED = "offered", _("A place is offered")
    WAITLISTED = "waitlisted", _("On the waitlist")
    CANCELLED = "cancelled", pgettext_lazy("registration", "Cancelled")
    EXPIRED = "expired", _("Offer expired")


HOLDS_SEAT = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)
ACTIVE = (*HOLDS_SEAT, RegistrationStatus.WAITLISTED)


def new_check_in_code() -> str:
    return secrets.token_urlsafe(12)


class Registration(models.Model):
    """A place (or a place in the queue) of one participant in one programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="registrations")
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="activity_registrations",
    )
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, null=True, blank=True, related_name="registrations"
    )
    team_name = models.CharField(_("team name"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    seat = models.PositiveIntegerField(null=True, blank=True, editable=False)
    offer_expires_at = models.DateTimeField(_("confirm by"), null=True, blank=True)
    check_in_code = models.CharField(max_length=32, unique=True, default=new_check_in_code)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("pk",)
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "seat"],
                condition=Q(status__in=HOLDS_SEAT),
                name="act_one_registration_per_seat",
            ),
            models.UniqueConstraint(
                fields=["programme", "child"],
                condition=Q(status__in=ACTIVE, child__isnull=False),
                name="act_child_once_per_programme",
            ),
            models.UniqueConstraint(
                fields=["programme", "account"],
                condition=Q(status__in=ACTIVE, child__isnull=True),
                name="act_adult_once_per_programme",
            ),
            models.CheckConstraint(
                condition=Q(status__in=HOLDS_SEAT, seat__isnull=False)
                | (~Q(status__in=HOLDS_SEAT) & Q(seat__isnull=True)),
                name="act_seat_iff_holding",
            ),
        ]
        indexes = [models.Index(fields=["programme", "status"], name="act_reg_prog_status")]

    def __str__(self) -> str:
        return f"{self.programme_id}/{self.pk}"

    @property
    def participant(self) -> str:
        if self.child_id:
            return self.child.first_name if self.child else ""
        return self.account.get_full_name() or self.account.email

    @property
    def holds_seat(self) -> bool:
        return self.status in HOLDS_SEAT

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


class Attendance(models.Model):
    """Whether a registered participant was at one session (taken by the organiser)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendance"
    )
    present = models.BooleanField(_("present"), default=False)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "registration"], name="act_attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.registration_id}"
