"""Reads of the volunteers app: lists for coordinators, figures, and what other apps need
(relief: who is approved, free in a slot, in a district, with a skill)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from dimos.core.selectors import districts
from dimos.volunteers.models import Status, Volunteer, VolunteerHours


def volunteer_of(user: Any) -> Volunteer | None:
    """The person's own volunteer row, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Volunteer.objects.filter(user=user).first()


def may_coordinate(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm("volunteers.view_volunteer"))


def coordinator_list(
    *, status: str = "", district: Any = None, skill: Any = None
) -> QuerySet[Volunteer]:
    """Volunteers for coordinators, filtered by status, district and skill."""
    qs = Volunteer.objects.select_related("user")
    if status:
        qs = qs.filter(status=status)
    if district is not None:
        qs = qs.filter(districts=district)
    if skill is not None:
        qs = qs.filter(skills=skill)
    return qs.order_by("applied_at", "pk")


def available(
    *, district: Any = None, skill: Any = None, day: int | None = None, period: int | None = None
) -> QuerySet[Volunteer]:
    """Approved volunteers who help in ``district``, with ``skill``, free at (day, period)."""
    qs = Volunteer.objects.active()
    if day is not None and period is not None:
        qs = qs.available_at(day, period)
    if district is not None:
        qs = qs.filter(districts=district)
    if skill is not None:
        qs = qs.filter(skills=skill)
    return qs


def hours_total(volunteer: Volunteer) -> Decimal:
    total = volunteer.hours.aggregate(total=Sum("hours"))["total"]
    return total or Decimal("0")


def status_counts() -> dict[str, int]:
    rows = Volunteer.objects.values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def active_by_district() -> list[tuple[str, int]]:
    """(district name, approved volunteers who help there), every district, by name."""
    counts = dict(
        Volunteer.objects.active()
        .values("districts")
        .annotate(n=Count("pk"))
        .values_list("districts", "n")
    )
    return [(d.name, counts.get(d.pk, 0)) for d in districts()]


def hours_by_month(months: int = 12) -> list[tuple[dt.date, Decimal]]:
    """(first day of the month, hours given) for the last ``months`` months with hours."""
    today = timezone.localdate()
    start = (today.replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    rows = (
        VolunteerHours.objects.filter(date__gte=start)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(total=Sum("hours"))
        .order_by("month")
    )
    return [(row["month"], row["total"] or Decimal("0")) for row in rows]


def hours_by_day(
    start: dt.date, end: dt.date, *, source: str = ""
) -> list[tuple[dt.date, Decimal]]:
    """(day, hours given) for the days from ``start`` to ``end`` with hours; only those
    logged for ``source`` (relief's deliveries: ``"relief"``) when it is given."""
    rows = VolunteerHours.objects.filter(date__gte=start, date__lte=end)
    if source:
        rows = rows.filter(source=source)
    totals = rows.values("date").annotate(total=Sum("hours")).order_by("date")
    return [(row["date"], row["total"] or Decimal("0")) for row in totals]


def public_figures() -> dict[str, Any]:
    """Aggregated, anonymous figures for the public page and the API (no personal data)."""
    this_year = timezone.localdate().replace(month=1, day=1)
    hours = VolunteerHours.objects.filter(date__gte=this_year).aggregate(total=Sum("hours"))
    return {
        "active": Volunteer.objects.active().count(),
        "hours_this_year": hours["total"] or Decimal("0"),
        "by_district": [{"district": name, "active": n} for name, n in active_by_district() if n],
    }


def open_applications() -> QuerySet[Volunteer]:
    return Volunteer.objects.filter(status=Status.APPLIED)


def overdue_applications(days: int) -> QuerySet[Volunteer]:
    return open_applications().filter(applied_at__lt=timezone.now() - dt.timedelta(days=days))
