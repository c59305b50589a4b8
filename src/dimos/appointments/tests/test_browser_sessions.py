"""Counselling by video and by phone in a real browser: the resident chooses the way on the
support page, then a time; the confirmation says how the session happens, never an address."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from dimos.appointments.models import Mode
from dimos.appointments.tests.factories import make_setup, working_day
from dimos.testing.browser import (
    check_visible,
    click_visible,
    fill_visible,
    log_in_as,
    look,
    use_language,
)
from dimos.testing.data import seed
from dimos.testing.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEY = "counselling-ways"


def _choose_a_time(page: Page, service_name: str) -> None:
    click_visible(page.get_by_role("link", name=service_name))
    click_visible(page.locator(f'a:has(time[datetime="{working_day().isoformat()}"])'))
    check_visible(page.get_by_role("group", name="Morning").get_by_role("radio").first)
    click_visible(page.get_by_role("button", name="Continue"))


def test_video_and_phone_sessions_say_how_they_happen(
    page: Page, live_server: Any, settings: Any
) -> None:
    settings.DIMOS_APPOINTMENTS_VIDEO_URL = "https://meet.example.org/{room}"
    seed()
    make_setup(slug="talk-video", confidential=True, mode=Mode.VIDEO)
    make_setup(slug="talk-phone", confidential=True, mode=Mode.PHONE)
    resident = UserFactory.create(email="nikos@example.org", preferred_language="en")
    use_language(page.context, live_server, "en")
    log_in_as(page.context, live_server, resident)

    page.goto(live_server.url + "/appointments/support/")
    look(page, JOURNEY, "1-support")
    _choose_a_time(page, "Service talk-video")
    where = page.locator("#booking-where")
    expect(where).to_contain_text("By video call")
    expect(where).not_to_contain_text("Merarchias")
    look(page, JOURNEY, "2-confirm-video")
    click_visible(page.get_by_role("button", name="Confirm the appointment"))
    link = page.locator("[data-video-link]")
    expect(link).to_be_visible()
    assert (link.get_attribute("href") or "").startswith("https://meet.example.org/dimos-")
    look(page, JOURNEY, "3-booked-video")

    page.goto(live_server.url + "/appointments/support/")
    _choose_a_time(page, "Service talk-phone")
    expect(page.locator("#booking-where")).to_contain_text("your counsellor calls you")
    fill_visible(page.get_by_label("Phone number on which we call you"), "6912345678")
    look(page, JOURNEY, "4-confirm-phone")
    click_visible(page.get_by_role("button", name="Confirm the appointment"))
    expect(page.locator("#booking-where")).to_contain_text(
        "your counsellor calls you on 6912345678"
    )
    look(page, JOURNEY, "5-booked-phone")
