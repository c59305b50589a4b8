"""Categories, reports and their history in the shape of Open311 GeoReport v2."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.urls import reverse

from dimos.reports.models import (
    CLOSED_STATUSES,
    Category,
    CategoryAttribute,
    Report,
    ReportPhoto,
    ReportUpdate,
    Status,
)
from dimos.reports.open311.render import iso

# History rows an Open311 client may see: status changes and public notes, nothing internal.
PUBLIC_KINDS = (ReportUpdate.Kind.STATUS, ReportUpdate.Kind.PUBLIC_NOTE)


def open_or_closed(status: str) -> str:
    return "closed" if status in CLOSED_STATUSES else "open"


def services_queryset() -> QuerySet[Category]:
    """Categories a client can submit to (blocking notices must be phoned in, so not here)."""
    asks = CategoryAttribute.objects.filter(category=OuterRef("pk"), variable=True)
    return (
        Category.objects.filter(is_active=True, notice_blocks=False)
        .select_related("group")
        .annotate(has_questions=Exists(asks))
    )


def service(category: Any) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": bool(category.has_questions),
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group.name,
    }


def service_definition(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": attribute.variable,
                "code": attribute.code,
                "datatype": attribute.datatype,
                "required": attribute.required,
                "datatype_description": attribute.datatype_description,
                "order": attribute.order,
                "description": attribute.description,
                "values": [{"key": key, "name": name} for key, name in attribute.choices()],
            }
            for attribute in category.attributes.all()
        ],
    }


def _latest_note() -> Subquery:
    notes = (
        ReportUpdate.objects.filter(report=OuterRef("pk"), is_public=True, kind__in=PUBLIC_KINDS)
        .exclude(text="")
        .order_by("-created_at", "-pk")
        .values("text")[:1]
    )
    return Subquery(notes)


def _first_photo() -> Subquery:
    # A subquery, not a prefetch: the listings stay at the same small number of queries.
    photos = (
        ReportPhoto.objects.filter(report=OuterRef("pk"), is_hidden=False)
        .order_by("created_at", "pk")
        .values("pk")[:1]
    )
    return Subquery(photos)


def media_url(photo_id: int | None) -> str:
    """The absolute address of a public photo, served through the reports view."""
    if not photo_id:
        return ""
    return settings.SITE_URL + reverse("reports:photo", kwargs={"pk": photo_id})


def requests_queryset(*, with_notes: bool = False) -> QuerySet[Report]:
    """Public reports with everything a listing shows, in a fixed number of queries."""
    queryset = (
        Report.objects.public()
        .select_related("category__group", "category__department", "district")
        .annotate(status_notes=_latest_note(), first_photo=_first_photo())
    )
    if with_notes:
        public = ReportUpdate.objects.filter(is_public=True, kind__in=PUBLIC_KINDS).exclude(
            to_status=Status.UNCONFIRMED
        )
        queryset = queryset.prefetch_related(
            Prefetch("updates", queryset=public.order_by("created_at", "pk"), to_attr="notes")
        )
    return queryset


def _end_of(day: date | None) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo(settings.TIME_ZONE))


def _note(update: ReportUpdate) -> dict[str, Any]:
    if update.kind == ReportUpdate.Kind.STATUS:
        summary = f"Status: {update.to_status.upper()}"
        kind = "status"
    else:
        summary = "Update"
        kind = "note"
    return {
        "datetime": iso(update.created_at),
        "summary": summary,
        "type": kind,
        "description": update.text,
    }


def service_request(report: Any, *, extensions: bool = False) -> dict[str, Any]:
    """One report as an Open311 request. Never any of the reporter's contact details."""
    category = report.category
    data: dict[str, Any] = {
        "service_request_id": str(report.pk),
        "status": open_or_closed(report.status),
        "status_notes": getattr(report, "status_notes", None) or "",
        "service_name": category.name,
        "service_code": category.code,
        "description": report.description,
        "agency_responsible": category.department.name,
        "service_notice": category.notice,
        "requested_datetime": iso(report.created_at),
        "updated_datetime": iso(report.updated_at),
        "expected_datetime": iso(_end_of(report.expected_on)),
        "address": report.address,
        "address_id": "",
        "zipcode": "",
        "lat": report.lat,
        "long": report.lon,
        "media_url": media_url(getattr(report, "first_photo", None)),
    }
    if extensions:
        data["extended_attributes"] = {
            "detailed_status": report.status.upper(),
            "district": report.district.code if report.district else "",
            "attributes": [
                {"code": code, "value": value} for code, value in (report.attributes or {}).items()
            ],
        }
        data["notes"] = [_note(u) for u in getattr(report, "notes", [])]
    return data


def updates_queryset() -> QuerySet[ReportUpdate]:
    """Public history rows of public reports, each with the report's status at that moment."""
    status_then = (
        ReportUpdate.objects.filter(
            report=OuterRef("report"),
            kind=ReportUpdate.Kind.STATUS,
            created_at__lte=OuterRef("created_at"),
        )
        .order_by("-created_at", "-pk")
        .values("to_status")[:1]
    )
    return (
        ReportUpdate.objects.filter(
            is_public=True, kind__in=PUBLIC_KINDS, report__in=Report.objects.public()
        )
        .exclude(to_status=Status.UNCONFIRMED)
        .annotate(status_then=Subquery(status_then))
        .order_by("created_at", "pk")
    )


def request_update(update: Any) -> dict[str, Any]:
    status = update.to_status or update.status_then or Status.OPEN
    return {
        "update_id": str(update.pk),
        "service_request_id": str(update.report_id),
        "status": open_or_closed(status),
        "updated_datetime": iso(update.created_at),
        "description": update.text,
        "media_url": "",
        "external_status_code": status.upper(),
    }
