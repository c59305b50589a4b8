"""The public availability (API and calendar) is cached briefly, and every change drops it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dimos.appointments import services
from dimos.appointments.models import Closure
from dimos.appointments.tests.factories import make_setup, working_day

pytestmark = pytest.mark.django_db

URL = "/api/v1/appointments/availability"


@pytest.fixture
def setup(municipality: Any) -> Any:
    return make_setup(desks=1)


def _free(client: Client, day: date, slot_id: int) -> int | None:
    response = client.get(
        URL, {"service": "certificates", "centre": "kep-a", "date_from": day, "date_to": day}
    )
    assert response.status_code == 200
    slots = response.json()[0]["slots"]
    return next((s["free"] for s in slots if s["slot_id"] == slot_id), None)


def test_a_repeated_answer_comes_from_the_cache_without_queries(client: Client, setup: Any) -> None:
    day = working_day()
    query = {"service": "certificates", "centre": "kep-a", "date_from": day, "date_to": day}
    first = client.get(URL, query)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(URL, query)
    assert again.status_code == 200 and again.content == first.content
    assert again["Content-Type"].startswith("application/json")
    assert not [q for q in queries.captured_queries if "appointments_" in q["sql"]]
    gzipped = client.get(URL, query, HTTP_ACCEPT_ENCODING="gzip")
    assert gzipped["Content-Encoding"] == "gzip"


def test_the_answer_is_the_same_with_and_without_the_cache(
    client: Client, setup: Any, settings: Any
) -> None:
    day = working_day()
    query = {"service": "certificates", "centre": "kep-a", "date_from": day, "date_to": day}
    cached = client.get(URL, query).json()
    settings.DIMOS_APPOINTMENTS_AVAILABILITY_CACHE_SECONDS = 0
    fresh = client.get(URL, query).json()
    assert cached == fresh and fresh[0]["slots"][0]["starts_at"].startswith(day.isoformat())


def test_booking_cancelling_and_blocking_show_at_once(
    client: Client, citizen: Any, clerk: Any, setup: Any
) -> None:
    day = working_day()
    slot = setup.slot(day)
    assert _free(client, day, slot.slot_id) == 1
    booking = services.book_slot(slot_id=slot.slot_id, person=services.Person(user=citizen))
    assert _free(client, day, slot.slot_id) == 0
    services.cancel_booking(booking=booking, actor=citizen)
    assert _free(client, day, slot.slot_id) == 1
    services.set_slot_blocked(slot=services.get_slot(slot.slot_id), blocked=True, actor=clerk)
    assert _free(client, day, slot.slot_id) is None


def test_an_edit_in_the_admin_drops_the_cached_calendar(client: Client, setup: Any) -> None:
    day = working_day()
    client.cookies["dimos_language"] = "en"
    page = f"/appointments/book/certificates/kep-a/?from={day.isoformat()}"
    before = client.get(page)
    assert before.context["days"][0].closed == "" and before.context["days"][0].free_count > 0
    Closure.objects.create(centre=setup.centre, starts_on=day, ends_on=day, reason_en="Strike")
    response = client.get(page)
    assert response.status_code == 200
    assert response.context["days"][0].closed == "closure"


def test_the_calendar_page_is_kept_for_visitors_until_a_time_is_taken(
    client: Client, citizen: Any, setup: Any
) -> None:
    day = working_day()
    page = f"/appointments/book/certificates/kep-a/?from={day.isoformat()}"
    first = client.get(page)
    assert first.status_code == 200 and "X-Dimos-Cache" not in first
    again = client.get(page)
    assert again["X-Dimos-Cache"] == "hit"
    services.book_slot(slot_id=setup.slot(day).slot_id, person=services.Person(user=citizen))
    after = client.get(page)
    assert "X-Dimos-Cache" not in after  # a new generation: drawn again
    assert after.context["days"][0].free_count == first.context["days"][0].free_count - 1
