"""Reads on appointments, with the permission rules for who sees which booking."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from dimos.appointments.models import Booking, Centre, ServiceType
from dimos.core import geo


def upcoming_of(user: Any) -> list[Booking]:
    """A person's bookings from today on (their own, confidential ones included)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Booking.objects.filter(
            resident=user,
            status__in=Booking.BOOKED,
            day__gte=timezone.localdate(),
        )
        .select_related("service", "centre", "slot")
        .order_by("starts_at")
    )


def bookable_services() -> list[ServiceType]:
    return list(ServiceType.objects.filter(is_active=True, desks__is_active=True).distinct())


def centres_for(
    service: ServiceType, lat: float | None = None, lon: float | None = None
) -> list[tuple[Centre, float | None]]:
    """The centres offering a service, nearest first when the person gave a location."""
    centres = list(
        Centre.objects.filter(
            is_active=True, desks__services=service, desks__is_active=True
        ).distinct()
    )
    if lat is None or lon is None or not geo.valid_point(lat, lon):
        return [(c, None) for c in centres]
    with_distance = [(c, geo.distance_m(lat, lon, c.lat, c.lon)) for c in centres]
    return sorted(with_distance, key=lambda cd: cd[1] or 0.0)


def sessions_for(user: Any) -> Any:
    """Confidential bookings the user may see: assigned to them, or of services they supervise."""
    if not getattr(user, "is_authenticated", False):
        return Booking.objects.none()
    rule = Q(pk__in=[])
    if user.has_perm("appointments.counsel"):
        rule |= Q(desk__staff=user)
    if user.has_perm("appointments.supervise_counselling"):
        rule |= Q(service__supervisors=user)
    return (
        Booking.objects.filter(service__is_confidential=True)
        .filter(rule)
        .distinct()
        .select_related("service", "centre", "desk", "desk__staff", "slot")
    )
