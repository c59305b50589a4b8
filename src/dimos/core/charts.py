"""Charts drawn on the server: one Vega-Lite spec, rendered by vl-convert to SVG in the page.

A chart is its spec plus its data, a title and a description. The page shows the SVG with the
title and description beside the same data as a table, so the chart needs no JavaScript and a
screen reader reads the table; each chart downloads as PNG and SVG and its data as CSV and JSON
(``?chart=<key>&format=png``). Rendered SVG and PNG are cached by the spec's hash.

Used by the reports dashboard; meant for every figure page (the open budget, service
performance):

    chart = Chart(key="by-month", title=_("Reports per month"), description=…,
                  columns=[Column("month", _("Month")),
                           Column("count", _("Reports"), "quantitative")],
                  rows=[{"month": "2026-01", "count": 12}, …], mark="bar")
    if (answer := download(request, [chart])) is not None:
        return answer
    render(request, "….html", {"charts": [chart]})  # {% include "includes/chart.html" %}
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

# Fonts with Greek letters, the first the system has (Debian: fonts-dejavu, fonts-liberation).
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
# The GOV.GR blue, and the text colour of the design system.
COLOUR = "#003476"
TEXT = "#0b0c0c"
FORMATS = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Column:
    """A field of the data: its name in the rows, its heading, its Vega-Lite type."""

    field: str
    title: Any
    type: str = "nominal"


@dataclass
class Chart:
    """One chart: what it shows (title, description), its data, and how it draws it.

    ``x`` and ``y`` name the columns on the axes (the first two by default); ``mark`` is a
    Vega-Lite mark (``bar``, ``line``…); ``horizontal`` puts the categories down the side.
    """

    key: str
    title: Any
    description: Any
    columns: list[Column]
    rows: list[dict[str, Any]]
    mark: str = "bar"
    horizontal: bool = False
    x: str = ""
    y: str = ""
    sort: bool = False  # categories by value, largest first
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return slugify(self.key) or "chart"

    def _column(self, name: str, fallback: int) -> Column:
        return next((c for c in self.columns if c.field == name), self.columns[fallback])

    def spec(self) -> dict[str, Any]:
        """The Vega-Lite spec, data included."""
        category, value = self._column(self.x, 0), self._column(self.y, 1)
        category_enc: dict[str, Any] = {
            "field": category.field,
            "type": category.type,
            "title": str(category.title),
            "sort": f"-{'x' if self.horizontal else 'y'}" if self.sort else None,
        }
        if not self.horizontal:
            category_enc["axis"] = {"labelAngle": -45 if len(self.rows) > 8 else 0}
        value_enc = {"field": value.field, "type": value.type, "title": str(value.title)}
        encoding = (
            {"y": category_enc, "x": value_enc}
            if self.horizontal
            else {"x": category_enc, "y": value_enc}
        )
        mark: dict[str, Any] = {"type": self.mark, "color": COLOUR, "tooltip": True}
        if self.mark == "line":
            mark["point"] = True
        return {
            "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "title": str(self.title),
            "description": str(self.description),
            "width": 560 if not self.horizontal else 420,
            "height": max(160, 22 * len(self.rows)) if self.horizontal else 240,
            "data": {"values": self.rows},
            "mark": mark,
            "encoding": encoding,
            "config": {
                "font": FONT,
                "title": {"fontSize": 16, "anchor": "start", "color": TEXT},
                "axis": {"labelFontSize": 12, "titleFontSize": 13, "labelColor": TEXT},
                "background": "white",
            },
            **self.extra,
        }

    @cached_property
    def _hash(self) -> str:
        return hashlib.sha256(json.dumps(self.spec(), sort_keys=True).encode()).hexdigest()[:32]

    def svg(self) -> SafeString:
        """The chart as an SVG element to put in the page, named by its title."""
        key = f"charts:svg:{self._hash}"
        svg = cache.get(key)
        if svg is None:
            svg = _accessible(_convert("svg", self.spec()), self.slug)
            cache.set(key, svg, CACHE_SECONDS)
        return mark_safe(svg)  # noqa: S308 - vl-convert's own SVG of our spec, escaped by it

    def png(self) -> bytes:
        key = f"charts:png:{self._hash}"
        png = cache.get(key)
        if png is None:
            png = _convert("png", self.spec())
            cache.set(key, png, CACHE_SECONDS)
        return bytes(png)

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([str(c.title) for c in self.columns])
        for row in self.rows:
            writer.writerow([_safe_cell(row.get(c.field)) for c in self.columns])
        return out.getvalue()

    def json(self) -> str:
        return json.dumps(
            {"title": str(self.title), "description": str(self.description), "data": self.rows},
            ensure_ascii=False,
            indent=1,
        )

    def table(self) -> list[list[Any]]:
        return [[row.get(c.field) for c in self.columns] for row in self.rows]


def _convert(fmt: str, spec: dict[str, Any]) -> Any:
    import vl_convert

    if fmt == "png":
        return vl_convert.vegalite_to_png(spec, scale=2)
    return vl_convert.vegalite_to_svg(spec)


def _accessible(svg: str, slug: str) -> str:
    """The SVG as one image to assistive technology, named by the figure's caption; the data
    table beside it carries the numbers. (Vega marks every group and axis with ARIA roles,
    which reads as noise.)"""
    svg = re.sub(r'\s(?:role|aria-[a-z]+)="[^"]*"', "", svg)
    return svg.replace(
        "<svg ",
        f'<svg role="img" aria-labelledby="chart-{slug}-title" focusable="false" '
        f'class="dimos-chart__svg" ',
        1,
    )


def _safe_cell(value: Any) -> Any:
    # A spreadsheet would run a cell that starts with these as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


def download(request: HttpRequest, charts: list[Chart]) -> HttpResponse | None:
    """The file asked for with ``?chart=<key>&format=<svg|png|csv|json>``, or None."""
    key, fmt = request.GET.get("chart"), request.GET.get("format", "")
    if not key:
        return None
    chart = next((c for c in charts if c.slug == key), None)
    if chart is None or fmt not in FORMATS:
        return HttpResponse(status=404)
    body: Any
    if fmt == "svg":
        body = _convert("svg", chart.spec())
    elif fmt == "png":
        body = chart.png()
    elif fmt == "csv":
        body = chart.csv()
    else:
        body = chart.json()
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{chart.slug}.{fmt}"'
    return response
