"""The budget's aggregate API: the figures of the pages (the same engine), by any drilldown,
cut, order and page, as JSON or CSV; years, snapshots, the model, lines and a line's history;
every bad parameter a 4xx in the platform's error shape."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from dimos.budget import aggregates
from dimos.budget.api import DIMENSIONS, MEASURES
from dimos.budget.models import FiscalYear
from dimos.budget.tests.budget_data import ADA, BudgetData

pytestmark = pytest.mark.django_db

API = "/api/v1/budget"


def _get(client: Client, path: str, **headers: str) -> Any:
    response = client.get(API + path, **headers)
    assert response.status_code == 200, response.content
    return response.json()


def _error(client: Client, path: str, status: int = 400) -> dict[str, Any]:
    response = client.get(API + path)
    assert response.status_code == status, response.content
    error: dict[str, Any] = response.json()["error"]
    assert set(error) == {"code", "message", "details"} and error["message"]
    return error


def test_the_totals_of_a_direction_are_the_hand_counted_ones(
    budget: BudgetData, client: Client
) -> None:
    answer = _get(client, "/2026/aggregate?cut=direction:expenditure")
    assert answer["as_of"] == "2026-06-30" and answer["total_cell_count"] == 1
    assert answer["summary"] == answer["cells"][0]
    summary = answer["summary"]
    assert [summary[p] for p in ("approved", "adjusted", "committed", "ordered", "paid")] == [
        3900,
        4000,
        1850,
        1150,
        950,
    ]
    assert (summary["execution"], summary["commitment"], summary["lines"]) == (23.8, 46.3, 4)
    revenue = _get(client, "/2026/aggregate?cut=direction:revenue")["summary"]
    assert (revenue["assessed"], revenue["collected"], revenue["execution"]) == (3600, 2600, 63.4)


def test_a_drilldown_by_kae_group_ordered_by_paid(budget: BudgetData, client: Client) -> None:
    answer = _get(
        client, "/2026/aggregate?drilldown=kae.level2&cut=direction:expenditure&order=paid:desc"
    )
    assert answer["drilldown"] == ["kae.level2"] and answer["order"] == ["paid:desc"]
    assert answer["cut"] == {"direction": "expenditure"}
    assert [(c["kae.level2"], c["paid"]) for c in answer["cells"]] == [
        ("60", 800),
        ("73", 100),
        ("62", 50),
    ]
    assert answer["cells"][0]["kae.level2.label"] == "Αμοιβές και έξοδα προσωπικού"
    english = _get(client, "/2026/aggregate?drilldown=kae.level2", HTTP_ACCEPT_LANGUAGE="en")
    assert {c["kae.level2"]: c["kae.level2.label"] for c in english["cells"]}["60"] == (
        "Staff pay and costs"
    )


def test_two_dimensions_and_a_kae_cut_as_in_babbage(budget: BudgetData, client: Client) -> None:
    answer = _get(
        client,
        "/2026/aggregate?drilldown=kae.level2|service&cut=direction:expenditure;kae:60"
        "&order=paid:desc",
    )
    assert [(c["kae.level2"], c["service"], c["paid"]) for c in answer["cells"]] == [
        ("60", "10", 600),
        ("60", "20", 200),
    ]
    assert answer["cells"][1]["service.label"] == "Οικονομικές υπηρεσίες"
    assert answer["summary"]["paid"] == 800
    # A cut by a KAE level is a cut by the code, and "|" separates cuts too.
    same = _get(
        client,
        "/2026/aggregate?drilldown=kae.level2|service&cut=kae.level2:60|direction:expenditure"
        "&order=paid:desc",
    )
    assert same["cells"] == answer["cells"]


@pytest.mark.parametrize("dimension", list(DIMENSIONS))
def test_every_dimension_answers_what_the_pages_engine_answers(
    budget: BudgetData, client: Client, dimension: str
) -> None:
    answer = _get(client, f"/2026/aggregate?drilldown={dimension}&pagesize=1000")
    engine = aggregates.aggregate(2026, drilldown=(DIMENSIONS[dimension],), page_size=1000)
    assert answer["total_cell_count"] == engine.total_cell_count
    assert [c[dimension] for c in answer["cells"]] == [
        c.key(DIMENSIONS[dimension]) for c in engine.cells
    ]
    for cell, expected in zip(answer["cells"], engine.cells, strict=True):
        assert cell[f"{dimension}.label"] == expected.label(DIMENSIONS[dimension])
        for phase in ("approved", "adjusted", "committed", "ordered", "paid", "assessed"):
            assert Decimal(str(cell[phase])) == expected.amounts.phase(phase)
        assert cell["lines"] == expected.amounts.lines


def test_an_earlier_snapshot_on_request(budget: BudgetData, client: Client) -> None:
    answer = _get(client, "/2026/aggregate?drilldown=line&cut=line:10-6011&snapshot=2026-03-31")
    assert answer["as_of"] == "2026-03-31"
    [cell] = answer["cells"]
    assert (cell["approved"], cell["adjusted"], cell["paid"]) == (1000, 1000, 300)
    assert cell["line.label"] == "Τακτικές αποδοχές υπαλλήλων διοίκησης"


def test_cells_come_in_pages_with_the_count_of_all(budget: BudgetData, client: Client) -> None:
    first = _get(client, "/2026/aggregate?drilldown=line&pagesize=4")
    assert (first["total_cell_count"], first["page"], first["page_size"]) == (6, 1, 4)
    second = _get(client, "/2026/aggregate?drilldown=line&page=2&page_size=4")
    assert len(first["cells"]) == 4 and len(second["cells"]) == 2
    codes = [c["line"] for c in first["cells"] + second["cells"]]
    assert len(set(codes)) == 6
    # The summary is of every cell, whatever the page.
    assert first["summary"] == second["summary"]
    assert _get(client, "/2026/aggregate?drilldown=line&page=9&pagesize=4")["cells"] == []


def test_csv_has_a_row_per_cell_with_keys_labels_and_measures(
    budget: BudgetData, client: Client
) -> None:
    response = client.get(
        API + "/2026/aggregate?drilldown=service&cut=direction:expenditure&format=csv"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="budget-2026-aggregate.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert list(rows[0]) == ["service", "service.label", *MEASURES]
    by_service = {r["service"]: r for r in rows}
    assert set(by_service) == {"10", "20", "30"}
    assert by_service["20"]["paid"] == "250.00" and by_service["20"]["adjusted"] == "800.00"
    assert by_service["20"]["execution"] == "31.3" and by_service["20"]["lines"] == "2"
    assert by_service["30"]["service.label"] == "Τεχνικές υπηρεσίες"


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("drilldown=kae.level9", "drilldown"),
        ("drilldown=service|service", "drilldown"),
        ("cut=kae", "cut"),
        ("cut=colour:red", "cut"),
        ("cut=kae:6x", "cut"),
        ("cut=direction:sideways", "cut"),
        ("cut=kae:6;kae:7", "cut"),
        ("cut=line:6011", "cut"),
        ("order=colour:desc", "order"),
        ("order=paid:up", "order"),
        ("drilldown=service&order=kae.level2:asc", "order"),
        ("snapshot=2026-04-30", "snapshot"),
    ],
)
def test_a_parameter_the_engine_cannot_use_is_a_400_naming_it(
    budget: BudgetData, client: Client, query: str, parameter: str
) -> None:
    error = _error(client, f"/2026/aggregate?{query}")
    assert error["code"] == "bad_request" and list(error["details"]) == [parameter]


@pytest.mark.parametrize(
    "query",
    ["page=0", "pagesize=0", "pagesize=100001", "page=x", "format=xml", "snapshot=June"],
)
def test_a_malformed_parameter_is_a_422(budget: BudgetData, client: Client, query: str) -> None:
    assert _error(client, f"/2026/aggregate?{query}", status=422)["code"] == "invalid"


def test_the_greek_message_of_a_bad_parameter(budget: BudgetData, client: Client) -> None:
    response = client.get(API + "/2026/aggregate?order=colour:desc", HTTP_ACCEPT_LANGUAGE="el")
    assert "colour" in response.json()["error"]["message"]
    assert "Cannot order" not in response.json()["error"]["message"]


def test_an_unpublished_or_unknown_year_is_not_found(budget: BudgetData, client: Client) -> None:
    FiscalYear.objects.filter(year=2025).update(published=False)
    for path in ("/2025/aggregate", "/2025/model", "/2025/lines", "/1999/snapshots"):
        assert _error(client, path, status=404)["code"] == "not_found"
    assert [y["year"] for y in _get(client, "/years")] == [2026]


def test_the_years_with_their_latest_snapshot_and_links(budget: BudgetData, client: Client) -> None:
    years = _get(client, "/years")
    assert [(y["year"], y["as_of"], y["snapshots"]) for y in years] == [
        (2026, "2026-06-30", 2),
        (2025, "2025-12-31", 1),
    ]
    links = years[0]["links"]
    assert links["aggregate"] == "http://testserver/api/v1/budget/2026/aggregate"
    assert links["datapackage"] == "http://testserver/budget/2026/datapackage.json"
    assert links["csv"] == "http://testserver/budget/2026/data.csv"


def test_a_years_snapshots_each_with_its_package(budget: BudgetData, client: Client) -> None:
    found = _get(client, "/2026/snapshots")
    assert [(s["as_of"], s["latest"], s["rows"]) for s in found] == [
        ("2026-03-31", False, 6),
        ("2026-06-30", True, 6),
    ]
    assert found[0]["datapackage"].endswith("/budget/2026/2026-03-31/datapackage.json")


def test_the_model_names_every_dimension_and_measure(budget: BudgetData, client: Client) -> None:
    model = _get(client, "/2026/model", HTTP_ACCEPT_LANGUAGE="en")
    assert list(model["dimensions"]) == list(DIMENSIONS)
    assert list(model["measures"]) == list(MEASURES)
    assert model["measures"]["ordered"] == {
        "label": "Payment-ordered",
        "direction": "expenditure",
        "unit": "EUR",
    }
    assert model["dimensions"]["direction"]["values"] == {
        "revenue": "Revenue",
        "expenditure": "Expenditure",
    }
    assert model["as_of"] == "2026-06-30"


def test_lines_are_paged_with_links_and_cut(budget: BudgetData, client: Client) -> None:
    first = _get(client, "/2026/lines?page_size=4")
    assert first["count"] == 6 and len(first["items"]) == 4 and first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/budget/2026/lines?page_size=4&page=2"
    # By KAE code, revenue (classes 0–5) first.
    assert [i["code"] for i in first["items"]] == ["00-0311", "00-1311", "10-6011", "20-6011"]
    road = _get(client, "/2026/lines?cut=kae:626")["items"]
    assert [(i["code"], i["kae"], i["kae_label"], i["service_label"]) for i in road] == [
        ("20-6262.01", "6262.01", "Συντήρηση οδών", "Οικονομικές υπηρεσίες")
    ]
    assert road[0]["amounts"]["paid"] == 50 and road[0]["description"] == (
        "Συντήρηση οδών και πεζοδρομίων"
    )
    assert _error(client, "/2026/lines?page_size=501", status=422)["code"] == "invalid"


def test_a_line_with_its_history_its_years_and_its_decisions(
    budget: BudgetData, client: Client
) -> None:
    line = _get(client, "/2026/lines/10-6011")
    assert (line["code"], line["direction"], line["as_of"]) == (
        "10-6011",
        "expenditure",
        "2026-06-30",
    )
    assert line["service"] == {"code": "10", "label": "Διοικητικές υπηρεσίες"}
    assert [k["code"] for k in line["kae"]] == ["6", "60", "601", "6011"]
    assert line["amounts"]["paid"] == 600 and line["amounts"]["execution"] == 50.0
    assert [(p["as_of"], p["amounts"]["paid"]) for p in line["history"]] == [
        ("2026-03-31", 300),
        ("2026-06-30", 600),
    ]
    assert [(p["year"], p["amounts"]["paid"]) for p in line["years"]] == [(2025, 950), (2026, 600)]
    [decision] = line["decisions"]
    assert decision["ada"] == ADA and decision["amount"] == 300
    assert decision["url"] == f"https://diavgeia.gov.gr/decision/view/{ADA}"


def test_a_line_that_is_not_there_is_not_found(budget: BudgetData, client: Client) -> None:
    for code in ("10-9999", "not-a-line", "30-6011"):
        assert _error(client, f"/2026/lines/{code}", status=404)["code"] == "not_found"


def test_the_aggregate_reads_a_few_queries_whatever_the_cells(
    budget: BudgetData, client: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(8):
        client.get(API + "/2026/aggregate?drilldown=kae.level2|service|direction&pagesize=100")


def test_the_budget_api_is_in_the_openapi_description(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("aggregate", "model", "snapshots", "lines", "lines/{code}"):
        assert f"/api/v1/budget/{{year}}/{path}" in paths
    assert "/api/v1/budget/years" in paths
    names = {p["name"] for p in paths["/api/v1/budget/{year}/aggregate"]["get"]["parameters"]}
    assert {"drilldown", "cut", "order", "page", "pagesize", "snapshot", "format"} <= names


@pytest.mark.parametrize(
    ("page", "chart", "query", "dimension"),
    [
        (
            "/budget/2026/",
            "expenditure-groups",
            "drilldown=kae.level2&cut=direction:expenditure",
            "kae.level2",
        ),
        (
            "/budget/2026/",
            "revenue-groups",
            "drilldown=kae.level2&cut=direction:revenue",
            "kae.level2",
        ),
        (
            "/budget/2026/expenditure/kae/6/",
            "shares",
            "drilldown=kae.level2&cut=direction:expenditure;kae:6",
            "kae.level2",
        ),
        (
            "/budget/2026/expenditure/service/",
            "shares",
            "drilldown=service&cut=direction:expenditure",
            "service",
        ),
    ],
)
def test_a_third_party_rebuilds_a_pages_chart_from_the_api(
    budget: BudgetData, client: Client, page: str, chart: str, query: str, dimension: str
) -> None:
    # The chart's own data, as its JSON download gives it: each part's adjusted amount.
    download = client.get(page, {"chart": chart, "format": "json"})
    assert download.status_code == 200
    drawn = {row["name"]: Decimal(str(row["amount"])) for row in download.json()["data"]}
    cells = _get(client, f"/2026/aggregate?{query}&pagesize=1000")["cells"]
    rebuilt = {
        f"{c[dimension]} {c[f'{dimension}.label']}": Decimal(str(c["adjusted"]))
        for c in cells
        if c["adjusted"] > 0
    }
    assert drawn and drawn == rebuilt
