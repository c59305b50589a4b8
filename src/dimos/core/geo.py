"""Plain-Python geometry for the municipality's polygons (no GDAL needed).

Polygons are GeoJSON ``Polygon`` or ``MultiPolygon`` geometries in WGS84, coordinates as
``[longitude, latitude]``. Good enough for city-sized polygons of a few thousand vertices.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

Ring = Sequence[Sequence[float]]
Polygon = Sequence[Ring]  # outer ring, then holes

EARTH_RADIUS_M = 6_371_008.8


def parse_polygon(geometry: Any) -> list[Polygon]:
    """Validate a GeoJSON (Multi)Polygon and return it as a list of polygons."""
    if not isinstance(geometry, dict):
        raise ValueError("A GeoJSON geometry object is required.")
    kind = geometry.get("type")
    coords: Any = geometry.get("coordinates")
    polygons: Any
    if kind == "Polygon":
        polygons = [coords]
    elif kind == "MultiPolygon":
        polygons = coords
    else:
        raise ValueError("The geometry must be a GeoJSON Polygon or MultiPolygon.")
    if not isinstance(polygons, list) or not polygons:
        raise ValueError("The geometry has no coordinates.")
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise ValueError("Each polygon needs at least an outer ring.")
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                raise ValueError("Each ring needs at least four positions.")
            for position in ring:
                if (
                    not isinstance(position, list | tuple)
                    or len(position) < 2
                    or not all(isinstance(c, int | float) for c in position[:2])
                ):
                    raise ValueError("Each position must be [longitude, latitude].")
                lon, lat = position[0], position[1]
                if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                    raise ValueError("Coordinates are out of range.")
            if list(ring[0][:2]) != list(ring[-1][:2]):
                raise ValueError("Each ring must be closed (first position = last position).")
    return polygons


def _positions(geometry: Any) -> Iterable[Sequence[float]]:
    for polygon in parse_polygon(geometry):
        for ring in polygon:
            yield from ring


def bbox(geometry: Any) -> tuple[float, float, float, float]:
    """(min_lon, min_lat, max_lon, max_lat) of a (Multi)Polygon."""
    lons, lats = zip(*((p[0], p[1]) for p in _positions(geometry)), strict=True)
    return min(lons), min(lats), max(lons), max(lats)


def _in_ring(lon: float, lat: float, ring: Ring) -> bool:
    # Ray casting: count crossings of a ray going east from the point.
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat):
            x_cross = (xj - xi) * (lat - yi) / (yj - yi) + xi
            if lon < x_cross:
                inside = not inside
        j = i
    return inside


def contains(geometry: Any, lat: float, lon: float) -> bool:
    """Whether the point lies inside the (Multi)Polygon (outside its holes)."""
    return contains_parsed(parse_polygon(geometry), lat, lon)


def contains_parsed(polygons: list[Polygon], lat: float, lon: float) -> bool:
    """:func:`contains` for polygons already checked by :func:`parse_polygon` (for loops)."""
    for polygon in polygons:
        outer, *holes = polygon
        if _in_ring(lon, lat, outer) and not any(_in_ring(lon, lat, h) for h in holes):
            return True
    return False


def valid_point(lat: Any, lon: Any) -> bool:
    try:
        lat_f, lon_f = float(lat), float(lon)
    except (TypeError, ValueError):
        return False
    return (
        math.isfinite(lat_f)
        and math.isfinite(lon_f)
        and -90 <= lat_f <= 90
        and -180 <= lon_f <= 180
    )


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def bbox_around(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """The box (min_lon, min_lat, max_lon, max_lat) holding a circle, to pre-filter by."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = math.degrees(radius_m / (EARTH_RADIUS_M * max(math.cos(math.radians(lat)), 1e-6)))
    return lon - dlon, lat - dlat, lon + dlon, lat + dlat


def centroid(geometry: Any) -> tuple[float, float]:
    """A representative (lat, lon): the centre of the outer ring's vertices."""
    polygons = parse_polygon(geometry)
    outer = polygons[0][0][:-1]
    lat = sum(p[1] for p in outer) / len(outer)
    lon = sum(p[0] for p in outer) / len(outer)
    return lat, lon
