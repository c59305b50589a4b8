"""The reports' open data: public reports only, and nothing personal in them."""

from __future__ import annotations

import json

import pytest

from dimos.core.registry import open_datasets
from dimos.reports import open_data
from dimos.reports.models import Status
from dimos.reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_public_reports_without_personal_data() -> None:
    shown = ReportFactory(
        status=Status.OPEN,
        lat=40.632149,
        lon=22.941234,
        reporter_name="Μαρία Π.",
        address="Εγνατία 10",
    )
    ReportFactory(status=Status.UNCONFIRMED)
    ReportFactory(status=Status.OPEN, is_hidden=True)
    table = open_data.table()
    rows = list(table.rows)
    assert len(rows) == 1
    row = dict(zip(table.columns, rows[0], strict=True))
    assert row["id"] == shown.pk and row["open"] is True
    assert (row["latitude"], row["longitude"]) == (40.6321, 22.9412)
    text = repr(rows) + open_data.geojson().decode()
    for personal in ("Μεγάλη λακκούβα", "reporter@example.org", "Μαρία", "Εγνατία 10"):
        assert personal not in text
    feature = json.loads(open_data.geojson())["features"][0]
    assert feature["geometry"]["coordinates"] == [22.9412, 40.6321]


def test_reports_declare_their_datasets_on_the_manifest() -> None:
    keys = {d.key for d in open_datasets()}
    assert "issue-reports" in keys
