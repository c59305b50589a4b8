"""Core data: the municipality profile, its districts, the audit log and notifications."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dimos.core import geo


def localized(obj: Any, field: str) -> str:
    """The value of ``field_<lang>`` in the active language, falling back to Greek."""
    lang = (get_language() or settings.LANGUAGE_CODE)[:2]
    value = getattr(obj, f"{field}_{lang}", "") or getattr(obj, f"{field}_el", "")
    return str(value or "")


class Translated:
    """A read-only attribute giving ``<field>_<lang>`` in the active language (Greek fallback).

    ``name = Translated("name")`` on a model with ``name_el`` and ``name_en`` fields.
    """

    def __init__(self, field: str) -> None:
        self.field = field

    def __get__(self, obj: Any, objtype: Any = None) -> Any:
        return self if obj is None else localized(obj, self.field)


def validate_polygon(value: Any) -> None:
    try:
        geo.parse_polygon(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


class Municipality(models.Model):
    """The municipality this installation serves: identity, contact details and boundary.

    One row (pk=1); the seam for a per-municipality look and feel.
    """

    name_el = models.CharField(_("name (Greek)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    slug = models.SlugField(_("short name"), max_length=50, unique=True)
    logo = models.FileField(_("logo"), upload_to="municipality/", blank=True)
    address_el = models.CharField(_("address (Greek)"), max_length=300, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    boundary = models.JSONField(
        _("boundary"),
        default=dict,
        blank=True,
        validators=[validate_polygon],
        help_text=_("GeoJSON Polygon or MultiPolygon in WGS84 (longitude, latitude)."),
    )
    emergency_message_el = models.TextField(_("emergency announcement (Greek)"), blank=True)
    emergency_message_en = models.TextField(_("emergency announcement (English)"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipality")

    def __str__(self) -> str:
        return self.name_el

    name = Translated("name")

    address = Translated("address")

    emergency_message = Translated("emergency_message")

    @classmethod
    def current(cls) -> Municipality | None:
        return cls.objects.order_by("pk").first()


class District(models.Model):
    """A district (δημοτική κοινότητα) of the municipality, with its polygon."""

    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.CASCADE, related_name="districts"
    )
    code = models.SlugField(_("code"), max_length=50)
    name_el = models.CharField(_("name (Greek)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    boundary = models.JSONField(_("boundary"), validators=[validate_polygon])
    # Bounding box, kept with the polygon so lookups test few polygons.
    min_lon = models.FloatField(editable=False, default=0)
    min_lat = models.FloatField(editable=False, default=0)
    max_lon = models.FloatField(editable=False, default=0)
    max_lat = models.FloatField(editable=False, default=0)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name_el"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="district_code_unique")
        ]

    def __str__(self) -> str:
        return self.name_el

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.min_lon, self.min_lat, self.max_lon, self.max_lat = geo.bbox(self.boundary)
        super().save(*args, **kwargs)

    name = Translated("name")


class AuditEntry(models.Model):
    """An append-only record of who did what to which object, when and from where.

    Names are not copied into the entry: the actor and the target are kept by reference and
    rendered when the log is read, so erasing an account (which blanks the user row) leaves
    the entry pointing at a pseudonym. Entries about confidential records (counselling) are
    flagged ``confidential`` and read only by holders of ``core.view_confidential_audit``
    (ADR 0005). The database refuses UPDATE and DELETE.
    """

    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    action = models.CharField(max_length=100, db_index=True, editable=False)
    target_type = models.CharField(max_length=100, blank=True, db_index=True, editable=False)
    target_id = models.CharField(max_length=64, blank=True, editable=False)
    confidential = models.BooleanField(default=False, db_index=True, editable=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True, editable=False)
    user_agent = models.CharField(max_length=300, blank=True, editable=False)
    details = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]
        permissions = [
            (
                "view_confidential_audit",
                _("Can read the confidential audit log (counselling sessions)"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type} {self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError("Audit entries are append-only.")


class Notification(models.Model):
    """A message to one person: shown in the in-app inbox and sent through delivery channels."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(max_length=100)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    # A link that carries a secret (a booking's manage key) for the outgoing email or SMS only:
    # encrypted with a key derived from SECRET_KEY, and emptied once every delivery is sent.
    # Pages and the admin never show it; the inbox links to ``url`` (ADR 0011).
    sealed_url = models.TextField(blank=True, editable=False)
    # A whole message rendered elsewhere whose text is a secret (allauth's sign-up confirmation
    # and password-reset emails carry one-time keys): sealed the same way, as JSON with its
    # "text" and "html", and emptied once sent. ``body`` then stays empty.
    sealed_body = models.TextField(blank=True, editable=False)
    language = models.CharField(max_length=10)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationAttachment(models.Model):
    """A file sent with a notification's email (an ``.ics`` invitation, a receipt)."""

    notification = models.ForeignKey(
        "core.Notification", on_delete=models.CASCADE, related_name="attachments"
    )
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename


class Delivery(models.Model):
    """One attempt-tracked sending of a notification over one channel (email, SMS)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    notification = models.ForeignKey(
        "core.Notification", on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    address = models.CharField(max_length=254)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # When a worker claimed it for sending (status SENDING); a claim older than the lease in
    # core.notifications was left by a worker that died mid-send.
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.channel} → {self.address} ({self.status})"


class TaskWorker(models.Model):
    """A ``dimos worker`` process, known by its heartbeat.

    A worker beats every few seconds while it runs (even in the middle of a long task) and
    marks itself stopped when it exits. A task left running by a worker that stopped, or has
    not beaten within ``DIMOS_WORKER_LEASE_SECONDS`` (killed, machine lost), goes back to
    the queue (``core.workers.recover_lost_tasks``).
    """

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now, db_index=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"


class TimelineEntry(models.Model):
    """One row of a case's append-only history (a report's updates, a request's events).

    Abstract: each app keeps its own table, its foreign key to the case and its own columns,
    and says how a move of its workflow is written (:meth:`for_move`); the workflow kit
    (:mod:`dimos.core.workflow`) writes one for every move it applies.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("A case's history is append-only.")
        super().save(*args, **kwargs)

    @classmethod
    def for_move(cls, move: Any) -> TimelineEntry:
        """The (unsaved) row that records ``move``, a :class:`dimos.core.workflow.Move`."""
        raise NotImplementedError
