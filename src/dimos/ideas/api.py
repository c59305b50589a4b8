"""The ideas app through the API: competitions with their phases and what is open, and their
published ideas with the public vote counts (never who voted); the caller's own votes, to cast
and take back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from dimos.api.api import Error, ObjectId, error_response, token_or_session
from dimos.api.pagination import Pagination
from dimos.core import ratelimit
from dimos.ideas import jury_selectors, selectors, services
from dimos.ideas.conf import conf
from dimos.ideas.models import AppEntry, Competition, Idea, IdeaStatus

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


class VoteOut(Schema):
    status: str
    idea: int
    votes: int
    votes_left: int


def _voted(request: HttpRequest, idea: Idea, status: str) -> dict[str, Any]:
    count = Idea.objects.filter(pk=idea.pk).values_list("votes_count", flat=True).first() or 0
    return {
        "status": status,
        "idea": idea.pk,
        "votes": count,
        "votes_left": selectors.votes_left(request.user, idea.competition),
    }


def _votable(idea_id: int) -> Idea | None:
    return (
        Idea.objects.filter(
            pk=idea_id,
            competition__is_published=True,
            status__in=(IdeaStatus.PUBLISHED, IdeaStatus.WITHDRAWN, IdeaStatus.MERGED),
        )
        .select_related("competition")
        .first()
    )


@router.post(
    "/ideas/{idea_id}/vote",
    response={201: VoteOut, 400: Error, 403: Error, 404: Error, 429: Error},
    auth=token_or_session,
)
def vote(request: HttpRequest, idea_id: ObjectId) -> Any:
    """Vote for a published idea as the caller (a verified person), while voting is open and
    within the competition's limit. Refusals answer 400 with a code: ``already_voted``,
    ``limit``, ``not_yet``, ``voting_closed``, ``withdrawn``, ``merged``; 403 with
    ``email_unconfirmed`` or ``eid_required``."""
    idea = _votable(idea_id)
    if idea is None:
        return error_response(request, 404, "not_found", "No such idea.")
    if ratelimit.over_limit(request, "ideas:vote", conf.VOTE_RATE):
        return error_response(request, 429, "rate_limited", "Too many votes; try again later.")
    try:
        services.vote(idea=idea, person=request.user)
    except services.IdeaError as exc:
        status = 403 if exc.code in ("email_unconfirmed", "eid_required") else 400
        return error_response(request, status, exc.code, exc.message)
    return 201, _voted(request, idea, "voted")


@router.delete(
    "/ideas/{idea_id}/vote",
    response={200: VoteOut, 400: Error, 404: Error, 429: Error},
    auth=token_or_session,
)
def take_back(request: HttpRequest, idea_id: ObjectId) -> Any:
    """Take the caller's vote back while voting is open."""
    idea = _votable(idea_id)
    if idea is None:
        return error_response(request, 404, "not_found", "No such idea.")
    if ratelimit.over_limit(request, "ideas:vote", conf.VOTE_RATE):
        return error_response(request, 429, "rate_limited", "Too many votes; try again later.")
    try:
        had = services.unvote(idea=idea, person=request.user)
    except services.IdeaError as exc:
        return error_response(request, 400, exc.code, exc.message)
    if not had:
        return error_response(request, 404, "not_voted", "You had not voted for this idea.")
    return _voted(request, idea, "taken_back")


# --- The apps and the jury's results (read only) -------------------------------------------


class AppOut(Schema):
    id: int
    competition: str
    name: str
    team: str
    description: str
    ideas: list[int]
    datasets: list[str]
    web_url: str
    store_url: str
    source_url: str
    licence: str
    screenshots: list[str]
    prize: str | None
    url: str


def _app(entry: AppEntry) -> dict[str, Any]:
    slug = entry.competition.slug
    award = jury_selectors.published_award(entry)
    return {
        "id": entry.pk,
        "competition": slug,
        "name": entry.name,
        "team": entry.team_name,
        "description": entry.description,
        "ideas": [i.pk for i in entry.ideas.all()],
        "datasets": [d.slug for d in entry.datasets.all()],
        "web_url": entry.web_url,
        "store_url": entry.store_url,
        "source_url": entry.source_url,
        "licence": entry.licence,
        "screenshots": [
            reverse("ideas:entry_screenshot", args=[slug, entry.pk, s.pk])
            for s in entry.screenshots.all()
        ],
        "prize": award.prize.title if award else None,
        "url": reverse("ideas:entry", args=[slug, entry.pk]),
    }


@router.get("/competitions/{slug}/apps", response={200: list[AppOut], 404: Error}, auth=None)
@paginate(Pagination)
def apps(request: HttpRequest, slug: str) -> Any:
    """The competition's accepted apps: the ideas they build on (ids), the catalogue datasets
    they use (slugs), links, licence, screenshots and the prize once published."""
    found = selectors.competition(slug)
    if found is None:
        raise HttpError(404, "No such competition.")
    return [_app(e) for e in jury_selectors.showcase(found)]


class CriterionScoreOut(Schema):
    criterion: str
    weight: int
    mean: float | None
    jurors: int


class ResultOut(Schema):
    app: int
    name: str
    rank: int | None
    total: float | None
    jurors: int
    tie_note: str
    prize: str | None
    reasons: str | None
    criteria: list[CriterionScoreOut]


@router.get(
    "/competitions/{slug}/jury-results", response={200: list[ResultOut], 404: Error}, auth=None
)
def jury_results(request: HttpRequest, slug: str) -> Any:
    """The jury's results once published: every accepted app with its mean per criterion,
    weighted total, rank (ties explained), prize and the jury's reasons. 404 before."""
    found = selectors.competition(slug)
    if found is None:
        return error_response(request, 404, "not_found", "No such competition.")
    if not jury_selectors.awards_published(found):
        return error_response(request, 404, "not_published", "The results are not published.")
    return [
        {
            "app": r.entry.pk,
            "name": r.entry.name,
            "rank": r.rank or None,
            "total": float(r.total) if r.total is not None else None,
            "jurors": r.jurors,
            "tie_note": r.tie_note,
            "prize": r.award.prize.title if r.award else None,
            "reasons": r.award.reasons if r.award else None,
            "criteria": [
                {
                    "criterion": c.criterion.name,
                    "weight": c.criterion.weight,
                    "mean": float(c.mean) if c.mean is not None else None,
                    "jurors": c.jurors,
                }
                for c in r.criteria
            ],
        }
        for r in jury_selectors.results(found)
    ]
