"""The point of the person's home set on a map: a tap on the online form (on a phone), Enter
at the map's centre with the keyboard, and a tap on the helpline's intake (on a desktop). The
request's beneficiary gets the point the map put in the visible fields; a point outside the
municipality is refused with the message on the address."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from dimos.accounts.models import User
from dimos.relief.tests.conftest import INSIDE, OUTSIDE
from dimos.testing.browser import (
    DESKTOP,
    PHONE,
    check_visible,
    click_visible,
    fill_visible,
    log_in_as,
    look,
    use_language,
)
from dimos.testing.data import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEY = "relief-map"


def _pin_shown(page: Page) -> None:
    pin = page.locator("#relief-map img.leaflet-marker-icon")
    expect(pin).to_be_visible()
    expect(pin).to_have_js_property("complete", True)
    assert pin.evaluate("img => img.naturalWidth") > 0


def _point(page: Page) -> tuple[float, float]:
    return float(page.get_by_label("Latitude").input_value()), float(
        page.get_by_label("Longitude").input_value()
    )


def _the_rest(page: Page, name: str) -> None:
    fill_visible(page.get_by_label("Full name of the person to help"), name)
    fill_visible(page.get_by_label("Address", exact=True), "Merarchias 40, Serres")
    check_visible(page.get_by_label("Aged 65 or over"))
    check_visible(page.get_by_label("Another errand"))
    fill_visible(page.get_by_label("The errand"), "Post a letter")


def test_a_person_taps_the_map_and_the_request_gets_that_point(
    new_context: Callable[..., BrowserContext], live_server: Any, citizen: User
) -> None:
    from dimos.relief.models import ReliefRequest

    seed()
    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    use_language(phone, live_server, "en")
    log_in_as(phone, live_server, citizen)
    page = phone.new_page()
    page.goto(live_server.url + "/relief/ask/")
    check_visible(page.get_by_label("For a relative"))
    _the_rest(page, "Evanthia Resident")
    # The map is there, with its hint; the fields are empty until it is tapped.
    the_map = page.locator("#relief-map")
    expect(the_map).to_be_visible()
    expect(page.locator("#relief-map-hint")).to_be_visible()
    assert page.get_by_label("Latitude").input_value() == ""
    box = the_map.bounding_box()
    assert box is not None and box["width"] <= PHONE["width"]
    the_map.tap(position={"x": box["width"] / 2 + 20, "y": box["height"] / 2 - 15})
    _pin_shown(page)
    expect(page.locator("#relief-map-status")).to_contain_text("Point set")
    tapped = _point(page)
    assert abs(tapped[0] - INSIDE[0]) < 0.02 and abs(tapped[1] - INSIDE[1]) < 0.02
    look(page, JOURNEY, "01-online-tapped")
    check_visible(page.get_by_label("I agree, on behalf of the person helped"))
    click_visible(page.get_by_role("button", name="Send the request"))
    expect(page.locator("#relief-status")).to_have_text("Received")
    beneficiary = ReliefRequest.objects.get().beneficiary
    assert (round(beneficiary.lat, 6), round(beneficiary.lon, 6)) == tapped
    assert beneficiary.district is not None


def test_with_the_keyboard_enter_sets_the_point_at_the_maps_centre(
    page: Page, live_server: Any, citizen: User
) -> None:
    seed()
    use_language(page.context, live_server, "en")
    log_in_as(page.context, live_server, citizen)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/relief/ask/")
    the_map = page.locator("#relief-map")
    expect(the_map).to_be_visible()
    expect(the_map).to_have_attribute("role", "application")
    # Tab from the address field reaches the map (the next control).
    page.get_by_label("Address", exact=True).focus()
    page.keyboard.press("Tab")
    expect(the_map).to_be_focused()
    expect(the_map).to_have_class(re.compile("dimos-map--aiming"))
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(600)  # the map pans smoothly
    page.keyboard.press("Enter")
    expect(page.get_by_label("Latitude")).not_to_have_value("")
    lat, lon = _point(page)
    assert abs(lat - 41.09) < 0.01 and lon > 23.55  # moved east of the start
    _pin_shown(page)
    look(page, JOURNEY, "02-keyboard-point")
    use_language(page.context, live_server, "el")
    page.goto(live_server.url + "/relief/ask/")
    expect(page.locator("#relief-map")).to_have_attribute(
        "aria-label", "Χάρτης: το σημείο της διεύθυνσης"
    )
    look(page, JOURNEY, "02-greek")


def test_the_helpline_taps_the_map_and_a_point_outside_is_refused(
    new_context: Callable[..., BrowserContext], live_server: Any
) -> None:
    from dimos.relief.models import ReliefRequest
    from dimos.testing.personas import staff

    seed()
    coordinator = staff("coordinator@example.org", "relief_coordinator")
    office = new_context(viewport=DESKTOP)
    use_language(office, live_server, "en")
    log_in_as(office, live_server, coordinator)
    page = office.new_page()
    page.goto(live_server.url + "/staff/relief/new/")
    check_visible(page.get_by_label("For myself"))
    _the_rest(page, "Kyriakos Caller")
    check_visible(
        page.get_by_label(
            "The consent text was read to the person helped (or the caller), who agreed"
        )
    )
    # Typed coordinates outside the municipality: refused, the message on the address.
    fill_visible(page.get_by_label("Latitude"), str(OUTSIDE[0]))
    fill_visible(page.get_by_label("Longitude"), str(OUTSIDE[1]))
    click_visible(page.get_by_role("button", name="Record the request"))
    expect(page.get_by_role("alert")).to_contain_text("outside the municipality")
    assert not ReliefRequest.objects.exists()
    look(page, JOURNEY, "03-helpline-outside")
    # Back inside: typed, the map follows; then a tap sets the point near it.
    fill_visible(page.get_by_label("Latitude"), str(INSIDE[0]))
    fill_visible(page.get_by_label("Longitude"), str(INSIDE[1]))
    page.get_by_label("Longitude").press("Tab")
    the_map = page.locator("#relief-map")
    expect(the_map).to_be_visible()
    box = the_map.bounding_box()
    assert box is not None
    the_map.click(position={"x": box["width"] / 2 - 30, "y": box["height"] / 2 + 10})
    tapped = _point(page)
    assert tapped != INSIDE
    _pin_shown(page)
    check_visible(
        page.get_by_label(
            "The consent text was read to the person helped (or the caller), who agreed"
        )
    )
    look(page, JOURNEY, "04-helpline-tapped")
    click_visible(page.get_by_role("button", name="Record the request"))
    expect(page.locator("#relief-status")).to_have_text("Received")
    beneficiary = ReliefRequest.objects.get().beneficiary
    assert (round(beneficiary.lat, 6), round(beneficiary.lon, 6)) == tapped
