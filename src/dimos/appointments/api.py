"""Appointments in the platform API: availability (public) and a person's own bookings."""

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import NinjaJSONEncoder
from pydantic import TypeAdapter

from dimos.api.api import Error, ObjectId, error_response, token_or_session
from dimos.appointments import selectors, services
from dimos.appointments.conf import conf
from dimos.appointments.models import Booking, Centre, ServiceType
from dimos.appointments.slots import GENERATION, SlotView, availability
from dimos.core.cached import CachedBody

router = Router(tags=["appointments"])

MAX_DAYS = 31


class ServiceOut(Schema):
    slug: str
    name: str
    description: str
    documents: str
    mode: str
    duration_minutes: int
    min_notice_hours: int
    max_days_ahead: int
    change_deadline_hours: int


class CentreOut(Schema):
    slug: str
    name: str
    address: str
    lat: float
    lon: float
    phone: str
    distance_m: float | None = None


class SlotOut(Schema):
    slot_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    free: int
    capacity: int


class DayOut(Schema):
    day: dt.date
    closed: str = Field(description='"" when open, else "holiday", "closure" or "no_hours".')
    slots: list[SlotOut]


class AvailabilityQuery(Schema):
    service: str = Field(description="Service slug.")
    centre: str = Field(description="Centre slug.")
    date_from: dt.date | None = Field(None, description="First day (default today).")
    date_to: dt.date | None = Field(None, description=f"Last day (at most {MAX_DAYS} days on).")


class BookingIn(Schema):
    slot_id: ObjectId
    reason: str = Field("", max_length=2000)


class RescheduleIn(Schema):
    slot_id: ObjectId


class BookingOut(Schema):
    reference: str
    status: str
    service: str
    centre: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    can_change: bool


def _service_out(s: ServiceType) -> dict[str, Any]:
    return {
        "slug": s.slug,
        "name": s.name,
        "description": s.description,
        "documents": s.documents,
        "mode": s.mode,
        "duration_minutes": s.duration_minutes,
        "min_notice_hours": s.min_notice_hours,
        "max_days_ahead": s.max_days_ahead,
        "change_deadline_hours": s.change_deadline_hours,
    }


def _slot_out(s: SlotView) -> dict[str, Any]:
    return {
        "slot_id": s.slot_id,
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "free": s.free,
        "capacity": s.capacity,
    }


def _booking_out(b: Booking) -> dict[str, Any]:
    return {
        "reference": b.reference,
        "status": b.status,
        "service": b.service.slug,
        "centre": b.centre.slug,
        "starts_at": b.starts_at,
        "ends_at": b.slot.ends_at,
        "can_change": services.can_change(b),
    }


def _error(request: HttpRequest, exc: services.BookingError) -> HttpResponse:
    if isinstance(exc, services.SlotTaken):
        alternatives = [_slot_out(s) for s in exc.offer_alternatives()]
        for a in alternatives:
            a["starts_at"] = a["starts_at"].isoformat()
            a["ends_at"] = a["ends_at"].isoformat()
        return error_response(request, 409, exc.code, exc.message, {"next_free": alternatives})
    status = 409 if exc.code in {"already_booked", "too_late", "not_active"} else 400
    if exc.code == "suspended":
        status = 403
    return error_response(request, status, exc.code, exc.message)


@router.get("/services", response=list[ServiceOut], auth=None, summary="Bookable services")
def list_services(request: HttpRequest) -> list[dict[str, Any]]:
    return [_service_out(s) for s in selectors.bookable_services()]


@router.get(
    "/services/{slug}/centres",
    response=list[CentreOut],
    auth=None,
    summary="Centres offering a service, nearest first when lat and lon are given",
)
def list_centres(
    request: HttpRequest, slug: str, lat: float | None = None, lon: float | None = None
) -> list[dict[str, Any]]:
    service = get_object_or_404(ServiceType, slug=slug, is_active=True)
    return [
        {
            "slug": c.slug,
            "name": c.name,
            "address": c.address,
            "lat": c.lat,
            "lon": c.lon,
            "phone": c.phone,
            "distance_m": None if d is None else round(d),
        }
        for c, d in selectors.centres_for(service, lat, lon)
    ]


@router.get(
    "/availability",
    response={200: list[DayOut], 400: Error, 404: Error},
    auth=None,
    summary="Free times of a service at a centre, per day",
)
def get_availability(request: HttpRequest, q: Query[AvailabilityQuery]) -> Any:
    today = timezone.localdate()
    first = q.date_from or today
    last = q.date_to or (first + dt.timedelta(days=13))
    if first < today:
        first = today
    if last < first or (last - first).days >= MAX_DAYS:
        raise HttpError(400, str(_("Ask for at most 31 days, the first before the last.")))

    def build() -> tuple[bytes, str]:
        service = get_object_or_404(ServiceType, slug=q.service, is_active=True)
        centre = get_object_or_404(Centre, slug=q.centre, is_active=True)
        days = [
            {"day": d.day, "closed": d.closed, "slots": [_slot_out(s) for s in d.slots]}
            for d in availability(service, centre, first, last)
        ]
        data = _DAYS.dump_python(_DAYS.validate_python(days))
        return json.dumps(data, cls=NinjaJSONEncoder).encode(), "application/json; charset=utf-8"

    seconds = conf.AVAILABILITY_CACHE_SECONDS
    if seconds <= 0:
        body, content_type = build()
        return HttpResponse(body, content_type=content_type)
    # Answers are kept for a few seconds under the availability generation (slots.py): a hit
    # costs one cache read, no query and no encoding. A 404 is raised by build(), not cached.
    return AVAILABILITY.respond(
        request, shared_by=[q.service, q.centre, first, last], compute=build
    )


_DAYS = TypeAdapter(list[DayOut])
AVAILABILITY = CachedBody(
    "appointments:availability-api",
    version=GENERATION,
    seconds=lambda: int(conf.AVAILABILITY_CACHE_SECONDS),
)


@router.post(
    "/bookings",
    response={201: BookingOut, 400: Error, 403: Error, 409: Error},
    auth=token_or_session,
    summary="Book a slot (409 slot_taken with the next free times when it was just taken)",
)
def create_booking(request: HttpRequest, payload: BookingIn) -> Any:
    try:
        booking = services.book_slot(
            slot_id=payload.slot_id,
            person=services.Person(user=request.user),  # type: ignore[arg-type]
            reason=payload.reason,
            source=Booking.Source.API,
            request=request,
        )
    except services.BookingError as exc:
        return _error(request, exc)
    return 201, _booking_out(booking)


@router.get("/bookings", response=list[BookingOut], auth=token_or_session, summary="My bookings")
def my_bookings(request: HttpRequest) -> list[dict[str, Any]]:
    qs = (
        Booking.objects.filter(resident_id=request.user.pk, status__in=Booking.BOOKED)
        .select_related("service", "centre", "slot")
        .order_by("-starts_at")[:100]
    )
    return [_booking_out(b) for b in qs]


def _mine(request: HttpRequest, reference: str) -> Booking:
    booking = (
        Booking.objects.select_related("service", "centre", "slot")
        .filter(reference=reference.upper()[:12], resident_id=request.user.pk)
        .first()
    )
    if booking is None:
        raise HttpError(404, str(_("You have no appointment with this reference.")))
    return booking


@router.get(
    "/bookings/{reference}",
    response={200: BookingOut, 404: Error},
    auth=token_or_session,
    summary="One of my bookings",
)
def get_booking(request: HttpRequest, reference: str) -> Any:
    return _booking_out(_mine(request, reference))


@router.post(
    "/bookings/{reference}/cancel",
    response={200: BookingOut, 404: Error, 409: Error},
    auth=token_or_session,
    summary="Cancel one of my bookings (before the service's deadline)",
)
def cancel_booking(request: HttpRequest, reference: str) -> Any:
    booking = _mine(request, reference)
    try:
        booking = services.cancel_booking(
            booking=booking,
            actor=request.user,  # type: ignore[arg-type]
            request=request,
        )
    except services.BookingError as exc:
        return _error(request, exc)
    return _booking_out(booking)


@router.post(
    "/bookings/{reference}/reschedule",
    response={200: BookingOut, 400: Error, 404: Error, 409: Error},
    auth=token_or_session,
    summary="Move one of my bookings to another slot of the same service",
)
def reschedule_booking(request: HttpRequest, reference: str, payload: RescheduleIn) -> Any:
    booking = _mine(request, reference)
    try:
        booking = services.reschedule_booking(
            booking=booking,
            slot_id=payload.slot_id,
            actor=request.user,  # type: ignore[arg-type]
            request=request,
        )
    except services.BookingError as exc:
        return _error(request, exc)
    return _booking_out(booking)
