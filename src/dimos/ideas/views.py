"""The public pages at /ideas/: the competitions, a competition with its timeline, its ideas
and results, and a person's own ideas and votes."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from dimos.core.pagecache import cache_anonymous_page
from dimos.ideas import selectors


@cache_anonymous_page(timeout=60, prefix="ideas")
def index(request: HttpRequest) -> HttpResponse:
    competitions = list(selectors.competitions())
    return render(request, "ideas/index.html", {"competitions": competitions})


def competition(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.competition(slug)
    if found is None:
        raise Http404
    return render(
        request,
        "ideas/competition.html",
        {
            "competition": found,
            "open": found.openness(),
            "timeline": found.timeline(),
            "themes": list(selectors.themes_of(found)),
        },
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "ideas/mine.html",
        {
            "ideas": list(selectors.ideas_of(request.user)),
            "votes": list(selectors.votes_of(request.user)),
        },
    )
