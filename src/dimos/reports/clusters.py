"""Server-side grid clustering of public reports for the map (``/reports/clusters.json``).

The map never downloads the reports themselves: the database groups the reports in the visible
box into square cells whose size follows the zoom, and returns a count and a centroid per cell.
At street level (or for a cell holding one report) it returns the reports as points, linked to
their pages. Responses are cached per zoom, cell-aligned box and filters, and invalidated by the
newest ``updated_at``, so a city-wide view does not aggregate a million rows per visitor.
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.db.models import Avg, Count, F, FloatField, Func, IntegerField, Min, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dimos.core.cached import CachedBody
from dimos.reports.models import Category, Report
from dimos.reports.selectors import data_version, public_filtered

MIN_ZOOM, MAX_ZOOM = 0, 20
# From this zoom on, the map shows every report as its own marker.
POINTS_ZOOM = 17
# A cell is a quarter of a 256-pixel map tile: clusters about 64 pixels apart on screen.
CELLS_PER_TILE = 4
# At most this many grid cells may cover the box; a larger box gets coarser cells.
MAX_GRID_CELLS = 10_000
MAX_CELLS = 2_000  # cells returned, the fullest first
MAX_POINTS = 1_000
CACHE_SECONDS = 60  # what browsers and proxies may keep
# The server keeps an answer for as long as no report changes (its key holds the data version),
# and the last good answer a day, served while a newer one is computed in the background.
ENTRY_SECONDS = 3600
STALE_SECONDS = 24 * 3600


class BadRequest(ValueError):
    """A parameter the endpoint cannot use; answered with 400."""


class CellIndex(Func):
    """``floor((value + offset) / size)`` as an integer, on SQLite and PostgreSQL.

    The offset makes the value non-negative, so truncation (SQLite's integer cast, which runs in
    C, unlike Django's Python FLOOR function for SQLite) is the floor.
    """

    output_field = IntegerField()
    template = "CAST(FLOOR((%(expressions)s + %(offset)r) / %(size)r) AS INTEGER)"

    def __init__(self, expression: Any, *, offset: float, size: float) -> None:
        super().__init__(expression, offset=float(offset), size=float(size))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST((%(expressions)s + %(offset)r) / %(size)r AS INTEGER)",
            **extra,
        )


def cell_size(zoom: int) -> float:
    """Degrees per cell at this zoom (Web Mercator tiles are 360 / 2**zoom degrees wide)."""
    return 360.0 / (2**zoom) / CELLS_PER_TILE


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    parts = value.split(",")
    if len(parts) != 4:
        raise BadRequest(_("bbox must be min_lon,min_lat,max_lon,max_lat."))
    try:
        min_lon, min_lat, max_lon, max_lat = (float(p) for p in parts)
    except ValueError as exc:
        raise BadRequest(_("bbox must be min_lon,min_lat,max_lon,max_lat.")) from exc
    if not all(math.isfinite(v) for v in (min_lon, min_lat, max_lon, max_lat)):
        raise BadRequest(_("bbox must be min_lon,min_lat,max_lon,max_lat."))
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise BadRequest(_("bbox is out of range or its corners are swapped."))
    return min_lon, min_lat, max_lon, max_lat


def parse_zoom(value: str) -> int:
    try:
        zoom = int(value)
    except ValueError as exc:
        raise BadRequest(_("zoom must be a whole number from 0 to 20.")) from exc
    if not MIN_ZOOM <= zoom <= MAX_ZOOM:
        raise BadRequest(_("zoom must be a whole number from 0 to 20."))
    return zoom


def _filtered(filters: dict[str, str]) -> QuerySet[Report]:
    if filters.get("state", "") not in ("", "open", "closed"):
        raise BadRequest(_("state must be open or closed."))
    return public_filtered(**filters)


def _categories() -> dict[int, str]:
    return dict(Category.objects.values_list("pk", "code"))


def _point(pk: int, lat: float, lon: float, status: str, category: str) -> dict[str, Any]:
    return {
        "id": pk,
        "lat": lat,
        "lon": lon,
        "status": status,
        "category": category,
        "url": reverse("reports:detail", args=[pk]),
    }


def clusters(
    *, bbox: tuple[float, float, float, float], zoom: int, filters: dict[str, str] | None = None
) -> dict[str, Any]:
    """The public reports in ``bbox`` grouped into cells for ``zoom`` (points when zoomed in).

    ``filters``: ``category`` (code), ``state`` (open/closed), ``since`` (days), as the list's.
    """
    min_lon, min_lat, max_lon, max_lat = bbox
    reports = _filtered(filters or {}).filter(
        lat__gte=min_lat, lat__lte=max_lat, lon__gte=min_lon, lon__lte=max_lon
    )
    if zoom >= POINTS_ZOOM:
        found = list(
            reports.order_by("-created_at", "-pk").values_list(
                "pk", "lat", "lon", "status", "category_id"
            )[: MAX_POINTS + 1]
        )
        codes = _categories()
        points = [_point(pk, a, b, s, codes.get(c, "")) for pk, a, b, s, c in found[:MAX_POINTS]]
        return {"zoom": zoom, "cells": [], "points": points, "truncated": len(found) > MAX_POINTS}
    size = cell_size(zoom)
    while ((max_lat - min_lat) / size + 1) * ((max_lon - min_lon) / size + 1) > MAX_GRID_CELLS:
        size *= 2
    rows = list(
        reports.annotate(
            cy=CellIndex(F("lat"), offset=90, size=size),
            cx=CellIndex(F("lon"), offset=180, size=size),
        )
        .values("cy", "cx")
        .annotate(
            n=Count("pk"),
            avg_lat=Avg("lat", output_field=FloatField()),
            avg_lon=Avg("lon", output_field=FloatField()),
            # Meaningful only for a cell with one report, which is then shown as that report.
            one_pk=Min("pk"),
            one_status=Min("status"),
            one_category=Min("category_id"),
        )
        .order_by("-n", "cy", "cx")[: MAX_CELLS + 1]
    )
    codes = _categories()
    cells, points = [], []
    for row in rows[:MAX_CELLS]:
        if row["n"] == 1:
            points.append(
                _point(
                    row["one_pk"],
                    row["avg_lat"],
                    row["avg_lon"],
                    row["one_status"],
                    codes.get(row["one_category"], ""),
                )
            )
        else:
            cells.append(
                {
                    "count": row["n"],
                    "lat": round(row["avg_lat"], 6),
                    "lon": round(row["avg_lon"], 6),
                }
            )
    return {
        "zoom": zoom,
        "cell_degrees": size,
        "cells": cells,
        "points": points,
        "truncated": len(rows) > MAX_CELLS,
    }


def encoded(zoom: int, aligned: list[float], filters: dict[str, str]) -> tuple[bytes, str]:
    """The answer for a grid-aligned box, encoded (also computed again by a worker)."""
    box = (aligned[0], aligned[1], aligned[2], aligned[3])
    data = clusters(bbox=box, zoom=zoom, filters=filters)
    return json.dumps(data, separators=(",", ":")).encode(), "application/json"


ANSWERS = CachedBody(
    "reports:clusters",
    compute=encoded,
    version=data_version,
    seconds=ENTRY_SECONDS,
    stale_seconds=STALE_SECONDS,
)


def _error(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


@require_GET
def clusters_json(request: HttpRequest) -> HttpResponse:
    """``GET /reports/clusters.json?bbox=min_lon,min_lat,max_lon,max_lat&zoom=Z``."""
    try:
        bbox = parse_bbox(request.GET.get("bbox", ""))
        zoom = parse_zoom(request.GET.get("zoom", ""))
    except BadRequest as exc:
        return _error(str(exc))
    filters = {
        "category": request.GET.get("category", "")[:50],
        "state": request.GET.get("state", "")[:10],
        "since": request.GET.get("since", "")[:5],
    }
    size = cell_size(zoom)
    aligned = (
        max(-180.0, math.floor(bbox[0] / size) * size),
        max(-90.0, math.floor(bbox[1] / size) * size),
        min(180.0, math.ceil(bbox[2] / size) * size),
        min(90.0, math.ceil(bbox[3] / size) * size),
    )
    # The answer is for the box aligned outwards to the zoom's grid, so nearby views share it.
    question = {"zoom": zoom, "aligned": list(aligned), "filters": filters}
    try:
        response = ANSWERS.respond(request, question)
    except BadRequest as exc:
        return _error(str(exc))
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


def map_page(request: HttpRequest) -> Any:
    """The public map of reports; the list at /reports/ is its no-JavaScript equivalent."""
    from django.conf import settings

    from dimos.core import geo
    from dimos.core.selectors import current_municipality

    municipality = current_municipality()
    bounds = ""
    if municipality is not None and municipality.boundary:
        bounds = ",".join(f"{v:.6f}" for v in geo.bbox(municipality.boundary))
    # ?lat=&lon= (from a report's page) centres the map there; anything else is ignored.
    focus = ""
    try:
        lat, lon = float(request.GET.get("lat", "")), float(request.GET.get("lon", ""))
    except ValueError:
        pass
    else:
        if math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180:
            focus = f"{lat:.6f},{lon:.6f}"
    return render(
        request,
        "reports/map.html",
        {
            "categories": Category.objects.filter(is_active=True).order_by("code"),
            "category": request.GET.get("category", "")[:50],
            "focus": focus,
            "bounds": bounds,
            "tile_url": settings.DIMOS_TILE_URL,
            "tile_attribution": settings.DIMOS_TILE_ATTRIBUTION,
        },
    )
