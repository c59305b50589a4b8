"""A resident becomes a volunteer and a coordinator approves them, in a real browser, looked
at on a phone and a desktop and checked by axe-core on every page (Greek and English)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from dimos.accounts.models import User
from dimos.testing.browser import (
    check_visible,
    click_visible,
    fill_visible,
    log_in_as,
    look,
    use_language,
)
from dimos.testing.data import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEY = "volunteer"


def test_a_resident_applies_and_a_coordinator_vets_and_approves(
    page: Page,
    live_server: Any,
    citizen: User,
    new_context: Callable[..., BrowserContext],
) -> None:
    from dimos.testing.personas import staff
    from dimos.volunteers.demo import seed_skills
    from dimos.volunteers.models import Volunteer

    seed()
    seed_skills()
    coordinator = staff("coordinator@example.org", "volunteer_coordinator")
    url = live_server.url
    resident = page.context
    use_language(resident, live_server, "en")
    log_in_as(resident, live_server, citizen)

    # The resident finds the service, reads about it, and applies.
    page.goto(url + "/volunteers/")
    look(page, JOURNEY, "01-start")
    click_visible(page.get_by_role("link", name="Apply to volunteer"))
    look(page, JOURNEY, "02-apply-form")
    fill_visible(page.get_by_label("Mobile phone"), "6944 555 123")
    check_visible(page.get_by_label("Greek", exact=True))
    check_visible(page.get_by_label("Shopping", exact=True))
    check_visible(page.get_by_label("Medicine from the pharmacy"))
    check_visible(page.get_by_label("I have a car I can use"))
    check_visible(page.get_by_label("Serres", exact=True))
    tuesday = page.get_by_role("group", name="Tuesday")
    check_visible(tuesday.get_by_label("morning"))
    check_visible(page.get_by_role("group", name="Saturday").get_by_label("evening"))
    # Sent without the code of conduct: the form says so and keeps what was filled in.
    click_visible(page.get_by_role("button", name="Send my application"))
    expect(page.get_by_role("alert")).to_contain_text("Accept the code of conduct")
    look(page, JOURNEY, "03-apply-error")
    check_visible(page.get_by_label("I have read the code of conduct above and I accept it"))
    click_visible(page.get_by_role("button", name="Send my application"))
    expect(page.locator("#volunteer-status")).to_have_text("Applied")
    look(page, JOURNEY, "04-applied")
    volunteer = Volunteer.objects.get()

    # The coordinator finds the application, checks identity, and approves.
    office = new_context()
    use_language(office, live_server, "en")
    log_in_as(office, live_server, coordinator)
    desk = office.new_page()
    desk.goto(url + "/staff/volunteers/")
    look(desk, JOURNEY, "05-queue")
    click_visible(desk.get_by_role("link", name="Alice Resident"))
    look(desk, JOURNEY, "06-volunteer")
    click_visible(desk.get_by_role("button", name="Approve the volunteer"))
    expect(desk.get_by_text("Check the volunteer's identity before approving.")).to_be_visible()
    check_visible(desk.get_by_label("identity document seen in person"))
    fill_visible(desk.get_by_label("Notes", exact=False), "Identity card ending 1234")
    click_visible(desk.get_by_role("button", name="Record the identity check"))
    expect(desk.locator("#identity-check")).to_contain_text("identity document seen in person")
    click_visible(desk.get_by_role("button", name="Approve the volunteer"))
    expect(desk.locator("#volunteer-status")).to_have_text("Approved")
    look(desk, JOURNEY, "07-approved")
    desk.goto(url + "/staff/volunteers/figures/")
    look(desk, JOURNEY, "08-figures")

    # The volunteer sees it, logs hours; the page is also right in Greek.
    page.goto(url + "/volunteers/me/")
    expect(page.locator("#volunteer-status")).to_have_text("Approved")
    fill_visible(page.get_by_label("Hours"), "2")
    fill_visible(page.get_by_label("What you did"), "Shopping for a neighbour")
    click_visible(page.get_by_role("button", name="Log the hours"))
    expect(page.locator("#volunteer-hours-total")).to_have_text("2")
    look(page, JOURNEY, "09-my-volunteering")
    use_language(resident, live_server, "el")
    page.goto(url + "/volunteers/me/")
    expect(page.locator("#volunteer-status")).to_have_text("Εγκρίθηκε")
    look(page, JOURNEY, "10-my-volunteering-greek")
    page.goto(url + "/volunteers/")
    look(page, JOURNEY, "11-start-greek")
    assert volunteer.phone not in page.content()
    page.goto(url + "/my/")
    look(page, JOURNEY, "12-my-account-panel")
