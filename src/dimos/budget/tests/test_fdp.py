"""The Fiscal Data Package of a year: a descriptor and a CSV that frictionless accepts, one row
per line and phase, the figures of the pages, the Greek phases named, any snapshot on request."""

from __future__ import annotations

import csv
import gzip
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import frictionless
import pytest
from django.test import Client

from dimos.budget import aggregates
from dimos.budget.models import FiscalYear, Snapshot
from dimos.budget.tests.budget_data import BudgetData

pytestmark = pytest.mark.django_db


def _rows(client: Client, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def _save(client: Client, folder: Path, prefix: str = "/budget/2026/") -> Path:
    """The package as someone downloads it: the descriptor and its CSV side by side."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "datapackage.json").write_bytes(client.get(prefix + "datapackage.json").content)
    (folder / "data.csv").write_bytes(client.get(prefix + "data.csv").content)
    return folder / "datapackage.json"


def test_the_descriptor_names_the_year_its_snapshot_and_its_csv(
    budget: BudgetData, client: Client
) -> None:
    response = client.get("/budget/2026/datapackage.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    package = response.json()
    assert package["name"] == "budget-2026"
    assert package["version"] == package["asOf"] == "2026-06-30"
    assert "2026-06-30" in package["title"]
    assert package["fiscalPeriod"] == {"start": "2026-01-01", "end": "2026-12-31"}
    assert package["profile"] == "tabular-data-package"
    [resource] = package["resources"]
    assert resource["path"] == "data.csv" and resource["format"] == "csv"
    types = {f["name"]: f["columnType"] for f in resource["schema"]["fields"]}
    assert types["amount"] == "value"
    assert types["direction"] == "direction"
    assert types["phase"] == "phase:id"
    assert types["fiscal_year"] == "date:fiscal-year"
    assert types["budget_line_id"] == "budget-line-id"
    assert types["service_code"] == "administrative-classification:generic:level1:code"
    assert types["service_label"] == "administrative-classification:generic:level1:label"
    for level in (1, 2, 3, 4):
        assert types[f"kae_level{level}_code"] == (
            f"economic-classification:generic:level{level}:code"
        )
        assert types[f"kae_level{level}_label"] == (
            f"economic-classification:generic:level{level}:label"
        )
    phase = next(f for f in resource["schema"]["fields"] if f["name"] == "phase")
    assert phase["constraints"]["enum"] == [
        "approved", "adjusted", "committed", "ordered", "paid", "assessed", "collected",
    ]  # fmt: skip


def test_one_row_per_line_and_phase_with_the_greek_phases_named(
    budget: BudgetData, client: Client
) -> None:
    rows = _rows(client, "/budget/2026/data.csv")
    # Four expenditure lines of five phases, two revenue lines of four.
    assert len(rows) == 4 * 5 + 2 * 4
    road = {r["phase"]: r for r in rows if r["budget_line_id"] == "20-6262.01"}
    assert {p: r["amount"] for p, r in road.items()} == {
        "approved": "400.00",
        "adjusted": "300.00",
        "committed": "150.00",
        "ordered": "100.00",
        "paid": "50.00",
    }
    paid = road["paid"]
    assert (paid["phase_label"], paid["phase_label_en"]) == ("Πληρωθέντα", "Paid")
    assert paid["direction"] == "expenditure" and paid["fiscal_year"] == "2026"
    assert paid["as_of"] == "2026-06-30" and paid["currency"] == "EUR"
    assert (paid["service_code"], paid["service_label"]) == ("20", "Οικονομικές υπηρεσίες")
    assert paid["service_label_en"] == "Financial services"
    assert [paid[f"kae_level{n}_code"] for n in (1, 2, 3, 4)] == ["6", "62", "626", "6262"]
    assert paid["kae_level2_label"] == "Παροχές τρίτων"
    assert paid["kae_level4_label"] == "Συντήρηση έργων"
    assert (paid["kae_code"], paid["kae_label"]) == ("6262.01", "Συντήρηση οδών")
    assert paid["description"] == "Συντήρηση οδών και πεζοδρομίων"
    fees = {r["phase"]: r for r in rows if r["budget_line_id"] == "00-0311"}
    assert set(fees) == {"approved", "adjusted", "assessed", "collected"}
    assert fees["collected"]["phase_label"] == "Εισπραχθέντα"
    assert fees["assessed"]["phase_label"] == "Βεβαιωθέντα"


def test_the_csv_adds_up_to_the_figures_of_the_pages(budget: BudgetData, client: Client) -> None:
    rows = _rows(client, "/budget/2026/data.csv")
    for direction in ("expenditure", "revenue"):
        totals = aggregates.totals(2026, cuts=aggregates.Cuts(direction=direction))
        sums: dict[str, Decimal] = {}
        for r in rows:
            if r["direction"] == direction:
                sums[r["phase"]] = sums.get(r["phase"], Decimal(0)) + Decimal(r["amount"])
        assert sums == {phase: totals.phase(phase) for phase in sums}
    assert sum(Decimal(r["amount"]) for r in rows if r["phase"] == "paid") == Decimal("950.00")


def test_a_package_per_snapshot_on_request(budget: BudgetData, client: Client) -> None:
    package = client.get("/budget/2026/2026-03-31/datapackage.json").json()
    assert package["name"] == "budget-2026-2026-03-31"
    assert package["asOf"] == "2026-03-31" and package["resources"][0]["path"] == "data.csv"
    rows = _rows(client, "/budget/2026/2026-03-31/data.csv")
    paid = next(r for r in rows if r["budget_line_id"] == "10-6011" and r["phase"] == "paid")
    assert (paid["amount"], paid["as_of"]) == ("300.00", "2026-03-31")
    # The latest snapshot asked for by its date is the year's package.
    latest = client.get("/budget/2026/2026-06-30/datapackage.json").json()
    assert latest["name"] == "budget-2026"


@pytest.mark.parametrize(
    "url",
    [
        "/budget/2024/datapackage.json",  # no such year
        "/budget/2026/2026-04-30/datapackage.json",  # no snapshot that day
        "/budget/2026/2026-02-30/data.csv",  # no such day
        "/budget/2027/data.csv",
    ],
)
def test_what_is_not_there_is_not_found(budget: BudgetData, client: Client, url: str) -> None:
    assert client.get(url).status_code == 404


def test_an_unpublished_year_or_one_without_a_snapshot_has_no_package(
    budget: BudgetData, client: Client
) -> None:
    FiscalYear.objects.filter(year=2025).update(published=False)
    FiscalYear.objects.create(year=2027, published=True)
    for year in (2025, 2027):
        assert client.get(f"/budget/{year}/datapackage.json").status_code == 404
        assert client.get(f"/budget/{year}/data.csv").status_code == 404


def test_the_csv_is_a_download_named_as_the_descriptor_names_it(
    budget: BudgetData, client: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(4):
        response = client.get("/budget/2026/data.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="data.csv"'
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_csv_is_kept_compressed_until_the_budget_changes(
    budget: BudgetData, client: Client
) -> None:
    first = client.get("/budget/2026/data.csv")
    assert first["X-Dimos-Cache"] == "miss"
    again = client.get("/budget/2026/data.csv", HTTP_ACCEPT_ENCODING="gzip")
    assert again["X-Dimos-Cache"] == "hit" and again["Content-Encoding"] == "gzip"
    assert gzip.decompress(again.content) == first.content
    FiscalYear.objects.filter(year=2026).update(published=False)
    assert client.get("/budget/2026/data.csv").status_code == 404


def test_a_text_cell_that_a_spreadsheet_would_run_is_defused(
    budget: BudgetData, client: Client
) -> None:
    line = budget.lines[(2026, "30-7323")]
    line.description = "=HYPERLINK(1)"
    line.save(update_fields=["description"])
    rows = _rows(client, "/budget/2026/data.csv")
    assert {r["description"] for r in rows if r["budget_line_id"] == "30-7323"} == {
        "'=HYPERLINK(1)"
    }


def test_frictionless_accepts_the_package(
    budget: BudgetData, client: Client, tmp_path: Path
) -> None:
    report = frictionless.validate(str(_save(client, tmp_path)))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])
    assert report.stats["tasks"] == 1


def test_frictionless_finds_a_broken_package(
    budget: BudgetData, client: Client, tmp_path: Path
) -> None:
    # The same validation fails when the data breaks the schema: it is really checking.
    path = _save(client, tmp_path)
    data = (tmp_path / "data.csv").read_text(encoding="utf-8")
    (tmp_path / "data.csv").write_text(data.replace(",50.00,", ",fifty,", 1), encoding="utf-8")
    report = frictionless.validate(str(path))
    assert not report.valid
    assert {e[0] for e in report.flatten(["type"])} == {"type-error"}


def test_the_frictionless_command_validates_the_package_of_a_past_snapshot(
    budget: BudgetData, client: Client, tmp_path: Path
) -> None:
    path = _save(client, tmp_path, "/budget/2026/2026-03-31/")
    done = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["valid"] is True


def test_the_demo_year_makes_a_valid_package_of_every_line(
    municipality: Any, client: Client, tmp_path: Path
) -> None:
    from dimos.budget.demo import seed_budget

    seed_budget()
    report = frictionless.validate(str(_save(client, tmp_path)))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])
    snapshot = Snapshot.objects.filter(year__year=2026).latest()
    lines = snapshot.amounts.count()
    with (tmp_path / "data.csv").open(encoding="utf-8") as f:
        assert sum(1 for _ in f) - 1 > 4 * lines
