"""The reports' open data: every public report, without personal data (no description, no
name, no contact, no photo; the point rounded to about 10 m), as a table and as GeoJSON.
Declared on the manifest; the open-data catalogue refreshes it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from dimos.core.registry import Table
from dimos.reports.models import CLOSED_STATUSES, Report

COLUMNS = (
    "id",
    "category",
    "category_name",
    "category_name_en",
    "status",
    "open",
    "district",
    "latitude",
    "longitude",
    "reported_at",
    "fixed_at",
    "closed_at",
)


def _reports() -> Any:
    return (
        Report.objects.public()
        .select_related("category", "district")
        .order_by("pk")
        .only(
            "pk",
            "status",
            "lat",
            "lon",
            "created_at",
            "fixed_at",
            "closed_at",
            "category__code",
            "category__name_el",
            "category__name_en",
            "district__name_el",
        )
    )


def _row(report: Report) -> list[Any]:
    return [
        report.pk,
        report.category.code,
        report.category.name_el,
        report.category.name_en or report.category.name_el,
        report.status,
        report.status not in CLOSED_STATUSES,
        report.district.name_el if report.district is not None else "",
        round(report.lat, 4),
        round(report.lon, 4),
        report.created_at.replace(microsecond=0),
        report.fixed_at.replace(microsecond=0) if report.fixed_at else None,
        report.closed_at.replace(microsecond=0) if report.closed_at else None,
    ]


def _rows() -> Iterator[list[Any]]:
    for report in _reports().iterator(chunk_size=2000):
        yield _row(report)


def table() -> Table:
    return Table(columns=COLUMNS, rows=_rows())


def geojson() -> bytes:
    features = []
    for report in _reports().iterator(chunk_size=2000):
        values = dict(zip(COLUMNS, _row(report), strict=True))
        lat, lon = values.pop("latitude"), values.pop("longitude")
        for key in ("reported_at", "fixed_at", "closed_at"):
            values[key] = values[key].isoformat() if values[key] else None
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": values,
            }
        )
    return json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False
    ).encode()
