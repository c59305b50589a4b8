"""A visitor follows the council in a real browser: opens a meeting with a recording, sees the
local preview (nothing is asked of YouTube until then), presses it, the youtube-nocookie player
loads, and "watch this item" moves it to the item's time-code. Without JavaScript the same links
lead to YouTube at the same time. Every page is looked at on a phone and a desktop and checked
by axe-core, in Greek and English."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect

from dimos.accounts.models import User
from dimos.council.tests import visitor_data
from dimos.testing.browser import click_visible, fill_visible, log_in_as, look, use_language
from dimos.testing.data import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEY = "council-visitor"
PLAYER = "https://www.youtube-nocookie.com/**"

WORDS = {
    "en": {
        "play": "Play the video here",
        "watch": "Watch item 1 (from 10:00)",
        "provider": "Watch on YouTube",
        "search": "Search the council's items, decisions and papers",
        "search_button": "Search",
        "votes": "How each member voted on item 1",
        "votes_heading": "Votes on item 1",
        "against": "Against (1)",
    },
    "el": {
        "play": "Αναπαραγωγή του βίντεο εδώ",
        "watch": "Δείτε το θέμα 1 (από 10:00)",
        "provider": "Δείτε το στο YouTube",
        "search": "Αναζήτηση σε θέματα, αποφάσεις και εισηγήσεις του συμβουλίου",
        "search_button": "Αναζήτηση",
        "votes": "Πώς ψήφισε κάθε μέλος στο θέμα 1",
        "votes_heading": "Ψηφοφορία για το θέμα 1",
        "against": "Κατά (1)",
    },
}


def _fake_player(route: Route) -> None:
    # The test machine has no internet: the provider's player is a blank page here.
    route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>player</title>")


def _outside_requests(context: BrowserContext, site: str) -> list[str]:
    local = urlsplit(site).netloc
    seen: list[str] = []
    context.on(
        "request",
        lambda request: (
            seen.append(request.url)
            if urlsplit(request.url).netloc not in (local, "")
            and not request.url.startswith("data:")
            else None
        ),
    )
    return seen


@pytest.mark.parametrize("language", ["el", "en"])
def test_a_visitor_loads_the_recording_by_choice_and_jumps_to_an_item(
    page: Page, live_server: Any, language: str
) -> None:
    seed()
    council = visitor_data.council()
    words = WORDS[language]
    context = page.context
    use_language(context, live_server, language)
    context.route(PLAYER, _fake_player)
    outside = _outside_requests(context, live_server.url)
    journey = f"{JOURNEY}-{language}"

    page.goto(live_server.url + council.held.get_absolute_url())
    preview = page.get_by_role("button", name=words["play"])
    expect(preview).to_be_visible()
    expect(page.get_by_role("link", name=words["provider"])).to_have_attribute(
        "href", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    )
    look(page, journey, "01-meeting-before-the-click")
    assert page.locator("iframe").count() == 0
    assert outside == [], f"asked of other sites before the click: {outside}"

    click_visible(preview)
    player = page.locator("#council-player iframe")
    expect(player).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0&autoplay=1"
    )
    assert all(urlsplit(u).netloc == "www.youtube-nocookie.com" for u in outside), outside
    look(page, journey, "02-player-loaded")

    click_visible(page.get_by_role("link", name=words["watch"]))
    expect(player).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0&start=600&autoplay=1"
    )
    assert page.url.endswith(council.held.get_absolute_url())  # it stayed on the page

    # The totals are on the meeting page; who voted how is one click away.
    click_visible(page.get_by_role("link", name=words["votes"]))
    expect(page.get_by_role("heading", name=words["votes_heading"], level=1)).to_be_visible()
    expect(page.get_by_role("heading", name=words["against"], level=2)).to_be_visible()
    look(page, journey, "02-item-votes")

    # The search finds the item whatever the accents.
    page.goto(live_server.url + "/council/")
    look(page, journey, "03-council")
    fill_visible(page.get_by_label(words["search"]), "ΠΡΟΫΠΟΛΟΓΙΣΜΟΣ")
    click_visible(page.get_by_role("button", name=words["search_button"], exact=True))
    expect(page.locator(".council-results mark").first).to_be_visible()
    look(page, journey, "04-search")
    for step, path in [
        ("05-body", council.body.get_absolute_url()),
        ("06-person", council.members[0].get_absolute_url()),
        ("07-people", "/council/people/"),
        ("08-upcoming-meeting", council.upcoming.get_absolute_url()),
    ]:
        page.goto(live_server.url + path)
        look(page, journey, step)
    assert all(urlsplit(u).netloc == "www.youtube-nocookie.com" for u in outside), outside


def test_without_javascript_the_links_lead_to_youtube_at_the_items_time(
    new_context: Callable[..., BrowserContext], live_server: Any
) -> None:
    seed()
    council = visitor_data.council()
    context = new_context(java_script_enabled=False)
    use_language(context, live_server, "en")
    outside = _outside_requests(context, live_server.url)
    page = context.new_page()
    page.goto(live_server.url + council.held.get_absolute_url())
    expect(page.get_by_role("button", name=WORDS["en"]["play"])).to_be_hidden()
    expect(page.get_by_role("link", name=WORDS["en"]["watch"])).to_have_attribute(
        "href", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=600s"
    )
    look(page, JOURNEY, "09-meeting-without-javascript")
    # The calendar moves month by month with plain links.
    page.goto(live_server.url + council.body.get_absolute_url())
    click_visible(page.get_by_role("link", name="Next month", exact=False))
    expect(page.locator(".council-calendar caption")).to_be_visible()
    look(page, JOURNEY, "10-calendar-without-javascript")
    assert outside == []


def test_a_resident_follows_a_keyword_and_asks_a_question(
    page: Page, live_server: Any, citizen: User
) -> None:
    seed()
    council = visitor_data.council()
    context = page.context
    use_language(context, live_server, "en")
    log_in_as(context, live_server, citizen)
    page.goto(live_server.url + council.body.get_absolute_url())
    click_visible(page.get_by_role("button", name="Follow Municipal Council by email"))
    expect(page.get_by_text("You follow Municipal Council", exact=False).first).to_be_visible()
    look(page, JOURNEY, "11-following")
    page.goto(live_server.url + "/council/follows/")
    fill_visible(page.get_by_label("Keyword"), "square")
    click_visible(page.get_by_role("button", name="Follow", exact=True))
    expect(page.get_by_role("button", name="Stop following «square»")).to_be_visible()
    look(page, JOURNEY, "12-follows")

    page.goto(live_server.url + council.upcoming.get_absolute_url())
    click_visible(page.get_by_role("link", name="Ask a question on item 1"))
    click_visible(page.get_by_role("button", name="Send the question"))
    expect(page.get_by_role("alert")).to_be_visible()
    look(page, JOURNEY, "13-question-error")
    fill_visible(page.get_by_label("Your question"), "When will the works start?")
    click_visible(page.get_by_role("button", name="Send the question"))
    expect(page.get_by_text("Thank you.", exact=False)).to_be_visible()
    look(page, JOURNEY, "14-question-sent")
