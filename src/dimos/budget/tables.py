"""The budget's tables: sorted on the server by the query string (``?sort=paid``,
``?sort=-paid`` for the largest first), so sorting works without JavaScript, with the sorted
column marked by ``aria-sort`` and every figure written the visitor's way."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from dimos.budget.aggregates import Amounts, QueryError
from dimos.budget.charts import PHASE_LABELS, euro, percent, phases_of

PAGE_SIZE = 50


@dataclass
class Header:
    key: str
    label: Any
    numeric: bool = False
    url: str = ""  # sorts by this column (the other way if it is the sorted one)
    aria_sort: str = ""  # "ascending" / "descending" on the sorted column


@dataclass
class Row:
    cells: list[str]
    url: str = ""


@dataclass
class Table:
    """A table of figures: headers (sortable ones link), rows, the totals row, the pages."""

    key: str
    caption: Any
    headers: list[Header]
    rows: list[Row]
    totals: list[str] = field(default_factory=list)
    page: int = 1
    pages: int = 1
    previous_url: str = ""
    next_url: str = ""


def sort_of(request: HttpRequest, allowed: Sequence[str], default: str = "") -> tuple[str, bool]:
    """The sorted column and whether it runs downwards, from ``?sort=``; QueryError if the
    table has no such column."""
    value = request.GET.get("sort", default) or default
    key, descending = (value[1:], True) if value.startswith("-") else (value, False)
    if key and key not in allowed:
        raise QueryError(_("The table cannot be sorted by “%(value)s”.") % {"value": value})
    return key, descending


def page_of(request: HttpRequest) -> int:
    """``?page=`` as a number from 1; QueryError otherwise."""
    value = request.GET.get("page", "1") or "1"
    if not value.isdigit() or int(value) < 1:
        raise QueryError(_("“%(value)s” is not a page number.") % {"value": value})
    return int(value)


def query(request: HttpRequest, **changes: Any) -> str:
    """The page's query string with some parameters changed (None removes one), and the
    chart-download parameters dropped."""
    params = request.GET.copy()
    for name in ("chart", "format"):
        params.pop(name, None)
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def headers(
    request: HttpRequest, columns: Sequence[tuple[str, Any, bool]], sorted_by: tuple[str, bool]
) -> list[Header]:
    """Headers of (key, label, numeric) columns; a key of "" is a column that does not sort.
    A numeric column sorts largest first on its first click."""
    key, descending = sorted_by
    out = []
    for name, label, numeric in columns:
        header = Header(name, label, numeric)
        if name:
            if name == key:
                header.aria_sort = "descending" if descending else "ascending"
                target = name if descending else f"-{name}"
            else:
                target = f"-{name}" if numeric else name
            header.url = query(request, sort=target, page=None)
        out.append(header)
    return out


def amount_columns(direction: str) -> list[tuple[str, Any, bool]]:
    return [(p, PHASE_LABELS[p], True) for p in phases_of(direction)] + [
        ("execution", _("Execution"), True)
    ]


def amount_cells(amounts: Amounts, direction: str) -> list[str]:
    return [euro(amounts.phase(p)) for p in phases_of(direction)] + [percent(amounts.execution)]


def paging(table: Table, request: HttpRequest, page: int, pages: int) -> None:
    table.page, table.pages = page, pages
    if page > 1:
        table.previous_url = query(request, page=page - 1)
    if page < pages:
        table.next_url = query(request, page=page + 1)
