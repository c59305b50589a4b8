"""The open budget at a city's scale for the load benchmark (``--budget``, docs/performance.md).

The data set is the demo's (:mod:`dimos.budget.demo`, seeded by ``dimos demo`` in bulk in
seconds): three years of about 1,500 lines each with their monthly snapshots — 35 snapshots,
some 52,000 rows of amounts. :func:`main`, run in ``dimos shell`` of the benchmark's database,
checks it is there, names the pages measured (left out while this version has no such page)
and measures a chart's PNG **cold**: the chart kit keeps each rendered PNG in the cache by its
spec, so under load the PNG endpoint mostly reads the cache; here the cache is emptied before
each request, so every download renders the chart (vl-convert) and reads the page's figures
again, against the floor page requested the same way, one request at a time, in-process.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

YEAR = 2026
PAGES = {
    "budget_overview": f"/budget/{YEAR}/",
    "budget_drill": f"/budget/{YEAR}/expenditure/kae/60/",
    "budget_png": f"/budget/{YEAR}/expenditure/kae/60/?chart=shares&format=png",
}
COLD_REQUESTS = 20
FLOOR = "/_bench/floor"
HOST = "127.0.0.1"  # one of the benchmark server's ALLOWED_HOSTS


def seeded() -> dict[str, int]:
    from dimos.budget.models import BudgetLine, FiscalYear, LineAmounts, Snapshot

    return {
        "years": FiscalYear.objects.filter(published=True).count(),
        "lines": BudgetLine.objects.count(),
        "snapshots": Snapshot.objects.count(),
        "amounts": LineAmounts.objects.count(),
    }


def paths() -> dict[str, str]:
    """Each measured page's path, or "" when this version has no page there."""
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="el", HTTP_HOST=HOST)
    return {
        name: path if client.get(path).status_code == 200 else "" for name, path in PAGES.items()
    }


def _timed(client: Any, path: str, *, clear: bool) -> float:
    from django.core.cache import cache

    if clear:
        cache.clear()
    started = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return elapsed * 1000


def cold_png(path: str, requests: int = COLD_REQUESTS) -> dict[str, Any]:
    """Milliseconds per request of the PNG with the cache emptied before each, and of the
    floor the same way; their ratio is the cold PNG's throughput as a share of the floor's."""
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="el", HTTP_HOST=HOST)
    _timed(client, FLOOR, clear=True)  # imports and connections, not measured
    floor, png = [], []
    for _ in range(requests):
        # Alternating, so a drift in the machine's load hits both.
        floor.append(_timed(client, FLOOR, clear=True))
        png.append(_timed(client, path, clear=True))
    floor_ms, png_ms = statistics.median(floor), statistics.median(png)
    return {
        "path": path,
        "requests": requests,
        "floor_ms_median": round(floor_ms, 2),
        "png_ms_median": round(png_ms, 1),
        "png_ms_p90": round(statistics.quantiles(png, n=10)[-1], 1),
        "vs_floor": round(floor_ms / png_ms, 4) if png_ms else None,
    }


def targets(cold: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The PNG target measured cold: its throughput at least 30 % of the floor's."""
    if not cold:
        return []
    ratio = cold["vs_floor"] or 0.0
    return [
        {
            "target": "budget_png cold (cache emptied before each): ≥ 30% of the floor's",
            "measured": f"{ratio:.1%} of the floor ({cold['png_ms_median']} ms against "
            f"{cold['floor_ms_median']} ms a request, medians of {cold['requests']})",
            "pass": ratio >= 0.3,
        }
    ]


def main() -> None:
    """What ``dimos shell -c`` runs: the figures, the pages, the cold PNG."""
    found = paths()
    cold = cold_png(found["budget_png"]) if found["budget_png"] else None
    print("BUDGET=" + json.dumps({"seeded": seeded(), "paths": found, "cold_png": cold}))


PROBE_TIMEOUT = 600


def prepare(env: dict[str, str], log: Path) -> dict[str, Any]:
    """Run :func:`main` in a ``dimos shell`` of the benchmark's database."""
    from benchmarks.server import dimos_command

    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); from benchmarks.budget import main; main()"
    )
    out = dimos_command(env, log, "shell", "-c", code, timeout=PROBE_TIMEOUT)
    line = next((x for x in out.splitlines() if x.startswith("BUDGET=")), "")
    if not line:
        raise RuntimeError(f"the budget was not probed; see {log}")
    data: dict[str, Any] = json.loads(line.removeprefix("BUDGET="))
    if not data["seeded"]["lines"]:
        raise RuntimeError("no budget lines: dimos demo did not seed the budget")
    return data
