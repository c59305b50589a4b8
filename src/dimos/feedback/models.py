"""Ratings of completed transactions, "Is this page useful?", and their triage by staff."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Score(models.IntegerChoices):
    """The GOV.UK five-point satisfaction scale."""

    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    NEITHER = 3, _("Neither satisfied nor dissatisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


class Invitation(models.Model):
    """A completed transaction whose person is asked, once, to rate the service.

    One per transaction (``kind`` + ``object_id``), whatever happens to it after (a report
    reopened and fixed again is still one invitation). ``online`` says whether the
    transaction was begun online, for the digital take-up of the service.
    """

    kind = models.CharField(_("kind of transaction"), max_length=60)
    object_id = models.CharField(_("transaction"), max_length=64)
    service = models.CharField(_("service"), max_length=60, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(max_length=10, blank=True)
    online = models.BooleanField(default=True)
    url = models.CharField(max_length=300, blank=True)
    completed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rating invitation")
        verbose_name_plural = _("rating invitations")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="feedback_one_invitation")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class Theme(models.Model):
    """A tag staff give free-text feedback when triaging it ("waiting times", "website")."""

    name_el = models.CharField(_("name (Greek)"), max_length=80, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name_el"]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if get_language() == "en" and self.name_en else self.name_el


class Triage(models.Model):
    """What staff did with a piece of free text: its themes, a reply, the issue it led to."""

    class State(models.TextChoices):
        NEW = "new", pgettext_lazy("feedback triage", "New")
        DONE = "done", pgettext_lazy("feedback triage", "Triaged")

    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.NEW, db_index=True
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="+")
    reply = models.TextField(_("reply"), blank=True, max_length=4000)
    replied_at = models.DateTimeField(null=True, blank=True)
    issue_url = models.URLField(_("the issue it led to"), blank=True, max_length=500)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Shown (redacted) among the published comments of the service.
    publish = models.BooleanField(_("publish, redacted"), default=False)

    class Meta:
        abstract = True


class Rating(Triage):
    """A person's rating of one completed transaction: one per invitation, by the database."""

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="rating")
    service = models.CharField(_("service"), max_length=60)
    score = models.PositiveSmallIntegerField(_("how satisfied"), choices=Score.choices)
    improve = models.TextField(_("how it could be better"), blank=True, max_length=2000)
    online = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["service", "created_at"], name="feedback_rating_service")]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="feedback_rating_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.score}"


class PageFeedback(Triage):
    """An answer to "Is this page useful?" on a public page."""

    path = models.CharField(_("page"), max_length=300, db_index=True)
    useful = models.BooleanField(_("useful"))
    what_wrong = models.TextField(_("what went wrong"), blank=True, max_length=2000)
    email = models.EmailField(_("email for a reply"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("page feedback")
        verbose_name_plural = _("page feedback")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.path
