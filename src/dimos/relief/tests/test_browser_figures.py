"""The figures in a real browser: the coordinators' page (both periods) and the public page,
in Greek and English, looked at on a phone and a desktop and checked by axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from dimos.testing.browser import click_visible, log_in_as, look, select_visible, use_language
from dimos.testing.data import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEY = "relief-figures"


def test_coordinators_and_the_public_see_the_figures(page: Page, live_server: Any) -> None:
    from dimos.accounts.demo import seed_accounts
    from dimos.relief.demo import seed as seed_relief
    from dimos.testing.personas import staff
    from dimos.volunteers.demo import seed_skills, seed_volunteers

    seed()
    seed_accounts()
    seed_relief()  # an emergency week: 140 requests in every state
    seed_skills()
    seed_volunteers()
    url = live_server.url
    use_language(page.context, live_server, "en")
    page.goto(f"{url}/relief/")
    expect(page.get_by_role("heading", name="The service in the last 30 days")).to_be_visible()
    look(page, JOURNEY, "01-public-page")
    use_language(page.context, live_server, "el")
    page.goto(f"{url}/relief/")
    expect(page.get_by_role("heading", name="Η υπηρεσία τις τελευταίες 30 ημέρες")).to_be_visible()
    look(page, JOURNEY, "02-public-page-greek")

    coordinator = staff("coordinator@example.org", "relief_coordinator")
    log_in_as(page.context, live_server, coordinator)
    use_language(page.context, live_server, "en")
    page.goto(f"{url}/staff/relief/")
    click_visible(page.get_by_role("link", name="Figures"))
    expect(page.get_by_role("heading", name="Figures of help at home")).to_be_visible()
    expect(page.get_by_role("img", name="Requests per day")).to_be_visible()
    look(page, JOURNEY, "03-figures-week")
    select_visible(page.get_by_label("Period"), value="30")
    click_visible(page.get_by_role("button", name="Show"))
    expect(page).to_have_url(f"{url}/staff/relief/figures/?days=30")
    look(page, JOURNEY, "04-figures-month")
    use_language(page.context, live_server, "el")
    page.reload()
    expect(page.get_by_role("heading", name="Στοιχεία της βοήθειας στο σπίτι")).to_be_visible()
    look(page, JOURNEY, "05-figures-greek")
