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


# --- Surveys -------------------------------------------------------------------------------------


class Survey(models.Model):
    """A satisfaction survey built by staff: sections of questions, open between two dates."""

    class Access(models.TextChoices):
        ACCOUNT = "account", _("Residents with an account, one response each")
        TOKEN = "token", _("Only by invitation link, one response per link")
        OPEN = "open", _("Anyone with the address")

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title_el = models.CharField(_("title (Greek)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    intro_el = models.TextField(_("introduction (Greek)"), blank=True, max_length=4000)
    intro_en = models.TextField(_("introduction (English)"), blank=True, max_length=4000)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    access = models.CharField(_("who may answer"), max_length=10, choices=Access.choices)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("Answers are never linked to who gave them, not even in the exports."),
    )
    published = models.BooleanField(_("published"), default=False)
    results_published = models.BooleanField(_("results published"), default=False)
    # The results appear by themselves once the close date passes (the written answers only as
    # staff approve them); withdrawing them turns this off.
    publish_on_close = models.BooleanField(
        _("publish the results when the survey closes"),
        default=True,
        help_text=_(
            "The results page appears when the survey closes, with the written answers only "
            "once you have approved them."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="survey_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(anonymous=True) | ~Q(access="open"),
                name="survey_open_access_is_anonymous",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        from django.utils.translation import get_language

        return self.title_en if get_language() == "en" and self.title_en else self.title_el

    @property
    def intro(self) -> str:
        from django.utils.translation import get_language

        return self.intro_en if get_language() == "en" and self.intro_en else self.intro_el

    def is_open(self, now: object = None) -> bool:
        moment = now or timezone.now()
        return bool(self.published and self.opens_at <= moment < self.closes_at)  # type: ignore[operator]

    @property
    def is_closed(self) -> bool:
        return timezone.now() >= self.closes_at

    @property
    def results_public(self) -> bool:
        """Published by staff, or by itself since the close date passed."""
        return self.results_published or (self.publish_on_close and self.is_closed)


class Section(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(default=0)
    title_el = models.CharField(_("title (Greek)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)

    class Meta:
        ordering = ["survey", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        from django.utils.translation import get_language

        return self.title_en if get_language() == "en" and self.title_en else self.title_el


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("One choice")
        MULTIPLE = "multiple", _("Several choices")
        SCALE5 = "scale5", _("Scale 1 to 5")
        SCALE10 = "scale10", _("Scale 0 to 10")
        MATRIX = "matrix", _("Matrix (rows rated 1 to 5)")
        SHORT = "short", _("Short text")
        LONG = "long", _("Long text")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text_el = models.CharField(_("question (Greek)"), max_length=500)
    text_en = models.CharField(_("question (English)"), max_length=500, blank=True)
    help_el = models.CharField(_("hint (Greek)"), max_length=500, blank=True)
    help_en = models.CharField(_("hint (English)"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=False)
    # [{"el": "…", "en": "…"}, …]: the choices, or a matrix's rows.
    options = models.JSONField(_("choices or rows"), default=list, blank=True)
    # Shown only when the answer to an earlier question (of an earlier section) is one of
    # ``condition_values`` (choice numbers, or scale values, as text).
    condition_question = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    condition_values = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["section__order", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        from django.utils.translation import get_language

        return self.text_en if get_language() == "en" and self.text_en else self.text_el

    @property
    def help(self) -> str:
        from django.utils.translation import get_language

        return self.help_en if get_language() == "en" and self.help_en else self.help_el

    def option_labels(self) -> list[str]:
        from django.utils.translation import get_language

        en = get_language() == "en"
        return [
            str((o.get("en") if en and o.get("en") else o.get("el")) or "") for o in self.options
        ]

    @property
    def is_text(self) -> bool:
        return self.kind in (self.Kind.SHORT, self.Kind.LONG)


class SurveyInvitation(models.Model):
    """An invitation link: its token is shown once and kept only as a hash."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField(_("email"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("survey invitation")

    def __str__(self) -> str:
        return f"{self.survey_id} {self.token_hash[:8]}"


class Participation(models.Model):
    """That a person answered a survey: one per person, kept apart from the answers so that an
    anonymous survey's answers are never linked to them."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="survey_one_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.user_id}"


class Response(models.Model):
    """One filling-in of a survey: a draft while it is saved to continue later, then sent."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    # Identified surveys only; an anonymous survey's responses name nobody.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invitation = models.OneToOneField(
        SurveyInvitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    # The secret of the "continue later" link (hashed), for drafts.
    resume_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # A draft of a signed-in person (anonymous survey too): found again by it, forgotten on send.
    draft_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=Q(user__isnull=False),
                name="survey_response_one_per_person",
            ),
            models.UniqueConstraint(
                fields=["survey", "draft_owner"],
                condition=Q(draft_owner__isnull=False),
                name="survey_one_draft_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} #{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    # Text, a number, a choice number, a list of them, or {row: value} for a matrix.
    value = models.JSONField()
    # Free text is published (redacted) only once staff have reviewed it.
    approved = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="survey_one_answer")
        ]

    def __str__(self) -> str:
        return f"{self.response_id} {self.question_id}"
