"""In a real browser: a publisher publishes a dataset with a CSV; a visitor finds it, previews
it, filters and sorts the table and downloads the rows found — in Greek on a phone and a
desktop, the same pages in English, and without JavaScript. axe-core on every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from dimos.accounts.services import sync_roles
from dimos.opendata.models import Dataset, DatastoreTable, Organization, State
from dimos.opendata.platform import theme_group
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
from dimos.testing.data import seed
from dimos.testing.personas import staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEY = "opendata"
BINS = (
    "street,bins,kind,lat,lon\n"
    "Εγνατία 45,4,χαρτί,40.6375,22.9441\n"
    "Τσιμισκή 12,2,γυαλί,40.6321,22.9412\n"
    "Αγίας Σοφίας 8,3,χαρτί,40.6340,22.9470\n"
    "Δελφών 100,6,πλαστικό,40.6101,22.9601\n"
    "Βασ. Όλγας 210,1,γυαλί,40.5902,22.9555\n"
)


def _publisher() -> Any:
    sync_roles()
    return staff("publisher@example.org", "open_data_publisher")


def test_a_publisher_publishes_a_csv_and_a_visitor_filters_and_downloads_it(
    page: Page, live_server: Any, tmp_path: Path
) -> None:
    seed()
    Organization.objects.create(
        name="environment",
        title_el="Διεύθυνση Περιβάλλοντος",
        title_en="Directorate of the Environment",
    )
    theme_group("ENVI")
    url = live_server.url
    csv_file = tmp_path / "recycling-bins.csv"
    csv_file.write_text(BINS, encoding="utf-8")

    # The publisher, in English.
    office = page.context
    use_language(office, live_server, "en")
    log_in_as(office, live_server, _publisher())
    page.goto(url + "/staff/data/")
    look(page, JOURNEY, "01-staff-home")
    click_visible(page.get_by_role("link", name="New dataset"))
    fill_visible(page.get_by_label("Title (Greek)"), "Κάδοι ανακύκλωσης")
    fill_visible(page.get_by_label("Title (English)"), "Recycling bins")
    fill_visible(
        page.get_by_label("Description (Greek)"), "Οι κάδοι ανακύκλωσης του δήμου ανά οδό."
    )
    select_visible(page.get_by_label("Publisher"), label="Directorate of the Environment")
    page.get_by_label("Environment").check()
    fill_visible(page.get_by_label("Keywords"), "ανακύκλωση, recycling")
    look(page, JOURNEY, "02-new-dataset")
    click_visible(page.get_by_role("button", name="Save"))
    expect(page.get_by_text("The dataset was saved as a draft.")).to_be_visible()
    click_visible(page.get_by_role("link", name="Add a file or a link"))
    fill_visible(page.get_by_label("Name (Greek)"), "Κάδοι ανά οδό")
    upload_visible(page, page.get_by_label("File (optional)", exact=True), str(csv_file))
    click_visible(page.get_by_role("button", name="Save"))
    expect(page.get_by_text("The file was saved and its 5 rows loaded as a table.")).to_be_visible()
    look(page, JOURNEY, "03-file-loaded")
    click_visible(
        page.get_by_role("navigation", name="Breadcrumbs").get_by_role(
            "link", name="Recycling bins"
        )
    )
    click_visible(page.get_by_role("button", name="Publish"))
    expect(page.get_by_text("The dataset is published.")).to_be_visible()
    dataset = Dataset.objects.get(name="recycling-bins")
    assert dataset.state == State.ACTIVE
    resource = dataset.resources.get()
    assert DatastoreTable.objects.get(resource=resource).total == 5

    # A visitor, in Greek: search, the dataset, the preview.
    visitor = page.context.browser.new_context(viewport={"width": 390, "height": 844})  # type: ignore[union-attr]
    use_language(visitor, live_server, "el")
    resident = visitor.new_page()
    resident.goto(url + "/data/")
    look(resident, JOURNEY, "04-catalogue")
    fill_visible(resident.get_by_label("Αναζήτηση στα σύνολα δεδομένων"), "κάδοι")
    click_visible(resident.get_by_role("button", name="Αναζήτηση"))
    expect(resident.get_by_role("heading", name="1 σύνολο δεδομένων")).to_be_visible()
    click_visible(resident.get_by_role("link", name="Κάδοι ανακύκλωσης"))
    expect(resident.get_by_role("heading", level=1)).to_have_text("Κάδοι ανακύκλωσης")
    look(resident, JOURNEY, "05-dataset")
    click_visible(resident.get_by_role("link", name="Προεπισκόπηση Κάδοι ανά οδό"))
    expect(resident.get_by_role("table")).to_contain_text("Εγνατία 45")
    expect(resident.locator("#opendata-map.dimos-map--on")).to_be_visible()
    look(resident, JOURNEY, "06-preview")

    # Filter by a column, then sort by another, without losing the filter.
    resident.get_by_text("Φιλτράρισμα με την τιμή μιας στήλης").click()
    fill_visible(resident.get_by_label("kind", exact=True), "γυαλί")
    click_visible(resident.get_by_role("button", name="Εμφάνιση"))
    expect(resident.get_by_role("table").locator("caption")).to_contain_text("2 γραμμές")
    click_visible(resident.get_by_role("link", name="bins — ταξινόμηση κατά αυτή τη στήλη"))
    expect(resident.locator("th[aria-sort='ascending']")).to_contain_text("bins")
    rows = resident.get_by_role("table").locator("tbody tr")
    expect(rows.first).to_contain_text("Βασ. Όλγας 210")
    expect(rows).to_have_count(2)
    look(resident, JOURNEY, "07-filtered")
    link = resident.get_by_role("link", name="Λήψη των γραμμών που βρέθηκαν ως CSV")
    with resident.expect_download() as download:
        link.click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines() == [
        "_id,street,bins,kind,lat,lon",
        "5,Βασ. Όλγας 210,1,γυαλί,40.5902,22.9555",
        "2,Τσιμισκή 12,2,γυαλί,40.6321,22.9412",
    ]  # as the table shows them: filtered and sorted
    visitor.close()

    # The same pages in English pass axe-core too.
    english = page.context.browser.new_context()  # type: ignore[union-attr]
    use_language(english, live_server, "en")
    reader = english.new_page()
    preview = f"/data/recycling-bins/resource/{resource.pk}/"
    assert_pages_accessible(
        reader,
        live_server,
        [
            "/data/",
            "/data/recycling-bins/",
            preview,
            preview + "?sort=-bins&f.kind=%CF%87%CE%B1%CF%81%CF%84%CE%AF",
        ],
        "en",
    )
    reader.goto(url + preview)
    look(reader, JOURNEY, "08-preview-english")
    english.close()


def test_the_preview_works_without_javascript(no_js_page: Page, live_server: Any) -> None:
    from dimos.opendata.tests.catalogue import make_catalogue

    seed()
    catalogue = make_catalogue()
    use_language(no_js_page.context, live_server, "en")
    no_js_page.goto(f"{live_server.url}/data/air-quality/resource/{catalogue.air_csv.pk}/")
    click_visible(no_js_page.get_by_role("link", name="no2 — sort by this column"))
    expect(no_js_page.get_by_role("table").locator("tbody tr").first).to_contain_text("kalamaria")
    no_js_page.get_by_text("Filter by a column's value").click()
    fill_visible(no_js_page.get_by_label("station", exact=True), "egnatia")
    click_visible(no_js_page.get_by_role("button", name="Show"))
    expect(no_js_page.get_by_role("table").locator("caption")).to_contain_text("2 rows")
    look(no_js_page, JOURNEY, "09-no-javascript")
