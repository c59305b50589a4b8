"""The open-data catalogue at scale (issue 15, docs/performance.md).

``python -m benchmarks.opendata [--datasets 10000] [--rows 1000000] [--requests 30]`` migrates a
throwaway SQLite database in a temporary folder (or uses ``DATABASE_URL``, an empty database,
for PostgreSQL) and measures, in-process with Django's test client, one request at a time:

- ``package_search`` with a query and five facets over ``--datasets`` datasets, against the
  floor (the full middleware stack around a view that does nothing, asked the same way,
  alternately): the ratio of their medians is the search's throughput as a share of the
  floor's (target ≥ 40 %);
- loading a CSV of ``--rows`` rows into the datastore (both passes): the time, and the peak
  memory Python allocated (``tracemalloc``, in a second, untimed run) for the file and for one
  a quarter of its size — equal peaks mean constant memory;
- ``datastore_search``'s first page and a filtered page of that table, against the floor
  (target ≥ 40 %).

Results are printed and written to ``benchmarks/results/``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FLOOR = "/_bench/floor"
FACETS = json.dumps(["organization", "groups", "tags", "res_format", "license_id"])
WORDS = ("κάδοι", "στάθμευση", "αέρας", "σχολεία", "ποδήλατο", "νερό", "θόρυβος", "πάρκα")


def _setup(var_dir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dimos.settings")
    os.environ.setdefault("DIMOS_VAR_DIR", str(var_dir))
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ["DIMOS_BENCH_FLOOR"] = "1"
    # The site stops a load after DIMOS_OPENDATA_MAX_SECONDS (15 minutes); the benchmark measures
    # the load itself, and tracemalloc's second run of a million rows on a shared machine takes
    # longer than that.
    os.environ.setdefault("DIMOS_OPENDATA_MAX_SECONDS", "7200")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed_datasets(count: int) -> None:
    """``count`` public datasets in bulk: five publishers, the themes, a few tags, a CSV each."""
    from dimos.core.text import fold
    from dimos.opendata import vocab
    from dimos.opendata.models import Dataset, Group, Organization, Resource, State, Tag

    rnd = random.Random(15)
    orgs = [
        Organization.objects.create(name=f"org-{i}", title_el=f"Διεύθυνση {i}") for i in range(5)
    ]
    groups = [
        Group.objects.create(name=code.lower(), theme=code, title_el=el, title_en=en)
        for code, (el, en) in vocab.THEMES.items()
    ]
    tags = [Tag.objects.create(name=w) for w in WORDS]
    licences = list(vocab.LICENCES)
    batch = []
    for i in range(count):
        word = rnd.choice(WORDS)
        title = f"{word.capitalize()} {i} — σύνολο δεδομένων"
        batch.append(
            Dataset(
                name=f"dataset-{i:05d}",
                title_el=title,
                title_en=f"Dataset {i}",
                notes_el=f"Περιγραφή του συνόλου {i} για {word}.",
                organization=rnd.choice(orgs),
                license_id=rnd.choice(licences),
                state=State.ACTIVE,
                search_text=fold(f"dataset-{i:05d} {title} Dataset {i} {word}"),
            )
        )
    Dataset.objects.bulk_create(batch, batch_size=2000)
    datasets = list(Dataset.objects.only("pk"))
    Dataset.tags.through.objects.bulk_create(
        [Dataset.tags.through(dataset_id=d.pk, tag_id=rnd.choice(tags).pk) for d in datasets],
        batch_size=5000,
    )
    Dataset.groups.through.objects.bulk_create(
        [Dataset.groups.through(dataset_id=d.pk, group_id=rnd.choice(groups).pk) for d in datasets],
        batch_size=5000,
    )
    Resource.objects.bulk_create(
        [
            Resource(
                dataset_id=d.pk, name_el="Δεδομένα", format=rnd.choice(("CSV", "JSON", "XLSX"))
            )
            for d in datasets
        ],
        batch_size=5000,
    )


COLD = False  # --cold: the cache emptied before each request (the floor's too)


def _timed(client: Any, path: str) -> float:
    if COLD:
        from django.core.cache import cache

        cache.clear()
    started = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}: {response.content[:300]!r}")
    return elapsed * 1000


def against_floor(path: str, requests: int) -> dict[str, Any]:
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="el")
    _timed(client, FLOOR)
    _timed(client, path)
    floor, page = [], []
    for _ in range(requests):
        floor.append(_timed(client, FLOOR))
        page.append(_timed(client, path))
    floor_ms, page_ms = statistics.median(floor), statistics.median(page)
    return {
        "path": path,
        "requests": requests,
        "floor_ms_median": round(floor_ms, 2),
        "ms_median": round(page_ms, 2),
        "ms_p90": round(statistics.quantiles(page, n=10)[-1], 2),
        "vs_floor": round(floor_ms / page_ms, 3) if page_ms else None,
    }


def write_csv(path: Path, rows: int) -> None:
    rnd = random.Random(1)
    stations = ("agia-sofia", "egnatia", "kalamaria", "martiou", "neapoli")
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["station", "day", "pm10", "no2", "lat", "lon", "note"])
        for i in range(rows):
            writer.writerow(
                [
                    rnd.choice(stations),
                    f"20{10 + i % 16}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    round(rnd.random() * 80, 1),
                    rnd.randint(5, 90),
                    round(40.6 + rnd.random() / 20, 5),
                    round(22.9 + rnd.random() / 20, 5),
                    "" if i % 50 else "βροχή",
                ]
            )


def ingest(rows: int, folder: Path) -> tuple[dict[str, Any], str]:
    """Load a CSV of ``rows`` rows (timed), then again under tracemalloc (its peak), and a
    quarter-size file under tracemalloc too. Answers the figures and the resource's id."""
    from django.core.files import File

    from dimos.opendata import datastore
    from dimos.opendata.models import Dataset, DatastoreTable, Resource

    dataset = Dataset.objects.order_by("name").first()
    assert dataset is not None
    figures: dict[str, Any] = {"rows": rows}
    resource_id = ""
    for label, count in (("full", rows), ("quarter", max(1, rows // 4))):
        path = folder / f"{label}.csv"
        write_csv(path, count)
        resource = Resource(dataset=dataset, name_el=f"Μετρήσεις {label}", format="CSV")
        with path.open("rb") as handle:
            resource.file.save(path.name, File(handle), save=True)
        opener = datastore.opener_for(resource.file)
        if label == "full":
            started = time.perf_counter()
            result = datastore.load(resource, opener, "CSV")
            figures["seconds"] = round(time.perf_counter() - started, 1)
            figures["bytes"] = path.stat().st_size
            assert result.ok, result.problems
            resource_id = str(resource.pk)
            print(f"loaded {count} rows in {figures['seconds']} s", file=sys.stderr, flush=True)
        tracemalloc.start()
        result = datastore.load(resource, opener, "CSV")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert result.ok, result.problems
        figures[f"peak_mb_{label}"] = round(peak / 1e6, 1)
        figures[f"rows_{label}"] = DatastoreTable.objects.get(resource=resource).total
        print(f"{label}: peak {figures[f'peak_mb_{label}']} MB", file=sys.stderr, flush=True)
    return figures, resource_id


def run(datasets: int, rows: int, requests: int) -> dict[str, Any]:
    from django.db import connection

    started = time.perf_counter()
    seed_datasets(datasets)
    seeded_s = round(time.perf_counter() - started, 1)
    search = against_floor(
        f"/api/3/action/package_search?q=κάδοι&rows=10&facet.field={FACETS}", requests
    )
    with tempfile.TemporaryDirectory() as folder:
        loaded, resource_id = ingest(rows, Path(folder))
    first = against_floor(f"/api/3/action/datastore_search?resource_id={resource_id}", requests)
    filtered = against_floor(
        "/api/3/action/datastore_search?resource_id="
        + resource_id
        + '&filters={"station":"egnatia","no2":42}&limit=100',
        requests,
    )
    results = {
        "package_search": search,
        "datastore_first_page": first,
        "datastore_filtered_page": filtered,
    }
    return {
        "cold": COLD,
        "datasets": datasets,
        "seed_seconds": seeded_s,
        "database": connection.vendor,
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "ingestion": loaded,
        "requests": results,
        "targets": [
            {
                "target": f"{name} ≥ 40% of the floor",
                "measured": r["vs_floor"],
                "pass": (r["vs_floor"] or 0) >= 0.4,
            }
            for name, r in results.items()
        ],
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--datasets", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument(
        "--cold", action="store_true", help="empty the cache before each request (no kept answer)"
    )
    parser.add_argument("--out", type=Path, default=None, help="Where to write the JSON.")
    args = parser.parse_args()
    global COLD
    COLD = args.cold
    with tempfile.TemporaryDirectory(prefix="dimos-opendata-") as var_dir:
        _setup(Path(var_dir))
        report = run(args.datasets, args.rows, args.requests)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    out = args.out or (
        ROOT
        / "benchmarks"
        / "results"
        / f"{date.today()}-{report['database']}-opendata{'-cold' if COLD else ''}.json"
    )
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"Written to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
