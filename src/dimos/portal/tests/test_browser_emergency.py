"""An administrator switches the stay-at-home emergency on; the home page shows the banner
leading to the help at home, in Greek and English, on a phone and a desktop (axe-core clean);
switched off, it is gone."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from dimos.testing.browser import click_visible, fill_visible, log_in_as, look, use_language
from dimos.testing.data import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEY = "emergency"


def test_an_administrator_switches_the_stay_at_home_emergency(
    page: Page, live_server: Any, new_context: Any
) -> None:
    from dimos.testing.personas import staff

    seed()
    admin = staff("emergencies@example.org", "emergency_admin")
    url = live_server.url
    desk = new_context()
    log_in_as(desk, live_server, admin)
    use_language(desk, live_server, "en")
    admin_page = desk.new_page()
    admin_page.goto(f"{url}/staff/")
    click_visible(admin_page.get_by_role("link", name="Stay-at-home emergency"))
    look(admin_page, JOURNEY, "01-switch-off")
    fill_visible(
        admin_page.get_by_label("Message in Greek"),
        "Μένουμε σπίτι. Βγαίνουμε μόνο για τα απαραίτητα.",
    )
    fill_visible(
        admin_page.get_by_label("Message in English"),
        "Stay at home. Go out only for what you must.",
    )
    click_visible(admin_page.get_by_role("button", name="Switch the emergency on"))
    expect(admin_page.get_by_text("The emergency was switched on.")).to_be_visible()
    look(admin_page, JOURNEY, "02-switched-on")

    use_language(page.context, live_server, "el")
    page.goto(f"{url}/")
    banner = page.get_by_role("region", name="Μείνετε σπίτι", exact=True)
    expect(banner).to_contain_text("Βγαίνουμε μόνο για τα απαραίτητα")
    look(page, JOURNEY, "03-home-banner-greek")
    use_language(page.context, live_server, "en")
    page.goto(f"{url}/")
    banner = page.get_by_role("region", name="Stay at home", exact=True)
    expect(banner).to_contain_text("Go out only for what you must")
    look(page, JOURNEY, "04-home-banner-english")
    click_visible(banner.get_by_role("link", name="Food and medicine at home"))
    expect(page).to_have_url(f"{url}/relief/")

    click_visible(admin_page.get_by_role("button", name="Switch the emergency off"))
    expect(admin_page.get_by_text("The emergency was switched off.")).to_be_visible()
    page.goto(f"{url}/")
    expect(page.get_by_role("region", name="Stay at home", exact=True)).to_have_count(0)
