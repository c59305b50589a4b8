"""Appointments through the platform API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dimos.appointments import services
from dimos.appointments.tests.factories import make_setup, working_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(municipality: Any) -> Any:
    return make_setup(desks=1)


def test_availability_is_public_and_lists_free_slots(client: Client, setup: Any) -> None:
    day = working_day().isoformat()
    response = client.get(
        "/api/v1/appointments/availability",
        {"service": "certificates", "centre": "kep-a", "date_from": day, "date_to": day},
    )
    assert response.status_code == 200
    body = response.json()
    assert body[0]["day"] == day and body[0]["slots"][0]["free"] == 1
    assert client.get("/api/v1/appointments/services").json()[0]["slug"] == "certificates"
    near = client.get("/api/v1/appointments/services/certificates/centres?lat=41.1&lon=23.5")
    assert near.json()[0]["distance_m"] > 0


def test_availability_rejects_long_ranges_and_unknown_services(client: Client, setup: Any) -> None:
    long = client.get(
        "/api/v1/appointments/availability",
        {"service": "certificates", "centre": "kep-a", "date_to": "2099-01-01"},
    )
    assert long.status_code == 400 and long.json()["error"]["code"] == "bad_request"
    missing = client.get("/api/v1/appointments/availability?service=nope&centre=kep-a")
    assert missing.status_code == 404


def test_booking_through_the_api_and_the_just_taken_answer(
    citizen: Any, other_citizen: Any, setup: Any
) -> None:
    slot = setup.slot()
    mine = Client()
    mine.force_login(citizen)
    response = mine.post(
        "/api/v1/appointments/bookings", {"slot_id": slot.slot_id}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    reference = response.json()["reference"]
    assert mine.get(f"/api/v1/appointments/bookings/{reference}").status_code == 200
    theirs = Client()
    theirs.force_login(other_citizen)
    taken = theirs.post(
        "/api/v1/appointments/bookings", {"slot_id": slot.slot_id}, content_type="application/json"
    )
    assert taken.status_code == 409
    error = taken.json()["error"]
    assert error["code"] == "slot_taken" and error["details"]["next_free"]
    assert theirs.get(f"/api/v1/appointments/bookings/{reference}").status_code == 404
    bad = theirs.post(
        "/api/v1/appointments/bookings", {"slot_id": 10**9}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_slot"


def test_cancel_and_reschedule_through_the_api(citizen: Any, setup: Any) -> None:
    booking = services.book_slot(slot_id=setup.slot().slot_id, person=services.Person(user=citizen))
    c = Client()
    c.force_login(citizen)
    other = setup.slots(working_day(after=4))[1]
    moved = c.post(
        f"/api/v1/appointments/bookings/{booking.reference}/reschedule",
        {"slot_id": other.slot_id},
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["starts_at"].startswith(
        other.starts_at.date().isoformat()
    )
    cancelled = c.post(f"/api/v1/appointments/bookings/{booking.reference}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    again = c.post(f"/api/v1/appointments/bookings/{booking.reference}/cancel")
    assert again.status_code == 409


def test_booking_needs_authentication(client: Client, setup: Any) -> None:
    response = client.post(
        "/api/v1/appointments/bookings",
        {"slot_id": setup.slot().slot_id},
        content_type="application/json",
    )
    assert response.status_code == 401


def test_a_nul_character_in_a_parameter_is_the_clients_error(setup: Any) -> None:
    # PostgreSQL refuses NUL in text: that is a 400 in the API's error shape, never a 500.
    client = Client(raise_request_exception=False)
    response = client.get(
        "/api/v1/appointments/availability", {"service": "kep\x00", "centre": "\x00"}
    )
    assert response.status_code in (400, 404), response.content
    assert response.json()["error"]["code"] in ("bad_request", "not_found")
