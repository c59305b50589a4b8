"""Portal content: news and announcements."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core.models import Translated, localized
from dimos.portal.markdown import render_markdown


class NewsItemQuerySet(models.QuerySet["NewsItem"]):
    def published(self) -> NewsItemQuerySet:
        return self.filter(is_published=True, published_at__lte=timezone.now())


class NewsItem(models.Model):
    """A news item or announcement, written in Markdown by editors, shown sanitised."""

    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        ANNOUNCEMENT = "announcement", _("Announcement")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NEWS)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=False)
    title_el = models.CharField(_("title (Greek)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_el = models.CharField(_("summary (Greek)"), max_length=300, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    body_el = models.TextField(_("text (Greek, Markdown)"))
    body_en = models.TextField(_("text (English, Markdown)"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("publication time"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NewsItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news and announcements")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title_el

    def get_absolute_url(self) -> str:
        return reverse("portal:news_detail", kwargs={"slug": self.slug})

    title = Translated("title")

    summary = Translated("summary")

    @property
    def body_html(self) -> str:
        return render_markdown(localized(self, "body"))


class EmergencyQuerySet(models.QuerySet["Emergency"]):
    def in_force(self, now: Any = None) -> EmergencyQuerySet:
        """Switched on, started, not ended and not switched off."""
        now = now or timezone.now()
        return self.filter(switched_off_at__isnull=True, starts_at__lte=now).filter(
            models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=now)
        )


class Emergency(models.Model):
    """A "stay at home" emergency, switched on by an administrator (``portal.switch_emergency``):
    while it is in force the home page shows its message with the services the catalogue marks
    ``emergency=True``, and the catalogue lists them first. One row per switch: the history."""

    message_el = models.TextField(_("message (Greek)"), max_length=500)
    message_en = models.TextField(_("message (English)"), max_length=500)
    starts_at = models.DateTimeField(_("starts"), default=timezone.now)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    switched_on_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("switched on by"),
    )
    switched_off_at = models.DateTimeField(_("switched off"), null=True, blank=True)
    switched_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("switched off by"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = EmergencyQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("stay-at-home emergency")
        verbose_name_plural = _("stay-at-home emergencies")
        permissions = [("switch_emergency", "Can switch the stay-at-home emergency on and off")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="emergency_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"emergency {self.pk}"

    message = Translated("message")
