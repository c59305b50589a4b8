"""Fixtures of the volunteers tests: skills, a code of conduct, a coordinator, an applicant."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dimos.accounts.models import User
from dimos.testing.personas import login, staff


@pytest.fixture(autouse=True)
def _private_files(settings: Any, tmp_path: Any) -> None:
    settings.DIMOS_PRIVATE_DIR = tmp_path / "private"


@pytest.fixture
def skills(db: Any, municipality: Any) -> dict[str, Any]:
    from dimos.volunteers.demo import seed_skills

    return {s.code: s for s in seed_skills()}


@pytest.fixture
def coordinator(db: Any) -> User:
    return staff("coordinator@example.org", "volunteer_coordinator")


@pytest.fixture
def coordinator_client(coordinator: User) -> Client:
    client = login(coordinator)
    client.cookies["dimos_language"] = "en"
    return client


@pytest.fixture
def resident_client(citizen: User) -> Client:
    client = login(citizen)
    client.cookies["dimos_language"] = "en"
    return client


def profile(known: dict[str, Any], **changes: Any) -> Any:
    from dimos.core.selectors import districts
    from dimos.volunteers.models import slot_bit
    from dimos.volunteers.services import Profile

    values: dict[str, Any] = {
        "phone": "6944 555 123",
        "languages": ["el", "en"],
        "skills": [known["shopping"], known["driving"]],
        "has_car": True,
        "districts": list(districts()[:1]),
        "availability": slot_bit(1, 0) | slot_bit(3, 2),
    }
    values.update(changes)
    return Profile(**values)


@pytest.fixture
def applicant(citizen: User, skills: dict[str, Any]) -> Any:
    from dimos.volunteers import services

    citizen.preferred_language = "en"
    citizen.save()
    return services.apply_to_volunteer(user=citizen, profile=profile(skills), conduct_version=1)


@pytest.fixture
def approved(applicant: Any, coordinator: User) -> Any:
    from dimos.volunteers import services
    from dimos.volunteers.models import IdentityMethod

    services.record_identity_check(
        volunteer=applicant,
        method=IdentityMethod.ID_DOCUMENT,
        notes="ID ...1234",
        actor=coordinator,
    )
    return services.approve(volunteer=applicant, actor=coordinator)


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Refusals read in English in these tests (the pages choose by the cookie)."""
    from django.utils import translation

    with translation.override("en"):
        yield
