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

    def __str__(self) -> str:
        return f"{self.date} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_DELIVERY_STATUSES
