"""Machine-readable public feeds of reports: GeoJSON and Atom."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from dimos.core.geo import valid_point
from dimos.reports import selectors
from dimos.reports.models import Report

GEOJSON_LIMIT = 1000


def geojson(request: HttpRequest) -> JsonResponse:
    """Public reports as a GeoJSON FeatureCollection (at most 1000, newest first).

    ``bbox=min_lon,min_lat,max_lon,max_lat`` limits them to the visible part of a map.
    """
    reports = selectors.public_list(
        category=request.GET.get("category", ""),
        state=request.GET.get("state", ""),
        district=request.GET.get("district", ""),
    )
    bbox = request.GET.get("bbox", "")
    if bbox:
        parts = bbox.split(",")
        try:
            min_lon, min_lat, max_lon, max_lat = (float(p) for p in parts)
        except ValueError:
            return JsonResponse(
                {"error": "bbox must be min_lon,min_lat,max_lon,max_lat"}, status=400
            )
        if not (valid_point(min_lat, min_lon) and valid_point(max_lat, max_lon)):
            return JsonResponse({"error": "bbox is out of range"}, status=400)
        reports = reports.filter(
            lat__gte=min_lat, lat__lte=max_lat, lon__gte=min_lon, lon__lte=max_lon
        )
    features = [
        {
            "type": "Feature",
            "id": r.pk,
            "geometry": {"type": "Point", "coordinates": [r.lon, r.lat]},
            "properties": {
                "category": r.category.code,
                "category_name": r.category.name,
                "status": r.status,
                "status_name": str(r.get_status_display()),
                "created_at": r.created_at.isoformat(),
                "url": request.build_absolute_uri(reverse("reports:detail", args=[r.pk])),
            },
        }
        for r in reports[:GEOJSON_LIMIT]
    ]
    response = JsonResponse({"type": "FeatureCollection", "features": features})
    response["Content-Type"] = "application/geo+json"
    response["Access-Control-Allow-Origin"] = "*"
    return response


class ReportsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, str]:
        return {k: request.GET.get(k, "") for k in ("category", "state", "district")}

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
