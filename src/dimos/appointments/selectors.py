"""Reads on appointments, with the permission rules for who sees which booking."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from dimos.appointments.conf import conf
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


# --- Who may do what at the desk ----------------------------------------------------------------


def desk_centres(user: Any) -> QuerySet[Centre]:
    """The centres whose bookings a clerk sees and acts on: the ones they work at."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm(
        "appointments.view_booking"
    ):
        return Centre.objects.none()
    centres = Centre.objects.filter(is_active=True)
    return centres if user.is_superuser else centres.filter(clerks=user)


def desk_bookings(user: Any) -> Any:
    """Bookings of the clerk's centres; never a confidential one."""
    return Booking.objects.visible_to_clerks().filter(centre__in=desk_centres(user))


def counselled_services(user: Any) -> QuerySet[ServiceType]:
    """Confidential services whose sessions the user holds (at a desk) or supervises."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm("appointments.counsel"):
        return ServiceType.objects.none()
    rule = Q(desks__staff=user, desks__is_active=True)
    if user.has_perm("appointments.supervise_counselling"):
        rule |= Q(supervisors=user)
    return ServiceType.objects.filter(is_confidential=True, is_active=True).filter(rule).distinct()


def counselling_centres(user: Any, service: ServiceType) -> QuerySet[Centre]:
    """Where the user manages a confidential service's times: every centre offering it for
    its supervisors, the centres of their own desks for a counsellor."""
    if not counselled_services(user).filter(pk=service.pk).exists():
        return Centre.objects.none()
    desks = Q(desks__services=service, desks__is_active=True)
    if not service.supervisors.filter(pk=user.pk).exists():
        desks &= Q(desks__staff=user)
    return Centre.objects.filter(is_active=True).filter(desks).distinct()


def may_manage(user: Any, service: ServiceType, centre: Centre) -> bool:
    """Whether the user may block times of, and book for callers, this service at this centre.

    Ordinary services: a clerk of the centre. Confidential ones: their counsellor or supervisor
    only, never a clerk.
    """
    if service.is_confidential:
        return counselling_centres(user, service).filter(pk=centre.pk).exists()
    return bool(user.has_perm("appointments.change_booking")) and (
        desk_centres(user).filter(pk=centre.pk).exists()
    )


def bookable_for_callers(user: Any) -> tuple[QuerySet[ServiceType], QuerySet[Centre]]:
    """The services and centres a staff member may book at for a caller."""
    service_ids: set[int] = set()
    centre_ids: set[int] = set()
    if user.has_perm("appointments.change_booking"):
        mine = list(desk_centres(user).values_list("pk", flat=True))
        centre_ids.update(mine)
        service_ids.update(
            ServiceType.objects.filter(
                is_active=True, is_confidential=False, desks__centre__in=mine, desks__is_active=True
            ).values_list("pk", flat=True)
        )
    for service in counselled_services(user):
        service_ids.add(service.pk)
        centre_ids.update(counselling_centres(user, service).values_list("pk", flat=True))
    return (
        ServiceType.objects.filter(pk__in=service_ids),
        Centre.objects.filter(pk__in=centre_ids),
    )


def video_call_link(booking: Booking) -> str:
    """The call address of a video session (``DIMOS_APPOINTMENTS_VIDEO_URL``), "" when the
    counsellor sends one instead. The room's name is keyed on the booking and SECRET_KEY, so
    only the two people who can see the booking know it."""
    from django.utils.crypto import salted_hmac

    template = conf.VIDEO_URL
    if booking.service.mode != "video" or not template:
        return ""
    room = salted_hmac("dimos.appointments.video", booking.reference).hexdigest()[:24]
    return template.replace("{room}", f"dimos-{room}")
