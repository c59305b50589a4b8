"""Reads of reports for pages, other apps and the API."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.db.models.signals import post_delete, post_save
from django.shortcuts import get_object_or_404

from dimos.core.cached import Version
from dimos.reports.models import Category, CategoryAttribute, CategoryGroup, Report, ReportUpdate


def public_report(pk: int) -> Report:
    """A report as the public sees it, with its public timeline; 404 when hidden."""
    return get_object_or_404(
        Report.objects.public()
        .select_related("category", "category__group", "district", "duplicate_of")
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=ReportUpdate.objects.filter(is_public=True).order_by("created_at", "pk"),
                to_attr="public_updates",
            )
        ),
        pk=pk,
    )


def reports_of(user_id: int) -> QuerySet[Report]:
    return Report.objects.filter(reporter_id=user_id).select_related("category")


# "Reported in the last …" choices of the public list and map, in days.
SINCE_DAYS = (7, 30, 90, 365)


def public_filtered(
    *, category: str = "", state: str = "", district: str = "", since: str = ""
) -> QuerySet[Report]:
    """Public reports by category code, open/closed, district code and the last ``since``
    days (one of SINCE_DAYS); unknown values filter nothing out."""
    from datetime import timedelta

    from django.utils import timezone

    from dimos.reports.models import CLOSED_STATUSES, OPEN_STATUSES

    reports = Report.objects.public()
    if category:
        reports = reports.filter(category__code=category)
    if state == "open":
        reports = reports.filter(status__in=OPEN_STATUSES)
    elif state == "closed":
        reports = reports.filter(status__in=CLOSED_STATUSES)
    if district:
        reports = reports.filter(district__code=district)
    if since.isdigit() and int(since) in SINCE_DAYS:
        reports = reports.filter(created_at__gte=timezone.now() - timedelta(days=int(since)))
    return reports


def public_filters(query: Any) -> dict[str, str]:
    """The public filters from a query string (the list, the feeds and the GeoJSON share them)."""
    return {k: str(query.get(k, ""))[:50] for k in ("category", "state", "district", "since")}


def public_list(**filters: str) -> QuerySet[Report]:
    """:func:`public_filtered`, newest first, for listing."""
    return (
        public_filtered(**filters)
        .select_related("category", "district")
        .order_by("-created_at", "-pk")
    )


def nearby_open(*, category_id: int, lat: float, lon: float, limit: int = 5) -> list[Report]:
    """Open public reports of the same category within the category's radius, nearest first."""
    from dimos.core import geo
    from dimos.reports.models import OPEN_STATUSES, Category

    radius = Category.objects.filter(pk=category_id).values_list("duplicate_radius_m", flat=True)
    metres = float(radius.first() or 0)
    if metres <= 0:
        return []
    min_lon, min_lat, max_lon, max_lat = geo.bbox_around(lat, lon, metres)
    candidates = (
        Report.objects.public()
        .filter(
            category_id=category_id,
            status__in=OPEN_STATUSES,
            lat__gte=min_lat,
            lat__lte=max_lat,
            lon__gte=min_lon,
            lon__lte=max_lon,
        )
        .select_related("category")[:200]
    )
    near = []
    for report in candidates:
        distance = geo.distance_m(lat, lon, report.lat, report.lon)
        if distance <= metres:
            report.distance_m = round(distance)  # type: ignore[attr-defined]
            near.append(report)
    near.sort(key=lambda r: r.distance_m)  # type: ignore[attr-defined]
    return near[:limit]


def data_version() -> str:
    """The time of the newest change to any report, as text: it versions cached answers.

    Every write to a report moves its ``updated_at`` (see ``services._record``). One index
    lookup in plain SQL: it runs on every cached request, where the ORM's aggregate machinery
    would cost more than the lookup itself.
    """
    from django.db import connection

    table = connection.ops.quote_name(Report._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(updated_at) FROM {table}")  # noqa: S608 - no input
        row = cursor.fetchone()
    return str(row[0]) if row and row[0] is not None else ""


# The catalogue of services a client sees (categories, their groups and questions): every save
# or delete of one, in the admin or elsewhere, names a new version of the cached answers.
CATALOGUE_VERSION = Version("reports:catalogue")


def _catalogue_changed(**kwargs: object) -> None:
    CATALOGUE_VERSION.changed()


# Cache invalidation is the one use of signals the style guide allows.
for _model in (CategoryGroup, Category, CategoryAttribute):
    _uid = f"reports-catalogue-{_model.__name__}"
    post_save.connect(_catalogue_changed, sender=_model, dispatch_uid=f"{_uid}-save")
    post_delete.connect(_catalogue_changed, sender=_model, dispatch_uid=f"{_uid}-delete")


def request_version() -> str:
    """Versions a cached Open311 request: any report's change, or the catalogue's."""
    return f"{data_version()}|{CATALOGUE_VERSION()}"
