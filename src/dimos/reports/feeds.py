"""Machine-readable public feeds of reports: GeoJSON and Atom."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dimos.core.cached import CachedBody
from dimos.core.geo import valid_point
from dimos.reports import selectors
from dimos.reports.models import Report

GEOJSON_LIMIT = 1000
# Keyed by the data version: kept until a report changes (the limit frees memory of old ones).
GEOJSON_CACHE_SECONDS = 3600

GEOJSON = CachedBody(
    "reports:geojson", version=selectors.data_version, seconds=GEOJSON_CACHE_SECONDS
)


def geojson(request: HttpRequest) -> HttpResponse:
    """Public reports as a GeoJSON FeatureCollection (at most 1000, newest first).

    ``bbox=min_lon,min_lat,max_lon,max_lat`` limits them to the visible part of a map. The
    answer is kept as bytes (plain and gzip) until any report changes.
    """
    box: tuple[float, float, float, float] | None = None
    if request.GET.get("bbox"):
        try:
            min_lon, min_lat, max_lon, max_lat = (float(p) for p in request.GET["bbox"].split(","))
        except ValueError:
            return JsonResponse(
                {"error": "bbox must be min_lon,min_lat,max_lon,max_lat"}, status=400
            )
        if not (valid_point(min_lat, min_lon) and valid_point(max_lat, max_lon)):
            return JsonResponse({"error": "bbox is out of range"}, status=400)
        box = (min_lon, min_lat, max_lon, max_lat)
    filters = selectors.public_filters(request.GET)

    def build() -> tuple[bytes, str]:
        reports = selectors.public_list(**filters)
        if box is not None:
            reports = reports.filter(
                lat__gte=box[1], lat__lte=box[3], lon__gte=box[0], lon__lte=box[2]
            )
        features = [_feature(request, r) for r in reports[:GEOJSON_LIMIT]]
        body = json.dumps({"type": "FeatureCollection", "features": features}).encode()
        return body, "application/geo+json"

    question = [get_language() or "", request.META.get("QUERY_STRING", "")]
    response = GEOJSON.respond(request, shared_by=question, compute=build)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _feature(request: HttpRequest, report: Report) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": report.pk,
        "geometry": {"type": "Point", "coordinates": [report.lon, report.lat]},
        "properties": {
            "category": report.category.code,
            "category_name": report.category.name,
            "status": report.status,
            "status_name": str(report.get_status_display()),
            "created_at": report.created_at.isoformat(),
            "url": request.build_absolute_uri(reverse("reports:detail", args=[report.pk])),
        },
    }


class ReportsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, str]:
        return selectors.public_filters(request.GET)

    def title(self) -> str:
        return _("Reports of problems in the city")

    def link(self) -> str:
        return reverse("reports:list")

    def items(self, obj: dict[str, str]) -> Any:
        return selectors.public_list(**obj)[:50]

    def item_title(self, item: Report) -> str:
        return f"#{item.pk} {item.category.name} — {item.get_status_display()}"

    def item_description(self, item: Report) -> str:
        return item.description

    def item_link(self, item: Report) -> str:
        return reverse("reports:detail", args=[item.pk])

    def item_pubdate(self, item: Report) -> Any:
        return item.created_at

    def item_updateddate(self, item: Report) -> Any:
        return item.updated_at
