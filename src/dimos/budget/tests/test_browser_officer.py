"""A budget officer imports the month's execution in a real browser: the first file has a
mistake, the preview says which line, the corrected file is checked and imported. Looked at
on a phone and a desktop and checked by axe-core, in English and in Greek."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from dimos.budget.models import FiscalYear, Snapshot
from dimos.budget.tests.files import EXPENDITURE, csv_bytes, xlsx_bytes
from dimos.testing.browser import (
    assert_pages_accessible,
    click_visible,
    fill_visible,
    log_in_as,
    look,
    select_visible,
    upload_visible,
    use_language,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEY = "budget-officer"


@pytest.fixture(autouse=True)
def _private_files(settings: Any, tmp_path: Path) -> None:
    settings.DIMOS_PRIVATE_DIR = tmp_path / "private"


def test_an_officer_fixes_a_file_and_imports_it(
    page: Page, live_server: Any, tmp_path: Path
) -> None:
    from dimos.testing.personas import staff

    officer = staff("officer@example.org", "budget_officer")
    FiscalYear.objects.create(year=2026)
    broken_rows = [list(row) for row in EXPENDITURE]
    broken_rows[3][7] = "130.000,00"  # paid more than payment-ordered (120.000,00)
    broken = tmp_path / "ektelesi-oktovriou.csv"
    broken.write_bytes(csv_bytes(broken_rows, encoding="cp1253"))
    fixed = tmp_path / "ektelesi-oktovriou.xlsx"
    fixed.write_bytes(xlsx_bytes(EXPENDITURE))
    url = live_server.url
    use_language(page.context, live_server, "en")
    log_in_as(page.context, live_server, officer)

    page.goto(url + "/staff/budget/")
    look(page, JOURNEY, "01-years")
    click_visible(page.get_by_role("link", name="2026", exact=True))
    look(page, JOURNEY, "02-year")
    click_visible(page.get_by_role("link", name="Import a budget or execution file"))
    look(page, JOURNEY, "03-import")

    # The first file has a mistake on line 5: the preview says so and imports nothing.
    select_visible(page.get_by_label("Year", exact=True), value="2026")
    fill_visible(page.get_by_label("As of", exact=True), "2026-10-31")
    upload_visible(page, page.get_by_label("File (CSV or XLSX)"), str(broken))
    click_visible(page.get_by_role("button", name="Check the file"))
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("The file cannot be imported: 1 problem. Nothing was changed.")
    expect(errors).to_contain_text("Line 5: Πληρωθέντα (130,000.00) are more than Ενταλθέντα")
    look(page, JOURNEY, "04-preview-with-an-error")
    assert not Snapshot.objects.exists()

    # The corrected file (as XLSX this time): the preview shows what changes; confirm.
    select_visible(page.get_by_label("Year", exact=True), value="2026")
    fill_visible(page.get_by_label("As of", exact=True), "2026-10-31")
    upload_visible(page, page.get_by_label("File (CSV or XLSX)"), str(fixed))
    click_visible(page.get_by_role("button", name="Check the file"))
    expect(page.get_by_role("heading", name="4 new lines")).to_be_visible()
    expect(page.locator("#totals")).to_contain_text("1,288,120.75")
    look(page, JOURNEY, "05-preview")
    click_visible(page.get_by_role("button", name="Import this snapshot"))
    expect(page.get_by_text("Imported 4 lines as the snapshot of 2026")).to_be_visible()
    expect(page.locator("#snapshots")).to_contain_text("ektelesi-oktovriou.xlsx")
    look(page, JOURNEY, "06-imported")
    snapshot = Snapshot.objects.get()
    assert snapshot.imported_by == officer

    # The same pages in Greek: the error reads in Greek, with its line.
    use_language(page.context, live_server, "el")
    page.goto(url + "/staff/budget/import/?year=2026")
    select_visible(page.get_by_label("Έτος", exact=True), value="2026")
    fill_visible(page.get_by_label("Με ημερομηνία", exact=True), "2026-11-30")
    upload_visible(page, page.get_by_label("Αρχείο (CSV ή XLSX)"), str(broken))
    click_visible(page.get_by_role("button", name="Έλεγχος αρχείου"))
    expect(page.locator("#import-errors")).to_contain_text(
        "Γραμμή 5: τα Πληρωθέντα (130.000,00) είναι περισσότερα από τα Ενταλθέντα (120.000,00)"
    )
    look(page, JOURNEY, "07-preview-with-an-error-greek")
    assert Snapshot.objects.count() == 1
    assert_pages_accessible(
        page,
        live_server,
        ["/staff/budget/", "/staff/budget/2026/", "/staff/budget/2026/decisions/"],
        "el",
    )
