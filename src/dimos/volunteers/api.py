"""Volunteers through the API: the person's own profile, coordinators' list and detail, and
public figures (aggregated, no personal data)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from dimos.api.api import Error, ObjectId, error_response, token_or_session
from dimos.api.pagination import Pagination
from dimos.core.selectors import districts
from dimos.volunteers import selectors, services
from dimos.volunteers.models import DAYS, PERIODS, Skill, Status, Volunteer, slot_bit

router = Router(tags=["volunteers"])

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PERIOD_KEYS = ("morning", "afternoon", "evening")


def _slots(mask: int) -> list[str]:
    return [
        f"{DAY_KEYS[d]}-{PERIOD_KEYS[p]}"
        for d, _n in DAYS
        for p, _m in PERIODS
        if mask & slot_bit(d, p)
    ]


def _mask(slots: list[str]) -> int | None:
    mask = 0
    for slot in slots:
        day, _sep, period = slot.partition("-")
        if day not in DAY_KEYS or period not in PERIOD_KEYS:
            return None
        mask |= slot_bit(DAY_KEYS.index(day), PERIOD_KEYS.index(period))
    return mask


class ProfileOut(Schema):
    id: int
    status: str
    status_reason: str
    phone: str
    languages: list[str]
    skills: list[str]
    has_car: bool
    districts: list[str]
    availability: list[str]
    about: str
    applied_at: dt.datetime
    approved_at: dt.datetime | None
    conduct_version: int | None
    conduct_needed: int | None
    hours_total: Decimal

    @staticmethod
    def resolve_skills(obj: Volunteer) -> list[str]:
        return [s.code for s in obj.skills.all()]

    @staticmethod
    def resolve_districts(obj: Volunteer) -> list[str]:
        return [d.code for d in obj.districts.all()]

    @staticmethod
    def resolve_availability(obj: Volunteer) -> list[str]:
        return _slots(obj.availability)

    @staticmethod
    def resolve_conduct_version(obj: Volunteer) -> int | None:
        return obj.conduct.version if obj.conduct_id and obj.conduct else None

    @staticmethod
    def resolve_conduct_needed(obj: Volunteer) -> int | None:
        needed = services.needs_conduct(obj)
        return needed.version if needed else None

    @staticmethod
    def resolve_hours_total(obj: Volunteer) -> Decimal:
        return selectors.hours_total(obj)


class CoordinatorOut(ProfileOut):
    name: str
    email: str
    identity_checked_at: dt.datetime | None
    identity_method: str

    @staticmethod
    def resolve_name(obj: Volunteer) -> str:
        return obj.user.get_full_name()

    @staticmethod
    def resolve_email(obj: Volunteer) -> str:
        return obj.user.email


class ListItemOut(Schema):
    id: int
    name: str
    status: str
    has_car: bool
    skills: list[str]
    districts: list[str]
    applied_at: dt.datetime

    @staticmethod
    def resolve_name(obj: Volunteer) -> str:
        return obj.user.get_full_name()

    @staticmethod
    def resolve_skills(obj: Volunteer) -> list[str]:
        return [s.code for s in obj.skills.all()]

    @staticmethod
    def resolve_districts(obj: Volunteer) -> list[str]:
        return [d.code for d in obj.districts.all()]


class ProfileIn(Schema):
    """Only the fields given change."""

    phone: str | None = None
    languages: list[str] | None = None
    skills: list[str] | None = None
    has_car: bool | None = None
    districts: list[str] | None = None
    availability: list[str] | None = None
    about: str | None = None


class DistrictFigure(Schema):
    district: str
    active: int


class FiguresOut(Schema):
    active: int
    hours_this_year: Decimal
    by_district: list[DistrictFigure]


def _mine(request: HttpRequest) -> Volunteer | None:
    return (
        Volunteer.objects.select_related("conduct", "user")
        .prefetch_related("skills", "districts")
        .filter(user_id=request.user.pk or 0)
        .first()
    )


@router.get("/me", response={200: ProfileOut, 404: Error}, auth=token_or_session)
def my_profile(request: HttpRequest) -> Any:
    """The caller's own volunteer profile."""
    volunteer = _mine(request)
    if volunteer is None:
        return error_response(request, 404, "not_found", "You have not applied to volunteer.")
    return volunteer


@router.patch("/me", response={200: ProfileOut, 400: Error, 404: Error}, auth=token_or_session)
def update_my_profile(request: HttpRequest, body: ProfileIn) -> Any:
    """Change the caller's own profile. Skills and districts by code; availability as
    ``mon-morning``, ``tue-evening``…"""
    volunteer = _mine(request)
    if volunteer is None:
        return error_response(request, 404, "not_found", "You have not applied to volunteer.")
    skills = list(volunteer.skills.all())
    if body.skills is not None:
        skills = list(Skill.objects.filter(code__in=body.skills, is_active=True))
        if len(skills) != len(set(body.skills)):
            return error_response(request, 400, "invalid", "Unknown skill.")
    chosen = list(volunteer.districts.all())
    if body.districts is not None:
        chosen = list(districts().filter(code__in=body.districts))
        if len(chosen) != len(set(body.districts)):
            return error_response(request, 400, "invalid", "Unknown district.")
    availability = volunteer.availability
    if body.availability is not None:
        mask = _mask(body.availability)
        if mask is None:
            return error_response(request, 400, "invalid", "Unknown time of the week.")
        availability = mask
    profile = services.Profile(
        phone=body.phone if body.phone is not None else volunteer.phone,
        languages=body.languages if body.languages is not None else volunteer.languages,
        skills=skills,
        has_car=body.has_car if body.has_car is not None else volunteer.has_car,
        districts=chosen,
        availability=availability,
        about=body.about if body.about is not None else volunteer.about,
    )
    try:
        services.update_profile(
            volunteer=volunteer,
            profile=profile,
            actor=request.user,  # type: ignore[arg-type]
            request=request,
        )
    except services.VolunteerError as exc:
        return error_response(request, 400, "invalid", str(exc.message))
    return _mine(request)


def _coordinator_refusal(request: HttpRequest) -> Any:
    if not selectors.may_coordinate(request.user):
        return error_response(
            request, 403, "forbidden", "Only volunteer coordinators may read volunteers."
        )
    return None


@router.get(
    "/",
    response={200: list[ListItemOut], 400: Error, 403: Error},
    auth=token_or_session,
)
@paginate(Pagination)
def volunteers(request: HttpRequest, status: str = "", district: str = "", skill: str = "") -> Any:
    """Coordinators: volunteers, filtered by status, district code and skill code."""
    if not selectors.may_coordinate(request.user):
        raise HttpError(403, "Only volunteer coordinators may read volunteers.")
    if status and status not in Status.values:
        raise HttpError(400, "Unknown status.")
    return selectors.coordinator_list(
        status=status,
        district=districts().filter(code=district).first() if district else None,
        skill=Skill.objects.filter(code=skill).first() if skill else None,
    ).prefetch_related("skills", "districts")


@router.get("/figures", response=FiguresOut, auth=None)
def figures(request: HttpRequest) -> Any:
    """Public, aggregated figures: active volunteers, hours this year, per district."""
    return selectors.public_figures()


@router.get(
    "/{volunteer_id}",
    response={200: CoordinatorOut, 403: Error, 404: Error},
    auth=token_or_session,
)
def volunteer(request: HttpRequest, volunteer_id: ObjectId) -> Any:
    """Coordinators: one volunteer's details (the reading is audited)."""
    refusal = _coordinator_refusal(request)
    if refusal is not None:
        return refusal
    found = (
        Volunteer.objects.select_related("user", "conduct")
        .prefetch_related("skills", "districts")
        .filter(pk=volunteer_id)
        .first()
    )
    if found is None:
        return error_response(request, 404, "not_found", "No such volunteer.")
    services.record_view(volunteer=found, actor=request.user, request=request)  # type: ignore[arg-type]
    return found
