"""The guarantee: concurrent attempts on one slot never book more seats than it has.

Each attempt runs in its own thread with its own database connection and transaction, all
released together by a barrier, on SQLite and on PostgreSQL (whichever DATABASE_URL selects).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from dimos.appointments import services
from dimos.appointments.models import Booking
from dimos.appointments.tests.factories import make_setup
from dimos.testing.factories import UserFactory
from dimos.testing.race import on_a_file_database

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def file_database(transactional_db: Any, tmp_path: Path) -> Iterator[None]:
    """On SQLite, race on a file database, as in production (dimos.testing.race)."""
    with on_a_file_database(tmp_path):
        yield


def _race(slot_id: int, people: list[Any], hold: bool = False) -> Counter[str]:
    barrier = threading.Barrier(len(people))
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def attempt(user: Any) -> None:
        try:
            barrier.wait(timeout=20)
            if hold:
                services.hold_slot(slot_id=slot_id, person=services.Person(user=user))
            else:
                services.book_slot(slot_id=slot_id, person=services.Person(user=user))
            result = "booked"
        except services.SlotTaken:
            result = "taken"
        except Exception as exc:  # the test fails on any other outcome
            result = f"error: {type(exc).__name__}: {exc}"
        finally:
            connection.close()
        with lock:
            outcomes[result] += 1

    threads = [threading.Thread(target=attempt, args=(u,)) for u in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


def _people(n: int) -> list[Any]:
    return [UserFactory.create(email=f"racer{i}@example.org") for i in range(n)]


def test_capacity_one_gives_exactly_one_booking_under_concurrent_attempts() -> None:
    setup = make_setup(desks=1)
    slot = setup.slot()
    outcomes = _race(slot.slot_id, _people(12))
    assert outcomes == Counter({"booked": 1, "taken": 11})
    assert Booking.objects.filter(slot_id=slot.slot_id).active().count() == 1


def test_capacity_n_gives_exactly_n_bookings_on_distinct_seats() -> None:
    setup = make_setup(desks=3)
    slot = setup.slot()
    outcomes = _race(slot.slot_id, _people(15))
    assert outcomes == Counter({"booked": 3, "taken": 12})
    seats = sorted(
        Booking.objects.filter(slot_id=slot.slot_id).active().values_list("seat", flat=True)
    )
    assert seats == [1, 2, 3]
    desks = set(Booking.objects.filter(slot_id=slot.slot_id).values_list("desk", flat=True))
    assert desks == {d.pk for d in setup.desks}


def test_concurrent_holds_count_against_capacity() -> None:
    setup = make_setup(desks=2)
    slot = setup.slot()
    outcomes = _race(slot.slot_id, _people(10), hold=True)
    assert outcomes == Counter({"booked": 2, "taken": 8})
    assert setup.slot().free == 0


def test_the_same_person_racing_themselves_gets_one_booking_per_day() -> None:
    setup = make_setup(desks=5)
    slots = setup.slots()
    person = UserFactory.create(email="twice@example.org")
    barrier = threading.Barrier(4)
    results: list[str] = []

    def attempt(slot_id: int) -> None:
        try:
            barrier.wait(timeout=20)
            services.book_slot(slot_id=slot_id, person=services.Person(user=person))
            results.append("booked")
        except services.BookingError as exc:
            results.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(s.slot_id,)) for s in slots[:4]]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results) == ["already_booked"] * 3 + ["booked"]
    assert Booking.objects.filter(person_key=f"user:{person.pk}").active().count() == 1
