"""The moderators' pages at /staff/ideas/: ideas and comments waiting, vote anomalies."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dimos.core.permissions import staff_required
from dimos.ideas import selectors

MODERATE = "ideas.moderate_idea"


@staff_required(perm=MODERATE)
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "ideas/staff/index.html",
        {
            "ideas": list(selectors.ideas_to_moderate()[:100]),
            "comments": list(selectors.comments_to_moderate()[:100]),
            "anomalies": list(selectors.open_anomalies()[:100]),
        },
    )
