"""Activities through the API: the public programmes (never their session links), and the
caller's own registrations, to read, make and cancel."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from dimos.activities import selectors, services
from dimos.activities.models import Child, Programme, ProgrammeStatus, Registration
from dimos.api.api import Error, ObjectId, error_response, token_or_session
from dimos.api.pagination import Pagination

router = Router(tags=["activities"])


class ProgrammeOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    subject: str
    organiser: str
    audience: str
    age_min: int | None
    age_max: int | None
    mode: str
    place: str
    address: str
    lat: float | None
    lon: float | None
    languages: list[str]
    capacity: int
    seats_left: int
    registration_opens: dt.datetime
    registration_closes: dt.datetime
    sessions: list[dt.datetime]
    url: str


def _programme(p: Programme) -> dict[str, Any]:
    return {
        "id": p.pk,
        "kind": p.kind,
        "title": p.title,
        "description": p.description,
        "subject": p.subject,
        "organiser": p.organiser_name,
        "audience": p.audience,
        "age_min": p.age_min,
        "age_max": p.age_max,
        "mode": p.mode,
        "place": p.place_name,
        "address": p.address,
        "lat": p.lat,
        "lon": p.lon,
        "languages": p.languages,
        "capacity": p.capacity,
        "seats_left": max(0, p.capacity - getattr(p, "taken", services.seats_taken(p))),
        "registration_opens": p.registration_opens,
        "registration_closes": p.registration_closes,
        "sessions": [s.starts_at for s in p.sessions.all() if not s.cancelled][:100],
        "url": p.get_absolute_url(),
    }


@router.get("/programmes", response={200: list[ProgrammeOut], 400: Error}, auth=None)
@paginate(Pagination)
def programmes(
    request: HttpRequest,
    age: int | None = None,
    subject: str = "",
    day: int | None = None,
    where: str = "",
    audience: str = "",
) -> Any:
    """Published programmes not over yet, with the catalogue's filters."""
    filters = selectors.Filters(
        age=age,
        subject=subject,
        day=day if day in range(1, 8) else None,
        where=where,
        audience=audience,
    )
    return [_programme(p) for p in selectors.catalogue(filters).prefetch_related("sessions")]


@router.get("/programmes/{programme_id}", response={200: ProgrammeOut, 404: Error}, auth=None)
def programme(request: HttpRequest, programme_id: ObjectId) -> Any:
    found = Programme.objects.exclude(status=ProgrammeStatus.DRAFT).filter(pk=programme_id).first()
    if found is None:
        return error_response(request, 404, "not_found", "No such programme.")
    return _programme(found)


class RegistrationOut(Schema):
    id: int
    programme: int
    participant: str
    status: str
    waitlist_position: int | None
    confirm_by: dt.datetime | None
    team_name: str


def _registration(r: Registration) -> dict[str, Any]:
    return {
        "id": r.pk,
        "programme": r.programme_id,
        "participant": r.participant,
        "status": r.status,
        "waitlist_position": services.waitlist_position(r),
        "confirm_by": r.offer_expires_at,
        "team_name": r.team_name,
    }


class RegisterIn(Schema):
    programme: int
    child: int | None = None
    team_name: str = ""


@router.get("/registrations", response=list[RegistrationOut], auth=token_or_session)
def my_registrations(request: HttpRequest) -> Any:
    """The caller's registrations and their children's."""
    return [_registration(r) for r in selectors.registrations_of(request.user)[:500]]


@router.post(
    "/registrations",
    response={201: RegistrationOut, 400: Error, 404: Error},
    auth=token_or_session,
)
def register(request: HttpRequest, body: RegisterIn) -> Any:
    """Register the caller (or one of their children): a place, or the waitlist."""
    user: Any = request.user
    found = (
        Programme.objects.filter(pk=body.programme).exclude(status=ProgrammeStatus.DRAFT).first()
    )
    if found is None:
        return error_response(request, 404, "not_found", "No such programme.")
    child = None
    if body.child is not None:
        child = Child.objects.filter(pk=body.child, guardian=user).first()
        if child is None:
            return error_response(request, 404, "not_found", "No such child of yours.")
    try:
        registration = services.register(
            programme=found,
            account=user,
            child=child,
            team_name=body.team_name,  # type: ignore[arg-type]
            request=request,
        )
    except services.ActivityError as exc:
        return error_response(request, 400, exc.code, exc.message)
    return 201, _registration(registration)


@router.delete(
    "/registrations/{registration_id}",
    response={200: RegistrationOut, 400: Error, 404: Error},
    auth=token_or_session,
)
def cancel(request: HttpRequest, registration_id: ObjectId) -> Any:
    """Cancel one of the caller's registrations."""
    user: Any = request.user
    found = Registration.objects.filter(pk=registration_id, account=user).first()
    if found is None:
        return error_response(request, 404, "not_found", "No such registration of yours.")
    try:
        registration = services.cancel_registration(
            registration=found,
            actor=user,
            request=request,  # type: ignore[arg-type]
        )
    except services.ActivityError as exc:
        return error_response(request, 400, exc.code, exc.message)
    return _registration(registration)
