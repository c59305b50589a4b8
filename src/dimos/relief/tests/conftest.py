"""Fixtures of the relief tests: the Serres municipality, a coordinator, a courier, a request."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dimos.accounts.models import User
from dimos.testing.personas import login, staff

# Inside the demo municipality (the town of Serres) and well outside it (Thessaloniki).
INSIDE = (41.09, 23.55)
OUTSIDE = (40.64, 22.94)


@pytest.fixture(autouse=True)
def _private_files(settings: Any, tmp_path: Any) -> None:
    settings.DIMOS_PRIVATE_DIR = tmp_path / "private"


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Refusals read in English in these tests (the pages choose by the cookie)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def coordinator(db: Any, municipality: Any) -> User:
    return staff("coordinator@example.org", "relief_coordinator")


@pytest.fixture
def courier(db: Any) -> User:
    return staff("courier@example.org", "delivery_staff")


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


def mother(**changes: Any) -> Any:
    from dimos.relief.services import Person

    values: dict[str, Any] = {
        "full_name": "Ευανθία Ρεσιντέντ",
        "address": "Μεραρχίας 40, Σέρρες",
        "lat": INSIDE[0],
        "lon": INSIDE[1],
        "phone": "6944 111 222",
        "household_size": 1,
        "vulnerabilities": ["65plus", "chronic"],
        "language": "el",
        "access_notes": "Ring twice, third floor",
    }
    values.update(changes)
    return Person(**values)


def medicine() -> list[Any]:
    from dimos.relief.services import NeedData

    return [NeedData(kind="medicine", pharmacy="Pharmacy of the square", barcodes=["1234567890"])]


def shopping(ceiling: str = "40") -> list[Any]:
    from dimos.relief.services import NeedData

    return [NeedData(kind="shopping", description="bread, milk", ceiling=Decimal(ceiling))]


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


def ask(actor: Any, **changes: Any) -> Any:
    from dimos.relief import consent, services

    values: dict[str, Any] = {
        "person": mother(),
        "needs": medicine(),
        "day": tomorrow(),
        "window_start": dt.time(9),
        "window_end": dt.time(13),
        "actor": actor,
        "channel": "online",
        "relation": "relative",
        "consent_version": consent.CURRENT,
    }
    values.update(changes)
    return services.ask_for_help(**values)


@pytest.fixture
def asked(citizen: User, municipality: Any) -> Any:
    citizen.preferred_language = "en"
    citizen.save()
    return ask(citizen).request


@pytest.fixture
def scheduled(asked: Any, coordinator: User, courier: User) -> tuple[Any, str]:
    from dimos.relief import services

    services.accept(req=asked, actor=coordinator)
    code = services.schedule(req=asked, actor=coordinator, courier=courier)
    asked.refresh_from_db()
    return asked, code


def make_volunteer(
    email: str,
    *,
    skills: tuple[str, ...] = ("pharmacy", "shopping"),
    district: str = "serres",
    availability: int | None = None,
    phone: str = "6977 000 111",
) -> Any:
    """An approved volunteer (a resident account, not staff) who accepted the code of
    conduct in force; free all week unless told otherwise."""
    from dimos.core.models import District
    from dimos.testing.factories import UserFactory
    from dimos.volunteers.demo import seed_skills
    from dimos.volunteers.models import (
        ALL_SLOTS,
        CodeOfConduct,
        ConductAcceptance,
        Skill,
        Volunteer,
    )

    seed_skills()
    conduct = CodeOfConduct.objects.published().order_by("-version").first()
    assert conduct is not None
    user = UserFactory.create(email=email, first_name=email.split("@")[0].title())
    user.preferred_language = "en"
    user.save()
    volunteer = Volunteer.objects.create(
        user=user,
        phone=phone,
        availability=ALL_SLOTS if availability is None else availability,
        status="approved",
        approved_at=timezone.now() - dt.timedelta(days=30),
        conduct=conduct,
        conduct_accepted_at=timezone.now() - dt.timedelta(days=30),
    )
    ConductAcceptance.objects.create(volunteer=volunteer, conduct=conduct)
    volunteer.skills.set(Skill.objects.filter(code__in=skills))
    volunteer.districts.set(District.objects.filter(code=district))
    return volunteer


@pytest.fixture
def open_task(asked: Any, coordinator: User) -> tuple[Any, str]:
    """The mother's medicine, scheduled for tomorrow morning without a courier."""
    from dimos.relief import services

    services.accept(req=asked, actor=coordinator)
    code = services.schedule(req=asked, actor=coordinator)
    asked.refresh_from_db()
    return asked, code


@pytest.fixture
def volunteer(municipality: Any) -> Any:
    return make_volunteer("vera@example.org")


@pytest.fixture
def other_volunteer(municipality: Any) -> Any:
    return make_volunteer("otto@example.org", phone="6977 999 888")
