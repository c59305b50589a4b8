"""In a real browser: a food parcel asked online with the social grocery question, accepted by
a coordinator who records the decision. Looked at on a phone and a desktop, checked by axe-core."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from dimos.accounts.models import User
from dimos.relief.tests.conftest import INSIDE
from dimos.testing.browser import (
    DESKTOP,
    check_visible,
    click_visible,
    fill_visible,
    log_in_as,
    look,
    use_language,
)
from dimos.testing.data import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEY = "relief-beneficiary"


def test_a_food_parcel_is_asked_and_accepted_with_the_social_grocery_decision(
    page: Page, live_server: Any, citizen: User, new_context: Callable[..., BrowserContext]
) -> None:
    from dimos.relief.models import Beneficiary, ReliefRequest
    from dimos.testing.personas import staff

    seed()
    coordinator = staff("coordinator@example.org", "relief_coordinator")
    use_language(page.context, live_server, "en")
    log_in_as(page.context, live_server, citizen)
    page.goto(live_server.url + "/relief/ask/")
    check_visible(page.get_by_label("For a relative"))
    fill_visible(page.get_by_label("Full name of the person to help"), "Evanthia Resident")
    fill_visible(page.get_by_label("Address", exact=True), "Merarchias 40, Serres")
    fill_visible(page.get_by_label("Latitude"), str(INSIDE[0]))
    fill_visible(page.get_by_label("Longitude"), str(INSIDE[1]))
    check_visible(page.get_by_label("Aged 65 or over"))
    check_visible(page.get_by_label("A food parcel from the social grocery"))
    check_visible(page.get_by_label("I agree, on behalf of the person helped"))
    # The question left unanswered: its own error, by the field.
    click_visible(page.get_by_role("button", name="Send the request"))
    expect(page.get_by_role("alert")).to_contain_text(
        "Say whether the person qualifies for the social grocery."
    )
    look(page, JOURNEY, "01-food-question-error")
    check_visible(page.get_by_label("Yes, receives the minimum guaranteed income (KEA)"))
    check_visible(page.get_by_label("I agree, on behalf of the person helped"))
    click_visible(page.get_by_role("button", name="Send the request"))
    expect(page.locator("#relief-status")).to_have_text("Received")
    req = ReliefRequest.objects.get()
    assert req.food_claim == "kea"

    office = new_context(viewport=DESKTOP)
    use_language(office, live_server, "en")
    log_in_as(office, live_server, coordinator)
    desk = office.new_page()
    desk.goto(f"{live_server.url}/staff/relief/{req.pk}/")
    expect(desk.locator("#eligibility")).to_contain_text("Not checked yet")
    expect(desk.locator("#eligibility")).to_contain_text("receives the minimum guaranteed income")
    look(desk, JOURNEY, "02-request-with-food")
    check_visible(desk.get_by_label("Does not qualify", exact=True))
    click_visible(desk.get_by_role("button", name="Accept"))
    expect(desk.get_by_role("alert")).to_contain_text("Say why the person does not qualify")
    look(desk, JOURNEY, "03-reason-missing")
    check_visible(desk.get_by_label("Receives the minimum guaranteed income (KEA)"))
    click_visible(desk.get_by_role("button", name="Accept"))
    expect(desk.locator("#relief-status")).to_have_text("Accepted")
    expect(desk.locator("#eligibility")).to_contain_text("valid until")
    look(desk, JOURNEY, "04-accepted-with-decision")
    assert Beneficiary.objects.get().food_eligibility == "kea"


def test_a_coordinator_corrects_a_record_on_the_map_and_merges_a_duplicate(
    new_context: Callable[..., BrowserContext], live_server: Any
) -> None:
    import datetime as dt

    from dimos.relief.models import Beneficiary, ReliefRequest
    from dimos.relief.tests.conftest import ask, mother, shopping, tomorrow
    from dimos.testing.personas import staff

    seed()
    coordinator = staff("coordinator@example.org", "relief_coordinator")
    first = ask(coordinator, channel="phone").request.beneficiary
    other = ask(
        coordinator,
        channel="phone",
        person=mother(full_name="Ευανθια Ρεσιντεντ", phone="+30 6944 111222"),
        needs=shopping(),
        day=tomorrow() + dt.timedelta(days=1),
    ).request.beneficiary
    office = new_context(viewport=DESKTOP)
    use_language(office, live_server, "en")
    log_in_as(office, live_server, coordinator)
    desk = office.new_page()
    desk.goto(live_server.url + "/staff/relief/")
    click_visible(desk.get_by_role("link", name="People helped"))
    expect(desk.locator("#duplicates")).to_contain_text("the same phone")
    look(desk, JOURNEY, "05-likely-duplicates")
    click_visible(desk.get_by_role("link", name=f"Compare and merge {first.full_name}"))
    expect(desk.get_by_role("heading", name="Record 2")).to_be_visible()
    look(desk, JOURNEY, "06-merge-screen")
    check_visible(desk.get_by_label(f"{first.full_name} · {first.address}"))
    click_visible(desk.get_by_role("button", name="Merge into the record kept"))
    expect(desk.get_by_text("The two records are now one")).to_be_visible()
    expect(desk.locator("#person-requests li")).to_have_count(2)
    look(desk, JOURNEY, "07-merged")
    other.refresh_from_db()
    assert other.erased_at is not None and other.full_name == ""

    # The record corrected: the door is a little further along the street, tapped on the map.
    click_visible(desk.get_by_role("link", name="Correct the details"))
    the_map = desk.locator("#relief-map")
    expect(the_map).to_be_visible()
    _pin_is_there = desk.locator("#relief-map img.leaflet-marker-icon")
    expect(_pin_is_there).to_be_visible()
    box = the_map.bounding_box()
    assert box is not None
    the_map.click(position={"x": box["width"] / 2 + 40, "y": box["height"] / 2})
    fill_visible(desk.get_by_label("How to reach the door"), "Blue door, ring once")
    check_visible(desk.get_by_label("By phone to the helpline"))
    look(desk, JOURNEY, "08-edit-on-the-map")
    click_visible(desk.get_by_role("button", name="Save"))
    expect(desk.get_by_text("The record was saved.")).to_be_visible()
    expect(desk.locator("#beneficiary")).to_contain_text("Blue door, ring once")
    kept = Beneficiary.objects.get(pk=first.pk)
    assert kept.lon is not None and kept.lon > first.lon  # east of where it was
    assert ReliefRequest.objects.filter(beneficiary=kept).count() == 2
    look(desk, JOURNEY, "09-corrected")
