"""Ideas competitions: residents' ideas, verified votes, the apps built on them and the jury.

A :class:`Competition` runs in phases with dates (ADR 0030): ideas are submitted, then voted
on, then teams build apps (the hackathon) and enter them, then the jury judges, then the results
are published. What is open at a moment (submitting, commenting, voting, app entries) follows
from the dates alone (:meth:`Competition.openness`).

The database keeps the rules that matter when many people act at once:

- one vote per person per idea: a unique constraint on (idea, person);
- at most ``votes_per_person`` votes in a competition: each vote of a person holds a **slot**
  1…limit, unique per (competition, person), so twenty requests at once cannot take more slots
  than there are (as activities' seats, ADR 0028);
- an idea's public count (``votes_count``) moves in the same transaction as the vote row, and
  cannot go below zero;
- one score per juror, entry and criterion; scores on a fixed 0–10 scale; one award per prize
  and one prize per entry.

Erasing a person keeps their votes as anonymous votes (``person`` NULL): the counts published
stay true and nobody can be linked to a vote (the voter list is never published).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dimos.core.models import Translated
from dimos.core.storage import private_storage  # migrations name it here too

SCORE_MIN = 0
SCORE_MAX = 10


class Phase(models.TextChoices):
    UPCOMING = "upcoming", _("Not started yet")
    SUBMISSION = "submission", _("Ideas submission")
    VOTING = "voting", _("Public voting")
    BUILDING = "building", _("Building apps (hackathon)")
    JUDGING = "judging", _("Judging")
    RESULTS = "results", _("Results")
    # Between the end of one phase and the start of the next.
    INTERVAL = "interval", _("Between phases")


# The phases with dates, in order: (phase, start field, end field).
PHASE_WINDOWS: tuple[tuple[Phase, str, str], ...] = (
    (Phase.SUBMISSION, "submission_opens", "submission_closes"),
    (Phase.VOTING, "voting_opens", "voting_closes"),
    (Phase.BUILDING, "building_opens", "building_closes"),
    (Phase.JUDGING, "judging_opens", "judging_closes"),
)


@dataclass(frozen=True)
class Openness:
    """What a competition lets people do at a moment."""

    phase: Phase
    submitting: bool
    editing: bool
    commenting: bool
    voting: bool
    entries: bool

    @property
    def anything(self) -> bool:
        return self.submitting or self.commenting or self.voting or self.entries


@dataclass(frozen=True)
class TimelineStep:
    phase: Phase
    starts: datetime
    ends: datetime | None
    state: str  # "past", "current" or "future"

    @property
    def label(self) -> Any:
        return self.phase.label


class CompetitionQuerySet(models.QuerySet["Competition"]):
    def published(self) -> CompetitionQuerySet:
        return self.filter(is_published=True)


class Competition(models.Model):
    """An ideas competition with its phases, themes, rules, prizes and jury."""

    slug = models.SlugField(_("short name in the address"), max_length=80, unique=True)
    title_el = models.CharField(_("title (Greek)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_el = models.TextField(_("description (Greek)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    rules_el = models.TextField(_("rules (Greek)"), blank=True)
    rules_en = models.TextField(_("rules (English)"), blank=True)
    prizes_el = models.TextField(_("prizes (Greek)"), blank=True)
    prizes_en = models.TextField(_("prizes (English)"), blank=True)
    votes_per_person = models.PositiveSmallIntegerField(
        _("votes per person"),
        default=3,
        help_text=_("How many ideas one person may vote for in this competition."),
    )
    submission_opens = models.DateTimeField(_("ideas submission opens"))
    submission_closes = models.DateTimeField(_("ideas submission closes"))
    voting_opens = models.DateTimeField(_("voting opens"))
    voting_closes = models.DateTimeField(_("voting closes"))
    building_opens = models.DateTimeField(_("building apps starts"))
    building_closes = models.DateTimeField(_("app entries close"))
    judging_opens = models.DateTimeField(_("judging starts"))
    judging_closes = models.DateTimeField(_("judging ends"))
    results_at = models.DateTimeField(_("results published"))
    is_published = models.BooleanField(_("shown to the public"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CompetitionQuerySet.as_manager()

    class Meta:
        ordering = ("-submission_opens", "pk")
        verbose_name = _("competition")
        verbose_name_plural = _("competitions")
        constraints = [
            models.CheckConstraint(
                condition=Q(votes_per_person__gte=1), name="ideas_votes_per_person_positive"
            ),
            models.CheckConstraint(
                condition=Q(submission_closes__gt=F("submission_opens"))
                & Q(voting_opens__gte=F("submission_closes"))
                & Q(voting_closes__gt=F("voting_opens"))
                & Q(building_opens__gte=F("voting_closes"))
                & Q(building_closes__gt=F("building_opens"))
                & Q(judging_opens__gte=F("building_closes"))
                & Q(judging_closes__gt=F("judging_opens"))
                & Q(results_at__gte=F("judging_closes")),
                name="ideas_phases_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title_el

    title = Translated("title")
    description = Translated("description")
    rules = Translated("rules")
    prizes = Translated("prizes")

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("ideas:competition", args=[self.slug])

    def phase(self, now: datetime | None = None) -> Phase:
        """The phase at ``now``: the one whose dates contain it, else between phases."""
        now = now or timezone.now()
        if now < self.submission_opens:
            return Phase.UPCOMING
        if now >= self.results_at:
            return Phase.RESULTS
        for phase, start, end in PHASE_WINDOWS:
            if getattr(self, start) <= now < getattr(self, end):
                return phase
        return Phase.INTERVAL

    def openness(self, now: datetime | None = None) -> Openness:
        """What is open at ``now``. Authors edit their ideas until voting starts; comments
        are open from submission until voting closes; app entries during building."""
        now = now or timezone.now()
        return Openness(
            phase=self.phase(now),
            submitting=self.submission_opens <= now < self.submission_closes,
            editing=self.submission_opens <= now < self.voting_opens,
            commenting=self.submission_opens <= now < self.voting_closes,
            voting=self.voting_opens <= now < self.voting_closes,
            entries=self.building_opens <= now < self.building_closes,
        )

    def timeline(self, now: datetime | None = None) -> list[TimelineStep]:
        now = now or timezone.now()
        steps = []
        for phase, start, end in PHASE_WINDOWS:
            starts, ends = getattr(self, start), getattr(self, end)
            state = "past" if now >= ends else "current" if now >= starts else "future"
            steps.append(TimelineStep(phase, starts, ends, state))
        results_state = "current" if now >= self.results_at else "future"
        steps.append(TimelineStep(Phase.RESULTS, self.results_at, None, results_state))
        return steps

    @property
    def results_published(self) -> bool:
        return timezone.now() >= self.results_at


class Theme(models.Model):
    """A theme (category) of a competition's ideas."""

    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="themes", verbose_name=_("competition")
    )
    name_el = models.CharField(_("name (Greek)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    description_el = models.TextField(_("description (Greek)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ("competition", "order", "pk")
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "name_el"], name="ideas_theme_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name_el

    name = Translated("name")
    description = Translated("description")


class IdeaStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not published")
    MERGED = "merged", _("Merged with another idea")
    WITHDRAWN = "withdrawn", _("Withdrawn by its author")


class IdeaQuerySet(models.QuerySet["Idea"]):
    def published(self) -> IdeaQuerySet:
        return self.filter(status=IdeaStatus.PUBLISHED, competition__is_published=True)


class Idea(models.Model):
    """A resident's idea. Public once staff publish it; its vote count is public, its voters
    never are."""

    competition = models.ForeignKey(
        Competition, on_delete=models.PROTECT, related_name="ideas", verbose_name=_("competition")
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="ideas", verbose_name=_("theme")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=150)
    # The title casefolded, for the database to refuse the same idea twice (SQLite's lower()
    # knows only ASCII).
    title_key = models.CharField(max_length=150, editable=False, default="")
    description = models.TextField(_("description"), max_length=5000)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    place_name = models.CharField(_("place"), max_length=200, blank=True)
    # Re-encoded from the pixels alone (core.images): no EXIF; served only through a view.
    image = models.FileField(
        _("image"), storage=private_storage, upload_to="ideas/%Y/%m/", max_length=200, blank=True
    )
    thumbnail = models.FileField(
        storage=private_storage, upload_to="ideas/%Y/%m/", max_length=200, blank=True
    )
    image_alt = models.CharField(_("what the image shows"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.DRAFT
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_ideas",
        verbose_name=_("merged into"),
    )
    # Why staff published, rejected or merged it: shown to the author.
    moderation_reason = models.TextField(_("reason given to the author"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    votes_count = models.PositiveIntegerField(_("votes"), default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        ordering = ("-published_at", "-pk")
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        permissions = [("moderate_idea", "Can moderate ideas and comments")]
        indexes = [
            models.Index(fields=["competition", "status", "-votes_count"], name="ideas_by_votes"),
            models.Index(fields=["competition", "status", "-published_at"], name="ideas_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=IdeaStatus.values), name="ideas_idea_status_valid"
            ),
            models.CheckConstraint(
                condition=(Q(status=IdeaStatus.MERGED) & Q(merged_into__isnull=False))
                | (~Q(status=IdeaStatus.MERGED) & Q(merged_into__isnull=True)),
                name="ideas_merged_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("pk")), name="ideas_not_merged_into_itself"
            ),
            models.CheckConstraint(
                condition=(Q(lat__isnull=True) & Q(lon__isnull=True))
                | (
                    Q(lat__gte=-90)
                    & Q(lat__lte=90)
                    & Q(lon__gte=-180)
                    & Q(lon__lte=180)
                    & Q(lat__isnull=False)
                    & Q(lon__isnull=False)
                ),
                name="ideas_point_whole_and_valid",
            ),
            models.CheckConstraint(condition=Q(votes_count__gte=0), name="ideas_votes_count_gte0"),
            # A second submission of the same idea (a double click, a resent form) is refused
            # by the database; a withdrawn or rejected idea may be proposed again.
            models.UniqueConstraint(
                fields=["competition", "author", "title_key"],
                condition=Q(
                    status__in=(IdeaStatus.DRAFT, IdeaStatus.SUBMITTED, IdeaStatus.PUBLISHED)
                ),
                name="ideas_idea_once_per_author",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title_key = " ".join(self.title.split()).casefold()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "title_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("ideas:idea", args=[self.competition.slug, self.pk])

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    PUBLISHED = "published", pgettext_lazy("comment", "Published")
    HIDDEN = "hidden", _("Hidden")


class Comment(models.Model):
    """A comment on a published idea, shown once staff publish it."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="comments", verbose_name=_("idea")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="idea_comments",
        verbose_name=_("author"),
    )
    body = models.TextField(_("comment"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=20, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    moderation_reason = models.CharField(
        _("reason given to the author"), max_length=500, blank=True
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("created_at", "pk")
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["status", "created_at"], name="ideas_comment_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CommentStatus.values), name="ideas_comment_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=CommentStatus.HIDDEN) | ~Q(moderation_reason=""),
                name="ideas_hidden_comment_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.idea_id} comment {self.pk}"


class Vote(models.Model):
    """One person's vote for one idea. ``slot`` (1…the competition's limit) is unique per
    person in a competition, so the limit holds under concurrent requests (ADR 0030)."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="votes")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    # NULL once the person erased their account: the vote still counts, linked to nobody.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="idea_votes",
    )
    slot = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("created_at", "pk")
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        indexes = [models.Index(fields=["idea", "created_at"], name="ideas_vote_idea_time")]
        constraints = [
            models.UniqueConstraint(fields=["idea", "person"], name="ideas_one_vote_per_idea"),
            models.UniqueConstraint(
                fields=["competition", "person", "slot"], name="ideas_vote_slot_unique"
            ),
            models.CheckConstraint(condition=Q(slot__gte=1), name="ideas_vote_slot_positive"),
        ]

    def __str__(self) -> str:
        return f"vote {self.pk} for idea {self.idea_id}"


class VoteAnomaly(models.Model):
    """A burst of votes for one idea from recently created accounts within a short window,
    flagged for staff to look at (the votes stay counted until staff decide)."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="anomalies")
    window_start = models.DateTimeField(_("from"))
    window_end = models.DateTimeField(_("until"))
    votes = models.PositiveIntegerField(_("votes in the window"))
    new_accounts = models.PositiveIntegerField(_("of them from new accounts"))
    detected_at = models.DateTimeField(default=timezone.now, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.CharField(_("what staff found"), max_length=500, blank=True)

    class Meta:
        ordering = ("-detected_at", "pk")
        verbose_name = _("vote anomaly")
        verbose_name_plural = _("vote anomalies")
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "window_start"], name="ideas_anomaly_unique_window"
            ),
            models.CheckConstraint(
                condition=Q(window_end__gt=F("window_start")), name="ideas_anomaly_window"
            ),
        ]

    def __str__(self) -> str:
        return f"anomaly on idea {self.idea_id} at {self.window_start:%Y-%m-%d %H:%M}"


# --- Apps built on the ideas, and the jury --------------------------------------------------


class EntryStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")


class AppEntry(models.Model):
    """An app a team entered in a competition; the showcase outlives the competition."""

    competition = models.ForeignKey(
        Competition,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("competition"),
    )
    team_name = models.CharField(_("team name"), max_length=150)
    members: models.ManyToManyField[Any, EntryMember] = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="EntryMember",
        related_name="app_entries",
        verbose_name=_("team members"),
    )
    contact_email = models.EmailField(_("contact email"))
    name = models.CharField(_("name of the app"), max_length=150)
    description = models.TextField(_("description"), max_length=5000)
    ideas = models.ManyToManyField(
        Idea, related_name="app_entries", blank=True, verbose_name=_("ideas it builds on")
    )
    web_url = models.URLField(_("web address"), max_length=500, blank=True)
    store_url = models.URLField(_("app store page"), max_length=500, blank=True)
    source_url = models.URLField(_("source code"), max_length=500, blank=True)
    licence = models.CharField(
        _("licence"), max_length=100, blank=True, help_text=_("For example AGPL-3.0 or MIT.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EntryStatus.choices, default=EntryStatus.SUBMITTED
    )
    status_reason = models.TextField(_("reason given to the team"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("competition", "name", "pk")
        verbose_name = _("app entry")
        verbose_name_plural = _("app entries")
        permissions = [("manage_entries", "Can accept app entries and run the jury")]
        constraints = [
            models.UniqueConstraint(fields=["competition", "name"], name="ideas_entry_unique_name"),
            models.CheckConstraint(
                condition=Q(status__in=EntryStatus.values), name="ideas_entry_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EntryMember(models.Model):
    """A team member with an account; one member per entry is its contact."""

    entry = models.ForeignKey(AppEntry, on_delete=models.CASCADE, related_name="memberships")
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="entry_memberships"
    )
    is_contact = models.BooleanField(_("contact of the team"), default=False)

    class Meta:
        ordering = ("entry", "-is_contact", "pk")
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(fields=["entry", "account"], name="ideas_member_once"),
            models.UniqueConstraint(
                fields=["entry"], condition=Q(is_contact=True), name="ideas_one_contact"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} in entry {self.entry_id}"


class EntryDataset(models.Model):
    """An open dataset of this site's catalogue an app uses, named by its slug (its page is
    ``/data/<slug>/``); the ideas app does not import the catalogue (ADR 0030)."""

    entry = models.ForeignKey(AppEntry, on_delete=models.CASCADE, related_name="datasets")
    slug = models.SlugField(_("dataset"), max_length=100)
    title = models.CharField(_("title"), max_length=300, blank=True)

    class Meta:
        ordering = ("entry", "pk")
        verbose_name = _("open dataset used")
        verbose_name_plural = _("open datasets used")
        constraints = [
            models.UniqueConstraint(fields=["entry", "slug"], name="ideas_entry_dataset_once"),
        ]

    def __str__(self) -> str:
        return self.slug

    @property
    def url(self) -> str:
        return f"/data/{self.slug}/"


class EntryScreenshot(models.Model):
    """A screenshot of an app, re-encoded without metadata (core.images)."""

    entry = models.ForeignKey(AppEntry, on_delete=models.CASCADE, related_name="screenshots")
    image = models.FileField(storage=private_storage, upload_to="ideas/apps/%Y/%m/", max_length=200)
    thumbnail = models.FileField(
        storage=private_storage, upload_to="ideas/apps/%Y/%m/", max_length=200
    )
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    alt = models.CharField(_("what the screenshot shows"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("entry", "order", "pk")
        verbose_name = _("screenshot")
        verbose_name_plural = _("screenshots")

    def __str__(self) -> str:
        return f"screenshot {self.pk} of entry {self.entry_id}"


class JuryMember(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="jury")
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="juries"
    )
    is_chair = models.BooleanField(_("chair of the jury"), default=False)

    class Meta:
        ordering = ("competition", "-is_chair", "pk")
        verbose_name = _("jury member")
        verbose_name_plural = _("jury members")
        constraints = [
            models.UniqueConstraint(fields=["competition", "account"], name="ideas_juror_once"),
        ]

    def __str__(self) -> str:
        return f"{self.account} ({self.competition_id})"


class Criterion(models.Model):
    """A criterion the jury scores each entry on, 0–10, with its weight in the result."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="criteria")
    name_el = models.CharField(_("name (Greek)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    description_el = models.TextField(_("description (Greek)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ("competition", "order", "pk")
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "name_el"], name="ideas_criterion_unique_name"
            ),
            models.CheckConstraint(condition=Q(weight__gte=1), name="ideas_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name_el

    name = Translated("name")
    description = Translated("description")


class ConflictOfInterest(models.Model):
    """A juror's declared conflict with an entry: they do not score it."""

    juror = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="conflicts")
    entry = models.ForeignKey(AppEntry, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.TextField(_("declared reason"), max_length=1000)
    declared_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("declared_at", "pk")
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["juror", "entry"], name="ideas_conflict_once"),
        ]

    def __str__(self) -> str:
        return f"conflict of juror {self.juror_id} with entry {self.entry_id}"


class Score(models.Model):
    juror = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="scores")
    entry = models.ForeignKey(AppEntry, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("note"), blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("entry", "criterion", "pk")
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["juror", "entry", "criterion"], name="ideas_score_once"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=SCORE_MIN) & Q(value__lte=SCORE_MAX),
                name="ideas_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"score {self.value} by juror {self.juror_id} for entry {self.entry_id}"


class Prize(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="prize_set")
    rank = models.PositiveSmallIntegerField(_("rank"))
    title_el = models.CharField(_("title (Greek)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_el = models.TextField(_("description (Greek)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        ordering = ("competition", "rank")
        verbose_name = _("prize")
        verbose_name_plural = _("prizes")
        constraints = [
            models.UniqueConstraint(fields=["competition", "rank"], name="ideas_prize_rank_once"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="ideas_prize_rank_positive"),
        ]

    def __str__(self) -> str:
        return self.title_el

    title = Translated("title")
    description = Translated("description")


class Award(models.Model):
    """A prize given to an entry, with the jury's reasons; public once published."""

    prize = models.OneToOneField(Prize, on_delete=models.CASCADE, related_name="award")
    entry = models.OneToOneField(AppEntry, on_delete=models.PROTECT, related_name="award")
    reasons_el = models.TextField(_("the jury's reasons (Greek)"))
    reasons_en = models.TextField(_("the jury's reasons (English)"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("prize__rank",)
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_at__isnull=False),
                name="ideas_award_published_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prize} → {self.entry}"

    reasons = Translated("reasons")


class EntryInvitation(models.Model):
    """An invitation to join a team, sent by email; the person accepts it while logged in
    with that address. Only the token's SHA-256 is stored: the link is the secret."""

    entry = models.ForeignKey(AppEntry, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        ordering = ("entry", "created_at", "pk")
        verbose_name = _("team invitation")
        verbose_name_plural = _("team invitations")
        constraints = [
            # One waiting invitation per address and team: inviting twice sends nothing twice.
            models.UniqueConstraint(
                fields=["entry", "email"],
                condition=Q(accepted_at__isnull=True),
                name="ideas_invitation_once",
            ),
        ]

    def __str__(self) -> str:
        return f"invitation of {self.email} to entry {self.entry_id}"
