"""Portal content: news and announcements."""

from __future__ import annotations

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
