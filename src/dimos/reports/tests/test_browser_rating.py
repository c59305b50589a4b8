"""A resident whose report was fixed rates it from the link in the email, in a real browser,
and sees the service's satisfaction move on its public performance page; then says a page was
not useful, without JavaScript. Greek and English, phone and desktop, axe-core on each page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from dimos.reports.models import Status
from dimos.reports.services import Location, change_status, submit_report
from dimos.reports.tests.factories import CategoryFactory
from dimos.testing.browser import check_visible, click_visible, fill_visible, look, use_language
from dimos.testing.data import seed
from dimos.testing.personas import staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEY = "feedback-rating"


def _fixed_report(citizen: Any) -> str:
    report, _ = submit_report(
        category=CategoryFactory.create(),
        location=Location(41.09, 23.55, "Μεραρχίας 12"),
        reporter=citizen,
        description="Λακκούβα μπροστά στο σχολείο",
    )
    clerk = staff("roads@example.org")
    change_status(report=report, to=Status.FIXED, actor=clerk, note="Επισκευάστηκε")
    (body,) = [m.body for m in mail.outbox if "/feedback/rate/" in m.body]
    return re.search(r"https?://[^/\s]+(/feedback/rate/\S+/)", body).group(1)


def test_a_resident_rates_a_fixed_report_from_the_email(
    page: Page, live_server: Any, citizen: Any
) -> None:
    seed()
    link = _fixed_report(citizen)
    use_language(page.context, live_server, "en")
    page.goto(live_server.url + link)
    expect(page.get_by_role("heading", level=1)).to_have_text("How did we do?")
    look(page, JOURNEY, "01-rate-en")
    # Sending nothing: the error, in English.
    click_visible(page.get_by_role("button", name="Send my rating"))
    expect(page.get_by_text("Choose how satisfied you are.").first).to_be_visible()
    check_visible(page.get_by_label("Satisfied", exact=True))
    fill_visible(
        page.get_by_label("How could we improve this service?"), "Tell me the day of the repair."
    )
    click_visible(page.get_by_role("button", name="Send my rating"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your rating")
    look(page, JOURNEY, "02-thanks-en")
    click_visible(page.get_by_role("link", name="See how the service performs"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a problem in the city")
    satisfaction = page.locator(".dimos-figure", has_text="Satisfaction").first
    expect(satisfaction).to_contain_text("75")
    expect(satisfaction).to_contain_text("1 rating")
    look(page, JOURNEY, "03-service-performance-en")
    # The link again: already rated, counted once.
    page.goto(live_server.url + link)
    expect(page.get_by_text("You have already rated this service. Thank you.")).to_be_visible()

    # In Greek: the municipality's page, with the service in its table.
    use_language(page.context, live_server, "el")
    page.goto(live_server.url + "/performance/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Πώς αποδίδουν οι υπηρεσίες μας")
    expect(page.get_by_role("link", name="Αναφορά προβλήματος στην πόλη")).to_be_visible()
    look(page, JOURNEY, "04-performance-el")
    page.goto(live_server.url + link)
    look(page, JOURNEY, "05-already-rated-el")


def test_is_this_page_useful_without_javascript(no_js_page: Page, live_server: Any) -> None:
    seed()
    page = no_js_page
    use_language(page.context, live_server, "el")
    page.goto(live_server.url + "/services/")
    useful = page.get_by_role("group", name="Ήταν χρήσιμη αυτή η σελίδα;")
    click_visible(useful.get_by_role("button", name="Όχι"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ήταν χρήσιμη αυτή η σελίδα;")
    expect(page.get_by_label("Όχι")).to_be_checked()
    fill_visible(page.get_by_label("Τι πήγε στραβά;"), "Δεν βρήκα τα δημοτικά τέλη.")
    look(page, JOURNEY, "06-page-feedback-el")
    click_visible(page.get_by_role("button", name="Αποστολή"))
    expect(page).to_have_url(live_server.url + "/services/")
    expect(page.get_by_text("Ευχαριστούμε για το σχόλιό σας.")).to_be_visible()
    look(page, JOURNEY, "07-thanks-el")
    use_language(page.context, live_server, "en")
    page.goto(live_server.url + "/performance/")
    click_visible(
        page.get_by_role("group", name="Is this page useful?").get_by_role("button", name="Yes")
    )
    expect(page.get_by_label("Yes")).to_be_checked()
    click_visible(page.get_by_role("button", name="Send"))
    expect(page.get_by_text("Thank you for your feedback.")).to_be_visible()
