"""The annual report's charts (``dimos.core.charts``), drawn from a year's figures."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from dimos.core import charts


def charts_for(figures: dict[str, Any]) -> list[charts.Chart]:
    count = _("Complaints")
    return [
        charts.Chart(
            key="advocate-by-service",
            title=_("Complaints by service"),
            description=_("Complaints received in the year about each service or legal entity."),
            columns=[
                charts.Column("service", _("Service")),
                charts.Column("count", count, "quantitative"),
            ],
            rows=figures["by_body"],
            horizontal=True,
        ),
        charts.Chart(
            key="advocate-by-category",
            title=_("Complaints by what went wrong"),
            description=_("What the complainants said went wrong."),
            columns=[
                charts.Column("category", _("What went wrong")),
                charts.Column("count", count, "quantitative"),
            ],
            rows=figures["by_category"],
            horizontal=True,
        ),
        charts.Chart(
            key="advocate-admissibility",
            title=_("Admissibility"),
            description=_("How the office decided on the complaints it received."),
            columns=[
                charts.Column("decision", _("Decision")),
                charts.Column("count", count, "quantitative"),
            ],
            rows=figures["admissibility"],
            horizontal=True,
        ),
        charts.Chart(
            key="advocate-outcomes",
            title=_("Outcomes"),
            description=_("How the complaints the office examined ended."),
            columns=[
                charts.Column("outcome", _("Outcome")),
                charts.Column("count", count, "quantitative"),
            ],
            rows=figures["outcomes"],
            horizontal=True,
        ),
        charts.Chart(
            key="advocate-recommendations",
            title=_("Recommendations and their follow-up"),
            description=_("Whether the services followed the Advocate's recommendations."),
            columns=[
                charts.Column("follow_up", _("Follow-up")),
                charts.Column("count", _("Recommendations"), "quantitative"),
            ],
            rows=figures["adoption"],
            horizontal=True,
        ),
    ]
