"""Public pages of reports."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dimos.reports import selectors


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.public_report(pk)
    return render(request, "reports/detail.html", {"report": report})
