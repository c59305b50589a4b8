"""The budget officers' pages, at /staff/budget/."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dimos.budget.models import Snapshot
from dimos.core.permissions import staff_required


@staff_required(perm="budget.view_snapshot")
def home(request: HttpRequest) -> HttpResponse:
    """The snapshots imported, newest first."""
    snapshots = Snapshot.objects.select_related("year").order_by("-imported_at")[:50]
    return render(request, "budget/staff/home.html", {"snapshots": snapshots})
