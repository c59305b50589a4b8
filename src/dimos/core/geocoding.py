"""Addresses to places and back, through a pluggable geocoder.

``DIMOS_GEOCODER`` names the class (dotted path); empty turns geocoding off, and the pages
then offer only the map, the coordinates and the phone's location. The default speaks the
Nominatim API (OpenStreetMap's geocoder, or a municipality's own Nominatim server at
``DIMOS_GEOCODER_URL``) through geopy. Searches are bounded to the municipality's area, and
answers are cached, which also keeps within the public server's usage policy of about one
request a second.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol
from urllib.parse import urlparse

from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

CACHE_SECONDS = 24 * 3600
MAX_QUERY = 200


@dataclass(frozen=True)
class Place:
    label: str
    lat: float
    lon: float


# (min_lon, min_lat, max_lon, max_lat), the order of core.geo.bbox.
Box = tuple[float, float, float, float]


class Geocoder(Protocol):
    def search(self, query: str, *, box: Box | None, language: str, limit: int) -> list[Place]:
        """Places matching an address or a landmark, best first, inside ``box`` if given."""

    def reverse(self, lat: float, lon: float, *, language: str) -> str | None:
        """A readable address for a point, or None."""


class NominatimGeocoder:
    """Nominatim (https://nominatim.org/release-docs/latest/api/Overview/) through geopy."""

    def __init__(self) -> None:
        from geopy.geocoders import Nominatim

        url = urlparse(settings.DIMOS_GEOCODER_URL)
        self.client = Nominatim(
            user_agent=settings.DIMOS_GEOCODER_USER_AGENT,
            domain=url.netloc + url.path.rstrip("/"),
            scheme=url.scheme or "https",
            timeout=settings.DIMOS_GEOCODER_TIMEOUT,
        )

    def search(self, query: str, *, box: Box | None, language: str, limit: int) -> list[Place]:
        kwargs: dict[str, Any] = {"exactly_one": False, "limit": limit, "language": language}
        if box is not None:
            min_lon, min_lat, max_lon, max_lat = box
            kwargs["viewbox"] = [(min_lat, min_lon), (max_lat, max_lon)]
            kwargs["bounded"] = True
        found = self.client.geocode(query, **kwargs) or []
        return [Place(label=r.address, lat=r.latitude, lon=r.longitude) for r in found]

    def reverse(self, lat: float, lon: float, *, language: str) -> str | None:
        found = self.client.reverse((lat, lon), exactly_one=True, language=language, zoom=18)
        return found.address if found is not None else None


@lru_cache(maxsize=1)
def _geocoder(path: str) -> Geocoder:
    cls = import_string(path)
    geocoder: Geocoder = cls()
    return geocoder


def enabled() -> bool:
    return bool(settings.DIMOS_GEOCODER)


def _key(*parts: object) -> str:
    raw = "\x1f".join(
        str(p) for p in (settings.DIMOS_GEOCODER, settings.DIMOS_GEOCODER_URL, *parts)
    )
    return "dimos:geocode:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def _call(key: str, call: Any) -> Any:
    """The cached answer, or the geocoder's; None when the geocoder failed (not cached)."""
    hit = cache.get(key)
    if hit is not None:
        return hit
    from geopy.exc import GeopyError

    try:
        answer = call(_geocoder(settings.DIMOS_GEOCODER))
    except (GeopyError, OSError, ValueError) as exc:
        logger.warning("geocoder failed: %s", exc)
        return None
    cache.set(key, answer, CACHE_SECONDS)
    return answer


def search(
    query: str, *, box: Box | None = None, language: str = "el", limit: int = 5
) -> list[Place]:
    """Places for an address, best first; [] when off, unanswered or nothing matched."""
    query = " ".join(query.split())[:MAX_QUERY]
    if not enabled() or not query:
        return []
    key = _key("search", query.casefold(), box, language, limit)
    found = _call(key, lambda g: g.search(query, box=box, language=language, limit=limit))
    return list(found or [])


def reverse(lat: float, lon: float, *, language: str = "el") -> str | None:
    """A readable address for a point (rounded to about a metre), or None."""
    if not enabled():
        return None
    lat, lon = round(lat, 5), round(lon, 5)
    key = _key("reverse", lat, lon, language)
    answer = _call(key, lambda g: g.reverse(lat, lon, language=language) or "")
    return answer or None


def places(query: str, *, language: str = "el", limit: int = 5) -> list[Place]:
    """Places for an address inside the municipality (its boundary, when one is set)."""
    from dimos.core import geo
    from dimos.core.selectors import current_municipality

    municipality = current_municipality()
    boundary = municipality.boundary if municipality is not None else None
    box = geo.bbox(boundary) if boundary else None
    found = search(query, box=box, language=language, limit=limit)
    if boundary:
        found = [p for p in found if geo.contains(boundary, p.lat, p.lon)]
    return found
