"""The open budget: the municipality's budget lines and every published snapshot of their execution.

A Greek municipal budget is a set of **lines**, one per service (Υπηρεσία, the
administrative classification, e.g. ``10`` or ``70``) and KAE code (the economic
classification: class → group → 3 digits → 4 digits → a local extension after a dot; revenue
in classes 0–5, expenditure in 6–9). Each publication of the execution (roughly monthly, on
Diavgeia) is a :class:`Snapshot` "as of" a date, holding one :class:`LineAmounts` row per line
with the phases of the execution chain — approved, adjusted, then committed, payment-ordered
and paid for expenditure, assessed and collected for revenue. Snapshots are never overwritten:
the history of a line is its rows across snapshots.

:class:`Kae` is the hierarchy of codes, with the class and group names built in (Greek and
English, :mod:`dimos.budget.kae`) and the longer codes named from the imported files.
:class:`SpendingDecision` links a line to the Diavgeia decisions that commit or pay its money.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dimos.core.diavgeia import decision_url, validate_ada
from dimos.core.models import Translated


class Direction(models.TextChoices):
    REVENUE = "revenue", _("Revenue")
    EXPENDITURE = "expenditure", _("Expenditure")


# Revenue is classified in classes 0–5, expenditure in 6–9 (KYA 7028/2004 and its amendments).
REVENUE_CLASSES = frozenset("012345")


def direction_of(code: str) -> str:
    """Revenue or expenditure, from a KAE code's first digit."""
    return Direction.REVENUE if code[:1] in REVENUE_CLASSES else Direction.EXPENDITURE


def level_of(code: str) -> int:
    """A KAE code's depth: 1 class (``6``), 2 group (``60``), 3, 4, 5 a local extension
    (``6012.01``)."""
    head, _dot, tail = code.partition(".")
    return min(len(head), 4) + (1 if tail else 0)


def parent_code(code: str) -> str:
    """The code one level up (``6012.01`` → ``6012`` → ``601`` → ``60`` → ``6``), "" for a class."""
    head, dot, _tail = code.partition(".")
    if dot:
        return head
    return head[:-1]


class FiscalYear(models.Model):
    """A budget year. It is public once ``published``; staff import into it before that."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    published = models.BooleanField(_("published"), default=False)
    note_el = models.TextField(_("note (Greek)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)

    class Meta:
        ordering = ("-year",)
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")

    def __str__(self) -> str:
        return str(self.year)

    note = Translated("note")


class Service(models.Model):
    """A service or directorate (Υπηρεσία), the budget's administrative classification."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name_el = models.CharField(_("name (Greek)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)

    class Meta:
        ordering = ("code",)
        verbose_name = _("budget service")
        verbose_name_plural = _("budget services")

    def __str__(self) -> str:
        return f"{self.code} {self.name_el}"

    name = Translated("name")


class Kae(models.Model):
    """One code of the economic classification (KAE), at any level, with its parent."""

    code = models.CharField(_("KAE code"), max_length=20, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=pgettext_lazy("budget", "part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.PositiveSmallIntegerField(_("level"))
    direction = models.CharField(_("direction"), max_length=12, choices=Direction.choices)
    name_el = models.CharField(_("name (Greek)"), max_length=500)
    name_en = models.CharField(_("name (English)"), max_length=500, blank=True)

    class Meta:
        ordering = ("code",)
        verbose_name = _("KAE code")
        verbose_name_plural = _("KAE codes")
        constraints = [
            models.CheckConstraint(
                condition=Q(level=1, parent__isnull=True) | Q(level__gt=1, parent__isnull=False),
                name="budget_kae_parent_above_class",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_el}"

    name = Translated("name")


class BudgetLine(models.Model):
    """A line of a year's budget: a service and a KAE code, with the description in the files."""

    year = models.ForeignKey(
        FiscalYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="lines"
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="lines"
    )
    kae = models.ForeignKey(
        Kae, verbose_name=_("KAE"), on_delete=models.PROTECT, related_name="lines"
    )
    direction = models.CharField(_("direction"), max_length=12, choices=Direction.choices)
    description = models.CharField(_("description"), max_length=500)

    class Meta:
        ordering = ("year", "kae__code", "service__code")
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(
                fields=("year", "service", "kae"), name="budget_line_once_per_year"
            ),
        ]
        indexes = [models.Index(fields=("year", "direction"))]

    def __str__(self) -> str:
        return f"{self.service.code}-{self.kae.code} {self.description}"

    @property
    def code(self) -> str:
        """The line's code as the files write it: service and KAE (``10-6011``)."""
        return f"{self.service.code}-{self.kae.code}"


class Snapshot(models.Model):
    """One imported publication of a year's budget or its execution, "as of" a date.

    ``sha256`` is the imported file's hash: the same file is never imported twice. A snapshot
    is never changed once imported; a correction is a new snapshot.
    """

    year = models.ForeignKey(
        FiscalYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="snapshots"
    )
    as_of = models.DateField(_("as of"))
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    rows = models.PositiveIntegerField(_("rows"))
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ("year", "as_of", "pk")
        get_latest_by = "as_of"
        verbose_name = _("budget snapshot")
        verbose_name_plural = _("budget snapshots")
        constraints = [
            models.UniqueConstraint(fields=("year", "as_of"), name="budget_snapshot_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.year} @ {self.as_of}"


# The phases of the execution chain, in order, per direction (the files' Greek column names
# are in dimos.budget.kae / the importer).
EXPENDITURE_PHASES = ("approved", "adjusted", "committed", "ordered", "paid")
REVENUE_PHASES = ("approved", "adjusted", "assessed", "collected")
PHASES = ("approved", "adjusted", "committed", "ordered", "paid", "assessed", "collected")


def _amount(verbose: Any) -> models.DecimalField[Any, Any]:
    return models.DecimalField(verbose, max_digits=15, decimal_places=2, null=True, blank=True)


class LineAmounts(models.Model):
    """A line's amounts in one snapshot: the phases of its direction (the others stay empty)."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="amounts")
    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="amounts")
    approved = _amount(pgettext_lazy("budget phase", "approved"))
    adjusted = _amount(_("adjusted"))
    committed = _amount(_("committed"))
    ordered = _amount(_("payment-ordered"))
    paid = _amount(pgettext_lazy("budget phase", "paid"))
    assessed = _amount(_("assessed"))
    collected = _amount(_("collected"))

    class Meta:
        ordering = ("snapshot", "line")
        verbose_name = _("line amounts")
        verbose_name_plural = _("line amounts")
        constraints = [
            models.UniqueConstraint(fields=("snapshot", "line"), name="budget_amounts_once"),
        ]

    def __str__(self) -> str:
        return f"{self.line} @ {self.snapshot.as_of}"

    def phase(self, name: str) -> Decimal:
        return getattr(self, name) or Decimal("0")


class SpendingDecision(models.Model):
    """A Diavgeia decision that commits or pays a line's money (ADA, date, subject, amount)."""

    class Kind(models.TextChoices):
        COMMITMENT = "commitment", _("Commitment")
        PAYMENT = "payment", _("Payment order")
        OTHER = "other", pgettext_lazy("decision kind", "Other")

    ada = models.CharField(_("Diavgeia ADA"), max_length=20, unique=True, validators=[validate_ada])
    date = models.DateField(_("date"))
    subject = models.CharField(_("subject"), max_length=1000)
    amount = models.DecimalField(_("amount"), max_digits=15, decimal_places=2)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.COMMITMENT)
    line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budget line"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-date", "ada")
        verbose_name = _("spending decision")
        verbose_name_plural = _("spending decisions")

    def __str__(self) -> str:
        return self.ada

    @property
    def diavgeia_url(self) -> str:
        return decision_url(self.ada)
