"""Importing a 5,000-line execution file: time and peak memory (issue 14, docs/performance.md).

``python -m benchmarks.budget_import [--lines 5000] [--repeat 3]`` migrates a throwaway SQLite
database in a temporary folder (or uses ``DATABASE_URL``, which must be an empty database, for
PostgreSQL), makes a Serres-like execution file of ``--lines`` expenditure lines as CSV
(Windows-1253, ``;``, ``1.234,56``) and as XLSX, and measures for each:

- *read*: reading and checking the file (:func:`dimos.budget.importer.read_budget_file`);
- *preview*: the preview against the year's last snapshot (read + the comparison);
- *first import*: the year's first snapshot (every line, service and KAE code new);
- *next import*: a later snapshot of the same lines (the common monthly case).

Each step's time is the best of ``--repeat`` runs (wall clock); its peak memory is what Python
allocated at the most during one more run (``tracemalloc``, not timed). The process's peak
resident size is reported at the end. Results are printed and written to
``benchmarks/results/``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _setup(var_dir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dimos.settings")
    os.environ.setdefault("DIMOS_VAR_DIR", str(var_dir))
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _measure(step: Callable[[], Any], repeat: int, reset: Callable[[], None]) -> dict[str, float]:
    """The best time of ``repeat`` runs, then one more run under ``tracemalloc`` (which slows
    allocation several times, so it is never timed) for the peak memory."""
    times = []
    for _ in range(repeat):
        reset()
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    reset()
    tracemalloc.start()
    step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"seconds": round(min(times), 3), "peak_mb": round(peak / 1e6, 1)}


def _empty() -> None:
    """No year, snapshot, line, service or code below a group: every first import makes them."""
    from dimos.budget.models import BudgetLine, FiscalYear, Kae, Service, Snapshot

    Snapshot.objects.all().delete()
    BudgetLine.objects.all().delete()
    Service.objects.all().delete()
    for level in (5, 4, 3):
        Kae.objects.filter(level=level).delete()
    FiscalYear.objects.all().delete()


def _file_figures(name: str, first: bytes, second: bytes, repeat: int) -> dict[str, Any]:
    """The four steps for one file (``second`` is the next month's)."""
    from dimos.budget.importer import read_budget_file
    from dimos.budget.importing.preview import preview
    from dimos.budget.models import Snapshot
    from dimos.budget.services import import_snapshot

    october, november = date(2026, 10, 31), date(2026, 11, 30)

    def read() -> None:
        read_budget_file(name, first)

    def first_import() -> None:
        import_snapshot(year=2026, as_of=october, file_name=name, data=first, actor=None)

    def only_october() -> None:
        Snapshot.objects.filter(as_of=november).delete()
        if not Snapshot.objects.exists():
            first_import()

    def next_preview() -> None:
        preview(year=2026, as_of=november, name=name, data=second)

    def next_import() -> None:
        import_snapshot(year=2026, as_of=november, file_name=name, data=second, actor=None)

    _empty()
    figures: dict[str, Any] = {"bytes": len(first)}
    figures["read"] = _measure(read, repeat, lambda: None)
    figures["first_import"] = _measure(first_import, repeat, _empty)
    figures["preview"] = _measure(next_preview, repeat, only_october)
    figures["next_import"] = _measure(next_import, repeat, only_october)
    _empty()
    return figures


def run(lines: int, repeat: int) -> dict[str, Any]:
    from django.db import connection

    from dimos.budget.tests.files import big_expenditure, csv_bytes, xlsx_bytes

    rows = big_expenditure(lines)
    later = [(*row[:6], row[6], row[6]) for row in rows]  # paid catches up with ordered
    files = {
        "csv": (csv_bytes(rows, encoding="cp1253"), csv_bytes(later, encoding="cp1253")),
        "xlsx": (xlsx_bytes(rows), xlsx_bytes(later)),
    }

    figures = {
        kind: _file_figures(f"ektelesi.{kind}", first, second, repeat)
        for kind, (first, second) in files.items()
    }
    return {
        "lines": lines,
        "repeat": repeat,
        "database": connection.vendor,
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "files": figures,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None, help="Where to write the JSON.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dimos-budget-import-") as var_dir:
        _setup(Path(var_dir))
        report = run(args.lines, args.repeat)
    print(json.dumps(report, indent=2))
    out = args.out or (
        ROOT / "benchmarks" / "results" / f"{date.today()}-{report['database']}-budget-import.json"
    )
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"Written to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
