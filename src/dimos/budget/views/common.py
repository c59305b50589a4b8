"""What every page of the open budget shares: the published years, the 404s and 400s,
the pages kept for anonymous visitors under the data's version, how figures are written."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dimos.budget import aggregates as agg
from dimos.budget.charts import (
    BudgetChart,
    euro,
    percent,
)
from dimos.budget.models import (
    Direction,
    FiscalYear,
    Snapshot,
    SpendingDecision,
)
from dimos.budget.tables import (
    PHASE_LABELS,
    phases_of,
)
from dimos.core.charts import download
from dimos.core.pagecache import cache_anonymous_page

View = Callable[..., HttpResponse]
# A page is kept for anonymous visitors until the budget's data changes (a snapshot imported,
# a year published — see data_version) or, for an edit the version cannot see (a decision's
# subject corrected), until this many seconds have passed.
PAGE_SECONDS = 300


def data_version(request: HttpRequest | None = None) -> str:
    """What the public pages show changes only with these: the snapshots, the published years,
    the spending decisions. One cheap query, read on every request."""
    tables = {
        "snapshot": Snapshot._meta.db_table,
        "year": FiscalYear._meta.db_table,
        "decision": SpendingDecision._meta.db_table,
    }
    # The models' own table names, nothing from a request.
    sql = (  # noqa: S608
        "SELECT (SELECT COUNT(*) || '-' || COALESCE(MAX(id), 0) FROM {snapshot}),"
        " (SELECT COUNT(*) || '-' || COALESCE(SUM(year), 0) FROM {year} WHERE published),"
        " (SELECT COUNT(*) || '-' || COALESCE(MAX(id), 0) FROM {decision})"
    ).format(**tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return ":".join(str(part) for part in row or ())


def kept(view: View) -> View:
    """The page kept for anonymous visitors (dimos.core.pagecache) under the data's version;
    a chart's file (``?chart=…&format=…``, bytes, not a page) is kept the same way by
    :func:`_kept_file`, so a download does not compute the page's figures again."""
    page = cache_anonymous_page(timeout=PAGE_SECONDS, prefix="budget", vary=data_version)(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("chart"):
            return _kept_file(view, request, *args, **kwargs)
        return page(request, *args, **kwargs)

    return wrapper


def _kept_file(view: View, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    parts = [data_version(), get_language() or "", request.get_full_path()]
    key = "dimos:budget:file:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    hit = cache.get(key)
    if hit is not None:
        body, content_type, disposition = hit
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = disposition
        response["X-Dimos-Cache"] = "hit"
        return response
    response = view(request, *args, **kwargs)
    if response.status_code == 200 and not response.streaming:
        cache.set(
            key,
            (response.content, response["Content-Type"], response["Content-Disposition"]),
            PAGE_SECONDS,
        )
    return response


def answers_bad_questions(view: View) -> View:
    """A question the engine refuses is a 400 page that says why, never a 500."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except agg.QueryError as error:
            return render(request, "budget/bad_request.html", {"error": str(error)}, status=400)

    return wrapper


def published_years() -> list[int]:
    return list(FiscalYear.objects.filter(published=True).values_list("year", flat=True))


def public_year(year: int) -> FiscalYear:
    fiscal = FiscalYear.objects.filter(year=year, published=True).first()
    if fiscal is None:
        raise Http404(_("There is no published budget for %(year)s.") % {"year": year})
    return fiscal


def part_of(slug: str) -> str:
    if slug not in Direction.values:
        raise Http404(_("There is no such part of the budget."))
    return slug


def long_day(value: date) -> str:
    return formats.date_format(value, "j E Y")


def charted(request: HttpRequest, charts: list[BudgetChart]) -> HttpResponse | None:
    return download(request, list(charts))


# --- Pages ----------------------------------------------------------------------------------


def phase_rows(amounts: agg.Amounts, direction: str) -> list[tuple[Any, str]]:
    rows: list[tuple[Any, str]] = [
        (PHASE_LABELS[p], euro(amounts.phase(p))) for p in phases_of(direction)
    ]
    rows.append((_("Execution"), percent(amounts.execution)))
    return rows


def with_euros(decision: SpendingDecision) -> SpendingDecision:
    decision.euros = euro(decision.amount)  # type: ignore[attr-defined]
    return decision
