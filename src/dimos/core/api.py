"""Public API of the core: the municipality, its districts, locating a point, the catalogue."""

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from ninja import Field, Query, Router, Schema

from dimos.core import selectors
from dimos.core.models import District
from dimos.core.registry import registry

router = Router(tags=["municipality"])


class DistrictOut(Schema):
    code: str
    name: str
    name_el: str
    name_en: str


class MunicipalityOut(Schema):
    name: str
    name_el: str
    name_en: str
    address: str
    phone: str
    email: str
    website: str
    emergency_message: str
    boundary: dict[str, Any]
    districts: list[DistrictOut]


class LocationOut(Schema):
    lat: float
    lon: float
    inside: bool = Field(description="Whether the point is inside the municipality.")
    district: DistrictOut | None


class ServiceOut(Schema):
    key: str
    topic: str
    topic_title: str
    name: str
    summary: str
    audience: str
    online: bool
    at_desk: bool
    available: bool
    url: str


@router.get("/municipality", response=MunicipalityOut, auth=None)
def municipality(request: HttpRequest) -> Any:
    m = selectors.current_municipality()
    if m is None:
        from django.http import Http404

        raise Http404
    return {
        "name": m.name,
        "name_el": m.name_el,
        "name_en": m.name_en,
        "address": m.address,
        "phone": m.phone,
        "email": m.email,
        "website": m.website,
        "emergency_message": m.emergency_message,
        "boundary": m.boundary,
        "districts": [
            {"code": d.code, "name": d.name, "name_el": d.name_el, "name_en": d.name_en}
            for d in District.objects.filter(municipality=m)
        ],
    }


@router.get("/municipality/districts.geojson", auth=None, response=dict[str, Any])
def districts_geojson(request: HttpRequest) -> Any:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": d.code,
                "properties": {"code": d.code, "name_el": d.name_el, "name_en": d.name_en},
                "geometry": d.boundary,
            }
            for d in District.objects.all()
        ],
    }


class LocateIn(Schema):
    lat: float = Field(..., ge=-90, le=90, description="Latitude (WGS84).")
    lon: float = Field(..., ge=-180, le=180, description="Longitude (WGS84).")


@router.get("/locate", response=LocationOut, auth=None)
def locate(request: HttpRequest, point: Query[LocateIn]) -> Any:
    lat, lon = point.lat, point.lon
    found = selectors.locate(lat, lon)
    district = found.district
    return {
        "lat": lat,
        "lon": lon,
        "inside": found.inside,
        "district": (
            {
                "code": district.code,
                "name": district.name,
                "name_el": district.name_el,
                "name_en": district.name_en,
            }
            if district
            else None
        ),
    }


@router.get("/services", response=list[ServiceOut], auth=None, tags=["catalogue"])
def services(request: HttpRequest) -> Any:
    out = []
    for topic, entries in registry.sorted_catalogue():
        for entry in entries:
            try:
                url = request.build_absolute_uri(reverse(entry.url_name))
            except NoReverseMatch:
                url = ""
            out.append(
                {
                    "key": entry.key,
                    "topic": topic.key,
                    "topic_title": str(topic.title),
                    "name": str(entry.name),
                    "summary": str(entry.summary),
                    "audience": str(entry.audience),
                    "online": entry.online,
                    "at_desk": entry.at_desk,
                    "available": entry.available(),
                    "url": url,
                }
            )
    return out
