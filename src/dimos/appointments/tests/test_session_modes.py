"""Counselling by video, in person and by phone: each booking says where (or how) it happens,
never a street address for a call; a phone session asks for the number to call."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from dimos.appointments import services
from dimos.appointments.models import Booking, Mode
from dimos.appointments.tests.factories import make_setup

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["dimos_language"] = "en"
    return client


def _held(user: Any, mode: str) -> Booking:
    setup = make_setup(slug=f"counselling-{mode}", confidential=True, mode=mode)
    client = _client(user)
    client.post(reverse("appointments:hold"), {"slot": setup.slot().slot_id})
    return Booking.objects.get(service=setup.service, status="held")


def test_a_video_session_shows_its_link_not_an_address(
    citizen: Any, municipality: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.DIMOS_APPOINTMENTS_VIDEO_URL = "https://meet.example.org/{room}"
    booking = _held(citizen, Mode.VIDEO)
    client = _client(citizen)
    confirm = client.get(reverse("appointments:confirm", args=[booking.reference])).content
    assert b"Merarchias" not in confirm and b"the link to the call is shown on this page" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("appointments:confirm", args=[booking.reference]), {})
    page = client.get(reverse("appointments:manage", args=[booking.reference])).content.decode()
    assert "Merarchias" not in page
    assert 'href="https://meet.example.org/dimos-' in page
    # The confidential email says only the date and time: no link, no place.
    assert "meet.example.org" not in mail.outbox[-1].body
    # Another booking gets another room.
    from dimos.appointments.selectors import video_call_link

    other = services.book_slot(
        slot_id=make_setup(slug="video-2", mode=Mode.VIDEO).slot().slot_id,
        person=services.Person(user=citizen),
    )

    assert video_call_link(other) != video_call_link(booking)


def test_without_a_video_service_the_page_says_how_the_link_is_sent(
    citizen: Any, municipality: Any
) -> None:
    booking = _held(citizen, Mode.VIDEO)
    page = _client(citizen).get(reverse("appointments:confirm", args=[booking.reference]))
    assert b"sends the link to the call to your email address the day before" in page.content
    assert b"Merarchias" not in page.content


def test_a_phone_session_asks_for_the_number_and_says_it_calls_it(
    citizen: Any, municipality: Any
) -> None:
    booking = _held(citizen, Mode.PHONE)
    client = _client(citizen)
    url = reverse("appointments:confirm", args=[booking.reference])
    refused = client.post(url, {"phone": ""})
    assert refused.status_code == 200
    assert b"Give the phone number on which we call you." in refused.content
    booking.refresh_from_db()
    assert booking.status == "held"
    client.post(url, {"phone": "6912345678"})
    booking.refresh_from_db()
    assert booking.status == "confirmed" and booking.phone == "6912345678"
    page = client.get(reverse("appointments:manage", args=[booking.reference])).content
    assert b"your counsellor calls you on 6912345678" in page and b"Merarchias" not in page


def test_an_in_person_session_gives_the_address(citizen: Any, municipality: Any) -> None:
    setup = make_setup(slug="counselling-room", confidential=True, mode=Mode.IN_PERSON)
    booking = services.book_slot(slot_id=setup.slot().slot_id, person=services.Person(user=citizen))
    page = _client(citizen).get(reverse("appointments:manage", args=[booking.reference]))
    assert b"1 Merarchias St, Serres" in page.content


def test_the_demo_offers_counselling_by_video_in_person_and_by_phone(db: Any) -> None:
    from dimos.appointments.demo import seed
    from dimos.appointments.selectors import bookable_services

    seed()
    modes = {s.mode for s in bookable_services() if s.is_confidential}
    assert modes == {Mode.VIDEO, Mode.IN_PERSON, Mode.PHONE}
