"""The open budget's public pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dimos.budget.models import FiscalYear


def index(request: HttpRequest) -> HttpResponse:
    """The published years."""
    years = FiscalYear.objects.filter(published=True)
    return render(request, "budget/index.html", {"years": years})
