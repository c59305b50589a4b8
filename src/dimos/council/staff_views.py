"""The council secretariat's pages, at /staff/council/."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dimos.core.permissions import staff_required
from dimos.council.models import Meeting

VIEW = "council.view_meeting"


@staff_required(perm=VIEW)
def home(request: HttpRequest) -> HttpResponse:
    """The secretariat's list of meetings, newest first."""
    meetings = Meeting.objects.live().select_related("organization")[:50]
    return render(request, "council/staff/home.html", {"meetings": meetings})
