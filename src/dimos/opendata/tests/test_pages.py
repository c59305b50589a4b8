"""The public pages (search with facets, a dataset, the preview that sorts, filters and pages
without JavaScript, downloads of the rows found) and the staff's pages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dimos.core.models import AuditEntry
from dimos.opendata.models import Dataset, DatastoreTable, State
from dimos.opendata.tests.catalogue import Catalogue
from dimos.testing.personas import login, staff

pytestmark = pytest.mark.django_db


def test_the_catalogue_lists_searches_and_narrows(catalogue: Catalogue, client: Client) -> None:
    page = client.get("/data/").content.decode()
    assert "Ποιότητα αέρα" in page and "Θέσεις στάθμευσης ΑμεΑ" in page
    assert "Θόρυβος" not in page and "Εσωτερικό" not in page
    page = client.get("/data/", {"q": "αερα"}).content.decode()
    assert "Ποιότητα αέρα" in page and "Θέσεις στάθμευσης" not in page
    page = client.get("/data/", {"organization": "transport"}).content.decode()
    assert "Θέσεις στάθμευσης ΑμεΑ" in page and "Ποιότητα αέρα" not in page
    assert (
        client.get("/data/", {"q": "organization:(", "page": "x", "sort": "nope"}).status_code
        == 200
    )


def test_the_catalogue_is_in_the_service_list(client: Client) -> None:
    assert "/data/" in client.get("/services/").content.decode()


def test_a_dataset_page_and_drafts_hidden_from_visitors(
    catalogue: Catalogue, client: Client
) -> None:
    page = client.get("/data/air-quality/").content.decode()
    assert "Creative Commons Attribution 4.0" in page and "Μετρήσεις" in page
    assert client.get("/data/noise-draft/").status_code == 404
    assert client.get("/data/private-one/").status_code == 404
    publisher = login(staff("pub@example.org", "open_data_publisher"))
    assert publisher.get("/data/noise-draft/").status_code == 200


def test_the_preview_sorts_filters_and_pages_without_javascript(
    catalogue: Catalogue, client: Client
) -> None:
    url = f"/data/air-quality/resource/{catalogue.air_csv.pk}/"
    page = client.get(url).content.decode()
    assert "5 γραμμές" in page and "<table" in page and 'scope="col"' in page
    page = client.get(url, {"sort": "-no2"}).content.decode()
    assert 'aria-sort="descending"' in page
    assert page.index(">52<") < page.index(">40<") < page.index(">29<")
    page = client.get(url, {"f.station": "egnatia"}).content.decode()
    assert "2 γραμμές" in page and "kalamaria" not in page
    page = client.get(url, {"q": "windy"}).content.decode()
    assert "1 γραμμή" in page
    page = client.get(url, {"rows": "25", "page": "99"}).content.decode()
    assert "egnatia" in page
    assert client.get(url, {"sort": "nonexistent", "rows": "bad", "f.nope": "x"}).status_code == 200


def test_downloads_of_the_whole_file_and_the_rows_found(
    catalogue: Catalogue, client: Client
) -> None:
    base = f"/data/air-quality/resource/{catalogue.air_csv.pk}/"
    whole = client.get(f"{base}download/air.csv")
    assert whole.status_code == 200 and b"".join(whole.streaming_content).startswith(
        b"station,date"
    )
    rows = client.get(f"{base}rows.csv", {"f.station": "egnatia"})
    text = b"".join(rows.streaming_content).decode("utf-8-sig")
    assert text.splitlines() == [
        "_id,station,date,pm10,no2,note",
        "1,egnatia,2026-11-01,31.5,40,",
        "2,egnatia,2026-11-02,28,38,windy",
    ]
    found = json.loads(b"".join(client.get(f"{base}rows.json", {"sort": "no2"}).streaming_content))
    assert [r["no2"] for r in found["records"]] == [29, 31, 38, 40, 52]
    assert client.get(f"{base}rows.geojson").status_code == 404  # no point columns
    assert client.get(f"{base}rows.xml").status_code == 404
    other = catalogue.parking.resources.get()
    assert client.get(f"/data/air-quality/resource/{other.pk}/").status_code == 404


def test_staff_publish_a_dataset_with_a_csv(
    catalogue: Catalogue, django_capture_on_commit_callbacks: Any
) -> None:
    publisher = staff("pub@example.org", "open_data_publisher")
    browser = login(publisher)
    form = {
        "title_el": "Κάδοι ανακύκλωσης",
        "title_en": "Recycling bins",
        "notes_el": "Οι μπλε κάδοι του δήμου.",
        "organization": str(catalogue.env.pk),
        "license_id": "CC-BY-4.0",
        "frequency": "MONTHLY",
        "tags": "ανακύκλωση, recycling",
    }
    response = browser.post("/staff/data/new/", form)
    dataset = Dataset.objects.get(title_el="Κάδοι ανακύκλωσης")
    assert (
        response.status_code == 302
        and dataset.name == "recycling-bins"
        and dataset.state == State.DRAFT
    )
    upload = SimpleUploadedFile(
        "bins.csv",
        "street,bins,lat,lon\nΕγνατία,4,40.63,22.94\nΤσιμισκή,2,40.632,22.945\n".encode(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            f"/staff/data/{dataset.pk}/resources/new/", {"name_el": "Κάδοι", "upload": upload}
        )
    resource = dataset.resources.get()
    assert DatastoreTable.objects.get(resource=resource).point == ["lat", "lon"]
    assert browser.get(response["Location"]).status_code == 200
    browser.post(f"/staff/data/{dataset.pk}/state/", {"state": "active"})
    dataset.refresh_from_db()
    assert dataset.state == State.ACTIVE
    history = browser.get(f"/staff/data/{dataset.pk}/history/").content.decode()
    assert "created" in history and "active" in history
    actions = set(
        AuditEntry.objects.filter(target_id=str(dataset.pk)).values_list("action", flat=True)
    )
    assert {
        "opendata.dataset_created",
        "opendata.resource_added",
        "opendata.dataset_published",
    } <= actions
    geo = Client().get(f"/data/recycling-bins/resource/{resource.pk}/rows.geojson")
    features = json.loads(b"".join(geo.streaming_content))["features"]
    assert features[0]["geometry"]["coordinates"] == [22.94, 40.63]


def test_staff_forms_say_what_is_wrong(catalogue: Catalogue) -> None:
    browser = login(staff("pub@example.org", "open_data_publisher"))
    response = browser.post("/staff/data/new/", {"title_el": "", "name": "Not A Slug"})
    assert response.status_code == 400
    response = browser.post(f"/staff/data/{catalogue.air.pk}/resources/new/", {"name_el": "Τίποτα"})
    assert response.status_code == 400
    bad = SimpleUploadedFile("bad.csv", b"a,b\n1\n")
    response = browser.post(
        f"/staff/data/{catalogue.air.pk}/resources/{catalogue.air_csv.pk}/",
        {"name_el": "Μετρήσεις", "upload": bad},
        follow=True,
    )
    assert response.status_code == 200


def test_only_publishers_reach_the_staff_pages(catalogue: Catalogue, client: Client) -> None:
    assert client.get("/staff/data/").status_code == 302
    assert login(staff("other@example.org")).get("/staff/data/").status_code == 403
    browser = login(staff("pub@example.org", "open_data_publisher"))
    page = browser.get("/staff/data/").content.decode()
    assert "Ποιότητα αέρα" in page and "Θόρυβος" in page
    assert browser.post("/staff/data/refresh/").status_code == 302
    assert Dataset.objects.filter(platform_key="issue-reports").exists()


def test_pages_kept_for_visitors_follow_a_change_at_once(
    catalogue: Catalogue, client: Client
) -> None:
    from dimos.opendata import services

    assert "Ποιότητα αέρα" in client.get("/data/").content.decode()
    assert client.get("/data/")["X-Dimos-Cache"] == "hit"
    services.set_state(dataset=catalogue.air, actor=None, state=State.DRAFT)
    assert "Ποιότητα αέρα" not in client.get("/data/").content.decode()
    assert client.get("/data/air-quality/").status_code == 404
