"""Fixtures of the activities tests: an organiser, programmes open for registration."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from dimos.activities import services
from dimos.activities.models import Audience, Kind, Mode, Programme, Repeat
from dimos.testing.factories import UserFactory
from dimos.testing.personas import staff, verified


def make_programme(organiser: Any, **fields: Any) -> Programme:
    now = timezone.now()
    defaults: dict[str, Any] = {
        "title_el": "Ζωγραφική για παιδιά",
        "title_en": "Painting for children",
        "organiser_name": "Δημοτική Βιβλιοθήκη Σερρών",
        "capacity": 2,
        "first_start": (now + dt.timedelta(days=3)).replace(second=0, microsecond=0),
        "registration_opens": now - dt.timedelta(days=1),
        "registration_closes": now + dt.timedelta(days=2),
        "audience": Audience.CHILDREN,
        "age_min": 6,
        "age_max": 10,
        "mode": Mode.ONLINE,
        "video_url": "https://meet.jit.si/serres-zografiki-secret",
        "languages": ["el"],
        "repeat": Repeat.ONCE,
        "kind": Kind.LESSON,
        "certificate": True,
    }
    defaults.update(fields)
    return services.create_programme(actor=organiser, publish=True, **defaults)


def family(email: str) -> Any:
    return verified(UserFactory.create(email=email, first_name="Γονέας"))


def child_of(guardian: Any, name: str = "Νίκος", age: int = 8) -> Any:
    from dimos.activities.conf import conf

    year = timezone.localdate().year
    return services.add_child(
        guardian=guardian,
        first_name=name,
        birth_year=year - age,
        consent=True,
        consent_version=conf.CONSENT_VERSION,
    )


@pytest.fixture
def organiser(db: Any) -> Any:
    return staff("teacher@example.org", "activities_organiser")


@pytest.fixture
def programme(organiser: Any) -> Programme:
    return make_programme(organiser)
