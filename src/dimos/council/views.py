"""The council's public pages, at /council/."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dimos.council.models import Meeting


def index(request: HttpRequest) -> HttpResponse:
    """The council's front page: the next meetings and the latest held."""
    now = timezone.now()
    meetings = Meeting.objects.live().select_related("organization")
    return render(
        request,
        "council/index.html",
        {
            "upcoming": meetings.filter(end__gte=now).order_by("start")[:10],
            "past": meetings.filter(end__lt=now).order_by("-start")[:10],
        },
    )
