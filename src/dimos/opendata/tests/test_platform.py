"""The platform's own datasets: each app declares its own on its manifest; the catalogue
refreshes them from the registry, by scheduled task, without naming an app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from dimos.core import registry as r
from dimos.core.registry import OpenDataFile, OpenDataset, Table
from dimos.opendata import platform
from dimos.opendata.models import Dataset, DatastoreRow, DatastoreTable, PlatformRefresh, State

pytestmark = pytest.mark.django_db

CALLS: list[str] = []
ROWS: list[list[Any]] = [[1, "Α", dt.date(2026, 1, 1)], [2, "Β", None]]


def _table() -> Table:
    CALLS.append("table")
    return Table(columns=("n", "name", "day"), rows=iter(ROWS))


def _broken() -> Table:
    raise RuntimeError("the producer failed")


SAMPLE = OpenDataset(
    key="sample-data",
    title="Δείγμα",
    description="Ένα δείγμα.",
    files=(
        OpenDataFile(key="csv", name="Πίνακας", format="CSV", produce=_table),
        OpenDataFile(key="json", name="JSON", format="JSON", produce=lambda: b'{"a": 1}'),
    ),
    keywords=("δείγμα",),
    theme="SOCI",
    frequency="WEEKLY",
    refresh_hours=12,
)


@pytest.fixture
def sample() -> Iterator[OpenDataset]:
    r.registry.open_datasets[SAMPLE.key] = SAMPLE
    CALLS.clear()
    yield SAMPLE
    r.registry.open_datasets.pop(SAMPLE.key, None)


def test_the_installed_apps_declare_their_datasets() -> None:
    keys = [d.key for d in r.open_datasets()]
    for key in (
        "issue-reports",
        "certificates-issued",
        "appointment-volumes",
        "budget",
        "council-decisions",
    ):
        assert key in keys


def test_a_refresh_publishes_a_dataset_with_its_files_and_table(
    sample: OpenDataset, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        assert platform.refresh_key("sample-data") == "done"
    dataset = Dataset.objects.get(platform_key="sample-data")
    assert (
        dataset.name == "sample-data"
        and dataset.state == State.ACTIVE
        and dataset.source == "platform"
    )
    assert dataset.frequency == "WEEKLY" and [g.theme for g in dataset.groups.all()] == ["SOCI"]
    csv_file, json_file = dataset.resources.order_by("position")
    assert csv_file.format == "CSV" and json_file.format == "JSON"
    assert csv_file.file.read().decode() == "n,name,day\r\n1,Α,2026-01-01\r\n2,Β,\r\n"
    table = DatastoreTable.objects.get(resource=csv_file)
    assert table.fields == [
        {"id": "n", "type": "int"},
        {"id": "name", "type": "text"},
        {"id": "day", "type": "timestamp"},
    ]
    assert DatastoreRow.objects.filter(table=table).count() == 2
    mark = PlatformRefresh.objects.get(key="sample-data")
    assert mark.planned_for is not None and mark.planned_for > timezone.now() + dt.timedelta(
        hours=11
    )
    # The next refresh, planned with run_after once the refresh commits.
    assert [c for c in callbacks if getattr(c, "__name__", "") == "_enqueue"]


def test_the_same_bytes_change_nothing_and_new_ones_replace_the_table(sample: OpenDataset) -> None:
    platform.refresh_key("sample-data")
    dataset = Dataset.objects.get(platform_key="sample-data")
    csv_file = dataset.resources.get(platform_key="csv")
    modified, table_pk = dataset.modified, DatastoreTable.objects.get(resource=csv_file).pk
    platform.refresh_key("sample-data")
    dataset.refresh_from_db()
    assert dataset.modified == modified
    assert DatastoreTable.objects.get(resource=csv_file).pk == table_pk
    ROWS.append([3, "Γ", dt.date(2026, 2, 1)])
    try:
        platform.refresh_key("sample-data")
    finally:
        ROWS.pop()
    assert DatastoreTable.objects.get(resource=csv_file).total == 3
    dataset.refresh_from_db()
    assert dataset.modified > modified


def test_a_planned_run_that_was_superseded_does_nothing(sample: OpenDataset) -> None:
    platform.refresh_key("sample-data")
    assert platform.refresh_key("sample-data", planned="2000-01-01T00:00:00+00:00") == "superseded"
    assert CALLS == ["table"]
    mark = PlatformRefresh.objects.get(key="sample-data")
    assert platform.refresh_key("sample-data", planned=mark.planned_for.isoformat()) == "done"


def test_a_failing_producer_keeps_the_last_files_and_is_noted(sample: OpenDataset) -> None:
    platform.refresh_key("sample-data")
    broken = OpenDataset(
        key="sample-data",
        title="Δείγμα",
        description="x",
        files=(OpenDataFile(key="csv", name="Πίνακας", format="CSV", produce=_broken),),
    )
    r.registry.open_datasets["sample-data"] = broken
    assert platform.refresh_key("sample-data") == "failed"
    assert "the producer failed" in PlatformRefresh.objects.get(key="sample-data").last_error
    dataset = Dataset.objects.get(platform_key="sample-data")
    assert (
        DatastoreTable.objects.get(resource__dataset=dataset, resource__platform_key="csv").total
        == 2
    )


def test_every_installed_apps_dataset_refreshes_on_an_empty_platform() -> None:
    results = platform.refresh_all()
    assert all(line.endswith("done") for line in results), results
    keys = set(Dataset.objects.values_list("platform_key", flat=True))
    assert {
        "issue-reports",
        "certificates-issued",
        "appointment-volumes",
        "council-decisions",
    } <= keys
    assert "budget" not in keys  # no published year: nothing to publish yet
    reports = Dataset.objects.get(platform_key="issue-reports")
    assert sorted(reports.resources.values_list("format", flat=True)) == ["CSV", "GeoJSON"]
