"""The open-data catalogue: organisations, groups (the EU data themes), datasets, resources,
and the datastore tables that tabular resources are loaded into (ADR 0026).

Ids are UUIDs, as CKAN's: clients keep them. Titles and descriptions are Greek/English pairs
(ADR 0006). A dataset's ``search_text`` holds its words folded (lower case, no accents) for
the full-text index over it (:data:`SEARCH_INDEX`); it is filled in on every save.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core.fulltext import FullTextIndex, folded_document
from dimos.core.models import localized


class Organization(models.Model):
    """A publisher: a directorate of the municipality or one of its legal entities."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.SlugField(_("short name"), max_length=100, unique=True)
    title_el = models.CharField(_("name (Greek)"), max_length=200)
    title_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_el = models.TextField(_("description (Greek)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("publisher")
        verbose_name_plural = _("publishers")
        ordering = ["title_el"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def description(self) -> str:
        return localized(self, "description")


class Group(models.Model):
    """A theme of the EU data themes vocabulary (``GOVE``, ``TRAN``…) as a CKAN group."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.SlugField(_("short name"), max_length=100, unique=True)
    theme = models.CharField(_("EU data theme"), max_length=8, unique=True)
    title_el = models.CharField(_("name (Greek)"), max_length=200)
    title_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["title_el"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")


class Tag(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Published")
    DELETED = "deleted", _("Withdrawn")


class Frequency(models.TextChoices):
    """The EU frequency vocabulary's codes that a municipality uses."""

    CONT = "UPDATE_CONT", _("Continuously")
    DAILY = "DAILY", _("Daily")
    WEEKLY = "WEEKLY", _("Weekly")
    MONTHLY = "MONTHLY", _("Monthly")
    QUARTERLY = "QUARTERLY", _("Quarterly")
    ANNUAL = "ANNUAL", _("Yearly")
    IRREG = "IRREG", _("Irregularly")
    NEVER = "NEVER", _("Not updated")


class DatasetQuerySet(models.QuerySet["Dataset"]):
    def public(self) -> DatasetQuerySet:
        """What anyone may see: published and not private."""
        return self.filter(state=State.ACTIVE, private=False)


class Dataset(models.Model):
    """A dataset (a CKAN package)."""

    class Source(models.TextChoices):
        STAFF = "staff", _("Published by staff")
        PLATFORM = "platform", _("Published by the platform")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.SlugField(_("short name in addresses"), max_length=100, unique=True)
    title_el = models.CharField(_("title (Greek)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    notes_el = models.TextField(_("description (Greek)"), blank=True)
    notes_en = models.TextField(_("description (English)"), blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="datasets",
        verbose_name=_("publisher"),
    )
    groups = models.ManyToManyField(
        Group, blank=True, related_name="datasets", verbose_name=_("themes")
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="datasets")
    license_id = models.CharField(_("licence"), max_length=40, default="CC-BY-4.0")
    version = models.CharField(_("version"), max_length=40, blank=True)
    url = models.URLField(_("source page"), blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    author_email = models.EmailField(_("author's email"), blank=True)
    maintainer = models.CharField(_("contact"), max_length=200, blank=True)
    maintainer_email = models.EmailField(_("contact email"), blank=True)
    frequency = models.CharField(
        _("update frequency"), max_length=12, choices=Frequency.choices, default=Frequency.IRREG
    )
    temporal_start = models.DateField(_("covers from"), null=True, blank=True)
    temporal_end = models.DateField(_("covers until"), null=True, blank=True)
    spatial = models.CharField(_("area covered"), max_length=200, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    private = models.BooleanField(
        _("private"), default=False, help_text=_("Only staff of the catalogue see it.")
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.STAFF)
    # The key of the registered OpenDataset that the platform refreshes.
    platform_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    created = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    modified = models.DateTimeField(default=timezone.now, db_index=True)
    search_text = models.TextField(default="", editable=False)

    objects = DatasetQuerySet.as_manager()

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["-modified"]
        permissions = [("publish_dataset", _("Can publish datasets in the open-data catalogue"))]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def notes(self) -> str:
        return localized(self, "notes")

    @property
    def is_public(self) -> bool:
        return self.state == State.ACTIVE and not self.private

    def folded_words(self, tags: list[str] | None = None) -> str:
        names = tags if tags is not None else [t.name for t in self.tags.all()] if self.pk else []
        return folded_document(
            self.name, self.title_el, self.title_en, self.notes_el, self.notes_en, *names
        )


# The full-text index over the datasets' folded words (migration 0002; dimos.core.fulltext).
SEARCH_INDEX = FullTextIndex("opendata_dataset", column="search_text", rowid_key=False)


class Resource(models.Model):
    """A file of a dataset: uploaded (kept by the catalogue) or a link elsewhere."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="resources")
    position = models.PositiveIntegerField(default=0)
    name_el = models.CharField(_("name (Greek)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    description_el = models.TextField(_("description (Greek)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    format = models.CharField(_("format"), max_length=20, blank=True)
    mimetype = models.CharField(max_length=100, blank=True)
    file = models.FileField(upload_to="opendata/%Y/%m/", max_length=300, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    # A new upload of a table waits here until it is loaded; the file before stays till then.
    pending = models.FileField(upload_to="opendata/pending/%Y/%m/", max_length=300, blank=True)
    pending_name = models.CharField(max_length=200, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    hash = models.CharField(max_length=80, blank=True)
    # The platform's file key (OpenDataFile.key) for platform datasets.
    platform_key = models.CharField(max_length=50, blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)
    last_modified = models.DateTimeField(null=True, blank=True)
    modified = models.DateTimeField(default=timezone.now)
    # The last loading into the datastore that failed, in plain words (the previous table stays).
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["position", "created"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def is_upload(self) -> bool:
        return bool(self.file)


class DatastoreTable(models.Model):
    """The typed table a CSV or XLSX resource was loaded into. A new load writes a new table
    and removes the old one in the same transaction, so a reader sees one or the other."""

    resource = models.OneToOneField(Resource, on_delete=models.CASCADE, related_name="table")
    fields = models.JSONField(default=list)  # [{"id": name, "type": "int|numeric|timestamp|text"}]
    total = models.PositiveBigIntegerField(default=0)
    # Columns holding a latitude and a longitude, when the table has them (for the map).
    point = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"table of {self.resource_id}"

    def column_ids(self) -> list[str]:
        return [f["id"] for f in self.fields]

    def types(self) -> dict[str, str]:
        return {f["id"]: f["type"] for f in self.fields}


class DatastoreRow(models.Model):
    table = models.ForeignKey(DatastoreTable, on_delete=models.CASCADE, related_name="rows")
    n = models.PositiveBigIntegerField()  # "_id", from 1
    data = models.JSONField(default=dict)
    text = models.TextField(default="")  # the row's values folded, for q

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["table", "n"], name="opendata_row_unique_n"),
        ]

    def __str__(self) -> str:
        return f"row {self.n}"


class DatasetChange(models.Model):
    """The history of a dataset: who changed what, and what it was after."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = models.CharField(max_length=300)
    fields = models.JSONField(default=list)  # the names of the fields changed
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.summary} ({self.at:%Y-%m-%d %H:%M})"


class PlatformRefresh(models.Model):
    """When each dataset the platform publishes was refreshed, and when it is planned next."""

    key = models.CharField(max_length=100, unique=True)
    last_run = models.DateTimeField(null=True, blank=True)
    planned_for = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.key

    def describe(self) -> dict[str, Any]:
        return {"key": self.key, "last_run": self.last_run, "planned_for": self.planned_for}
