"""Registrations racing for the last places: exactly capacity confirmed, the rest waitlisted
(SQLite on a file, as in production, and PostgreSQL: whichever DATABASE_URL selects)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from dimos.activities import services
from dimos.activities.models import Audience, Registration
from dimos.activities.tests.conftest import family, make_programme
from dimos.testing.personas import staff
from dimos.testing.race import on_a_file_database

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def file_database(transactional_db: Any, tmp_path: Path) -> Iterator[None]:
    with on_a_file_database(tmp_path):
        yield


def _race(programme_id: int, people: list[Any]) -> Counter[str]:
    from dimos.activities.models import Programme

    barrier = threading.Barrier(len(people))
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def attempt(user: Any) -> None:
        try:
            programme = Programme.objects.get(pk=programme_id)
            barrier.wait(timeout=20)
            result = services.register(programme=programme, account=user).status
        except services.ActivityError as exc:
            result = f"refused: {exc.code}"
        except Exception as exc:  # the test fails on any other outcome
            result = f"error: {type(exc).__name__}: {exc}"
        finally:
            connection.close()
        with lock:
            outcomes[result] += 1

    threads = [threading.Thread(target=attempt, args=(u,)) for u in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.parametrize(("capacity", "people"), [(1, 12), (3, 14)])
def test_racing_registrations_fill_exactly_the_capacity(capacity: int, people: int) -> None:
    organiser = staff("race-teacher@example.org", "activities_organiser")
    event = make_programme(
        organiser, audience=Audience.ADULTS, age_min=None, age_max=None, capacity=capacity
    )
    adults = [family(f"racer{i}@example.org") for i in range(people)]
    connection.close()
    outcomes = _race(event.pk, adults)
    assert outcomes == {"confirmed": capacity, "waitlisted": people - capacity}, outcomes
    seats = sorted(
        seat
        for seat in Registration.objects.filter(programme=event, status="confirmed").values_list(
            "seat", flat=True
        )
        if seat is not None
    )
    assert seats == list(range(1, capacity + 1))


def test_the_same_person_racing_twice_gets_one_registration() -> None:
    organiser = staff("race-teacher2@example.org", "activities_organiser")
    event = make_programme(organiser, audience=Audience.ADULTS, age_min=None, age_max=None)
    person = family("twice@example.org")
    connection.close()
    outcomes = _race(event.pk, [person] * 6)
    assert sum(n for k, n in outcomes.items() if k in ("confirmed", "waitlisted")) == 1
    assert sum(n for k, n in outcomes.items() if k == "refused: duplicate") == 5, outcomes
