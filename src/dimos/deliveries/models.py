"""A delivery at someone's home: what, where, when, by whom, and how it went."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DeliveryStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    OUT = "out", _("Out for delivery")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


OPEN_DELIVERY_STATUSES = (DeliveryStatus.SCHEDULED, DeliveryStatus.OUT)


class Delivery(models.Model):
    """One visit to one address. ``source`` and ``reference`` say what it delivers.

    The source app (``certificates``, later ``relief``) keeps its own data; a delivery holds
    only what the person who delivers needs: a title, the recipient, the address, a phone.
    """

    source = models.CharField(_("service"), max_length=50, db_index=True)
    reference = models.CharField(_("reference"), max_length=100)
    title = models.CharField(_("what is delivered"), max_length=200)
    recipient_name = models.CharField(_("recipient"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    instructions = models.CharField(_("instructions"), max_length=300, blank=True)
    # Where it is, when the source app knows: the map point orders a run along the way, the
    # district groups the day's deliveries of an area into runs.
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    district = models.ForeignKey(
        "core.District",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    date = models.DateField(_("day"), db_index=True)
    window_start = models.TimeField(_("from"))
    window_end = models.TimeField(_("until"))
    # The account the delivery is for (the applicant of the certificate, say): its export
    # lists the delivery and its erasure clears it. Empty for people without an account.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("for the account of"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delivered by"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.SCHEDULED,
        db_index=True,
    )
    received_by = models.CharField(_("received by"), max_length=200, blank=True)
    failure_reason = models.CharField(_("reason it failed"), max_length=300, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("date", "window_start", "pk")
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["source", "reference"], name="delivery_source_ref")]
        constraints = [
            # A point has both coordinates, in range, or none.
            models.CheckConstraint(
                condition=(
                    models.Q(lat__isnull=True, lon__isnull=True)
                    | models.Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180)
                ),
                name="delivery_point_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_DELIVERY_STATUSES

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None


class Run(models.Model):
    """A route batch: a day's deliveries of an area, for one courier, in the order of the way.

    The stops are :class:`RunStop` rows; the run's courier becomes each delivery's
    ``assigned_to`` (``services.set_run_courier``).
    """

    date = models.DateField(_("day"), db_index=True)
    district = models.ForeignKey(
        "core.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    courier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("courier"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("date", "pk")
        verbose_name = _("run")
        verbose_name_plural = _("runs")

    def __str__(self) -> str:
        return f"{self.date} #{self.pk}"


class RunStop(models.Model):
    """One delivery on a run, at its place in the order. A delivery is on one run at most."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="stops")
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        ordering = ("run", "position")
        verbose_name = _("stop")
        verbose_name_plural = _("stops")
        constraints = [
            models.UniqueConstraint(fields=["delivery"], name="runstop_one_run_per_delivery"),
            models.UniqueConstraint(fields=["run", "position"], name="runstop_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}.{self.position}"
