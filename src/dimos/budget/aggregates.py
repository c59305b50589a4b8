"""The one query engine of the open budget: sums of the execution phases, grouped and cut.

Every figure on the public pages and in the aggregate API comes from here, so a chart, its
table, its download and the API answer add up the same way. The sums are done by the
database (``GROUP BY`` on the line's direction, service, a prefix of its KAE code — ``Substr``,
since a KAE code's ancestors are its prefixes — or the line itself); the names of the groups
are read afterwards in one query per dimension.

A question is a fiscal year and a snapshot of it (the latest by default: the "current"
figures), the **drilldown** (the dimensions to group by, in order), the **cuts** (filters),
the **order** and a **page**:

    aggregate(2026, drilldown=("kae2",), cuts=Cuts(direction="expenditure", kae="6"),
              order=(("paid", True),), page=1, page_size=20)

Dimensions: ``direction``; ``kae1`` … ``kae4`` (class, group, 3-digit, 4-digit code — the
first 1 … 4 characters of the line's KAE code) and ``kae5`` (the line's full KAE code, with its
local extension if any); ``service``; ``line`` (service and KAE code, ``10-6011``: the same key
every year, so years compare line by line).

Execution percentages (of the adjusted budget, the money the council has allowed by now):

- **execution** = paid ÷ adjusted for expenditure, collected ÷ adjusted for revenue;
- **commitment** = committed ÷ adjusted for expenditure, assessed ÷ adjusted for revenue (how
  much of the allowed money is already bound, or owed to the municipality).

A line only has its own direction's phases, so the numerators are ``paid + collected`` and
``committed + assessed``; a sum over both directions has no meaningful percentage, and the
pages never show one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, FloatField, Q, QuerySet, Sum
from django.db.models.functions import Cast, Coalesce, NullIf, Substr
from django.utils.translation import gettext as _

from dimos.budget.models import PHASES, Direction, Kae, LineAmounts, Service, Snapshot

KAE_LEVELS = {"kae1": 1, "kae2": 2, "kae3": 3, "kae4": 4}
DIMENSIONS = ("direction", "kae1", "kae2", "kae3", "kae4", "kae5", "service", "line")
# What an order may name besides the drilldown's dimensions.
MEASURES = (*PHASES, "execution", "commitment", "lines")
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 10_000

_KAE_PREFIX = re.compile(r"^\d{1,4}(\.\d{1,6})?$")
_SERVICE = re.compile(r"^[\w.]{1,10}$")
_LINE = re.compile(r"^([\w.]{1,10})-(\d{1,4}(?:\.\d{1,6})?)$")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


class QueryError(ValueError):
    """A question the engine cannot answer (an unknown dimension, a malformed cut…), said in
    the visitor's language."""


def percentage(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` as a percentage of ``whole``, to one decimal; None when ``whole`` is zero."""
    if not whole:
        return None
    return (part * HUNDRED / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Amounts:
    """The sum of each phase over some lines (zero where no line has the phase)."""

    approved: Decimal = ZERO
    adjusted: Decimal = ZERO
    committed: Decimal = ZERO
    ordered: Decimal = ZERO
    paid: Decimal = ZERO
    assessed: Decimal = ZERO
    collected: Decimal = ZERO
    lines: int = 0

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Amounts:
        return cls(
            **{phase: _decimal(row.get(f"sum_{phase}")) for phase in PHASES},
            lines=int(row.get("n_lines") or 0),
        )

    def phase(self, name: str) -> Decimal:
        value: Decimal = getattr(self, name)
        return value

    @property
    def executed(self) -> Decimal:
        """Paid (expenditure) or collected (revenue)."""
        return self.paid + self.collected

    @property
    def bound(self) -> Decimal:
        """Committed (expenditure) or assessed (revenue)."""
        return self.committed + self.assessed

    @property
    def execution(self) -> Decimal | None:
        """Paid or collected, as a percentage of the adjusted budget."""
        return percentage(self.executed, self.adjusted)

    @property
    def commitment(self) -> Decimal | None:
        """Committed or assessed, as a percentage of the adjusted budget."""
        return percentage(self.bound, self.adjusted)

    def as_dict(self) -> dict[str, Any]:
        return {
            **{phase: self.phase(phase) for phase in PHASES},
            "execution": self.execution,
            "commitment": self.commitment,
            "lines": self.lines,
        }


@dataclass(frozen=True)
class Cuts:
    """The filters of a question: a direction, a KAE code prefix, a service code, a line."""

    direction: str = ""
    kae: str = ""
    service: str = ""
    line: str = ""

    def check(self) -> None:
        if self.direction and self.direction not in Direction.values:
            raise QueryError(_("Unknown direction “%(value)s”.") % {"value": self.direction})
        if self.kae and not _KAE_PREFIX.match(self.kae):
            raise QueryError(_("“%(value)s” is not a KAE code.") % {"value": self.kae})
        if self.service and not _SERVICE.match(self.service):
            raise QueryError(_("“%(value)s” is not a service code.") % {"value": self.service})
        if self.line and not _LINE.match(self.line):
            raise QueryError(_("“%(value)s” is not a budget line code.") % {"value": self.line})

    def apply(self, amounts: QuerySet[LineAmounts]) -> QuerySet[LineAmounts]:
        self.check()
        if self.direction:
            amounts = amounts.filter(line__direction=self.direction)
        if self.kae:
            # A code's descendants start with it: "60" holds 601, 6011 and 6011.01.
            amounts = amounts.filter(line__kae__code__startswith=self.kae)
        if self.service:
            amounts = amounts.filter(line__service__code=self.service)
        if self.line:
            service, kae = split_line_code(self.line)
            amounts = amounts.filter(line__service__code=service, line__kae__code=kae)
        return amounts


def split_line_code(code: str) -> tuple[str, str]:
    """``10-6011.01`` → (``10``, ``6011.01``); QueryError if it is not a line code."""
    match = _LINE.match(code)
    if match is None:
        raise QueryError(_("“%(value)s” is not a budget line code.") % {"value": code})
    return match.group(1), match.group(2)


@dataclass(frozen=True)
class Cell:
    """One group of an answer: its key and name in each drilldown dimension, and its sums."""

    keys: dict[str, str]
    labels: dict[str, str]
    amounts: Amounts

    def key(self, dimension: str) -> str:
        return self.keys[dimension]

    def label(self, dimension: str) -> str:
        return self.labels[dimension]


@dataclass(frozen=True)
class Aggregate:
    """An answer: the page of cells, the totals of every cell (not only this page's)."""

    snapshot: Snapshot | None
    drilldown: tuple[str, ...]
    cells: list[Cell]
    summary: Amounts
    total_cell_count: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total_cell_count // self.page_size))


@dataclass(frozen=True)
class Point:
    """The sums of one snapshot, for a series over a year or across years."""

    year: int
    as_of: date
    snapshot_id: int
    amounts: Amounts = field(default_factory=Amounts)


def latest_snapshot(year: int) -> Snapshot | None:
    """A year's current figures: its latest snapshot, or None before the first import."""
    return Snapshot.objects.filter(year__year=year).order_by("-as_of").first()


def snapshot_of(year: int, as_of: date | None = None) -> Snapshot | None:
    """The year's snapshot "as of" that date, or its latest when no date is given."""
    if as_of is None:
        return latest_snapshot(year)
    return Snapshot.objects.filter(year__year=year, as_of=as_of).first()


def _sums() -> dict[str, Any]:
    return {
        **{f"sum_{phase}": Sum(phase) for phase in PHASES},
        "n_lines": Count("line", distinct=True),
    }


def _decimal(value: Any) -> Decimal:
    if value is None:
        return ZERO
    return Decimal(value).quantize(Decimal("0.01"))


def _groups(dimension: str) -> dict[str, Any]:
    """The columns a dimension groups by (named ``d_<dimension>…``)."""
    if dimension == "direction":
        return {"d_direction": F("line__direction")}
    if dimension in KAE_LEVELS:
        return {f"d_{dimension}": Substr("line__kae__code", 1, KAE_LEVELS[dimension])}
    if dimension == "kae5":
        return {"d_kae5": F("line__kae__code")}
    if dimension == "service":
        return {"d_service": F("line__service__code")}
    if dimension == "line":
        return {
            "d_line_service": F("line__service__code"),
            "d_line_kae": F("line__kae__code"),
            "d_line_description": F("line__description"),
        }
    raise QueryError(_("Unknown dimension “%(value)s”.") % {"value": dimension})


def _ratio(numerator: Any, denominator: Any) -> Any:
    # As floats: SQLite stores whole amounts as integers and would divide them as integers.
    return Cast(numerator, FloatField()) / NullIf(Cast(denominator, FloatField()), 0.0)


def _measure(name: str) -> Any:
    if name == "execution":
        return _ratio(
            Coalesce(F("sum_paid"), ZERO) + Coalesce(F("sum_collected"), ZERO), F("sum_adjusted")
        )
    if name == "commitment":
        return _ratio(
            Coalesce(F("sum_committed"), ZERO) + Coalesce(F("sum_assessed"), ZERO),
            F("sum_adjusted"),
        )
    if name == "lines":
        return F("n_lines")
    return Coalesce(F(f"sum_{name}"), ZERO)


def _order_by(drilldown: Sequence[str], order: Sequence[tuple[str, bool]]) -> list[Any]:
    terms: list[Any] = []
    for name, descending in order:
        if name in drilldown:
            columns = list(_groups(name))
            terms += [F(c).desc() if descending else F(c).asc() for c in columns[:2]]
        elif name in MEASURES:
            expression = _measure(name)
            terms.append(
                expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
            )
        else:
            raise QueryError(_("Cannot order by “%(value)s”.") % {"value": name})
    # Then by the groups themselves, so pages never overlap.
    for dimension in drilldown:
        terms += [F(c).asc() for c in list(_groups(dimension))[:2]]
    return terms


def aggregate(
    year: int,
    *,
    drilldown: Sequence[str] = (),
    cuts: Cuts | None = None,
    order: Sequence[tuple[str, bool]] = (),
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
    snapshot: Snapshot | None = None,
) -> Aggregate:
    """The sums of a year's snapshot (its latest by default), grouped by ``drilldown``.

    ``order`` is a list of (dimension or measure, descending); the cells are then ordered by
    the drilldown's keys. ``page`` counts from 1. Raises :class:`QueryError` on a question
    that cannot be answered.
    """
    drilldown = tuple(drilldown)
    cuts = cuts or Cuts()
    if len(set(drilldown)) != len(drilldown):
        raise QueryError(_("A dimension is named twice."))
    groups: dict[str, Any] = {}
    for dimension in drilldown:
        groups.update(_groups(dimension))
    if page < 1:
        raise QueryError(_("The page must be 1 or more."))
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise QueryError(_("The page size must be between 1 and %(max)s.") % {"max": MAX_PAGE_SIZE})
    terms = _order_by(drilldown, order)
    cuts.check()
    if snapshot is None:
        snapshot = latest_snapshot(year)
    elif snapshot.year.year != year:
        raise QueryError(_("That snapshot is not of %(year)s.") % {"year": year})
    if snapshot is None:
        return Aggregate(None, drilldown, [], Amounts(), 0, page, page_size)

    amounts = cuts.apply(LineAmounts.objects.filter(snapshot=snapshot))
    summary = Amounts.from_row(amounts.aggregate(**_sums()))
    if not drilldown:
        cell = Cell({}, {}, summary)
        return Aggregate(snapshot, drilldown, [cell], summary, 1, page, page_size)

    grouped = amounts.values(**groups).annotate(**_sums()).order_by(*terms)
    total = grouped.count()
    start = (page - 1) * page_size
    rows = list(grouped[start : start + page_size])
    labels = _labels(drilldown, rows)
    cells = [_cell(drilldown, row, labels) for row in rows]
    return Aggregate(snapshot, drilldown, cells, summary, total, page, page_size)


def _cell(drilldown: Sequence[str], row: dict[str, Any], labels: dict[str, dict[str, str]]) -> Cell:
    keys: dict[str, str] = {}
    names: dict[str, str] = {}
    for dimension in drilldown:
        if dimension == "line":
            keys["line"] = f"{row['d_line_service']}-{row['d_line_kae']}"
            names["line"] = row["d_line_description"]
        else:
            keys[dimension] = row[f"d_{dimension}"]
            names[dimension] = labels[dimension].get(keys[dimension], "")
    return Cell(keys, names, Amounts.from_row(row))


def _labels(drilldown: Sequence[str], rows: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """The names of the groups on the page, one query per dimension that has names."""
    labels: dict[str, dict[str, str]] = {}
    for dimension in drilldown:
        codes = {row[f"d_{dimension}"] for row in rows} if dimension != "line" else set()
        if dimension == "direction":
            labels[dimension] = {code: str(Direction(code).label) for code in codes}
        elif dimension.startswith("kae"):
            labels[dimension] = {k.code: k.name for k in Kae.objects.filter(code__in=codes)}
        elif dimension == "service":
            labels[dimension] = {s.code: s.name for s in Service.objects.filter(code__in=codes)}
    return labels


def totals(year: int, *, cuts: Cuts | None = None, snapshot: Snapshot | None = None) -> Amounts:
    """The sums of every line the cuts select, in the year's snapshot (latest by default)."""
    return aggregate(year, cuts=cuts, snapshot=snapshot).summary


def over_snapshots(year: int, *, cuts: Cuts | None = None) -> list[Point]:
    """The sums in each of a year's snapshots, oldest first: execution over the year."""
    cuts = cuts or Cuts()
    amounts = cuts.apply(LineAmounts.objects.filter(snapshot__year__year=year))
    rows = (
        amounts.values("snapshot_id", "snapshot__as_of")
        .annotate(**_sums())
        .order_by("snapshot__as_of")
    )
    present = {row["snapshot_id"]: row for row in rows}
    # A snapshot where the cuts select nothing still belongs to the series, at zero.
    return [
        Point(year, snap.as_of, snap.pk, Amounts.from_row(present.get(snap.pk, {})))
        for snap in Snapshot.objects.filter(year__year=year).order_by("as_of")
    ]


def over_years(*, years: Iterable[int] | None = None, cuts: Cuts | None = None) -> list[Point]:
    """The sums in each year's latest snapshot, oldest year first (only ``years`` if given)."""
    cuts = cuts or Cuts()
    snapshots = Snapshot.objects.select_related("year").order_by("year__year", "as_of")
    if years is not None:
        snapshots = snapshots.filter(year__year__in=list(years))
    latest: dict[int, Snapshot] = {}
    for snap in snapshots:
        latest[snap.year.year] = snap
    amounts = cuts.apply(LineAmounts.objects.filter(snapshot__in=[s.pk for s in latest.values()]))
    rows = {
        row["snapshot_id"]: row
        for row in amounts.values("snapshot_id").annotate(**_sums()).order_by("snapshot_id")
    }
    return [
        Point(year, snap.as_of, snap.pk, Amounts.from_row(rows.get(snap.pk, {})))
        for year, snap in sorted(latest.items())
    ]


def line_filter(code: str) -> Q:
    """The lines of a line code (``10-6011``), for a query on BudgetLine."""
    service, kae = split_line_code(code)
    return Q(service__code=service, kae__code=kae)
