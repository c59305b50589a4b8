"""The charts of a service's performance (dimos.core.charts: SVG in the page, PNG/SVG/CSV/JSON
to download)."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dimos.core.charts import Chart, Column
from dimos.feedback.selectors import Performance


def _month(value: dt.date) -> str:
    return date_format(value, "Y-m")


def performance_charts(perf: Performance, name: str) -> list[Chart]:
    months = perf.months
    month = Column("month", _("Month"), "ordinal")
    return [
        Chart(
            key="satisfaction",
            title=_("Satisfaction by month"),
            description=_(
                "Satisfaction score of %(name)s each month (0 to 100: very satisfied counts "
                "100, very dissatisfied 0), with the number of ratings."
            )
            % {"name": name},
            columns=[
                month,
                Column("score", _("Satisfaction (0-100)"), "quantitative"),
                Column("ratings", _("Ratings"), "quantitative"),
            ],
            rows=[
                {"month": _month(m.month), "score": m.satisfaction, "ratings": m.ratings}
                for m in months
            ],
            mark="line",
        ),
        Chart(
            key="volumes",
            title=_("Completed transactions by month"),
            description=_("Transactions of %(name)s completed each month, and those begun.")
            % {"name": name},
            columns=[
                month,
                Column("completed", _("Completed"), "quantitative"),
                Column("started", _("Begun"), "quantitative"),
            ],
            rows=[
                {"month": _month(m.month), "completed": m.completed, "started": m.started}
                for m in months
            ],
        ),
        Chart(
            key="digital",
            title=_("Digital take-up by month"),
            description=_(
                "Share of the completed transactions of %(name)s that were begun online rather "
                "than by phone or at a desk, each month."
            )
            % {"name": name},
            columns=[
                month,
                Column("digital", _("Begun online (%)"), "quantitative"),
                Column("completion", _("Completion rate (%)"), "quantitative"),
            ],
            rows=[
                {"month": _month(m.month), "digital": m.digital, "completion": m.completion_rate}
                for m in months
            ],
            mark="line",
        ),
        Chart(
            key="time",
            title=_("Time to complete by month"),
            description=_(
                "Mean days from start to completion of the transactions of %(name)s completed "
                "each month."
            )
            % {"name": name},
            columns=[month, Column("days", _("Mean days"), "quantitative")],
            rows=[{"month": _month(m.month), "days": m.mean_days} for m in months],
            mark="line",
        ),
    ]
