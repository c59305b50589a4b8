"""The ideas app through the API: competitions with their phases and what is open, and their
published ideas with the public vote counts (never who voted)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from dimos.api.api import Error, error_response
from dimos.api.pagination import Pagination
from dimos.ideas import selectors
from dimos.ideas.models import Competition, Idea

router = Router(tags=["ideas"])


class ThemeOut(Schema):
    id: int
    name: str
    name_el: str
    name_en: str


class OpenOut(Schema):
    submitting: bool
    commenting: bool
    voting: bool
    entries: bool


class CompetitionOut(Schema):
    slug: str
    title: str
    title_el: str
    title_en: str
    description: str
    phase: str
    open: OpenOut
    votes_per_person: int
    submission_opens: dt.datetime
    submission_closes: dt.datetime
    voting_opens: dt.datetime
    voting_closes: dt.datetime
    building_opens: dt.datetime
    building_closes: dt.datetime
    judging_opens: dt.datetime
    judging_closes: dt.datetime
    results_at: dt.datetime
    themes: list[ThemeOut]
    url: str


def _competition(c: Competition) -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC)
    openness = c.openness(now)
    return {
        "slug": c.slug,
        "title": c.title,
        "title_el": c.title_el,
        "title_en": c.title_en,
        "description": c.description,
        "phase": openness.phase.value,
        "open": {
            "submitting": openness.submitting,
            "commenting": openness.commenting,
            "voting": openness.voting,
            "entries": openness.entries,
        },
        "votes_per_person": c.votes_per_person,
        "submission_opens": c.submission_opens,
        "submission_closes": c.submission_closes,
        "voting_opens": c.voting_opens,
        "voting_closes": c.voting_closes,
        "building_opens": c.building_opens,
        "building_closes": c.building_closes,
        "judging_opens": c.judging_opens,
        "judging_closes": c.judging_closes,
        "results_at": c.results_at,
        "themes": [
            {"id": t.pk, "name": t.name, "name_el": t.name_el, "name_en": t.name_en}
            for t in c.themes.all()
        ],
        "url": c.get_absolute_url(),
    }


class IdeaOut(Schema):
    id: int
    competition: str
    theme: int
    theme_name: str
    title: str
    description: str
    lat: float | None
    lon: float | None
    place: str
    published_at: dt.datetime | None
    votes: int
    url: str


def _idea(i: Idea, competition: Competition) -> dict[str, Any]:
    return {
        "id": i.pk,
        "competition": competition.slug,
        "theme": i.theme_id,
        "theme_name": i.theme.name,
        "title": i.title,
        "description": i.description,
        "lat": round(i.lat, 4) if i.lat is not None else None,
        "lon": round(i.lon, 4) if i.lon is not None else None,
        "place": i.place_name,
        "published_at": i.published_at,
        "votes": i.votes_count,
        "url": f"{competition.get_absolute_url()}ideas/{i.pk}/",
    }


@router.get("/competitions", response=list[CompetitionOut], auth=None)
@paginate(Pagination)
def competitions(request: HttpRequest) -> Any:
    """The published competitions, newest first, with their phase and what is open now."""
    return [_competition(c) for c in selectors.competitions().prefetch_related("themes")]


@router.get("/competitions/{slug}", response={200: CompetitionOut, 404: Error}, auth=None)
def competition(request: HttpRequest, slug: str) -> Any:
    found = selectors.competition(slug)
    if found is None:
        return error_response(request, 404, "not_found", "No such competition.")
    return _competition(found)


@router.get(
    "/competitions/{slug}/ideas", response={200: list[IdeaOut], 400: Error, 404: Error}, auth=None
)
@paginate(Pagination)
def ideas(request: HttpRequest, slug: str, theme: int | None = None, sort: str = "votes") -> Any:
    """The competition's published ideas with their vote counts; ``sort`` is ``votes`` or
    ``newest``, ``theme`` a theme's id."""
    found = selectors.competition(slug)
    if found is None:
        raise HttpError(404, "No such competition.")
    if sort not in selectors.SORTS:
        raise HttpError(400, "sort is 'votes' or 'newest'.")
    return [_idea(i, found) for i in selectors.public_ideas(found, theme=theme, sort=sort)]
