"""A visitor reads the open budget in a real browser: from the year down the KAE hierarchy to
a line, then downloads the pie as PNG and its data as CSV; looked at on a phone and a desktop
and checked by axe-core on every page, in English and in Greek, and without JavaScript."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from PIL import Image
from playwright.sync_api import BrowserContext, Page, expect

from dimos.budget.tests.budget_data import ADA, make_budget
from dimos.testing.browser import PHONE, click_visible, fill_visible, look, use_language
from dimos.testing.data import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEY = "budget-visitor"


def _downloaded(page: Page, link: Any) -> bytes:
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    return Path(download.value.path()).read_bytes()


def _warm(language: str, *paths: str) -> None:
    """Draw the pages' charts once before the browser asks (a busy machine takes seconds per
    chart the first time; the page keeps them)."""
    client = Client()
    client.cookies["dimos_language"] = language
    for path in paths:
        assert client.get(path).status_code == 200


def test_a_visitor_drills_to_a_line_and_downloads_the_pie(page: Page, live_server: Any) -> None:
    seed()
    make_budget()
    _warm("en", "/budget/2026/", "/budget/2026/expenditure/kae/")
    use_language(page.context, live_server, "en")
    page.goto(live_server.url + "/budget/")
    look(page, JOURNEY, "01-years")
    click_visible(page.get_by_role("link", name="Budget 2026"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Budget 2026")
    expect(page.get_by_text("Figures as of 30 June 2026")).to_be_visible()
    look(page, JOURNEY, "02-year")

    # Down the KAE hierarchy: class, group, 3 digits, 4 digits, the line.
    click_visible(page.get_by_role("link", name="Expenditure by KAE"))
    look(page, JOURNEY, "03-classes")
    figures = page.get_by_role("region", name="The parts of Expenditure by KAE")
    for code in ("6", "60", "601", "6011"):
        link = page.locator("main tbody th a", has_text=code).first
        click_visible(link if code != "6" else figures.get_by_role("link", name="6", exact=True))
        expect(page.get_by_role("heading", level=1)).to_contain_text(code)
    look(page, JOURNEY, "04-four-digits")
    # Sorting by a column, without a script: the server sorts, aria-sort says how.
    click_visible(page.get_by_role("link", name="Paid — sort by this column"))
    expect(page.locator("th[aria-sort='descending']")).to_contain_text("Paid")
    rows = page.locator("main table").first.locator("tbody th")
    expect(rows.first).to_have_text("10-6011")
    click_visible(page.get_by_role("link", name="10-6011"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("10-6011")
    expect(page.get_by_role("link", name=f"{ADA} (on Diavgeia)")).to_have_attribute(
        "href", f"https://diavgeia.gov.gr/decision/view/{ADA}"
    )
    expect(page.get_by_text("31 March 2026").first).to_be_visible()
    look(page, JOURNEY, "05-line")

    # Back to the year: the pie of revenue as PNG, its data as CSV.
    page.get_by_role("navigation", name="Breadcrumbs").get_by_role("link", name="2026").click()
    png = _downloaded(
        page, page.get_by_role("link", name="PNG image of “Where the money comes from, 2026”")
    )
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size[0] > 400
    data = _downloaded(
        page, page.get_by_role("link", name="CSV data of “Where the money comes from, 2026”")
    )
    rows_csv = list(csv.reader(io.StringIO(data.decode())))
    assert rows_csv[0] == ["Part", "Adjusted (€)"]
    assert ["03 Other fees, rights and services", "3000.0"] in rows_csv
    assert ["13 Grants for investment", "1100.0"] in rows_csv


def test_in_greek_on_a_phone_search_and_my_money(
    new_context: Callable[..., BrowserContext], live_server: Any
) -> None:
    seed()
    make_budget()
    _warm("el", "/budget/2026/")
    context = new_context(viewport=PHONE)
    use_language(context, live_server, "el")
    page = context.new_page()
    page.goto(live_server.url + "/budget/2026/")
    expect(page.get_by_text("Στοιχεία της 30 Ιουνίου 2026")).to_be_visible()
    look(page, JOURNEY, "06-year-greek")
    # The tables scroll inside their own region, reachable with the keyboard.
    region = page.get_by_role("region", name="Τα στοιχεία του διαγράμματος").first
    expect(region).to_have_attribute("tabindex", "0")

    page.goto(live_server.url + "/budget/search/")
    fill_visible(page.get_by_label("Κωδικός ή λέξεις"), "ΣΥΝΤΗΡΗΣΗ οδων")
    click_visible(page.get_by_role("button", name="Αναζήτηση"))
    expect(page.get_by_role("link", name="20-6262.01")).to_be_visible()
    look(page, JOURNEY, "07-search-greek")

    page.goto(live_server.url + "/budget/my-money/")
    fill_visible(page.get_by_label("Το ποσό σας (€)"), "100")
    click_visible(page.get_by_role("button", name="Δείξτε μου"))
    expect(page.get_by_text("42,50\xa0€ σε 60 Αμοιβές και έξοδα προσωπικού")).to_be_visible()
    look(page, JOURNEY, "08-my-money-greek")

    page.goto(live_server.url + "/budget/compare/?a=2025&b=2026")
    expect(page.get_by_role("link", name="30-7323")).to_be_visible()
    look(page, JOURNEY, "09-compare-greek")
    page.goto(live_server.url + "/budget/101/")
    look(page, JOURNEY, "10-guide-greek")


def test_without_javascript_the_drill_down_and_sorting_work(
    no_js_page: Page, live_server: Any
) -> None:
    seed()
    make_budget()
    page = no_js_page
    use_language(page.context, live_server, "en")
    page.goto(live_server.url + "/budget/2026/expenditure/service/")
    click_visible(page.get_by_role("link", name="20", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("20 Financial services")
    click_visible(page.get_by_role("link", name="Adjusted — sort by this column"))
    expect(page.locator("main table").first.locator("tbody th").first).to_have_text("20-6011")
    # Keyboard: the sort links are reached with Tab and followed with Enter.
    page.goto(live_server.url + "/budget/2026/expenditure/service/20/")
    link = page.get_by_role("link", name="Code — sort by this column")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("th[aria-sort='ascending']")).to_contain_text("Code")
    look(page, JOURNEY, "11-service-no-js")
