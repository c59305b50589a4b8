"""Relief: requests for help from people who must stay home, and the people they are for.

A **beneficiary** is the private record of the person helped (who may have no account: a
daughter asks for her mother, the helpline types in a caller). A **request** is one day's help
for one beneficiary — one or more **needs** (a food parcel, a shopping list, medicine, an
errand) delivered in one visit by a courier through the ``deliveries`` app. Its states are the
table :data:`dimos.relief.services.WORKFLOW`; its history is :class:`RequestEvent`.

One request per beneficiary and day (a database constraint): asking again for the same day
adds the needs to the request already there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core.models import TimelineEntry
from dimos.core.storage import private_storage  # migrations name it here too

LANGUAGES = [("el", _("Greek")), ("en", _("English"))]


class Vulnerability(models.TextChoices):
    AGE = "65plus", _("Aged 65 or over")
    CHRONIC = "chronic", _("Chronic illness")
    DISABILITY = "disability", _("Disability")
    QUARANTINE = "quarantine", _("In quarantine")
    OTHER = "other", _("Other")


class Method(models.TextChoices):
    """How something was told to the municipality: online by the person, or on the phone."""

    ONLINE = "online", _("Online")
    PHONE = "phone", _("By phone to the helpline")


class Relation(models.TextChoices):
    SELF = "self", _("For myself")
    RELATIVE = "relative", _("For a relative")
    NEIGHBOUR = "neighbour", _("For a neighbour")
    OTHER = "other", _("For someone else")


class NeedKind(models.TextChoices):
    FOOD = "food", _("A food parcel from the social grocery")
    SHOPPING = "shopping", _("Shopping, paid on delivery")
    MEDICINE = "medicine", _("Medicine from a pharmacy")
    ERRAND = "errand", _("Another errand")


class FoodClaim(models.TextChoices):
    """What the asker says about the social grocery (a coordinator checks it)."""

    GROCERY = "grocery", _("Yes, registered with the municipal social grocery")
    KEA = "kea", _("Yes, receives the minimum guaranteed income (KEA)")
    SOCIAL_SERVICE = "social_service", _("The municipality's social service knows their situation")
    UNSURE = "unsure", _("No, or not sure")


class Eligibility(models.TextChoices):
    """A coordinator's decision on the social grocery: on what it qualifies, or not."""

    GROCERY = "grocery", _("Registered with the municipal social grocery")
    KEA = "kea", _("Receives the minimum guaranteed income (KEA)")
    SOCIAL_SERVICE = "social_service", _("Assessed by the social service")
    NOT_ELIGIBLE = "not_eligible", _("Does not qualify")


ELIGIBLE = (Eligibility.GROCERY, Eligibility.KEA, Eligibility.SOCIAL_SERVICE)


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    SCHEDULED = "scheduled", _("Scheduled")
    OUT = "out", _("On its way")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Not delivered")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.RECEIVED, Status.ACCEPTED, Status.SCHEDULED, Status.OUT, Status.FAILED)
# A request that still takes more needs for its day (asking again merges into it).
MERGEABLE = (Status.RECEIVED, Status.ACCEPTED, Status.SCHEDULED)


class Proof(models.TextChoices):
    CODE = "code", _("The beneficiary's code")
    NAME = "name", _("The name of who received it")


class Beneficiary(models.Model):
    """The person helped: private, seen only by relief coordinators (and, for one delivery,
    its courier). Erased ``DIMOS_RELIEF_RETENTION_MONTHS`` after the last help, or
    ``DIMOS_RELIEF_UNHELPED_RETENTION_DAYS`` after their last request ended when they were
    never helped (:func:`dimos.relief.services.retention_due`); the row stays with its district
    so that the counts stay right."""

    full_name = models.CharField(_("full name"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
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
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    household_size = models.PositiveSmallIntegerField(_("people in the household"), default=1)
    vulnerabilities = models.JSONField(_("vulnerability"), default=list, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=5, choices=LANGUAGES, default="el"
    )
    access_notes = models.CharField(_("how to reach the door"), max_length=300, blank=True)
    # The person's own account, when they asked for themselves (their export and erasure).
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("own account"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    consent_version = models.PositiveIntegerField(_("consent version"))
    consent_method = models.CharField(_("consent given"), max_length=10, choices=Method.choices)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent recorded by"),
    )
    consent_at = models.DateTimeField(_("consent recorded"), default=timezone.now)
    # When help was last brought (a delivery); empty while the person was never helped.
    last_help_at = models.DateTimeField(_("last helped"), null=True, blank=True, db_index=True)
    # The social grocery: a coordinator's decision, who took it and until when it holds
    # (DIMOS_RELIEF_FOOD_ELIGIBILITY_MONTHS). A food parcel is accepted only while it holds.
    food_eligibility = models.CharField(
        _("social grocery"), max_length=20, choices=Eligibility.choices, blank=True
    )
    food_eligibility_reason = models.CharField(_("why not"), max_length=300, blank=True)
    food_eligibility_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    food_eligibility_at = models.DateTimeField(_("decided"), null=True, blank=True)
    food_eligible_until = models.DateField(_("valid until"), null=True, blank=True)
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)
    # A duplicate merged by a coordinator: the record kept (this one's data is erased).
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("merged into"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("full_name", "pk")
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")

    def __str__(self) -> str:
        return f"beneficiary {self.pk}"

    def food_decision_holds(self, today: dt.date | None = None) -> bool:
        """Whether the social grocery decision (either way) is still in force."""
        today = today or timezone.localdate()
        return bool(self.food_eligibility) and (
            self.food_eligible_until is not None and self.food_eligible_until >= today
        )

    def food_eligible(self, today: dt.date | None = None) -> bool:
        """Qualifies for a food parcel today: an eligible decision still in force."""
        return self.food_eligibility in ELIGIBLE and self.food_decision_holds(today)

    def vulnerability_labels(self) -> list[str]:
        labels = dict(Vulnerability.choices)
        return [str(labels[v]) for v in self.vulnerabilities if v in labels]


class ReliefRequest(models.Model):
    """One day's help for one beneficiary: its needs, its day and window, its delivery."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="requests")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    relation = models.CharField(
        _("asked"), max_length=10, choices=Relation.choices, default=Relation.SELF
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Method.choices)
    # A caller without an account: told by SMS on this number.
    caller_name = models.CharField(_("caller"), max_length=200, blank=True)
    caller_phone = models.CharField(_("caller's phone"), max_length=30, blank=True)
    day = models.DateField(_("day"), db_index=True)
    window_start = models.TimeField(_("from"))
    window_end = models.TimeField(_("until"))
    urgent = models.BooleanField(_("urgent"), default=False)
    # For a food parcel: what the asker said about the social grocery.
    food_claim = models.CharField(
        _("social grocery, as the asker says"),
        max_length=20,
        choices=FoodClaim.choices,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    delivery = models.ForeignKey(
        "deliveries.Delivery",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delivery"),
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scheduled by"),
    )
    # The proof code: only its digest is kept; wrong tries are counted.
    code_digest = models.CharField(max_length=128, blank=True)
    code_tries = models.PositiveSmallIntegerField(default=0)
    proof = models.CharField(
        _("proof of delivery"), max_length=10, choices=Proof.choices, blank=True
    )
    received_by = models.CharField(_("received by"), max_length=200, blank=True)
    proof_note = models.CharField(_("note"), max_length=300, blank=True)
    money_amount = models.DecimalField(
        _("money received"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    receipt = models.FileField(
        _("receipt"), storage=private_storage, upload_to="relief/%Y/%m/", blank=True, max_length=200
    )
    # Made (or joined) by a recurrence: the coordinator's "every Tuesday" (relief/recurring.py).
    recurrence = models.ForeignKey(
        "relief.Recurrence",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("recurring"),
    )
    # The form's one-time key: a retried submission finds the request it already made.
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("day", "-urgent", "window_start", "pk")
        verbose_name = _("relief request")
        verbose_name_plural = _("relief requests")
        constraints = [
            # Asking twice for the same person and day merges (services.ask_for_help).
            models.UniqueConstraint(
                fields=["beneficiary", "day"],
                condition=~Q(status="declined"),
                name="relief_one_request_per_day",
            ),
            models.CheckConstraint(
                condition=Q(window_end__gt=models.F("window_start")), name="relief_window_order"
            ),
        ]
        indexes = [models.Index(fields=["day", "status"], name="relief_day_status")]

    def __str__(self) -> str:
        return f"relief request {self.pk}"

    @property
    def reference(self) -> str:
        return f"R-{self.pk:06d}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Need(models.Model):
    """One thing to bring. Prescriptions are their barcodes' numbers: never a photo."""

    request = models.ForeignKey(ReliefRequest, on_delete=models.CASCADE, related_name="needs")
    kind = models.CharField(_("what is needed"), max_length=10, choices=NeedKind.choices)
    description = models.TextField(_("details"), blank=True)
    ceiling = models.DecimalField(
        _("spend at most (euro)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    pharmacy = models.CharField(_("pharmacy"), max_length=200, blank=True)
    barcodes = models.JSONField(_("prescription barcodes"), default=list, blank=True)
    # Not brought, and why (a food parcel for a person who does not qualify); told to the asker.
    declined_reason = models.CharField(_("not given, because"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("pk",)
        verbose_name = _("need")
        verbose_name_plural = _("needs")

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Recurrence(models.Model):
    """A request made again on chosen weekdays until a date (relief/recurring.py).

    The needs of the request it was made from are kept as a template (kind, details, ceiling,
    pharmacy; never a prescription's barcodes: a new prescription each time). The requests of
    the next ``DIMOS_RELIEF_RECURRING_DAYS_AHEAD`` days are made through ``ask_for_help``, so
    a day already asked for is joined, never doubled; ``last_generated`` is the last day made.
    A stopped recurrence makes nothing more; the requests it made stay."""

    request = models.ForeignKey(
        ReliefRequest,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("made from"),
    )
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="recurrences"
    )
    # [{"kind", "description", "ceiling", "pharmacy"}]: blanked when the person is erased.
    needs = models.JSONField(_("what is needed"), default=list, blank=True)
    weekdays = models.JSONField(_("weekdays"), default=list)  # 0 Monday … 6 Sunday
    window_start = models.TimeField(_("from"))
    window_end = models.TimeField(_("until"))
    starts_on = models.DateField(_("first day"))
    until = models.DateField(_("last day"))
    count = models.PositiveSmallIntegerField(_("number of times"), null=True, blank=True)
    last_generated = models.DateField(_("made up to"), null=True, blank=True)
    # The day the daily task is planned for: a second run of the same day plans nothing.
    planned_for = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made recurring by"),
    )
    created_at = models.DateTimeField(_("made recurring"), default=timezone.now)
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stopped by"),
    )
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "pk")
        verbose_name = _("recurring request")
        verbose_name_plural = _("recurring requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(until__gte=models.F("starts_on")), name="relief_recurrence_until"
            ),
            models.CheckConstraint(
                condition=Q(window_end__gt=models.F("window_start")),
                name="relief_recurrence_window_order",
            ),
        ]

    def __str__(self) -> str:
        return f"recurrence {self.pk}"

    @property
    def active(self) -> bool:
        return self.stopped_at is None and (
            self.last_generated is None or self.last_generated < self.until
        )

    def weekday_labels(self) -> list[str]:
        labels = dict(Weekday.choices)
        return [str(labels[d]) for d in sorted(self.weekdays) if d in labels]


class EventKind(models.TextChoices):
    STATUS = "status", _("Status")
    MERGED = "merged", _("Needs added")
    CODE = "code", _("Code")
    NOTE = "note", _("Note")


class RequestEvent(TimelineEntry):
    """A request's history, seen by coordinators; the requester sees its status moves."""

    request = models.ForeignKey(ReliefRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=EventKind.choices, default=EventKind.STATUS)
    status = models.CharField(max_length=20, choices=Status.choices)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind} {self.status}"

    @classmethod
    def for_move(cls, move: Any) -> RequestEvent:
        return cls(
            request=move.case,
            kind=move.transition.kind,
            status=move.case.status,
            message=move.note,
            actor=move.actor,
        )


# --- Volunteers' tasks ------------------------------------------------------------------------


class ClaimStatus(models.TextChoices):
    ACTIVE = "active", _("Taken")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Not delivered")
    HANDED_BACK = "handed_back", _("Handed back")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A claim whose visit is over: its holder still sees the address for a while (conf).
ENDED_BY_VISIT = (ClaimStatus.DELIVERED, ClaimStatus.FAILED)


class TaskClaim(models.Model):
    """A volunteer holding one task: the visit (``delivery``) of a scheduled request.

    One holder per visit is a database guarantee: the partial unique index
    ``relief_one_holder_per_task`` lets one *active* claim exist per delivery, so two volunteers
    taking it at once get one claim and one refusal (as appointments' seats, ADR 0009). The
    claim ends when the visit is delivered or fails (the delivery's listener), or when the
    volunteer hands it back; ended claims stay as the volunteer's history.
    """

    request = models.ForeignKey(ReliefRequest, on_delete=models.CASCADE, related_name="claims")
    delivery = models.ForeignKey("deliveries.Delivery", on_delete=models.CASCADE, related_name="+")
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("volunteer"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.ACTIVE
    )
    # The coordinator who gave it to the volunteer; empty when the volunteer took it.
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    claimed_at = models.DateTimeField(_("taken"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ("-claimed_at", "-pk")
        verbose_name = _("volunteer task")
        verbose_name_plural = _("volunteer tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["delivery"],
                condition=Q(status="active"),
                name="relief_one_holder_per_task",
            ),
        ]
        indexes = [models.Index(fields=["volunteer", "status"], name="relief_claim_volunteer")]

    def __str__(self) -> str:
        return f"{self.request_id} {self.volunteer_id} {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status == ClaimStatus.ACTIVE


class TaskDismissal(models.Model):
    """A volunteer said "not for me" to one task: it leaves their list (not anyone else's)."""

    request = models.ForeignKey(ReliefRequest, on_delete=models.CASCADE, related_name="+")
    delivery = models.ForeignKey("deliveries.Delivery", on_delete=models.CASCADE, related_name="+")
    volunteer = models.ForeignKey(
        "volunteers.Volunteer", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(fields=["delivery", "volunteer"], name="relief_dismissed_once"),
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.volunteer_id}"
