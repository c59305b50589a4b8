"""Volunteers: who gives their time, what they can do, where and when, and their vetting.

A volunteer is one resident's account (one row per person) moving through the states of
:data:`dimos.volunteers.services.WORKFLOW`. Skills and the code of conduct are edited by staff
in the admin (Greek/English pairs, ADR 0006). Hours are a log the volunteer adds to; other
services (relief's tasks) add theirs with a ``source`` and ``reference`` of their own, so this
app never needs to know them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dimos.core.models import TimelineEntry, Translated
from dimos.core.storage import private_storage  # migrations name it here too


class Skill(models.Model):
    """Something a volunteer can do (driving, shopping, phone calls…), kept in the admin."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_el = models.CharField(_("name (Greek)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    is_active = models.BooleanField(_("offered in the sign-up form"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ("order", "name_el")
        verbose_name = _("volunteer skill")
        verbose_name_plural = _("volunteer skills")

    def __str__(self) -> str:
        return self.name_el

    name = Translated("name")


class ConductQuerySet(models.QuerySet["CodeOfConduct"]):
    def published(self) -> ConductQuerySet:
        return self.filter(published_at__isnull=False, published_at__lte=timezone.now())


class CodeOfConduct(models.Model):
    """One version of the volunteers' code of conduct. The newest published one is in force:
    a volunteer who accepted an older one is asked to accept it again."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    text_el = models.TextField(_("text (Greek)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    published_at = models.DateTimeField(
        _("published"),
        null=True,
        blank=True,
        help_text=_(
            "Empty while it is a draft. Once published, volunteers are asked to accept it."
        ),
    )

    objects = ConductQuerySet.as_manager()

    class Meta:
        ordering = ("-version",)
        verbose_name = _("code of conduct")
        verbose_name_plural = _("codes of conduct")

    def __str__(self) -> str:
        return f"v{self.version}"

    text = Translated("text")


class Status(models.TextChoices):
    APPLIED = "applied", pgettext_lazy("volunteer status", "Applied")
    APPROVED = "approved", pgettext_lazy("volunteer status", "Approved")
    REJECTED = "rejected", pgettext_lazy("volunteer status", "Not accepted")
    PAUSED = "paused", pgettext_lazy("volunteer status", "Paused")
    RETIRED = "retired", pgettext_lazy("volunteer status", "Retired")


# Volunteers who are, or may again be, on the municipality's list.
CURRENT_STATUSES = (Status.APPLIED, Status.APPROVED, Status.PAUSED)


class IdentityMethod(models.TextChoices):
    VERIFIED_ACCOUNT = "account", _("verified account (national eID)")
    ID_DOCUMENT = "id_document", _("identity document seen in person")
    VIDEO_CALL = "video_call", _("identity document shown on a video call")
    KNOWN = "known", _("known to the coordinator in person")


LANGUAGES: tuple[tuple[str, Any], ...] = (
    ("el", _("Greek")),
    ("en", _("English")),
    ("bg", _("Bulgarian")),
    ("sq", _("Albanian")),
    ("ru", _("Russian")),
    ("uk", _("Ukrainian")),
    ("ar", _("Arabic")),
    ("tr", _("Turkish")),
    ("de", _("German")),
    ("fr", _("French")),
)

DAYS: tuple[tuple[int, Any], ...] = (
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
)
PERIODS: tuple[tuple[int, Any], ...] = (
    (0, _("morning")),
    (1, _("afternoon")),
    (2, _("evening")),
)


def slot_bit(day: int, period: int) -> int:
    """The bit of one weekly slot (day 0 = Monday, period 0 = morning) in ``availability``."""
    return 1 << (day * len(PERIODS) + period)


ALL_SLOTS = (1 << (len(DAYS) * len(PERIODS))) - 1


def slots_of(mask: int) -> list[tuple[int, int]]:
    """The (day, period) pairs a mask holds, Monday morning first."""
    return [(d, p) for d, _x in DAYS for p, _y in PERIODS if mask & slot_bit(d, p)]


class VolunteerQuerySet(models.QuerySet["Volunteer"]):
    def active(self) -> VolunteerQuerySet:
        return self.filter(status=Status.APPROVED)

    def available_at(self, day: int, period: int) -> VolunteerQuerySet:
        """Volunteers who said they are free in this weekly slot (a bit test in SQL)."""
        bit = slot_bit(day, period)
        return self.annotate(_free=models.F("availability").bitand(bit)).filter(_free=bit)


class Volunteer(models.Model):
    """A resident who offered to volunteer, what they can do, where and when, and their vetting.

    ``availability`` holds the weekly slots as bits (:func:`slot_bit`), so "free on Tuesday
    morning" is one indexed-column test in SQL. The phone is for coordinators only: it is never
    shown on a public page, to beneficiaries or to other volunteers.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="volunteer",
        verbose_name=_("account"),
    )
    phone = models.CharField(_("mobile phone"), max_length=30)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    skills = models.ManyToManyField(
        Skill, related_name="volunteers", blank=True, verbose_name=_("skills")
    )
    has_car = models.BooleanField(_("has a car"), default=False)
    districts = models.ManyToManyField(
        "core.District", related_name="+", blank=True, verbose_name=_("districts")
    )
    availability = models.PositiveIntegerField(_("weekly availability"), default=0)
    about = models.TextField(_("anything else coordinators should know"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.APPLIED, db_index=True
    )
    status_reason = models.TextField(_("reason"), blank=True)
    applied_at = models.DateTimeField(_("applied"), default=timezone.now, db_index=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("not accepted or retired"), null=True, blank=True)
    conduct = models.ForeignKey(
        CodeOfConduct,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("code of conduct accepted"),
    )
    conduct_accepted_at = models.DateTimeField(_("code of conduct accepted"), null=True, blank=True)
    identity_method = models.CharField(
        _("how identity was checked"), max_length=20, choices=IdentityMethod.choices, blank=True
    )
    identity_notes = models.CharField(_("identity check notes"), max_length=300, blank=True)
    identity_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("identity checked by"),
    )
    identity_checked_at = models.DateTimeField(_("identity checked at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VolunteerQuerySet.as_manager()

    class Meta:
        ordering = ("-applied_at", "-pk")
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        constraints = [
            models.CheckConstraint(
                condition=Q(availability__lte=ALL_SLOTS), name="volunteer_availability_in_week"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def full_name(self) -> str:
        return self.user.get_full_name() or self.user.email

    @property
    def identity_checked(self) -> bool:
        return self.identity_checked_at is not None

    def language_names(self) -> list[str]:
        names = dict(LANGUAGES)
        return [str(names[code]) for code in self.languages if code in names]

    def slots(self) -> list[tuple[int, int]]:
        return slots_of(self.availability)


class EventKind(models.TextChoices):
    STATUS = "status", _("status change")
    APPLIED = "applied", _("application")
    IDENTITY = "identity", _("identity checked")
    DOCUMENT = "document", _("document added")
    CONDUCT = "conduct", _("code of conduct accepted")
    PROFILE = "profile", _("details changed")


class VolunteerEvent(TimelineEntry):
    """A volunteer's history: the volunteer sees the public events, coordinators all."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    status = models.CharField(max_length=20, choices=Status.choices)
    message = models.TextField(blank=True)
    public = models.BooleanField(default=True)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"{self.volunteer_id} {self.kind} {self.status}"

    @classmethod
    def for_move(cls, move: Any) -> VolunteerEvent:
        return cls(
            volunteer=move.case,
            kind=move.transition.kind,
            status=move.case.status,
            message=move.note,
            actor=move.actor,
        )


class ConductAcceptance(models.Model):
    """That a volunteer accepted one version of the code of conduct, and when."""

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="conduct_acceptances"
    )
    conduct = models.ForeignKey(CodeOfConduct, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("accepted_at", "pk")
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "conduct"], name="volunteer_conduct_once")
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} {self.conduct_id}"


class VolunteerDocument(models.Model):
    """A document staff added while vetting (a criminal record extract, a driving licence)."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="documents")
    label = models.CharField(_("what it is"), max_length=200)
    file = models.FileField(storage=private_storage, upload_to="volunteers/%Y/%m/", max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return self.label


class VolunteerHours(models.Model):
    """Hours a volunteer gave: logged by them, or by another service for one of its tasks
    (``source`` and ``reference``, as deliveries do; empty when the volunteer logged them)."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="hours")
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2)
    description = models.CharField(_("what you did"), max_length=300)
    source = models.CharField(max_length=30, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-date", "-pk")
        verbose_name = _("volunteer hours")
        verbose_name_plural = _("volunteer hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=Decimal("0")) & Q(hours__lte=Decimal("24")),
                name="volunteer_hours_in_a_day",
            ),
        ]
        indexes = [models.Index(fields=["date"], name="volunteer_hours_date")]

    def __str__(self) -> str:
        return f"{self.volunteer_id} {self.date} {self.hours}"
