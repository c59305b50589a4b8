"""The charts of a competition's results (dimos.core.charts: SVG in the page, PNG/SVG/CSV/JSON
to download): votes per theme, the ideas with the most votes, votes cast each day. Counts
only, never who voted."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dimos.core.charts import Chart, Column
from dimos.ideas import selectors
from dimos.ideas.models import Competition

TOP = 20


def charts(competition: Competition) -> list[Chart]:
    per_theme = selectors.votes_per_theme(competition)
    top = list(selectors.public_ideas(competition, sort="votes")[:TOP])
    per_day = selectors.votes_per_day(competition)
    return [
        Chart(
            key="themes",
            title=_("Votes per theme"),
            description=_("The votes for the published ideas of each theme, and how many ideas."),
            columns=[
                Column("theme", _("Theme")),
                Column("votes", _("Votes"), "quantitative"),
                Column("ideas", _("Ideas"), "quantitative"),
            ],
            rows=[{"theme": t.name, "votes": votes, "ideas": n} for t, n, votes in per_theme],
            horizontal=True,
        ),
        Chart(
            key="ideas",
            title=_("The ideas with the most votes"),
            description=_("The %(n)s published ideas with the most votes.") % {"n": TOP},
            columns=[Column("idea", _("Idea")), Column("votes", _("Votes"), "quantitative")],
            rows=[{"idea": i.title, "votes": i.votes_count} for i in top],
            horizontal=True,
            sort=True,
        ),
        Chart(
            key="timeline",
            title=_("Votes cast each day"),
            description=_("The votes cast each day of the voting and still counted."),
            columns=[
                Column("day", _("Day"), "ordinal"),
                Column("votes", _("Votes"), "quantitative"),
            ],
            rows=[{"day": date_format(day, "Y-m-d"), "votes": n} for day, n in per_day],
            mark="line",
        ),
    ]
