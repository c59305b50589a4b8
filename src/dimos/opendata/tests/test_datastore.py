"""Loading CSV and XLSX files into typed tables: types over the whole file, a stray value makes
text, problems in plain words, never half a file, the old table kept when a new one fails."""

from __future__ import annotations

import csv
import io
import sys
from typing import Any

import openpyxl
import pytest
from django.test import override_settings
from django.utils import translation

from dimos.opendata.datastore import Problem, kinds_of
from dimos.opendata.models import Dataset, DatastoreRow, DatastoreTable
from dimos.opendata.tests.catalogue import Catalogue, upload

pytestmark = pytest.mark.django_db


def _types(resource: Any) -> dict[str, str]:
    return {f["id"]: f["type"] for f in DatastoreTable.objects.get(resource=resource).fields}


def _messages(resource: Any) -> list[str]:
    resource.refresh_from_db()
    with translation.override("en"):
        return [Problem.from_dict(p).message() for p in resource.problems]


def test_types_are_inferred_over_the_whole_file(catalogue: Catalogue) -> None:
    lines = ["code,amount,when,flag"] + [
        f"{i},{i}.5,2026-01-{1 + i % 28:02d},{i}" for i in range(3000)
    ]
    lines.append("3000,12,2026-02-01,late-text")  # the last row only: the column becomes text
    resource = upload(catalogue.air, "Long", "long.csv", "\n".join(lines).encode())
    assert _types(resource) == {
        "code": "int",
        "amount": "numeric",
        "when": "timestamp",
        "flag": "text",
    }
    table = DatastoreTable.objects.get(resource=resource)
    assert table.total == 3001
    first = DatastoreRow.objects.get(table=table, n=1).data
    assert first == {"code": 0, "amount": 0.5, "when": "2026-01-01", "flag": "0"}


def test_values_a_type_does_not_fit_never_fail(catalogue: Catalogue) -> None:
    content = b"a,b,c\n1,2026-13-45,x\n,,\n2.5,01/02/2026,\n"
    resource = upload(catalogue.air, "Odd", "odd.csv", content)
    assert _types(resource) == {"a": "numeric", "b": "text", "c": "text"}
    assert resource.problems == []


def test_greek_windows_encoding_and_semicolons(catalogue: Catalogue) -> None:
    content = "Οδός;Θέσεις\nΕγνατία;3\nΤσιμισκή;2\n".encode("cp1253")
    resource = upload(catalogue.air, "Greek", "greek.csv", content)
    table = DatastoreTable.objects.get(resource=resource)
    assert _types(resource) == {"Οδός": "text", "Θέσεις": "int"}
    assert DatastoreRow.objects.get(table=table, n=1).data == {"Οδός": "Εγνατία", "Θέσεις": 3}


def test_utf8_with_a_bom_and_duplicate_or_empty_headers(catalogue: Catalogue) -> None:
    content = "\ufeffname,name,,_id\nα,β,γ,δ\n".encode()
    resource = upload(catalogue.air, "Headers", "h.csv", content)
    assert list(_types(resource)) == ["name", "name_2", "column_3", "id"]


def test_rows_with_problems_are_refused_whole_in_plain_words(catalogue: Catalogue) -> None:
    before = DatastoreTable.objects.get(resource=catalogue.air_csv)
    content = b"station,date,pm10\negnatia,2026-11-01,31\nkalamaria,2026-11-01\nx,y,z,extra\n"
    resource = upload(catalogue.air, "Μετρήσεις", "air.csv", content, resource=catalogue.air_csv)
    assert _messages(resource) == [
        "Row 3 has only 2 values, but the header names 3 columns.",
        "Row 4 has 4 values, but the header names 3 columns.",
    ]
    after = DatastoreTable.objects.get(resource=resource)
    assert after.pk == before.pk and after.total == 5  # the previous table stays
    assert resource.filename == "air.csv" and not resource.pending


def test_a_good_file_replaces_the_table_and_clears_the_problems(catalogue: Catalogue) -> None:
    upload(catalogue.air, "Μετρήσεις", "air.csv", b"a,b\n1\n", resource=catalogue.air_csv)
    resource = upload(
        catalogue.air, "Μετρήσεις", "air2.csv", b"a,b\n1,2\n3,4\n", resource=catalogue.air_csv
    )
    assert resource.problems == []
    assert DatastoreTable.objects.get(resource=resource).total == 2
    assert resource.filename == "air2.csv"


def test_many_problems_are_summed_up(catalogue: Catalogue) -> None:
    content = ("a,b\n" + "1\n" * 50).encode()
    resource = upload(catalogue.air, "Bad", "bad.csv", content)
    messages = _messages(resource)
    assert len(messages) == 21 and messages[-1] == "…and 30 more rows with problems."
    assert not DatastoreTable.objects.filter(resource=resource).exists()


@override_settings(DIMOS_OPENDATA_MAX_ROWS=10)
def test_too_many_rows(catalogue: Catalogue) -> None:
    resource = upload(catalogue.air, "Big", "big.csv", ("a\n" + "1\n" * 11).encode())
    assert _messages(resource) == ["The file has more than 10 rows, the most the catalogue loads."]


@override_settings(DIMOS_OPENDATA_MAX_COLUMNS=3)
def test_too_many_columns(catalogue: Catalogue) -> None:
    resource = upload(catalogue.air, "Wide", "wide.csv", b"a,b,c,d\n1,2,3,4\n")
    assert _messages(resource) == ["The file has 4 columns; the catalogue loads at most 3."]


def test_files_that_are_not_what_they_say(catalogue: Catalogue) -> None:
    assert _messages(upload(catalogue.air, "Empty", "empty.csv", b"")) == [
        "The file has no header row."
    ]
    assert _messages(upload(catalogue.air, "Zip", "x.xlsx", b"PK\x03\x04 not a zip")) == [
        "The file could not be read as an Excel workbook (XLSX)."
    ]
    binary = bytes(range(256)) * 4
    assert _messages(upload(catalogue.air, "Bin", "bin.csv", binary)) == [
        "The file is not text in UTF-8 or in the Greek Windows encoding (Windows-1253)."
    ]
    huge_field = b'a\n"' + b"x" * 200_000 + b'"\n'
    assert _messages(upload(catalogue.air, "Field", "field.csv", huge_field)) == [
        "The file could not be read as CSV at row 2."
    ]
    # Whatever another library did to the csv module's process-wide limit.
    previous = csv.field_size_limit(sys.maxsize)
    try:
        assert _messages(upload(catalogue.air, "Field2", "field2.csv", huge_field)) == [
            "The file could not be read as CSV at row 2."
        ]
    finally:
        csv.field_size_limit(previous)


def test_xlsx_is_read_with_its_types(catalogue: Catalogue) -> None:
    import datetime as dt

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Βιβλιοθήκη", "latitude", "longitude", "books", "opened"])
    sheet.append(["Κεντρική", 40.631, 22.953, 120000, dt.datetime(1978, 5, 1)])
    sheet.append(["Τούμπα", 40.611, 22.978, 8000, dt.datetime(1990, 1, 1)])
    out = io.BytesIO()
    book.save(out)
    resource = upload(catalogue.air, "Βιβλιοθήκες", "libraries.xlsx", out.getvalue())
    table = DatastoreTable.objects.get(resource=resource)
    assert _types(resource) == {
        "Βιβλιοθήκη": "text",
        "latitude": "numeric",
        "longitude": "numeric",
        "books": "int",
        "opened": "timestamp",
    }
    assert table.point == ["latitude", "longitude"]
    assert DatastoreRow.objects.get(table=table, n=2).data["opened"] == "1990-01-01T00:00:00"


def test_non_tabular_uploads_are_stored_at_once(catalogue: Catalogue) -> None:
    resource = upload(
        catalogue.air, "Map", "map.geojson", b'{"type": "FeatureCollection", "features": []}'
    )
    assert resource.format == "GeoJSON" and resource.size == 45 and not resource.pending
    assert not DatastoreTable.objects.filter(resource=resource).exists()
    assert (
        Dataset.objects.get(pk=catalogue.air.pk).changes.filter(summary="resource added").exists()
    )


@pytest.mark.parametrize(
    ("value", "kinds"),
    [
        ("12", {"int", "numeric"}),
        ("-3.5e2", {"numeric"}),
        ("2026-02-30", set()),
        ("2026-02-03T10:20", {"timestamp"}),
        ("31/12/2025", {"timestamp"}),
        ("nan", set()),
        ("1e999", set()),
        ("", {"int", "numeric", "timestamp"}),
        (True, set()),
    ],
)
def test_kinds_of_a_value(value: Any, kinds: set[str]) -> None:
    assert kinds_of(value) == kinds
