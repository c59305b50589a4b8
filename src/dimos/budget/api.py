"""The open budget through the platform API, at /api/v1/budget/ (public, no key).

An aggregate API in the style of OpenSpending's babbage, on the same engine as the pages
(:mod:`dimos.budget.aggregates`), so any chart on the site can be rebuilt from it:

    GET /api/v1/budget/2026/aggregate?drilldown=kae.level2|service
        &cut=direction:expenditure;kae:60&order=paid:desc&page=1&pagesize=50
        &snapshot=2026-06-30&format=json
    → {"cells": [...], "summary": {...}, "total_cell_count": 38, "page": 1, "page_size": 50}

and around it: the published years, a year's snapshots, its model (dimensions and measures),
its lines (paged) and a line with its history, its other years and its spending decisions.
Only published years answer; a parameter the engine cannot use answers 400 ``bad_request``
with the parameter named in ``details``, a malformed one 422 ``invalid`` (docs/api.md).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from ninja import Field, Query, Router, Schema

from dimos.api.api import InvalidInput
from dimos.budget import aggregates
from dimos.budget.aggregates import Amounts, Cuts, QueryError
from dimos.budget.models import (
    PHASES,
    Direction,
    FiscalYear,
    Kae,
    Snapshot,
    SpendingDecision,
    level_of,
    parent_code,
)

router = Router(tags=["budget"])

# POST /snapshots: importing a file (the import helper's, beside the aggregate API).
router.add_router("", "dimos.budget.api_import.router")

# The API's dimensions, as babbage names them, and the engine's.
DIMENSIONS = {
    "direction": "direction",
    "kae.level1": "kae1",
    "kae.level2": "kae2",
    "kae.level3": "kae3",
    "kae.level4": "kae4",
    "kae.code": "kae5",
    "service": "service",
    "line": "line",
}
# What a cut may filter on (a KAE cut is a code prefix: kae:60 holds 601, 6011, 6011.01).
CUTS = ("direction", "kae", "service", "line")
MEASURES = (*PHASES, "execution", "commitment", "lines")
DEFAULT_PAGE_SIZE = aggregates.DEFAULT_PAGE_SIZE
MAX_PAGE_SIZE = aggregates.MAX_PAGE_SIZE
_SEPARATOR = re.compile(r"[|;]")
SNAPSHOT = Query(None, description="The snapshot's date (as of); the year's latest by default.")


def _bad(parameter: str, message: Any) -> InvalidInput:
    return InvalidInput({parameter: str(message)}, str(message))


def _published(year: int) -> FiscalYear:
    found = FiscalYear.objects.filter(year=year, published=True).first()
    if found is None:
        raise Http404
    return found


def _number(value: Decimal | None) -> float | None:
    # JSON numbers: two decimals (amounts) or one (percentages) survive a float unchanged.
    return None if value is None else float(value)


def _measures(amounts: Amounts) -> dict[str, Any]:
    return {
        **{phase: _number(amounts.phase(phase)) for phase in PHASES},
        "execution": _number(amounts.execution),
        "commitment": _number(amounts.commitment),
        "lines": amounts.lines,
    }


def parse_drilldown(value: str) -> tuple[str, ...]:
    """``kae.level2|service`` → the engine's dimensions."""
    names = [n.strip() for n in value.split("|") if n.strip()]
    unknown = [n for n in names if n not in DIMENSIONS]
    if unknown:
        raise _bad(
            "drilldown",
            _("Unknown dimension “%(value)s”; the dimensions are %(known)s.")
            % {"value": unknown[0], "known": ", ".join(DIMENSIONS)},
        )
    if len(set(names)) != len(names):
        raise _bad("drilldown", _("A dimension is named twice."))
    return tuple(DIMENSIONS[n] for n in names)


def parse_cut(value: str) -> Cuts:
    """``direction:expenditure;kae:60`` (``|`` also separates) → the engine's cuts."""
    found: dict[str, str] = {}
    for term in (t.strip() for t in _SEPARATOR.split(value)):
        if not term:
            continue
        name, colon, wanted = term.partition(":")
        name, wanted = name.strip(), wanted.strip()
        # kae.level2:60 is the same cut as kae:60.
        if name.startswith("kae.") and name in DIMENSIONS:
            name = "kae"
        if not colon or not wanted:
            raise _bad("cut", _("A cut is written dimension:value, e.g. kae:60."))
        if name not in CUTS:
            raise _bad(
                "cut",
                _("Cannot cut by “%(value)s”; cuts are %(known)s.")
                % {"value": name, "known": ", ".join(CUTS)},
            )
        if name in found:
            raise _bad(
                "cut", _("One value per dimension: “%(value)s” is cut twice.") % {"value": name}
            )
        found[name] = wanted
    cuts = Cuts(**found)
    try:
        cuts.check()
    except QueryError as exc:
        raise _bad("cut", exc) from exc
    return cuts


def parse_order(value: str, drilldown: tuple[str, ...]) -> list[tuple[str, bool]]:
    """``paid:desc,kae.level2:asc`` → (measure or dimension, descending) pairs."""
    order: list[tuple[str, bool]] = []
    for term in (t.strip() for t in value.split(",")):
        if not term:
            continue
        name, _colon, direction = term.partition(":")
        direction = direction.strip().lower() or "asc"
        if direction not in ("asc", "desc"):
            raise _bad("order", _("An order is written name:asc or name:desc, e.g. paid:desc."))
        name = DIMENSIONS.get(name.strip(), name.strip())
        if name not in MEASURES and name not in drilldown:
            raise _bad(
                "order",
                _("Cannot order by “%(value)s”: name a measure or a dimension of the drilldown.")
                % {"value": term},
            )
        order.append((name, direction == "desc"))
    return order


def _snapshot(year: int, as_of: date | None) -> Snapshot | None:
    if as_of is None:
        return aggregates.latest_snapshot(year)
    snapshot = aggregates.snapshot_of(year, as_of)
    if snapshot is None:
        raise _bad(
            "snapshot",
            _(
                "%(year)s has no snapshot as of %(date)s; the year's snapshots are listed at "
                "/api/v1/budget/%(year)s/snapshots."
            )
            % {"year": year, "date": as_of.isoformat()},
        )
    return snapshot


def _cell(cell: aggregates.Cell, drilldown: tuple[str, ...], text: bool = False) -> dict[str, Any]:
    names = {engine: api for api, engine in DIMENSIONS.items()}
    out: dict[str, Any] = {}
    for dimension in drilldown:
        out[names[dimension]] = cell.key(dimension)
        out[f"{names[dimension]}.label"] = cell.label(dimension)
    return out | (_text_measures(cell.amounts) if text else _measures(cell.amounts))


class AggregateOut(Schema):
    year: int
    as_of: date | None = Field(description="The snapshot the figures are from.")
    drilldown: list[str]
    cut: dict[str, str]
    order: list[str]
    cells: list[dict[str, Any]] = Field(
        description="One per group: each drilldown dimension's key and `<dimension>.label`, "
        "then the measures (amounts in euros, execution and commitment in %, lines)."
    )
    summary: dict[str, Any] = Field(
        description="The measures over every cell, not only the page's."
    )
    total_cell_count: int
    page: int
    page_size: int


def _csv(rows: list[dict[str, Any]], columns: list[str], name: str) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_value(row.get(c)) for c in columns])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    # A spreadsheet would run a text cell that starts with these as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _text_measures(amounts: Amounts) -> dict[str, Any]:
    """The measures as the CSV writes them: amounts with two decimals, percentages one."""
    return {
        **{phase: f"{amounts.phase(phase):.2f}" for phase in PHASES},
        "execution": "" if amounts.execution is None else f"{amounts.execution:.1f}",
        "commitment": "" if amounts.commitment is None else f"{amounts.commitment:.1f}",
        "lines": amounts.lines,
    }


@router.get(
    "/{year}/aggregate",
    response=AggregateOut,
    auth=None,
    url_name="budget_aggregate",
    summary="Sums of a year's budget, grouped and cut (OpenSpending babbage style)",
)
def aggregate(
    request: HttpRequest,
    year: int,
    drilldown: str = Query(
        "",
        description="Dimensions to group by, separated by `|`: "
        + ", ".join(f"`{d}`" for d in DIMENSIONS)
        + ". Empty: one cell with the totals.",
        max_length=200,
    ),
    cut: str = Query(
        "",
        description="Filters `dimension:value`, separated by `;` or `|`: `direction` "
        "(expenditure, revenue), `kae` (a code or its prefix: `kae:60` holds 601, 6011, "
        "6011.01), `service`, `line` (`10-6011`). One value per dimension.",
        max_length=300,
    ),
    order: str = Query(
        "",
        description="`name:asc` or `name:desc`, separated by commas; a name is a measure ("
        + ", ".join(f"`{m}`" for m in MEASURES)
        + ") or a dimension of the drilldown. The cells are then ordered by their keys.",
        max_length=200,
    ),
    page: int = Query(1, ge=1, le=1_000_000, description="Page, from 1."),
    pagesize: int | None = Query(
        None, ge=1, le=MAX_PAGE_SIZE, description=f"Cells per page (default {DEFAULT_PAGE_SIZE})."
    ),
    page_size: int | None = Query(
        None, ge=1, le=MAX_PAGE_SIZE, description="The same as `pagesize`."
    ),
    snapshot: date | None = SNAPSHOT,
    format: Literal["json", "csv"] = Query("json", description="`json` or `csv`."),
) -> Any:
    _published(year)
    dimensions = parse_drilldown(drilldown)
    cuts = parse_cut(cut)
    ordering = parse_order(order, dimensions)
    size = pagesize or page_size or DEFAULT_PAGE_SIZE
    chosen = _snapshot(year, snapshot)
    try:
        answer = aggregates.aggregate(
            year,
            drilldown=dimensions,
            cuts=cuts,
            order=ordering,
            page=page,
            page_size=size,
            snapshot=chosen,
        )
    except QueryError as exc:
        raise _bad("drilldown", exc) from exc
    names = {engine: api for api, engine in DIMENSIONS.items()}
    if format == "csv":
        columns = [x for d in dimensions for x in (names[d], f"{names[d]}.label")]
        rows = [_cell(c, dimensions, text=True) for c in answer.cells]
        return _csv(rows, columns + list(MEASURES), f"budget-{year}-aggregate")
    cells = [_cell(c, dimensions) for c in answer.cells]
    return {
        "year": year,
        "as_of": answer.snapshot.as_of if answer.snapshot else None,
        "drilldown": [names[d] for d in dimensions],
        "cut": {k: v for k, v in vars(cuts).items() if v},
        "order": [f"{names.get(n, n)}:{'desc' if d else 'asc'}" for n, d in ordering],
        "cells": cells,
        "summary": _measures(answer.summary),
        "total_cell_count": answer.total_cell_count,
        "page": answer.page,
        "page_size": answer.page_size,
    }


class YearOut(Schema):
    year: int
    note: str
    as_of: date | None = Field(description="The latest snapshot: the year's current figures.")
    snapshots: int
    links: dict[str, str]


def _links(request: HttpRequest, year: int) -> dict[str, str]:
    def url(name: str) -> str:
        return request.build_absolute_uri(reverse(name, kwargs={"year": year}))

    return {
        "aggregate": url("api-1.0.0:budget_aggregate"),
        "model": url("api-1.0.0:budget_model"),
        "snapshots": url("api-1.0.0:budget_snapshots"),
        "lines": url("api-1.0.0:budget_lines"),
        "datapackage": url("budget:datapackage"),
        "csv": url("budget:data_csv"),
    }


@router.get("/years", response=list[YearOut], auth=None, summary="The published years")
def years(request: HttpRequest) -> Any:
    found = FiscalYear.objects.filter(published=True).order_by("-year")
    snapshots: dict[int, list[date]] = {}
    for year_id, as_of in Snapshot.objects.filter(year__in=found).values_list("year_id", "as_of"):
        snapshots.setdefault(year_id, []).append(as_of)
    return [
        {
            "year": y.year,
            "note": y.note,
            "as_of": max(snapshots[y.pk]) if snapshots.get(y.pk) else None,
            "snapshots": len(snapshots.get(y.pk, [])),
            "links": _links(request, y.year),
        }
        for y in found
    ]


class SnapshotOut(Schema):
    as_of: date
    rows: int
    imported_at: str
    latest: bool
    datapackage: str = Field(description="The Fiscal Data Package of this snapshot.")


@router.get(
    "/{year}/snapshots",
    response=list[SnapshotOut],
    auth=None,
    url_name="budget_snapshots",
    summary="A year's snapshots of its execution, oldest first",
)
def snapshots(request: HttpRequest, year: int) -> Any:
    fiscal = _published(year)
    found = list(fiscal.snapshots.order_by("as_of"))
    return [
        {
            "as_of": s.as_of,
            "rows": s.rows,
            "imported_at": s.imported_at.isoformat(timespec="seconds"),
            "latest": s is found[-1],
            "datapackage": request.build_absolute_uri(
                reverse("budget:datapackage", kwargs={"year": year, "as_of": s.as_of.isoformat()})
            ),
        }
        for s in found
    ]


class ModelOut(Schema):
    year: int
    as_of: date | None
    dimensions: dict[str, dict[str, Any]]
    measures: dict[str, dict[str, Any]]


def _dimensions() -> dict[str, dict[str, Any]]:
    return {
        "direction": {
            "label": _("Direction"),
            "description": _("Revenue or expenditure."),
            "values": {d.value: str(d.label) for d in Direction},
            "cut": "direction",
        },
        **{
            f"kae.level{level}": {
                "label": label,
                "description": _("The first %(n)s characters of the line's KAE code.")
                % {"n": level},
                "cut": "kae",
            }
            for level, label in (
                (1, _("KAE class")),
                (2, _("KAE group")),
                (3, _("KAE 3-digit code")),
                (4, _("KAE 4-digit code")),
            )
        },
        "kae.code": {
            "label": _("KAE code"),
            "description": _("The line's full KAE code, with its local extension if any."),
            "cut": "kae",
        },
        "service": {
            "label": _("Service"),
            "description": _("The service or directorate the line belongs to."),
            "cut": "service",
        },
        "line": {
            "label": _("Budget line"),
            "description": _("Service and KAE code (10-6011): the same key every year."),
            "cut": "line",
        },
    }


def _measures_model() -> dict[str, dict[str, Any]]:
    labels = {
        "approved": (pgettext("budget phase", "Approved"), "all"),
        "adjusted": (_("Adjusted"), "all"),
        "committed": (_("Committed"), Direction.EXPENDITURE),
        "ordered": (_("Payment-ordered"), Direction.EXPENDITURE),
        "paid": (_("Paid"), Direction.EXPENDITURE),
        "assessed": (_("Assessed"), Direction.REVENUE),
        "collected": (_("Collected"), Direction.REVENUE),
    }
    measures: dict[str, dict[str, Any]] = {
        phase: {"label": label, "direction": str(direction), "unit": "EUR"}
        for phase, (label, direction) in labels.items()
    }
    measures["execution"] = {
        "label": _("Execution (%)"),
        "description": _("Paid (expenditure) or collected (revenue) as a percentage of adjusted."),
        "unit": "%",
    }
    measures["commitment"] = {
        "label": _("Commitment (%)"),
        "description": _(
            "Committed (expenditure) or assessed (revenue) as a percentage of adjusted."
        ),
        "unit": "%",
    }
    measures["lines"] = {"label": _("Lines"), "description": _("Budget lines counted.")}
    return measures


@router.get(
    "/{year}/model",
    response=ModelOut,
    auth=None,
    url_name="budget_model",
    summary="The dimensions and measures the aggregate of a year answers with",
)
def model(request: HttpRequest, year: int) -> Any:
    _published(year)
    latest = aggregates.latest_snapshot(year)
    return {
        "year": year,
        "as_of": latest.as_of if latest else None,
        "dimensions": _dimensions(),
        "measures": _measures_model(),
    }


class LineOut(Schema):
    code: str = Field(description="Service and KAE code (10-6011), the same every year.")
    description: str
    direction: str
    service: str
    service_label: str
    kae: str
    kae_label: str
    amounts: dict[str, Any]


class LinesOut(Schema):
    year: int
    as_of: date | None
    items: list[LineOut]
    count: int
    page: int
    page_size: int
    next: str | None
    previous: str | None


def _page_link(request: HttpRequest, page: int, size: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    query["page_size"] = str(size)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


@router.get(
    "/{year}/lines",
    response=LinesOut,
    auth=None,
    url_name="budget_lines",
    summary="A year's budget lines with their amounts, paged",
)
def lines(
    request: HttpRequest,
    year: int,
    cut: str = Query(
        "", description="As the aggregate's: `direction`, `kae`, `service`.", max_length=300
    ),
    order: str = Query(
        "",
        description="As the aggregate's (a measure, or `line`); by KAE code otherwise.",
        max_length=200,
    ),
    page: int = Query(1, ge=1, le=1_000_000, description="Page, from 1."),
    page_size: int = Query(
        settings.DIMOS_API_PAGE_SIZE,
        ge=1,
        le=settings.DIMOS_API_MAX_PAGE_SIZE,
        description=f"Lines per page, at most {settings.DIMOS_API_MAX_PAGE_SIZE}.",
    ),
    snapshot: date | None = SNAPSHOT,
) -> Any:
    _published(year)
    cuts = parse_cut(cut)
    drilldown = ("line", "direction", "service", "kae5")
    ordering = parse_order(order, drilldown) or [("kae5", False), ("service", False)]
    answer = aggregates.aggregate(
        year,
        drilldown=drilldown,
        cuts=cuts,
        order=ordering,
        page=page,
        page_size=page_size,
        snapshot=_snapshot(year, snapshot),
    )
    items = [
        {
            "code": c.key("line"),
            "description": c.label("line"),
            "direction": c.key("direction"),
            "service": c.key("service"),
            "service_label": c.label("service"),
            "kae": c.key("kae5"),
            "kae_label": c.label("kae5"),
            "amounts": _measures(c.amounts),
        }
        for c in answer.cells
    ]
    count = answer.total_cell_count
    return {
        "year": year,
        "as_of": answer.snapshot.as_of if answer.snapshot else None,
        "items": items,
        "count": count,
        "page": page,
        "page_size": page_size,
        "next": _page_link(request, page + 1, page_size) if page * page_size < count else None,
        "previous": _page_link(request, page - 1, page_size) if page > 1 else None,
    }


class PointOut(Schema):
    year: int
    as_of: date
    amounts: dict[str, Any]


class DecisionOut(Schema):
    ada: str
    date: date
    subject: str
    amount: float
    kind: str
    url: str


class LineDetailOut(Schema):
    year: int
    code: str
    description: str
    direction: str
    service: dict[str, str]
    kae: list[dict[str, Any]] = Field(
        description="The KAE code and the codes above it, class first."
    )
    as_of: date | None
    amounts: dict[str, Any]
    history: list[PointOut] = Field(description="The line in each of the year's snapshots.")
    years: list[PointOut] = Field(description="The same line in each published year's latest.")
    decisions: list[DecisionOut]


@router.get(
    "/{year}/lines/{code}",
    response=LineDetailOut,
    auth=None,
    url_name="budget_line",
    summary="A line: its amounts, its history over the year and across years, its decisions",
)
def line(request: HttpRequest, year: int, code: str) -> Any:
    fiscal = _published(year)
    try:
        found = (
            fiscal.lines.select_related("service", "kae")
            .filter(aggregates.line_filter(code))
            .first()
        )
    except QueryError as exc:
        raise Http404 from exc
    if found is None:
        raise Http404
    cuts = Cuts(line=code)
    latest = aggregates.latest_snapshot(year)
    codes = [found.kae.code]
    while parent_code(codes[-1]):
        codes.append(parent_code(codes[-1]))
    kae = {k.code: k for k in Kae.objects.filter(code__in=codes)}
    published = FiscalYear.objects.filter(published=True).values_list("year", flat=True)
    decisions = SpendingDecision.objects.filter(line=found).order_by("date", "ada")
    return {
        "year": year,
        "code": found.code,
        "description": found.description,
        "direction": found.direction,
        "service": {"code": found.service.code, "label": found.service.name},
        "kae": [
            {"code": c, "level": level_of(c), "label": kae[c].name if c in kae else ""}
            for c in reversed(codes)
        ],
        "as_of": latest.as_of if latest else None,
        "amounts": _measures(aggregates.totals(year, cuts=cuts, snapshot=latest)),
        "history": [
            {"year": p.year, "as_of": p.as_of, "amounts": _measures(p.amounts)}
            for p in aggregates.over_snapshots(year, cuts=cuts)
        ],
        "years": [
            {"year": p.year, "as_of": p.as_of, "amounts": _measures(p.amounts)}
            for p in aggregates.over_years(years=list(published), cuts=cuts)
            if p.amounts.lines
        ],
        "decisions": [
            {
                "ada": d.ada,
                "date": d.date,
                "subject": d.subject,
                "amount": float(d.amount),
                "kind": d.kind,
                "url": d.diavgeia_url,
            }
            for d in decisions
        ],
    }
