"""The public list and map of reports are found from wherever a resident starts: the home
page, the catalogue, the report form («is it already reported?») and each report's page,
which shows its own place on a map; the map explains its marks."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dimos.reports.demo import seed_categories
from dimos.reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_el(municipality: Any) -> Client:
    seed_categories()
    return Client(headers={"accept-language": "el"})


@pytest.mark.parametrize("path", ["/", "/services/", "/reports/new/", "/reports/new/pothole/"])
def test_the_map_and_list_of_reports_are_linked(client_el: Client, path: str) -> None:
    html = client_el.get(path).content.decode()
    assert 'href="/reports/map/' in html, path


def test_the_report_form_asks_whether_it_is_already_reported(client_el: Client) -> None:
    html = client_el.get("/reports/new/pothole/").content.decode()
    assert "Μήπως έχει ήδη αναφερθεί;" in html
    assert 'href="/reports/?category=pothole&amp;state=open"' in html


def test_a_reports_page_shows_its_place_on_a_map_and_links_to_the_others(
    client_el: Client,
) -> None:
    report = ReportFactory.create(lat=41.0921, lon=23.5478)
    html = client_el.get(f"/reports/{report.pk}/").content.decode()
    assert 'id="report-location"' in html
    assert 'data-lat="41.092100" data-lon="23.547800"' in html
    assert 'data-pin-icon="/static/vendor/leaflet/images/marker-icon.png"' in html
    assert "js/report-location.js" in html
    assert 'href="/reports/map/?lat=41.092100&amp;lon=23.547800"' in html
    assert f'href="/reports/?category={report.category.code}"' in html


def test_the_map_has_a_legend_and_counts_in_words(client_el: Client) -> None:
    html = client_el.get("/reports/map/").content.decode()
    assert 'class="dimos-legend"' in html and "Τι δείχνει ο χάρτης" in html
    assert 'data-count-one="αναφορά" data-count-many="αναφορές"' in html


def test_the_map_centres_on_a_place_and_ignores_a_bad_one(client_el: Client) -> None:
    html = client_el.get("/reports/map/?lat=41.09&lon=23.55&category=pothole").content.decode()
    assert 'data-focus="41.090000,23.550000"' in html
    assert '<option value="pothole" selected>' in html
    for query in ("lat=abc&lon=1", "lat=nan&lon=nan", "lat=91&lon=0", "lat=1"):
        answer = client_el.get(f"/reports/map/?{query}")
        assert answer.status_code == 200 and 'data-focus=""' in answer.content.decode(), query
