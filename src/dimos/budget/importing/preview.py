"""What importing a budget file as of a date would change: the preview staff confirm.

Reads only: the file's rows (:func:`dimos.budget.importer.read_budget_file`) against the year's
last snapshot — new lines, changed amounts, lines missing, totals per direction and phase — and
the file's place in the year's history (:func:`check_snapshot_place`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Sum
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from dimos.budget.importer import BudgetFile, Row, read_budget_file
from dimos.budget.importing.tables import RowError
from dimos.budget.models import (
    EXPENDITURE_PHASES,
    PHASES,
    REVENUE_PHASES,
    BudgetLine,
    Direction,
    FiscalYear,
    LineAmounts,
    Service,
    Snapshot,
)

# The phases' names, in a context of their own: "approved" or "paid" alone mean other things
# in other apps' catalogues.
PHASE_LABELS = {
    "approved": pgettext_lazy("budget phase", "approved"),
    "adjusted": pgettext_lazy("budget phase", "adjusted"),
    "committed": pgettext_lazy("budget phase", "committed"),
    "ordered": pgettext_lazy("budget phase", "payment-ordered"),
    "paid": pgettext_lazy("budget phase", "paid"),
    "assessed": pgettext_lazy("budget phase", "assessed"),
    "collected": pgettext_lazy("budget phase", "collected"),
}


def phase_label(phase: str) -> str:
    """A phase's name in the active language (approved, paid, …)."""
    return str(PHASE_LABELS[phase])


@dataclass
class Total:
    """One phase of one direction: its sum in the file and in the previous snapshot."""

    direction: str
    phase: str
    amount: Decimal
    previous: Decimal | None

    @property
    def change(self) -> Decimal | None:
        return None if self.previous is None else self.amount - self.previous

    @property
    def label(self) -> str:
        return phase_label(self.phase)

    @property
    def direction_label(self) -> str:
        return str(Direction(self.direction).label)


@dataclass
class Change:
    """A line whose amounts differ from the previous snapshot."""

    row: Row
    before: dict[str, Decimal | None]

    @property
    def phases(self) -> list[tuple[str, Decimal | None, Decimal | None]]:
        return [
            (phase_label(p), self.before.get(p), v)
            for p, v in self.row.amounts.items()
            if (self.before.get(p) or Decimal(0)) != (v or Decimal(0))
        ]


@dataclass
class Preview:
    """What importing a file as of a date would change, or why it cannot be imported."""

    year: int
    as_of: date
    file: BudgetFile
    errors: list[RowError]
    previous: Snapshot | None = None
    new_lines: list[Row] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0
    missing: list[str] = field(default_factory=list)
    new_services: list[str] = field(default_factory=list)
    totals: list[Total] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def check_snapshot_place(year: int, as_of: date, sha256: str) -> list[RowError]:
    """The file's place in history: new to the site, after the year's last snapshot."""
    errors: list[RowError] = []
    earlier = Snapshot.objects.select_related("year").filter(sha256=sha256).first()
    if earlier is not None:
        errors.append(
            RowError(
                None,
                _(
                    "This file was already imported: snapshot of %(year)s as of %(as_of)s "
                    "(%(file)s, imported %(when)s)."
                )
                % {
                    "year": earlier.year.year,
                    "as_of": _date(earlier.as_of),
                    "file": earlier.file_name,
                    "when": _date(earlier.imported_at),
                },
            )
        )
    if not year - 1 <= as_of.year <= year + 1:
        errors.append(
            RowError(
                None,
                _("The date %(as_of)s is not in or next to the year %(year)s.")
                % {"as_of": _date(as_of), "year": year},
            )
        )
    last = Snapshot.objects.filter(year__year=year).order_by("-as_of").first()
    if last is not None and as_of <= last.as_of:
        errors.append(
            RowError(
                None,
                _(
                    "The year %(year)s already has a snapshot as of %(last)s: a new one must be "
                    "dated after it (history is never rewritten)."
                )
                % {"year": year, "last": _date(last.as_of)},
            )
        )
    return errors


def _date(value: date | datetime) -> str:

    if isinstance(value, datetime):
        value = localtime(value).date()
    return date_format(value, "j E Y")


def preview(*, year: int, as_of: date, name: str, data: bytes) -> Preview:
    """Read a file and compare it with the year's last snapshot (reads only)."""
    budget_file = read_budget_file(name, data)
    errors = list(budget_file.errors)
    errors[:0] = check_snapshot_place(year, as_of, budget_file.sha256)
    result = Preview(year=year, as_of=as_of, file=budget_file, errors=errors)
    if budget_file.errors:
        return result
    fiscal_year = FiscalYear.objects.filter(year=year).first()
    result.previous = (
        Snapshot.objects.filter(year=fiscal_year).order_by("-as_of").first()
        if fiscal_year
        else None
    )
    lines: dict[tuple[str, str], int] = {}
    if fiscal_year is not None:
        for service, kae, pk in BudgetLine.objects.filter(year=fiscal_year).values_list(
            "service__code", "kae__code", "pk"
        ):
            lines[(service, kae)] = pk
    before: dict[int, dict[str, Decimal | None]] = {}
    if result.previous is not None:
        for values in LineAmounts.objects.filter(snapshot=result.previous).values("line", *PHASES):
            before[int(values.pop("line"))] = values
    services = set(Service.objects.values_list("code", flat=True))
    totals: dict[tuple[str, str], Decimal] = {}
    seen: set[int] = set()
    new_services: dict[str, None] = {}
    for row in budget_file.rows:
        for phase, value in row.amounts.items():
            totals[(row.direction, phase)] = totals.get((row.direction, phase), Decimal(0)) + (
                value or Decimal(0)
            )
        if row.service_code not in services:
            new_services[row.service_code] = None
        line_pk = lines.get(row.key)
        if line_pk is None:
            result.new_lines.append(row)
            continue
        seen.add(line_pk)
        old = before.get(line_pk)
        if old is None:
            result.changed.append(Change(row, {}))
        elif any((old.get(p) or 0) != (v or 0) for p, v in row.amounts.items()):
            result.changed.append(Change(row, old))
        else:
            result.unchanged += 1
    result.new_services = list(new_services)
    if result.previous is not None:
        result.missing = sorted(
            f"{service}-{kae}"
            for (service, kae), pk in lines.items()
            if pk in before and pk not in seen
        )
    previous_totals = _previous_totals(result.previous)
    for direction, phases in (
        (Direction.EXPENDITURE, EXPENDITURE_PHASES),
        (Direction.REVENUE, REVENUE_PHASES),
    ):
        if not any(r.direction == direction for r in budget_file.rows):
            continue
        for phase in phases:
            if phase in budget_file.columns:
                result.totals.append(
                    Total(
                        direction=direction,
                        phase=phase,
                        amount=totals.get((direction, phase), Decimal(0)),
                        previous=(
                            previous_totals.get((direction, phase), Decimal(0))
                            if result.previous is not None
                            else None
                        ),
                    )
                )
    return result


def _previous_totals(snapshot: Snapshot | None) -> dict[tuple[str, str], Decimal]:

    if snapshot is None:
        return {}
    sums: dict[tuple[str, str], Decimal] = {}
    for values in (
        LineAmounts.objects.filter(snapshot=snapshot)
        .values("line__direction")
        .annotate(**{p: Sum(p) for p in PHASES})
    ):
        direction = values.pop("line__direction")
        for phase, amount in values.items():
            sums[(direction, phase)] = amount or Decimal(0)
    return sums
