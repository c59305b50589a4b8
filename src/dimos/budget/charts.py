"""The open budget's charts: shares (donut, treemap), the execution chain (bars) and execution
over time (lines), each one :class:`dimos.core.charts.Chart` — one Vega-Lite spec drawn on the
server, its figures in a table beside it, downloadable as PNG, SVG, CSV and JSON.

:class:`BudgetChart` adds what the budget needs to the kit's bar and line: numbers written the
visitor's way (``1.234,56`` in Greek) on the axes, a series per colour, the donut (an ``arc``
mark) and the treemap. Vega-Lite has no treemap mark, so the rectangles are laid out here
(squarified, :func:`squarify`) and drawn as ``rect`` marks at their pixel positions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext as _

from dimos.budget import aggregates
from dimos.budget.models import EXPENDITURE_PHASES, REVENUE_PHASES, Direction
from dimos.core.charts import COLOUR, Chart, Column

# Dark enough that white text on each reads at 4.5:1 (the treemap's labels); distinct in hue.
PALETTE = (
    COLOUR,
    "#0b6e4f",
    "#8b1e3f",
    "#5a3e8e",
    "#9a4d00",
    "#1d5f8a",
    "#5b6300",
    "#7a2e6e",
    "#2f4f4f",
    "#4d4d4d",
)
# How d3-format writes numbers, per language (Vega's config.locale).
NUMBER_LOCALES = {
    "el": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", "\u00a0€"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""]},
}
MOST_SLICES = 8  # a donut shows the largest; the rest are one "other" slice
TREEMAP_WIDTH, TREEMAP_HEIGHT = 640, 360
PHASE_LABELS = {
    "approved": pgettext_lazy("budget phase", "Approved"),
    "adjusted": pgettext_lazy("budget phase", "Adjusted"),
    "committed": pgettext_lazy("budget phase", "Committed"),
    "ordered": pgettext_lazy("budget phase", "Payment-ordered"),
    "paid": pgettext_lazy("budget phase", "Paid"),
    "assessed": pgettext_lazy("budget phase", "Assessed"),
    "collected": pgettext_lazy("budget phase", "Collected"),
}


def phases_of(direction: str) -> tuple[str, ...]:
    return EXPENDITURE_PHASES if direction == Direction.EXPENDITURE else REVENUE_PHASES


def executed_phase(direction: str) -> str:
    """The phase execution counts: paid for expenditure, collected for revenue."""
    return "paid" if direction == Direction.EXPENDITURE else "collected"


@dataclass
class BudgetChart(Chart):
    """A budget chart: ``kind`` is ``bar``, ``line``, ``donut`` or ``treemap``.

    ``series`` names a column that splits a bar or line chart into coloured series;
    ``units`` says how the table beside writes each quantitative column (``euro`` or
    ``percent``).
    """

    kind: str = "bar"
    series: str = ""
    units: dict[str, str] = field(default_factory=dict)
    language: str = field(default_factory=lambda: (get_language() or "el")[:2])

    def spec(self) -> dict[str, Any]:
        spec = super().spec()
        spec["config"]["locale"] = {
            "number": NUMBER_LOCALES.get(self.language, NUMBER_LOCALES["el"])
        }
        category, value = self._column(self.x, 0), self._column(self.y, 1)
        value_format = ",.0f"
        if self.kind == "donut":
            spec.update(_donut(self, category, value))
        elif self.kind == "treemap":
            spec.pop("mark")
            spec.pop("encoding")
            spec.update(_treemap(self, category, value))
        else:
            axis = "x" if self.horizontal else "y"
            spec["encoding"][axis]["axis"] = {"format": value_format}
            if self.series:
                series = self._column(self.series, 0)
                spec["encoding"]["color"] = {
                    "field": series.field,
                    "type": "nominal",
                    "title": str(series.title),
                    "scale": {"range": list(PALETTE)},
                    "sort": None,
                }
                spec["mark"].pop("color", None)
        return spec

    def display(self) -> list[list[str]]:
        """The table beside the chart, each figure written for the visitor's language."""
        return [
            [_written(row.get(c.field), self.units.get(c.field, "")) for c in self.columns]
            for row in self.rows
        ]


def _written(value: Any, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "euro":
        return euro(value)
    if unit == "percent":
        return percent(value)
    return str(value)


def euro(value: Any) -> str:
    """An amount as the visitor reads it: ``1.234,56 €`` in Greek, ``€1,234.56`` in English."""
    if value is None or value == "":
        return "—"
    number = formats.number_format(Decimal(str(value)), 2, use_l10n=True, force_grouping=True)
    if (get_language() or "el").startswith("en"):
        return f"€{number}" if not number.startswith("-") else f"-€{number[1:]}"
    return f"{number}\u00a0€"


def percent(value: Any) -> str:
    """A percentage to one decimal, the visitor's way (``47,1 %`` / ``47.1%``)."""
    if value is None or value == "":
        return "—"
    number = formats.number_format(Decimal(str(value)), 1, use_l10n=True)
    return f"{number}%" if (get_language() or "el").startswith("en") else f"{number}\u00a0%"


def _donut(chart: BudgetChart, category: Column, value: Column) -> dict[str, Any]:
    return {
        "width": 300,
        "height": 300,
        "mark": {"type": "arc", "innerRadius": 75, "stroke": "white", "tooltip": True},
        "encoding": {
            "theta": {"field": value.field, "type": "quantitative", "stack": True},
            "color": {
                "field": category.field,
                "type": "nominal",
                "title": str(category.title),
                "sort": None,
                "scale": {"range": list(PALETTE)},
                "legend": {"labelLimit": 360, "labelFontSize": 12, "titleFontSize": 13},
            },
            "order": {"field": "_order", "type": "quantitative"},
        },
        "data": {"values": [{**row, "_order": i} for i, row in enumerate(chart.rows)]},
    }


def _treemap(chart: BudgetChart, category: Column, value: Column) -> dict[str, Any]:
    values = [float(row.get(value.field) or 0) for row in chart.rows]
    boxes = squarify(values, 0, 0, TREEMAP_WIDTH, TREEMAP_HEIGHT)
    laid: list[dict[str, Any]] = []
    for i, (row, box) in enumerate(zip(chart.rows, boxes, strict=True)):
        x, y, width, height = box
        label = str(row.get(category.field, ""))
        # Room for a label: a line of 7-pixel letters, cut to the box.
        room = int(width // 7) - 1
        short = label if len(label) <= room else (label[: max(room - 1, 0)] + "…")
        laid.append(
            {
                **row,
                "_x": x,
                "_x2": x + width,
                "_y": y,
                "_y2": y + height,
                "_cx": x + 6,
                "_cy": y + 16,
                "_label": short if height >= 22 and room >= 4 else "",
                "_colour": PALETTE[i % len(PALETTE)],
            }
        )
    pixels = {"type": "quantitative", "scale": None, "axis": None}
    return {
        "width": TREEMAP_WIDTH,
        "height": TREEMAP_HEIGHT,
        "data": {"values": laid},
        "layer": [
            {
                "mark": {"type": "rect", "stroke": "white", "strokeWidth": 2, "tooltip": True},
                "encoding": {
                    "x": {"field": "_x", **pixels},
                    "x2": {"field": "_x2"},
                    "y": {"field": "_y", **pixels},
                    "y2": {"field": "_y2"},
                    "color": {"field": "_colour", "type": "nominal", "scale": None},
                    "tooltip": [
                        {"field": category.field, "title": str(category.title)},
                        {"field": value.field, "title": str(value.title), "format": ",.2f"},
                    ],
                },
            },
            {
                "mark": {"type": "text", "align": "left", "color": "white", "fontSize": 12},
                "encoding": {
                    "x": {"field": "_cx", **pixels},
                    "y": {"field": "_cy", **pixels},
                    "text": {"field": "_label"},
                },
            },
        ],
    }


def squarify(
    values: list[float], x: float, y: float, width: float, height: float
) -> list[tuple[float, float, float, float]]:
    """Rectangles (x, y, width, height) tiling the box, each's area proportional to its value,
    as square as the order allows (Bruls, Huizing & van Wijk's squarified treemap).

    Values are laid out in the order given (largest first reads best); zero or negative
    values get an empty rectangle.
    """
    total = sum(v for v in values if v > 0)
    boxes: list[tuple[float, float, float, float]] = [(x, y, 0.0, 0.0)] * len(values)
    if total <= 0 or width <= 0 or height <= 0:
        return boxes
    scale = width * height / total
    pending = [(i, v * scale) for i, v in enumerate(values) if v > 0]

    def worst(row: list[float], side: float) -> float:
        area = sum(row)
        return max(
            max(side * side * r / (area * area), area * area / (side * side * r)) for r in row
        )

    while pending:
        side = min(width, height)
        row: list[tuple[int, float]] = [pending.pop(0)]
        while pending and worst([a for _i, a in [*row, pending[0]]], side) <= worst(
            [a for _i, a in row], side
        ):
            row.append(pending.pop(0))
        area = sum(a for _i, a in row)
        if width >= height:  # a column down the left side
            column = area / height
            offset = y
            for i, a in row:
                boxes[i] = (x, offset, column, a / column)
                offset += a / column
            x, width = x + column, width - column
        else:  # a row along the top
            band = area / width
            offset = x
            for i, a in row:
                boxes[i] = (offset, y, a / band, band)
                offset += a / band
            y, height = y + band, height - band
    return boxes


def shares(
    rows: list[dict[str, Any]], category: str, value: str, most: int = MOST_SLICES
) -> list[dict[str, Any]]:
    """The rows with a positive value, largest first; beyond ``most`` they become one row
    "Everything else" (a donut of thirty slices shows nothing)."""
    positive = sorted((r for r in rows if (r.get(value) or 0) > 0), key=lambda r: -r[value])
    if len(positive) <= most:
        return positive
    kept, rest = positive[: most - 1], positive[most - 1 :]
    other = {category: _("Everything else (%(count)s)") % {"count": len(rest)}}
    other[value] = round(sum(r[value] for r in rest), 2)
    return [*kept, other]


def money(value: Decimal | None) -> float:
    """An amount as a number a chart and its JSON can carry (two decimals)."""
    return round(float(value or 0), 2)


# --- The budget's charts -------------------------------------------------------------------


def direction_name(direction: str) -> str:
    return str(Direction(direction).label)


def short_day(value: date) -> str:
    return formats.date_format(value, "j M Y")


def chain_chart(key: str, amounts: aggregates.Amounts, direction: str, where: str) -> BudgetChart:
    """Bars of the execution chain: approved, adjusted, … paid (or collected)."""
    return BudgetChart(
        key=key,
        title=_("From approved to %(last)s: %(where)s")
        % {"last": str(PHASE_LABELS[executed_phase(direction)]).lower(), "where": where},
        description=_(
            "Each bar is one step of the execution chain, in euros: what the council approved, "
            "the budget as adjusted since, and how much of it has moved on to each next step."
        ),
        columns=[
            Column("phase", _("Step")),
            Column("amount", _("Amount (€)"), "quantitative"),
        ],
        rows=[
            {"phase": str(PHASE_LABELS[p]), "amount": money(amounts.phase(p))}
            for p in phases_of(direction)
        ],
        horizontal=True,
        units={"amount": "euro"},
    )


def shares_chart(
    key: str, cells: list[aggregates.Cell], dimension: str, title: str, kind: str
) -> BudgetChart:
    """A donut or treemap of each group's share of the adjusted budget."""
    rows = shares(
        [
            {
                "name": f"{c.key(dimension)} {c.label(dimension)}".strip(),
                "amount": money(c.amounts.adjusted),
            }
            for c in cells
        ],
        "name",
        "amount",
    )
    return BudgetChart(
        key=key,
        title=title,
        description=_(
            "Each part's share of the adjusted budget, the largest first; the table beside has "
            "the amounts."
        ),
        columns=[Column("name", _("Part")), Column("amount", _("Adjusted (€)"), "quantitative")],
        rows=rows,
        kind=kind,
        units={"amount": "euro"},
    )


def over_year_chart(key: str, series: dict[str, list[aggregates.Point]], where: str) -> BudgetChart:
    """Execution % at each snapshot of the year, a line per series."""
    rows = [
        {
            "as_of": short_day(point.as_of),
            "execution": float(point.amounts.execution or 0),
            "series": name,
        }
        for name, points in series.items()
        for point in points
    ]
    return BudgetChart(
        key=key,
        title=_("Execution through the year: %(where)s") % {"where": where},
        description=_(
            "At each published snapshot, how much of the adjusted budget had been paid "
            "(expenditure) or collected (revenue), as a percentage."
        ),
        columns=[
            Column("as_of", _("As of"), "ordinal"),
            Column("execution", _("Execution (%)"), "quantitative"),
            Column("series", _("Part")),
        ],
        rows=rows,
        mark="line" if len(rows) > len(series) else "bar",
        kind="line",
        series="series" if len(series) > 1 else "",
        units={"execution": "percent"},
    )


def over_years_chart(
    key: str, series: dict[str, list[aggregates.Point]], where: str
) -> BudgetChart:
    """Execution % of each year (its latest snapshot), a line per series."""
    rows = [
        {
            "year": str(point.year),
            "execution": float(point.amounts.execution or 0),
            "adjusted": money(point.amounts.adjusted),
            "series": name,
        }
        for name, points in series.items()
        for point in points
    ]
    return BudgetChart(
        key=key,
        title=_("Execution year by year: %(where)s") % {"where": where},
        description=_(
            "For each year, at its latest snapshot, the part of the adjusted budget paid "
            "(expenditure) or collected (revenue), as a percentage."
        ),
        columns=[
            Column("year", _("Year"), "ordinal"),
            Column("execution", _("Execution (%)"), "quantitative"),
            Column("series", _("Part")),
            Column("adjusted", _("Adjusted (€)"), "quantitative"),
        ],
        rows=rows,
        mark="line" if len(rows) > len(series) else "bar",
        kind="line",
        series="series" if len(series) > 1 else "",
        units={"execution": "percent", "adjusted": "euro"},
    )
