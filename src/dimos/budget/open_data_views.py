"""The Fiscal Data Package of each published year, at public URLs anyone may fetch.

``/budget/<year>/datapackage.json`` and ``/budget/<year>/data.csv`` hold the year's latest
snapshot (its current figures); ``/budget/<year>/<as of>/datapackage.json`` and ``…/data.csv``
the snapshot published that day. Each descriptor names its CSV by the relative path
``data.csv``, which resolves to the CSV beside it, on the web or saved to disk.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from dimos.budget import fdp
from dimos.budget.models import Snapshot
from dimos.budget.views.common import data_version
from dimos.core.cached import CachedBody

# Public data: other sites and tools (validators, notebooks) may read it from the browser.
CACHE_CONTROL = "public, max-age=300"
# A snapshot's CSV, kept encoded (and compressed) until the budget's data changes: a
# snapshot is never overwritten, but a year unpublished or a decision added is a new version.
CSV_FILES = CachedBody("budget:fdp-csv", seconds=3600, version=data_version)


def published_snapshot(year: int | str, as_of: str | None) -> tuple[Snapshot, bool]:
    """The published year's snapshot "as of" that day (its latest without one), and whether it
    is the latest; 404 otherwise."""
    snapshots = Snapshot.objects.filter(year__year=int(year), year__published=True).select_related(
        "year"
    )
    latest = snapshots.order_by("-as_of").first()
    if latest is None:
        raise Http404
    if as_of is None:
        return latest, True
    try:
        day = dt.date.fromisoformat(as_of)
    except ValueError as exc:
        raise Http404 from exc
    snapshot = snapshots.filter(as_of=day).first()
    if snapshot is None:
        raise Http404
    return snapshot, snapshot.pk == latest.pk


def _open(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = CACHE_CONTROL
    return response


@require_GET
def datapackage(request: HttpRequest, year: str, as_of: str | None = None) -> HttpResponse:
    """The package's descriptor (JSON)."""
    snapshot, latest = published_snapshot(year, as_of)
    homepage = request.build_absolute_uri(reverse("budget:index"))
    response = JsonResponse(
        fdp.descriptor(snapshot, homepage=homepage, latest=latest),
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
    return _open(response)


@require_GET
def data_csv(request: HttpRequest, year: str, as_of: str | None = None) -> HttpResponse:
    """The package's data: one row per line and phase (CSV, UTF-8)."""
    snapshot, _latest = published_snapshot(year, as_of)

    def compute() -> tuple[bytes, str]:
        return fdp.csv_text(snapshot).encode(), "text/csv; charset=utf-8"

    response = CSV_FILES.respond(request, {"snapshot": snapshot.pk}, compute=compute)
    # Saved under the name the descriptor gives it, the two still make a package on disk.
    response["Content-Disposition"] = f'attachment; filename="{fdp.CSV_NAME}"'
    return _open(response)
