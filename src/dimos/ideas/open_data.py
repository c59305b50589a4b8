"""The ideas' open data: every published idea with its anonymous vote count — never who voted,
never who proposed it. Declared on the manifest; the open-data catalogue refreshes it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dimos.core.registry import Table
from dimos.ideas.models import Idea, IdeaStatus

COLUMNS = (
    "id",
    "competition",
    "competition_title",
    "theme",
    "theme_en",
    "title",
    "latitude",
    "longitude",
    "published_at",
    "votes",
)


def _ideas() -> Any:
    return (
        Idea.objects.filter(status=IdeaStatus.PUBLISHED, competition__is_published=True)
        .select_related("competition", "theme")
        .order_by("pk")
    )


def _row(idea: Idea) -> list[Any]:
    return [
        idea.pk,
        idea.competition.slug,
        idea.competition.title_el,
        idea.theme.name_el,
        idea.theme.name_en or idea.theme.name_el,
        idea.title,
        round(idea.lat, 4) if idea.lat is not None else None,
        round(idea.lon, 4) if idea.lon is not None else None,
        idea.published_at.replace(microsecond=0) if idea.published_at else None,
        idea.votes_count,
    ]


def _rows() -> Iterator[list[Any]]:
    for idea in _ideas().iterator(chunk_size=2000):
        yield _row(idea)


def table() -> Table:
    return Table(columns=COLUMNS, rows=_rows())


def available() -> bool:
    return _ideas().exists()
