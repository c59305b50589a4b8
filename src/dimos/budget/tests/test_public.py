"""The open budget's public pages, on the budget of ``budget_data`` (its docstring has the
figures): every page in Greek and English, the drill-down, sorting, 404s and 400s."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any
from xml.etree import ElementTree

import pytest
from django.test import Client
from PIL import Image

from dimos.budget.models import FiscalYear, Snapshot
from dimos.budget.tests.budget_data import ADA, BudgetData

PAGES = [
    "/budget/",
    "/budget/101/",
    "/budget/2026/",
    "/budget/2026/expenditure/kae/",
    "/budget/2026/expenditure/kae/6/",
    "/budget/2026/expenditure/kae/60/",
    "/budget/2026/expenditure/kae/601/",
    "/budget/2026/expenditure/kae/6011/",
    "/budget/2026/expenditure/kae/6262.01/",
    "/budget/2026/revenue/kae/",
    "/budget/2026/expenditure/service/",
    "/budget/2026/expenditure/service/20/",
    "/budget/2026/line/10-6011/",
    "/budget/2026/line/00-0311/",
    "/budget/search/?q=αποδοχες",
    "/budget/compare/?a=2025&b=2026",
    "/budget/my-money/?amount=100&year=2026",
]


def _english() -> Client:
    client = Client()
    client.cookies["dimos_language"] = "en"
    return client


@pytest.mark.parametrize("url", PAGES)
def test_every_page_answers_in_greek_and_english(budget: BudgetData, url: str) -> None:
    greek = Client().get(url)
    english = _english().get(url)
    assert greek.status_code == 200, url
    assert english.status_code == 200, url
    assert 'lang="el"' in greek.content.decode()
    assert 'lang="en"' in english.content.decode()


def test_the_overview_shows_the_chain_and_the_date(budget: BudgetData) -> None:
    greek = Client().get("/budget/2026/").content.decode()
    assert "30 Ιουνίου 2026" in greek  # the genitive
    assert "3.900,00\xa0€" in greek  # approved expenditure
    assert "950,00\xa0€" in greek  # paid
    assert "23,8\xa0%" in greek  # execution
    assert "2.600,00\xa0€" in greek  # collected revenue
    assert 'href="/budget/2026/datapackage.json"' in greek
    english = _english().get("/budget/2026/").content.decode()
    assert "€3,900.00" in english
    assert "23.8%" in english
    assert "Figures as of 30 June 2026" in english


def test_the_index_lists_published_years_only(budget: BudgetData) -> None:
    FiscalYear.objects.create(year=2027, published=False)
    page = Client().get("/budget/").content.decode()
    assert "/budget/2026/" in page
    assert "/budget/2025/" in page
    assert "/budget/2027/" not in page
    assert Client().get("/budget/2027/").status_code == 404


def test_drilling_down_the_kae_hierarchy(budget: BudgetData) -> None:
    classes = Client().get("/budget/2026/expenditure/kae/").content.decode()
    assert 'href="/budget/2026/expenditure/kae/6/"' in classes
    assert 'href="/budget/2026/expenditure/kae/7/"' in classes
    group = Client().get("/budget/2026/expenditure/kae/60/").content.decode()
    assert 'href="/budget/2026/expenditure/kae/601/"' in group
    assert "1.700,00\xa0€" in group
    # Under a four-digit code, the lines.
    lines = Client().get("/budget/2026/expenditure/kae/6011/").content.decode()
    assert 'href="/budget/2026/line/10-6011/"' in lines
    assert 'href="/budget/2026/line/20-6011/"' in lines
    # The breadcrumbs name each level.
    assert 'href="/budget/2026/expenditure/kae/60/"' in lines
    assert "Αμοιβές και έξοδα προσωπικού" in lines


def test_by_service(budget: BudgetData) -> None:
    services = _english().get("/budget/2026/expenditure/service/").content.decode()
    assert 'href="/budget/2026/expenditure/service/20/"' in services
    assert "Financial services" in services
    lines = _english().get("/budget/2026/expenditure/service/20/").content.decode()
    assert 'href="/budget/2026/line/20-6262.01/"' in lines
    assert "€250.00" in lines  # paid by service 20: 200 + 50


def test_a_table_sorts_on_the_server_and_says_so(budget: BudgetData) -> None:
    page = Client().get("/budget/2026/expenditure/kae/6/?sort=-paid").content.decode()
    assert 'aria-sort="descending"' in page
    body = page.split("<tbody", 2)[1]
    assert body.index("/kae/60/") < body.index("/kae/62/")
    ascending = Client().get("/budget/2026/expenditure/kae/6/?sort=paid").content.decode()
    body = ascending.split("<tbody", 2)[1]
    assert body.index("/kae/62/") < body.index("/kae/60/")
    assert 'aria-sort="ascending"' in ascending


def test_the_line_page_has_its_history_and_decisions(budget: BudgetData) -> None:
    page = Client().get("/budget/2026/line/10-6011/").content.decode()
    assert "31 Μαρτίου 2026" in page
    assert "30 Ιουνίου 2026" in page
    assert f"https://diavgeia.gov.gr/decision/view/{ADA}" in page
    assert "300,00\xa0€" in page
    assert 'href="/budget/2025/line/10-6011/"' in page  # the same line another year


def test_search_ignores_accents_and_case(budget: BudgetData) -> None:
    page = Client().get("/budget/search/?q=ΣΥΝΤΗΡΗΣΗ οδων&year=2026").content.decode()
    assert "20-6262.01" in page
    by_code = Client().get("/budget/search/?q=6011&year=2026").content.decode()
    assert "10-6011" in by_code and "20-6011" in by_code
    assert "20-6262.01" not in by_code


def test_an_empty_search_is_a_field_error(budget: BudgetData) -> None:
    answer = _english().get("/budget/search/?q=+")
    assert answer.status_code == 400
    assert "govgr-error-summary" in answer.content.decode()


def test_compare_two_years_line_by_line(budget: BudgetData) -> None:
    page = Client().get("/budget/compare/?a=2025&b=2026&direction=expenditure").content.decode()
    # 10-6011 adjusted 1000 → 1200: +200, +20 %.
    row = page.split("10-6011", 2)[2].split("</tr>", 1)[0]
    assert "1.000,00\xa0€" in row and "1.200,00\xa0€" in row and "200,00\xa0€" in row
    assert "+20,0\xa0%" in row
    assert "30-7323" in page and "10-6021" in page  # in one year only


def test_compare_the_same_year_is_a_field_error(budget: BudgetData) -> None:
    answer = _english().get("/budget/compare/?a=2026&b=2026")
    assert answer.status_code == 400
    assert "Choose a year other than the first." in answer.content.decode()


def test_where_my_money_goes(budget: BudgetData) -> None:
    # 100 € shared by adjusted expenditure: 60 1700/4000, 62 300/4000, 73 2000/4000.
    page = _english().get("/budget/my-money/?amount=100&year=2026").content.decode()
    assert "€42.50" in page
    assert "€7.50" in page
    assert "€50.00" in page


def test_where_my_money_goes_refuses_a_bad_amount(budget: BudgetData) -> None:
    answer = Client().get("/budget/my-money/?amount=abc&year=2026")
    assert answer.status_code == 400
    assert "govgr-error-summary" in answer.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/budget/2031/",
        "/budget/2026/sideways/kae/",
        "/budget/2026/expenditure/kae/99/",
        "/budget/2026/expenditure/kae/0311/",  # a revenue code under expenditure
        "/budget/2026/expenditure/service/77/",
        "/budget/2026/line/10-9999/",
        "/budget/2026/line/nonsense/",
    ],
)
def test_unknown_years_and_codes_are_404_pages(budget: BudgetData, url: str) -> None:
    answer = Client().get(url)
    assert answer.status_code == 404
    assert "<html" in answer.content.decode()


@pytest.mark.parametrize("query", ["?sort=colour", "?page=x", "?page=0", "?sort=-nothing"])
def test_bad_query_parameters_are_a_clear_400(budget: BudgetData, query: str) -> None:
    answer = _english().get("/budget/2026/expenditure/kae/" + query)
    assert answer.status_code == 400
    assert "The question cannot be answered" in answer.content.decode()


def test_an_unknown_chart_or_format_is_404(budget: BudgetData) -> None:
    assert Client().get("/budget/2026/?chart=nope&format=png").status_code == 404
    assert Client().get("/budget/2026/?chart=revenue-groups&format=gif").status_code == 404


def test_the_pie_downloads_as_a_real_png(budget: BudgetData) -> None:
    answer = Client().get("/budget/2026/?chart=revenue-groups&format=png")
    assert answer["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(answer.content))
    assert image.format == "PNG"
    assert image.size[0] > 400 and image.size[1] > 300


def test_the_svg_download_parses_and_names_the_parts(budget: BudgetData) -> None:
    answer = _english().get("/budget/2026/?chart=revenue-groups&format=svg")
    root = ElementTree.fromstring(answer.content)
    assert root.tag.endswith("svg")
    text = " ".join(root.itertext())
    assert "03 Other fees, rights and services" in text
    assert "13 Grants for investment" in text


def test_the_chart_data_downloads_as_csv_and_json(budget: BudgetData) -> None:
    answer = _english().get("/budget/2026/expenditure/kae/?chart=chain&format=csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode())))
    assert rows[0] == ["Step", "Amount (€)"]
    assert rows[1:] == [
        ["Approved", "3900.0"],
        ["Adjusted", "4000.0"],
        ["Committed", "1850.0"],
        ["Payment-ordered", "1150.0"],
        ["Paid", "950.0"],
    ]
    data: Any = json.loads(
        _english().get("/budget/2026/expenditure/kae/?chart=chain&format=json").content
    )
    assert data["data"][4] == {"phase": "Paid", "amount": 950.0}


def test_pages_read_a_bounded_number_of_queries(
    budget: BudgetData, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    client.get("/budget/2026/")  # the charts are drawn once and kept
    with django_assert_max_num_queries(30):
        assert client.get("/budget/2026/").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get("/budget/2026/expenditure/kae/60/").status_code == 200


def test_pages_are_kept_until_a_snapshot_is_imported(budget: BudgetData) -> None:
    client = Client()
    first = client.get("/budget/2026/")
    assert first.get("X-Dimos-Cache") is None
    assert client.get("/budget/2026/")["X-Dimos-Cache"] == "hit"
    snapshot = Snapshot.objects.create(
        year=budget.years[2026],
        as_of=date(2026, 7, 31),
        file_name="july.csv",
        sha256="7" * 64,
        rows=0,
    )
    after = client.get("/budget/2026/")
    assert after.get("X-Dimos-Cache") is None
    assert "31 Ιουλίου 2026" in after.content.decode()
    assert snapshot.pk


def test_chart_downloads_are_kept_as_files(budget: BudgetData) -> None:
    client = Client()
    first = client.get("/budget/2026/?chart=revenue-groups&format=png")
    again = client.get("/budget/2026/?chart=revenue-groups&format=png")
    assert first.get("X-Dimos-Cache") is None
    assert again["X-Dimos-Cache"] == "hit"
    assert again.content == first.content
    assert again.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert again["Content-Type"] == "image/png"
    assert again["Content-Disposition"] == 'attachment; filename="revenue-groups.png"'
