"""The Advocate for citizens and enterprises (art. 77 N.3852/2010): complaints of
maladministration, the office's mediation with the services, and the annual report.

A complaint moves through :data:`dimos.advocate.services.WORKFLOW`. Its statutory clock (30
calendar days from admission, paused while the office waits for the complainant) is the
workflow kit's ``Clock``. The complainant's identity is seen by the office only; a service
asked to answer sees what the office shares with it (:class:`Mediation`), and the
complainant's name only if they consented.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dimos.core.models import TimelineEntry, Translated
from dimos.core.storage import private_storage


class Body(models.Model):
    """A service of the municipality or one of its legal entities a complaint may be about.

    ``liaisons`` are its staff who answer the Advocate's requests inside Dimos; ``head`` is
    told when a request is late (the escalation)."""

    class Kind(models.TextChoices):
        SERVICE = "service", _("service of the municipality")
        ENTITY = "entity", _("legal entity of the municipality")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_el = models.CharField(_("name (Greek)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SERVICE)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("head of the service"),
    )
    liaisons = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="advocate_bodies",
        verbose_name=_("staff who answer the Advocate"),
    )
    is_active = models.BooleanField(_("offered in the complaint form"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ("order", "name_el")
        verbose_name = _("service or legal entity")
        verbose_name_plural = _("services and legal entities")

    def __str__(self) -> str:
        return str(self.name)

    name = Translated("name")


class Status(models.TextChoices):
    UNCONFIRMED = "unconfirmed", pgettext_lazy("complaint status", "Email not confirmed yet")
    SUBMITTED = "submitted", pgettext_lazy("complaint status", "Submitted")
    ADMITTED = "admitted", pgettext_lazy("complaint status", "Being examined")
    WAITING = "waiting", pgettext_lazy("complaint status", "Waiting for the complainant")
    CONCLUDED = "concluded", pgettext_lazy("complaint status", "Answered")
    INADMISSIBLE = "inadmissible", pgettext_lazy("complaint status", "Not admissible")
    REFERRED = "referred", pgettext_lazy("complaint status", "Referred elsewhere")
    WITHDRAWN = "withdrawn", pgettext_lazy("complaint status", "Withdrawn")


OPEN_STATUSES = (Status.SUBMITTED, Status.ADMITTED, Status.WAITING)
CLOSED_STATUSES = (Status.CONCLUDED, Status.INADMISSIBLE, Status.REFERRED, Status.WITHDRAWN)


class Category(models.TextChoices):
    """The kinds of maladministration the Advocate's reports count."""

    NO_ANSWER = "no_answer", _("no answer to a request")
    DELAY = "delay", _("undue delay")
    IRREGULARITY = "irregularity", _("irregularity or wrong decision")
    UNFAIR = "unfair", _("unfair treatment")
    DISCRIMINATION = "discrimination", _("discrimination")
    ABUSE = "abuse", _("abuse of power")
    DOCUMENTS = "documents", _("refused access to documents")
    OTHER = "other", _("something else")


class Exclusion(models.TextChoices):
    """What the Advocate may not handle (art. 77 N.3852/2010), each with where to turn."""

    COURT = "court", _("the case is pending before a court")
    PRIVATE = "private", _("a dispute between private persons")
    STAFF = "staff", _("a matter of the municipality's staff about their own service")
    LEGAL_ADVICE = "legal_advice", _("a request for legal advice")
    NOT_MUNICIPAL = "not_municipal", _("not about the municipality or its legal entities")


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("resolved")
    PARTLY = "partly", _("partly resolved")
    NOT_RESOLVED = "not_resolved", _("not resolved: the service disagreed")
    WITHDRAWN = "withdrawn", _("withdrawn by the complainant")


class Adoption(models.TextChoices):
    PENDING = "pending", _("waiting for the service")
    ADOPTED = "adopted", _("adopted")
    PARTLY = "partly", _("partly adopted")
    REJECTED = "rejected", _("not adopted")


class Channel(models.TextChoices):
    ONLINE = "online", _("online")
    PHONE = "phone", _("by phone")
    IN_PERSON = "in_person", _("in person")


class ComplaintQuerySet(models.QuerySet["Complaint"]):
    def open(self) -> ComplaintQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class Complaint(models.Model):
    """One complaint to the Advocate, with the complainant's identity (seen by the office only).

    ``due_on`` is the statutory date of the answer (set on admission), ``paused_since`` while
    the office waits for the complainant. ``submission_key`` makes a second identical
    submission answer the first (a database constraint)."""

    class Kind(models.TextChoices):
        PERSON = "person", _("a person")
        BUSINESS = "business", _("a business")

    year = models.PositiveSmallIntegerField(default=0)
    number = models.PositiveIntegerField(default=0)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    submission_key = models.CharField(max_length=64, unique=True)

    # The complainant
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advocate_complaints",
    )
    kind = models.CharField(_("who complains"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("full name"), max_length=200)
    business_name = models.CharField(_("business name"), max_length=200, blank=True)
    tax_number = models.CharField(_("tax number (ΑΦΜ)"), max_length=9, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(_("language for our answers"), max_length=5, default="el")
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    share_identity = models.BooleanField(
        _("my identity may be shared with the service concerned"), default=False
    )

    # The complaint
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("service")
    )
    category = models.CharField(_("what went wrong"), max_length=20, choices=Category.choices)
    happened_on = models.DateField(_("when it happened"), null=True, blank=True)
    description = models.TextField(_("what happened"))
    earlier_steps = models.TextField(_("what you already did"), blank=True)
    earlier_protocol = models.CharField(
        _("protocol number of your earlier request"), max_length=100, blank=True
    )
    request = models.TextField(_("what you ask for"))
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # The office's handling
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.UNCONFIRMED, db_index=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    admitted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True, db_index=True)
    paused_since = models.DateTimeField(null=True, blank=True)
    paused_days = models.PositiveIntegerField(default=0)
    warned_for = models.DateField(null=True, blank=True)
    overdue_warned_for = models.DateField(null=True, blank=True)
    exclusion = models.CharField(
        _("why it is not admissible"), max_length=20, choices=Exclusion.choices, blank=True
    )
    referred_to = models.CharField(_("referred to"), max_length=300, blank=True)
    decision_text = models.TextField(_("the office's explanation"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    recommendation = models.TextField(_("recommendation (πόρισμα)"), blank=True)
    service_reasons = models.TextField(_("the service's reasons"), blank=True)
    answer = models.TextField(_("the answer to the complainant"), blank=True)
    adoption = models.CharField(
        _("recommendation followed"), max_length=20, choices=Adoption.choices, blank=True
    )
    erased_at = models.DateTimeField(null=True, blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ("-submitted_at", "-pk")
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        permissions = [("handle_complaint", "Handle complaints as the Advocate's office")]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number"],
                condition=Q(number__gt=0),
                name="advocate_protocol_once",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        if not self.number:
            return f"#{self.pk}"
        return f"ΣΔ-{self.year}/{self.number:04d}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def display_name(self) -> str:
        if self.kind == self.Kind.BUSINESS and self.business_name:
            return f"{self.business_name} ({self.name})"
        return self.name


class ComplaintEvent(TimelineEntry):
    """A complaint's history: the complainant sees the public entries, the office all."""

    class Kind(models.TextChoices):
        STATUS = "status", _("status change")
        SUBMITTED = "submitted", _("complaint submitted")
        ASSIGNED = "assigned", _("assigned")
        MEDIATION = "mediation", _("request to the service")
        SERVICE_ANSWER = "service_answer", _("the service answered")
        REMINDER = "reminder", _("reminder to the service")
        ESCALATED = "escalated", _("escalated to the head of the service")
        MESSAGE = "message", _("message")
        DOCUMENT = "document", _("document added")
        RATED = "rated", _("service rated")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices)
    message = models.TextField(blank=True)
    public = models.BooleanField(default=True)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind}"

    @classmethod
    def for_move(cls, move: Any) -> ComplaintEvent:
        return cls(
            complaint=move.case,
            kind=move.transition.kind,
            status=move.case.status,
            message=move.data.get("public_message", ""),
            actor=move.actor,
        )


class Message(models.Model):
    """A message between the complainant and the office (never seen by the service)."""

    class Direction(models.TextChoices):
        TO_OFFICE = "in", _("from the complainant")
        TO_COMPLAINANT = "out", _("from the office")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.direction}"


class Attachment(models.Model):
    """A document of a complaint, in private storage; ``shared`` ones the service sees."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to="advocate/%Y/%m/", max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    from_complainant = models.BooleanField(default=True)
    shared = models.BooleanField(_("shared with the service"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return self.original_name


class Note(models.Model):
    """The office's internal record of a meeting, a call or a thought; never shown outside."""

    class Kind(models.TextChoices):
        NOTE = "note", _("note")
        CALL = "call", _("phone call")
        MEETING = "meeting", _("meeting")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NOTE)
    text = models.TextField(_("what was said or done"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind}"


class Mediation(models.Model):
    """The office's request to a service about a complaint, with the service's own deadline.

    The service's staff see ``question``, the attachments marked shared and — only when the
    complainant consented — their name; nothing else of the complaint."""

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for the service")
        ANSWERED = "answered", _("answered")
        CANCELLED = "cancelled", _("closed without an answer")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="mediations")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="mediations")
    question = models.TextField(_("what the office asks the service"))
    show_identity = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    due_on = models.DateField(_("answer by"))
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("the service's answer"), blank=True)
    agrees = models.BooleanField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-sent_at", "-pk")
        verbose_name = _("request to a service")
        verbose_name_plural = _("requests to services")
        permissions = [("answer_mediation", "Answer the Advocate's requests for a service")]

    def __str__(self) -> str:
        return f"{self.complaint_id} → {self.body_id}"

    @property
    def is_late(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()


class CaseSummary(models.Model):
    """An anonymised summary of a case the office publishes, checked by a person first."""

    complaint = models.OneToOneField(
        Complaint, on_delete=models.SET_NULL, null=True, blank=True, related_name="summary"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("what happened (no personal data)"))
    recommendation = models.TextField(_("the recommendation"), blank=True)
    adoption = models.CharField(
        _("recommendation followed"), max_length=20, choices=Adoption.choices, blank=True
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-published_at", "-pk")
        verbose_name = _("published case summary")
        verbose_name_plural = _("published case summaries")

    def __str__(self) -> str:
        return self.title


class AnnualReport(models.Model):
    """The year's report to the council: figures computed from the cases, text the office
    writes; published once ready."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    introduction_el = models.TextField(_("introduction (Greek)"), blank=True)
    introduction_en = models.TextField(_("introduction (English)"), blank=True)
    highlights_el = models.TextField(_("highlights and proposals (Greek)"), blank=True)
    highlights_en = models.TextField(_("highlights and proposals (English)"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-year",)
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")

    def __str__(self) -> str:
        return str(self.year)

    introduction = Translated("introduction")
    highlights = Translated("highlights")
