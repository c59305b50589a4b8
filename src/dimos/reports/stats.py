"""Figures of the monitoring dashboard, computed by the database.

Every function takes an already filtered and permission-scoped ``Report`` queryset and runs a
fixed number of aggregate queries: nothing here loops over reports in Python, so the page
stays fast with a million rows. Medians are computed portably (SQLite has no
``percentile_cont``): count the rows, then fetch the middle one or two ordered by duration.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Count,
    F,
    Max,
    Min,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Round, TruncDate
from django.utils import timezone
from django.utils.translation import get_language

from dimos.core.monthly import SecondsBetween
from dimos.reports.models import CLOSED_STATUSES, OPEN_STATUSES, Report, Status

# Below this many closed reports a department's figures are shown but never ranked: a
# department that closed 3 reports, all on time, is not "better" than one that closed 300.
# Callers may pass another ``min_sample``.
MIN_SAMPLE = 20
# Heatmap cells of 0.005° (about 550 m north–south, 420 m east–west at Greek latitudes).
CELLS_PER_DEGREE = 200
AGE_BUCKETS = (("lt7", 0, 7), ("7to30", 7, 30), ("30to90", 30, 90), ("gt90", 90, None))


def athens() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Filters:
    """The dashboard's filters; every field optional."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    category_id: int | None = None
    department_id: int | None = None
    district_id: int | None = None
    # A Status value, or "any_open"/"any_closed" for the whole group.
    status: str = ""


def filtered(reports: QuerySet[Report], filters: Filters) -> QuerySet[Report]:
    """Apply the filters. Unconfirmed reports are never counted: they may never become real."""
    reports = reports.exclude(status=Status.UNCONFIRMED)
    tz = athens()
    if filters.date_from:
        start = dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=tz)
        reports = reports.filter(created_at__gte=start)
    if filters.date_to:
        end = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        reports = reports.filter(created_at__lt=end)
    if filters.category_id:
        reports = reports.filter(category_id=filters.category_id)
    if filters.department_id:
        reports = reports.filter(category__department_id=filters.department_id)
    if filters.district_id:
        reports = reports.filter(district_id=filters.district_id)
    if filters.status == "any_open":
        reports = reports.filter(status__in=OPEN_STATUSES)
    elif filters.status == "any_closed":
        reports = reports.filter(status__in=CLOSED_STATUSES)
    elif filters.status:
        reports = reports.filter(status=filters.status)
    return reports


def _lang_name(row: dict[str, Any], prefix: str) -> str:
    lang = (get_language() or settings.LANGUAGE_CODE)[:2]
    return str(row.get(f"{prefix}_{lang}") or row.get(f"{prefix}_el") or "")


@dataclass
class Bar:
    """One row of a count table: its key, label and count."""

    key: str
    label: str
    count: int


def by_category(reports: QuerySet[Report]) -> list[Bar]:
    rows = (
        reports.values("category__code", "category__name_el", "category__name_en")
        .annotate(n=Count("id"))
        .order_by("-n", "category__code")
    )
    return [Bar(r["category__code"], _lang_name(r, "category__name"), r["n"]) for r in rows]


def by_district(reports: QuerySet[Report]) -> list[Bar]:
    rows = (
        reports.values("district__code", "district__name_el", "district__name_en")
        .annotate(n=Count("id"))
        .order_by("-n", "district__code")
    )
    return [
        Bar(r["district__code"] or "", _lang_name(r, "district__name") or "—", r["n"]) for r in rows
    ]


def by_status(reports: QuerySet[Report]) -> list[Bar]:
    labels = dict(Status.choices)
    rows = reports.values("status").annotate(n=Count("id")).order_by("-n", "status")
    return [Bar(r["status"], str(labels.get(r["status"], r["status"])), r["n"]) for r in rows]


def _month_starts(first: dt.datetime, last: dt.datetime) -> list[dt.datetime]:
    """Local (Athens) month starts from the month of ``first`` to the one after ``last``."""
    tz = athens()
    first, last = first.astimezone(tz), last.astimezone(tz)
    year, month = first.year, first.month
    starts: list[dt.datetime] = []
    while not starts or starts[-1] <= last:
        starts.append(dt.datetime(year, month, 1, tzinfo=tz))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return starts


def by_month(reports: QuerySet[Report]) -> list[Bar]:
    """Reports per local month, empty months included.

    Counted as conditional aggregates over the month boundaries (two queries) rather than
    grouped by ``TruncMonth``: on SQLite that runs a Python function per row, 10× slower.
    """
    span = reports.aggregate(first=Min("created_at"), last=Max("created_at"))
    if span["first"] is None:
        return []
    starts = _month_starts(span["first"], span["last"])
    counts = reports.aggregate(
        **{
            f"m{i}": Count("id", filter=Q(created_at__gte=start, created_at__lt=end))
            for i, (start, end) in enumerate(itertools.pairwise(starts))
        }
    )
    return [
        Bar(f"{start:%Y-%m}", f"{start:%Y-%m}", counts[f"m{i}"])
        for i, start in enumerate(starts[:-1])
    ]


def _duration(end: str) -> SecondsBetween:
    return SecondsBetween(F(end), F("created_at"))


def median_duration(
    reports: QuerySet[Report], end: str, count: int | None = None
) -> dt.timedelta | None:
    """Median of ``end - created_at`` over the reports that have ``end``; two queries."""
    done = reports.filter(**{f"{end}__isnull": False}).order_by()
    # ``count`` when the caller already has it from an aggregate: one query fewer.
    n = done.count() if count is None else count
    if n == 0:
        return None
    ordered = (
        done.annotate(took=_duration(end)).order_by("took", "pk").values_list("took", flat=True)
    )
    middle = [float(seconds) for seconds in ordered[(n - 1) // 2 : n // 2 + 1]]
    # To the second: julianday() on SQLite is precise to some microseconds only.
    return dt.timedelta(seconds=round(sum(middle) / len(middle)))


def days(value: dt.timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 86400, 1)


def _on_time_counts() -> dict[str, Any]:
    """Aggregates for "fixed by the deadline": the fix day (Athens) on or before expected_on."""
    with_deadline = Q(fixed_at__isnull=False, expected_on__isnull=False)
    return {
        "fixed_with_deadline": Count("id", filter=with_deadline),
        "fixed_on_time": Count("id", filter=with_deadline & Q(fixed_day__lte=F("expected_on"))),
    }


def _with_fixed_day(reports: QuerySet[Report]) -> QuerySet[Report]:
    return reports.alias(fixed_day=TruncDate("fixed_at", tzinfo=athens()))


def share(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(100 * part / whole, 1)


@dataclass
class Totals:
    total: int
    open: int
    overdue: int
    fixed_with_deadline: int
    fixed_on_time: int

    @property
    def on_time_share(self) -> float | None:
        """Percent of the fixed reports that had a deadline and were fixed by it."""
        return share(self.fixed_on_time, self.fixed_with_deadline)


def totals(reports: QuerySet[Report]) -> Totals:
    row = _with_fixed_day(reports).aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count(
            "id", filter=Q(status__in=OPEN_STATUSES, expected_on__lt=timezone.localdate())
        ),
        **_on_time_counts(),
    )
    return Totals(**row)


def backlog(reports: QuerySet[Report], now: dt.datetime | None = None) -> list[Bar]:
    """Open reports by age: under 7 days, 7–30, 30–90, over 90 (one query)."""
    now = now or timezone.now()
    aggregates = {}
    for key, low, high in AGE_BUCKETS:
        condition = Q(created_at__lte=now - dt.timedelta(days=low))
        if high is not None:
            condition &= Q(created_at__gt=now - dt.timedelta(days=high))
        aggregates[key] = Count("id", filter=condition)
    row = reports.filter(status__in=OPEN_STATUSES).aggregate(**aggregates)
    labels = age_labels()
    return [Bar(key, labels[key], row[key]) for key, _low, _high in AGE_BUCKETS]


def age_labels() -> dict[str, str]:
    from django.utils.translation import gettext as _

    return {
        "lt7": _("Under 7 days"),
        "7to30": _("7 to 30 days"),
        "30to90": _("30 to 90 days"),
        "gt90": _("Over 90 days"),
    }


@dataclass
class DepartmentRow:
    """One department's performance; ``rank`` is None when the sample is too small."""

    department_id: int
    name: str
    total: int
    open: int
    overdue: int
    closed: int
    fixed_with_deadline: int
    fixed_on_time: int
    median_days_to_fix: float | None = None
    rank: int | None = None
    comparable: bool = False

    @property
    def on_time_share(self) -> float | None:
        """Withheld below the minimum sample, like the median: a share of 3 means little."""
        if not self.comparable:
            return None
        return share(self.fixed_on_time, self.fixed_with_deadline)


def departments(reports: QuerySet[Report], min_sample: int = MIN_SAMPLE) -> list[DepartmentRow]:
    """Per-department figures: one grouped query, plus two per comparable department.

    Departments with fewer than ``min_sample`` closed reports are listed after the ranked
    ones, alphabetically, with ``comparable=False`` and no rank.
    """
    rows = (
        _with_fixed_day(reports)
        .values("category__department_id", "category__department__name")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count(
                "id", filter=Q(status__in=OPEN_STATUSES, expected_on__lt=timezone.localdate())
            ),
            closed=Count("id", filter=Q(status__in=CLOSED_STATUSES)),
            fixed=Count("id", filter=Q(fixed_at__isnull=False)),
            **_on_time_counts(),
        )
        .order_by("category__department__name")
    )
    fixed = {r["category__department_id"]: r["fixed"] for r in rows}
    result = [
        DepartmentRow(
            department_id=r["category__department_id"],
            name=r["category__department__name"],
            total=r["total"],
            open=r["open"],
            overdue=r["overdue"],
            closed=r["closed"],
            fixed_with_deadline=r["fixed_with_deadline"],
            fixed_on_time=r["fixed_on_time"],
        )
        for r in rows
    ]
    for row in result:
        row.comparable = row.closed >= min_sample
        if row.comparable:
            mine = reports.filter(category__department_id=row.department_id)
            row.median_days_to_fix = days(
                median_duration(mine, "fixed_at", fixed[row.department_id])
            )
    ranked = sorted(
        (r for r in result if r.comparable),
        key=lambda r: (
            -(r.on_time_share if r.on_time_share is not None else -1),
            r.median_days_to_fix if r.median_days_to_fix is not None else float("inf"),
            r.name,
        ),
    )
    for position, row in enumerate(ranked, start=1):
        row.rank = position
    return ranked + [r for r in result if not r.comparable]


@dataclass
class Cell:
    """A heatmap cell: its centre, its bounding box, how many reports fall in it, and the
    place as people name it: its most reported streets and its district."""

    lat: float
    lon: float
    count: int
    bbox: tuple[float, float, float, float] = field(default=(0.0, 0.0, 0.0, 0.0))
    # The cell's grid index (rounded lat and lon times CELLS_PER_DEGREE).
    key: tuple[float, float] = (0.0, 0.0)
    streets: tuple[str, ...] = ()
    district_el: str = ""
    district_en: str = ""

    @property
    def bbox_param(self) -> str:
        return ",".join(f"{v:.4f}" for v in self.bbox)

    @property
    def district(self) -> str:
        english = (get_language() or "el").startswith("en")
        return (english and self.district_en) or self.district_el

    @property
    def place(self) -> str:
        """ "Μεραρχίας, Βενιζέλου · Σέρρες": the streets, then the district ("" if neither)."""
        return " · ".join(part for part in (", ".join(self.streets), self.district) if part)


# A house number (and what may follow it: "12Α", "10-12") at the end of a street address.
HOUSE_NUMBER = re.compile(r"[\s,]+\d+\S*(?:\s*[-–]\s*\d+\S*)?$")


def street_of(address: str) -> str:
    """The street of an address as people write it: "Μεραρχίας 10, Σέρρες" → "Μεραρχίας"."""
    first = address.split(",")[0].strip()
    return HOUSE_NUMBER.sub("", first).strip(" ,.")


def name_cells(reports: QuerySet[Report], cells: list[Cell], streets: int = 2) -> None:
    """Name each cell from the addresses stored with its reports (no geocoder is asked), in
    two queries whatever the number of cells or reports: the commonest addresses and
    districts per cell, counted in SQL."""
    if not cells:
        return
    wanted = Q()
    for cell in cells:
        wanted |= Q(cell_y=cell.key[0], cell_x=cell.key[1])
    in_cells = _with_cells(reports).filter(wanted)
    addresses = (
        in_cells.exclude(address="")
        .values("cell_y", "cell_x", "address")
        .annotate(n=Count("id"))
        .order_by("-n")[: 100 * len(cells)]
    )
    districts = (
        in_cells.exclude(district=None)
        .values("cell_y", "cell_x", "district__name_el", "district__name_en")
        .annotate(n=Count("id"))
        .order_by("-n")[: 10 * len(cells)]
    )
    found: dict[tuple[float, float], Counter[str]] = {}
    for row in addresses:
        street = street_of(row["address"])
        if street:
            key = (float(row["cell_y"]), float(row["cell_x"]))
            found.setdefault(key, Counter())[street] += row["n"]
    district_of: dict[tuple[float, float], tuple[str, str]] = {}
    for row in districts:  # the commonest first: keep the first seen per cell
        key = (float(row["cell_y"]), float(row["cell_x"]))
        district_of.setdefault(key, (row["district__name_el"], row["district__name_en"] or ""))
    for cell in cells:
        counted = found.get(cell.key, Counter())
        cell.streets = tuple(name for name, _n in counted.most_common(streets))
        cell.district_el, cell.district_en = district_of.get(cell.key, ("", ""))


def _with_cells(reports: QuerySet[Report]) -> Any:
    """The reports with their grid cell (``cell_y``, ``cell_x``); typed Any because the stubs
    cannot follow annotations made in another function."""
    scale = Value(float(CELLS_PER_DEGREE))
    return reports.annotate(cell_y=Round(F("lat") * scale), cell_x=Round(F("lon") * scale))


def heatmap(reports: QuerySet[Report], limit: int = 20) -> list[Cell]:
    """The busiest grid cells, grouped in SQL by the rounded cell index of each point."""
    rows = (
        _with_cells(reports)
        .values("cell_y", "cell_x")
        .annotate(n=Count("id"))
        .order_by("-n", "cell_y", "cell_x")[:limit]
    )
    half = 0.5 / CELLS_PER_DEGREE
    cells = []
    for r in rows:
        lat, lon = r["cell_y"] / CELLS_PER_DEGREE, r["cell_x"] / CELLS_PER_DEGREE
        cells.append(
            Cell(
                lat=round(lat, 4),
                lon=round(lon, 4),
                count=r["n"],
                key=(float(r["cell_y"]), float(r["cell_x"])),
                bbox=(
                    round(lon - half, 5),
                    round(lat - half, 5),
                    round(lon + half, 5),
                    round(lat + half, 5),
                ),
            )
        )
    return cells


def _named(reports: QuerySet[Report], cells: list[Cell]) -> list[Cell]:
    name_cells(reports, cells)
    return cells


@dataclass
class Dashboard:
    """Every figure of the dashboard, for the page and the API alike."""

    totals: Totals
    by_category: list[Bar]
    by_district: list[Bar]
    by_status: list[Bar]
    by_month: list[Bar]
    backlog: list[Bar]
    median_days_to_acknowledge: float | None
    median_days_to_fix: float | None
    departments: list[DepartmentRow]
    heatmap: list[Cell]
    min_sample: int


def dashboard(reports: QuerySet[Report], min_sample: int = MIN_SAMPLE) -> Dashboard:
    """All figures over ``reports`` (already filtered and scoped to the viewer)."""
    reports = reports.order_by()
    return Dashboard(
        totals=totals(reports),
        by_category=by_category(reports),
        by_district=by_district(reports),
        by_status=by_status(reports),
        by_month=by_month(reports),
        backlog=backlog(reports),
        median_days_to_acknowledge=days(median_duration(reports, "acknowledged_at")),
        median_days_to_fix=days(median_duration(reports, "fixed_at")),
        departments=departments(reports, min_sample),
        heatmap=_named(reports, heatmap(reports)),
        min_sample=min_sample,
    )
