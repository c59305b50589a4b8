"""In a real browser: a coordinator makes a request recurring (the days shown first, a bad
choice answered on its field), sees the mark and stops it. On a phone and a desktop, in Greek
and English, checked by axe-core."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect

from dimos.testing.browser import (
    DESKTOP,
    PHONE,
    check_visible,
    click_visible,
    log_in_as,
    look,
    use_language,
)
from dimos.testing.data import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEY = "relief-recurring"


@pytest.mark.parametrize(("viewport", "language"), [(PHONE, "el"), (DESKTOP, "en")])
def test_a_coordinator_makes_a_request_recurring_and_stops_it(
    new_context: Callable[..., BrowserContext],
    live_server: Any,
    viewport: Any,
    language: str,
) -> None:
    from dimos.relief.models import Recurrence
    from dimos.relief.tests.conftest import ask, shopping
    from dimos.testing.personas import staff

    seed()
    coordinator = staff("coordinator@example.org", "relief_coordinator")
    req = ask(coordinator, channel="phone", needs=shopping()).request
    office = new_context(viewport=viewport)
    use_language(office, live_server, language)
    log_in_as(office, live_server, coordinator)
    desk = office.new_page()
    size = "phone" if viewport == PHONE else "desktop"
    desk.goto(f"{live_server.url}/staff/relief/{req.pk}/recurring/")
    look(desk, JOURNEY, f"01-form-{size}-{language}")
    # No day of the week: the error is on its field, nothing is made.
    for box in desk.locator("input[name=weekdays]:checked").all():
        box.uncheck()
    click_visible(desk.locator("button[name=confirm]"))
    expect(desk.locator("#id_weekdays_error, .govgr-error-message").first).to_be_visible()
    look(desk, JOURNEY, f"02-no-day-{size}-{language}")
    assert not Recurrence.objects.exists()
    check_visible(desk.locator("input[name=weekdays][value='1']"))
    check_visible(desk.locator("input[name=weekdays][value='4']"))
    click_visible(desk.locator("button[name=preview]"))
    expect(desk.locator("#plan-days")).to_be_visible()
    look(desk, JOURNEY, f"03-days-shown-{size}-{language}")
    click_visible(desk.locator("button[name=confirm]"))
    expect(desk.locator("#recurring")).to_be_visible()
    look(desk, JOURNEY, f"04-recurring-{size}-{language}")
    click_visible(desk.locator("form[action$='/recurring/stop/'] button"))
    expect(desk.locator("#recurring")).to_be_visible()
    look(desk, JOURNEY, f"05-stopped-{size}-{language}")
    assert Recurrence.objects.get().stopped_at is not None
