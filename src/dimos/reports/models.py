"""Issue reports on the city map: categories, reports, their history and photos."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from dimos.core.models import TimelineEntry, Translated


class CategoryGroup(models.Model):
    """A heading that groups categories (e.g. "Roads", "Cleanliness")."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_el = models.CharField(_("name (Greek)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("category group")
        verbose_name_plural = _("category groups")
        ordering = ["order", "name_el"]

    def __str__(self) -> str:
        return self.name_el

    name = Translated("name")


class Category(models.Model):
    """What can be reported (an Open311 service), routed to one department with a deadline."""

    code = models.SlugField(
        _("code"), max_length=50, unique=True, help_text=_("The Open311 service_code.")
    )
    group = models.ForeignKey(
        "reports.CategoryGroup", on_delete=models.PROTECT, related_name="categories"
    )
    name_el = models.CharField(_("name (Greek)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    description_el = models.TextField(_("description (Greek)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    department = models.ForeignKey(
        "auth.Group",
        on_delete=models.PROTECT,
        related_name="report_categories",
        verbose_name=_("department"),
        help_text=_("The staff group whose queue receives these reports."),
    )
    deadline_working_days = models.PositiveSmallIntegerField(
        _("deadline in working days"), default=10
    )
    notice_el = models.TextField(_("notice (Greek)"), blank=True)
    notice_en = models.TextField(_("notice (English)"), blank=True)
    notice_blocks = models.BooleanField(
        _("the notice stops the form"),
        default=False,
        help_text=_("For emergencies that must be phoned in (e.g. a gas smell: call 199)."),
    )
    duplicate_radius_m = models.PositiveIntegerField(_("nearby reports radius (m)"), default=50)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["group__order", "order", "name_el"]

    def __str__(self) -> str:
        return self.name_el

    name = Translated("name")

    description = Translated("description")

    notice = Translated("notice")


class CategoryAttribute(models.Model):
    """An extra question of a category (an Open311 attribute)."""

    class Datatype(models.TextChoices):
        STRING = "string", _("Short text")
        NUMBER = "number", _("Number")
        DATETIME = "datetime", _("Date and time")
        TEXT = "text", _("Long text")
        SINGLE = "singlevaluelist", _("One choice")
        MULTI = "multivaluelist", _("Several choices")

    category = models.ForeignKey(
        "reports.Category", on_delete=models.CASCADE, related_name="attributes"
    )
    code = models.SlugField(_("code"), max_length=50)
    datatype = models.CharField(_("type"), max_length=20, choices=Datatype.choices)
    required = models.BooleanField(_("required"), default=False)
    variable = models.BooleanField(
        _("asked of the reporter"),
        default=True,
        help_text=_("Off for information-only attributes shown to the reporter."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    description_el = models.CharField(_("question (Greek)"), max_length=300)
    description_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    datatype_description_el = models.CharField(_("hint (Greek)"), max_length=300, blank=True)
    datatype_description_en = models.CharField(_("hint (English)"), max_length=300, blank=True)
    values = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_('For list types: [{"key": "...", "name_el": "...", "name_en": "..."}].'),
    )

    class Meta:
        verbose_name = _("category question")
        verbose_name_plural = _("category questions")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="attribute_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.category.code}:{self.code}"

    description = Translated("description")

    datatype_description = Translated("datatype_description")

    def choices(self) -> list[tuple[str, str]]:
        """(key, name in the active language) for list types."""
        lang = (get_language() or settings.LANGUAGE_CODE)[:2]
        return [
            (str(v.get("key")), str(v.get(f"name_{lang}") or v.get("name_el") or v.get("key")))
            for v in self.values or []
        ]


class Status(models.TextChoices):
    """The states of a report. Open311 maps each to open or closed."""

    UNCONFIRMED = "unconfirmed", _("Awaiting email confirmation")
    # One report's status: singular in Greek («Ανοιχτή»), unlike "Open" over many reports.
    OPEN = "open", pgettext_lazy("status of one report", "Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    ACTION_SCHEDULED = "action_scheduled", _("Action scheduled")
    FIXED = "fixed", _("Fixed")
    DUPLICATE = "duplicate", _("Duplicate")
    NOT_RESPONSIBLE = "not_responsible", _("Not the municipality's responsibility")
    UNABLE_TO_FIX = "unable_to_fix", _("Unable to fix")
    WITHDRAWN = "withdrawn", _("Withdrawn by the reporter")


OPEN_STATUSES = frozenset(
    {Status.OPEN, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.ACTION_SCHEDULED}
)
CLOSED_STATUSES = frozenset(
    {Status.FIXED, Status.DUPLICATE, Status.NOT_RESPONSIBLE, Status.UNABLE_TO_FIX, Status.WITHDRAWN}
)


class ReportQuerySet(models.QuerySet["Report"]):
    def public(self) -> ReportQuerySet:
        """Reports anyone may see: confirmed and not hidden by staff."""
        return self.exclude(status=Status.UNCONFIRMED).filter(is_hidden=False)

    def for_staff(self, user: Any) -> ReportQuerySet:
        """The reports a staff member works on: their departments' (all with view_all_reports)."""
        if not (user.is_active and user.is_staff and user.has_perm("reports.view_report")):
            return self.none()
        if user.has_perm("reports.view_all_reports"):
            return self
        return self.filter(category__department__in=user.groups.all())

    def open(self) -> ReportQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class Report(models.Model):
    """A problem in public space reported by a resident (an Open311 service request)."""

    class Source(models.TextChoices):
        WEB = "web", _("Website")
        API = "api", _("Open311 client")
        PHONE = "phone", _("Phone call to staff")

    class Priority(models.IntegerChoices):
        LOW = 1, _("Low")
        NORMAL = 2, _("Normal")
        HIGH = 3, _("High")
        URGENT = 4, _("Urgent")

    category = models.ForeignKey(
        "reports.Category", on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    description = models.TextField(_("description"), max_length=4000, blank=True)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    district = models.ForeignKey(
        "core.District", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attributes = models.JSONField(_("answers"), default=dict, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    reporter_email = models.EmailField(_("email"), blank=True)
    reporter_name = models.CharField(_("name"), max_length=200, blank=True)
    reporter_phone = models.CharField(_("phone"), max_length=30, blank=True)
    show_name = models.BooleanField(_("show my name publicly"), default=False)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_reports",
        verbose_name=_("assigned to"),
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    referred_to = models.CharField(_("referred to"), max_length=300, blank=True)
    # The secret that lets an anonymous reporter confirm, follow and withdraw their report.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # A client-chosen key: the same submission retried (a phone on a bad network) is one report.
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    is_hidden = models.BooleanField(_("hidden from the public"), default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    fixed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    expected_on = models.DateField(_("expected by"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-pk"]
        permissions = [("view_all_reports", "Can see the reports of every department")]
        indexes = [
            models.Index(fields=["lat", "lon"], name="report_point_idx"),
            models.Index(fields=["category", "status", "created_at"], name="report_queue_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180),
                name="report_point_in_range",
            ),
            models.CheckConstraint(
                condition=Q(reporter__isnull=False)
                | ~Q(reporter_email="")
                | Q(source="phone")
                | Q(source="api"),
                name="report_has_a_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def is_overdue(self) -> bool:
        return bool(self.is_open and self.expected_on and self.expected_on < timezone.localdate())

    def public_name(self) -> str:
        return self.reporter_name if self.show_name else ""


class ReportUpdate(TimelineEntry):
    """One entry of a report's append-only history: a status change, a note, an action."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Status change")
        PUBLIC_NOTE = "public_note", _("Public update")
        INTERNAL_NOTE = "internal_note", _("Internal note")
        ASSIGNED = "assigned", _("Assigned")
        PRIORITY = "priority", _("Priority")
        CATEGORY = "category", _("Category changed")
        LOCATION = "location", _("Location moved")
        PHOTO = "photo", _("Photo")
        FOLLOWED = "followed", _("Someone has the same problem")
        RATED = "rated", _("Rated")

    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    text = models.TextField(blank=True)
    is_public = models.BooleanField(default=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("report update")
        verbose_name_plural = _("report updates")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["created_at", "report"], name="report_update_time_idx")]

    def __str__(self) -> str:
        return f"#{self.report_id} {self.kind} {self.created_at:%Y-%m-%d}"

    @classmethod
    def for_move(cls, move: Any) -> ReportUpdate:
        return cls(
            report=move.case,
            kind=cls.Kind.STATUS,
            actor=move.actor,
            from_status=move.previous,
            to_status=move.target,
            text=move.note,
            is_public=move.data.get("public", True),
            created_at=move.now,
        )


class Subscription(models.Model):
    """Someone following a report (or every report in a district) to be told of changes."""

    report = models.ForeignKey(
        "reports.Report",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    district = models.ForeignKey(
        "core.District", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="report_subscriptions",
    )
    email = models.EmailField(blank=True)
    # Lets an email-only subscriber stop the messages from a link.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=False) ^ Q(district__isnull=False),
                name="subscription_report_xor_district",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(email=""), name="subscription_has_someone"
            ),
            models.UniqueConstraint(
                fields=["report", "user"],
                condition=Q(user__isnull=False, report__isnull=False),
                name="subscription_user_report_unique",
            ),
            models.UniqueConstraint(
                fields=["district", "user"],
                condition=Q(user__isnull=False, district__isnull=False),
                name="subscription_user_district_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user or self.email} → {self.report or self.district}"


class ReportPhoto(models.Model):
    """A photo of a report, re-encoded without metadata; staff may hide it from the public.

    Files get random names (the resident's file name can carry personal data) and are served
    only through the reports views, never from MEDIA_URL, so a hidden photo stays hidden.
    """

    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to="reports/photos/%Y/%m/", max_length=200)
    thumbnail = models.FileField(_("thumbnail"), upload_to="reports/photos/%Y/%m/", max_length=200)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    is_hidden = models.BooleanField(_("hidden from the public"), default=False)
    hidden_reason = models.CharField(_("why it is hidden"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"#{self.report_id} photo {self.pk}"


class ResponseTemplate(models.Model):
    """A reply staff reuse, with placeholders filled in from the report.

    Placeholders: {number}, {category}, {address}, {district}, {expected}, {department}.
    """

    PLACEHOLDERS = ("number", "category", "address", "district", "expected", "department")

    title = models.CharField(_("title"), max_length=120)
    text_el = models.TextField(_("text (Greek)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="response_templates",
        help_text=_("Only for this category; empty: for every category."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")

    def __str__(self) -> str:
        return self.title

    text = Translated("text")
