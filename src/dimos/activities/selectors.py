"""Reads of activities: the public catalogue and its filters, a family's registrations, an
organiser's programmes. Other apps may call these too."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from dimos.activities.models import (
    ACTIVE,
    HOLDS_SEAT,
    Audience,
    Child,
    Mode,
    Programme,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
    Session,
    SessionStatus,
)
from dimos.activities.services import MANAGE_ALL


@dataclass(frozen=True)
class Filters:
    age: int | None = None
    subject: str = ""
    day: int | None = None  # ISO weekday, 1 = Monday
    where: str = ""  # "online" or "in_person"
    audience: str = ""


def catalogue(filters: Filters, now: dt.datetime | None = None) -> QuerySet[Programme]:
    """Published programmes not over yet, with their seats taken and next session."""
    now = now or timezone.now()
    programmes = Programme.objects.published().filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
    if filters.audience:
        programmes = programmes.filter(audience=filters.audience)
    if filters.age is not None:
        programmes = programmes.filter(
            audience=Audience.CHILDREN, age_min__lte=filters.age, age_max__gte=filters.age
        )
    if filters.subject:
        programmes = programmes.filter(subject=filters.subject)
    if filters.where == "online":
        programmes = programmes.filter(mode__in=(Mode.ONLINE, Mode.HYBRID))
    elif filters.where == "in_person":
        programmes = programmes.filter(mode__in=(Mode.IN_PERSON, Mode.HYBRID))
    if filters.day is not None:
        programmes = programmes.filter(
            Exists(
                Session.objects.filter(
                    programme=OuterRef("pk"),
                    status=SessionStatus.SCHEDULED,
                    starts_at__gt=now,
                    starts_at__iso_week_day=filters.day,
                )
            )
        )
    return programmes.annotate(
        taken=Count("registrations", filter=Q(registrations__status__in=HOLDS_SEAT))
    ).order_by("first_start", "pk")


def upcoming_sessions(programme: Programme, now: dt.datetime | None = None) -> QuerySet[Session]:
    now = now or timezone.now()
    return programme.sessions.filter(ends_at__gt=now).order_by("starts_at")


def next_sessions(programmes: list[Programme], now: dt.datetime | None = None) -> dict[int, Any]:
    """Each programme's next scheduled session start (one query)."""
    now = now or timezone.now()
    found: dict[int, Any] = {}
    for pk, start in (
        Session.objects.filter(
            programme__in=programmes, status=SessionStatus.SCHEDULED, starts_at__gt=now
        )
        .order_by("programme_id", "starts_at")
        .values_list("programme_id", "starts_at")
    ):
        found.setdefault(pk, start)
    return found


def feed_sessions(programme: Programme | None = None) -> QuerySet[Session]:
    """Sessions for the public iCalendar feed: published programmes, from a month back."""
    since = timezone.now() - dt.timedelta(days=31)
    sessions = Session.objects.filter(
        programme__status__in=(ProgrammeStatus.PUBLISHED, ProgrammeStatus.CANCELLED),
        starts_at__gte=since,
    ).select_related("programme")
    if programme is not None:
        sessions = sessions.filter(programme=programme)
    return sessions.order_by("starts_at")[:2000]


def children_of(user: Any) -> QuerySet[Child]:
    return Child.objects.filter(guardian=user)


def registrations_of(user: Any) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(account=user)
        .select_related("programme", "child")
        .order_by("-created_at", "-pk")
    )


def active_registrations(user: Any, programme: Programme) -> list[Registration]:
    return list(
        Registration.objects.filter(account=user, programme=programme, status__in=ACTIVE)
        .select_related("child")
        .order_by("pk")
    )


def has_confirmed_place(user: Any, programme: Programme) -> bool:
    return Registration.objects.filter(
        account=user, programme=programme, status=RegistrationStatus.CONFIRMED
    ).exists()


def programmes_for_staff(user: Any) -> QuerySet[Programme]:
    programmes = Programme.objects.all()
    if not user.has_perm(MANAGE_ALL):
        programmes = programmes.filter(organisers=user)
    return programmes.annotate(
        taken=Count("registrations", filter=Q(registrations__status__in=HOLDS_SEAT), distinct=True),
        waiting=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.WAITLISTED),
            distinct=True,
        ),
    ).order_by("-first_start", "-pk")


def participants(programme: Programme) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(programme=programme, status__in=ACTIVE)
        .select_related("account", "child")
        .prefetch_related(Prefetch("attendance"))
        .order_by("pk")
    )


def waiting_offers(user: Any) -> int:
    return Registration.objects.filter(
        programme__organisers=user, status=RegistrationStatus.OFFERED
    ).count()
