"""Reads of core data for other apps."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save

from dimos.core import geo
from dimos.core.models import District, Municipality

_CACHE_KEY = "dimos:municipality:v1"


def current_municipality() -> Municipality | None:
    """The municipality profile, cached (it changes rarely; saves clear the cache)."""
    cached = cache.get(_CACHE_KEY)
    if cached is None:
        cached = Municipality.current() or False
        cache.set(_CACHE_KEY, cached, 300)
    return cached or None


def _clear(**kwargs: object) -> None:
    cache.delete(_CACHE_KEY)


# Cache invalidation is the one use of signals the style guide allows.
post_save.connect(_clear, sender=Municipality, dispatch_uid="municipality-cache-save")
post_delete.connect(_clear, sender=Municipality, dispatch_uid="municipality-cache-delete")


@dataclass(frozen=True)
class Location:
    """Where a point falls: inside the municipality or not, and in which district."""

    lat: float
    lon: float
    inside: bool
    district: District | None


def locate(lat: float, lon: float) -> Location:
    """Place a WGS84 point in the municipality and its districts.

    With no boundary configured every valid point counts as inside.
    """
    municipality = current_municipality()
    inside = True
    if municipality is not None and municipality.boundary:
        inside = geo.contains(municipality.boundary, lat, lon)
    district = None
    if inside:
        candidates = District.objects.filter(
            min_lat__lte=lat, max_lat__gte=lat, min_lon__lte=lon, max_lon__gte=lon
        )
        district = next((d for d in candidates if geo.contains(d.boundary, lat, lon)), None)
    return Location(lat=lat, lon=lon, inside=inside, district=district)


def districts() -> QuerySet[District]:
    """The municipality's districts, by name."""
    return District.objects.order_by("name_el")
