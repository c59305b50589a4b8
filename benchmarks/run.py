"""Load benchmark of Dimos: ``python -m benchmarks.run --help`` (method: docs/performance.md).

Sets up a scratch database with the demo data, starts ``dimos serve`` on loopback, and loads
each endpoint from a separate process (wrk, or the Python generator), alternating with the
floor page so that the machine's noise hits both. Reports requests/s, latency percentiles and
errors, each also as a ratio to the floor, and writes JSON to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from types import FrameType
from typing import Any

from benchmarks import activities as activities_bench
from benchmarks import advocate as advocate_bench
from benchmarks import booking_rush, loadgen, pageweight
from benchmarks import budget as budget_bench
from benchmarks import council as council_bench
from benchmarks import feedback as feedback_bench
from benchmarks import ideas as ideas_bench
from benchmarks import relief as relief_bench
from benchmarks.endpoints import ENDPOINTS, FLOOR, Endpoint, parse_cli_endpoint
from benchmarks.server import (
    DEFAULT_POSTGRES_URL,
    HOST,
    Database,
    Server,
    create_database,
    database_version,
    drop_database,
    export_rss,
    free_port,
    generate_reports,
    issue_api_key,
    postgres,
    prepare_data,
    server_env,
)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
PAGE_WEIGHT_LIMIT = 60_000  # bytes (60 kB) for the home page and its assets, compressed

Measure = Callable[[Endpoint, float], loadgen.Result]


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description="Load-test dimos serve against the floor page; report ratios.",
    )
    p.add_argument(
        "--db",
        choices=["sqlite", "postgresql"],
        default="sqlite",
        help="database (default sqlite, in a scratch directory)",
    )
    p.add_argument(
        "--database-url",
        default="",
        help=f"PostgreSQL database to drop, create and use (default {DEFAULT_POSTGRES_URL}); "
        "its name must contain 'bench'",
    )
    p.add_argument("--keep-db", action="store_true", help="do not drop the PostgreSQL database")
    p.add_argument("--cache-url", default="", help="CACHE_URL for the server (default disk://)")
    p.add_argument("--duration", type=float, default=10.0, help="seconds per endpoint (10)")
    p.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="slices per endpoint, each paired with a floor slice in ABBA order (2)",
    )
    p.add_argument("--warmup", type=float, default=2.0, help="unrecorded seconds first (2)")
    p.add_argument("--concurrency", type=int, default=16, help="open connections (16)")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    p.add_argument("--threads", type=int, default=1, help="threads per worker (1)")
    p.add_argument("--timeout", type=float, default=5.0, help="per request, seconds (5)")
    p.add_argument(
        "--loadgen", choices=["auto", "wrk", "python"], default="auto", help="auto: wrk if found"
    )
    p.add_argument("--loadgen-threads", type=int, default=1, help="wrk threads (1)")
    p.add_argument(
        "--endpoint",
        action="append",
        default=[],
        metavar="NAME=/PATH",
        help="measure this path too (repeatable)",
    )
    p.add_argument("--only", action="append", default=[], metavar="NAME", help="measure only these")
    p.add_argument(
        "--reports",
        type=int,
        default=0,
        metavar="N",
        help="after the demo data, add N reports (dimos generate_reports) and measure the "
        "issue-reports endpoints, the Open311 submission and the CSV export's memory",
    )
    p.add_argument(
        "--data-from",
        type=Path,
        metavar="FILE",
        help="SQLite: start from a copy of this database (e.g. one with 1,000,000 reports, "
        "saved with --keep-scratch) instead of generating the reports again",
    )
    p.add_argument(
        "--reuse-db",
        action="store_true",
        help="PostgreSQL: use the database as it is (kept with --keep-db), generate nothing",
    )
    p.add_argument(
        "--no-export", action="store_true", help="with --reports: skip the CSV export's memory"
    )
    p.add_argument(
        "--booking-rush",
        action="store_true",
        help="appointments: CLIENTS residents race for SEATS seats through the API, once a "
        "round, between two rushes of the floor; the database is checked after each round "
        "(exit status 1 when a booking invariant breaks)",
    )
    p.add_argument("--rush-clients", type=int, default=500, help="booking rush clients (500)")
    p.add_argument("--rush-seats", type=int, default=100, help="seats in the window (100)")
    p.add_argument("--rush-desks", type=int, default=2, help="seats per slot (2)")
    p.add_argument("--rush-rounds", type=int, default=3, help="rushes, each on its own slots (3)")
    p.add_argument(
        "--rush-timeout", type=float, default=120.0, help="per rush request, seconds (120)"
    )
    p.add_argument(
        "--relief",
        type=int,
        default=0,
        metavar="N",
        help="after the demo data, add N open relief requests and N/10 volunteers "
        "(benchmarks/relief.py) and measure the signed-in relief pages",
    )
    p.add_argument(
        "--council",
        type=int,
        default=0,
        metavar="N",
        help="after the demo data, add N held council and committee meetings over ten years "
        "(25 items and decisions each; benchmarks/council.py; 600 for the issue's ten years) "
        "and measure a meeting page, the OParl meetings list and the council search",
    )
    p.add_argument(
        "--budget",
        action="store_true",
        help="measure the open budget on the demo's three years (benchmarks/budget.py): a "
        "year's overview, a drill-down page and a chart's PNG, kept and cold",
    )
    p.add_argument(
        "--activities",
        action="store_true",
        help="add 300 programmes and measure the activities catalogue, then a registration "
        "rush: --activity-families at once for --activity-seats places (benchmarks/activities.py)",
    )
    p.add_argument(
        "--activity-families", type=int, default=1000, help="registration rush families (1000)"
    )
    p.add_argument("--activity-seats", type=int, default=200, help="places in the rush (200)")
    p.add_argument(
        "--activity-programmes", type=int, default=300, help="programmes in the catalogue (300)"
    )
    p.add_argument(
        "--ideas",
        action="store_true",
        help="add a competition of --ideas-count ideas and measure its page and list, then a "
        "vote rush: --ideas-voters residents at once on 50 ideas (benchmarks/ideas.py)",
    )
    p.add_argument("--ideas-count", type=int, default=500, help="ideas on the page (500)")
    p.add_argument("--ideas-voters", type=int, default=2000, help="vote rush residents (2000)")
    p.add_argument(
        "--advocate",
        type=int,
        default=0,
        metavar="N",
        help="after the demo data, add N complaints to the Advocate over five years "
        "(benchmarks/advocate.py) and measure the annual report, the public figures and the "
        "start page",
    )
    p.add_argument(
        "--feedback",
        type=int,
        default=0,
        metavar="N",
        help="after the demo data, add N ratings of completed transactions over twelve months "
        "(benchmarks/feedback.py; 1000000 for the issue's figure) and measure the public "
        "performance pages of the municipality and of a service",
    )
    p.add_argument("--list", action="store_true", help="list the endpoints and exit")
    p.add_argument("--no-page-weight", action="store_true", help="skip the page-weight check")
    p.add_argument("--label", default="", help="added to the result file's name and JSON")
    p.add_argument("--output", type=Path, help="result file (default benchmarks/results/…)")
    p.add_argument("--no-save", action="store_true", help="print only, write no JSON")
    p.add_argument("--keep-scratch", action="store_true", help="keep the scratch dir and logs")
    args = p.parse_args(argv)
    if args.reports < 0 or args.council < 0 or args.advocate < 0:
        p.error("--reports, --council and --advocate must be zero or more")
    if args.duration <= 0 or args.rounds < 1 or args.concurrency < 1 or args.workers < 1:
        p.error("duration, rounds, concurrency and workers must be positive")
    if min(args.rush_clients, args.rush_seats, args.rush_desks, args.rush_rounds) < 1:
        p.error("the booking rush's clients, seats, desks and rounds must be positive")
    if args.rush_seats % args.rush_desks:
        p.error("--rush-seats must be a multiple of --rush-desks")
    if args.label and not re.fullmatch(r"[A-Za-z0-9._-]+", args.label):
        p.error("the label may hold only letters, digits, '.', '_' and '-'")
    if args.database_url:
        args.db = "postgresql"
    return args


def _endpoints(args: argparse.Namespace) -> list[Endpoint]:
    chosen = {
        k: e
        for k, e in ENDPOINTS.items()
        if (args.reports or not e.needs_reports)
        and (args.relief or not e.needs_relief)
        and (args.council or not e.needs_council)
        and (args.budget or not e.needs_budget)
        and (args.feedback or not e.needs_feedback)
        and (args.activities or not e.needs_activities)
        and (args.ideas or not e.needs_ideas)
        and (args.advocate or not e.needs_advocate)
    }
    for spec in args.endpoint:
        try:
            extra = parse_cli_endpoint(spec)
        except ValueError as exc:
            raise SystemExit(str(exc)) from exc
        chosen[extra.name] = extra
    if args.only:
        unknown = set(args.only) - set(chosen)
        if unknown:
            raise SystemExit(f"unknown endpoint(s): {', '.join(sorted(unknown))}")
        chosen = {k: v for k, v in chosen.items() if k in args.only}
    return list(chosen.values())


def _council_paths(endpoints: list[Endpoint], paths: dict[str, str]) -> list[Endpoint]:
    """The council's endpoints name their pages once the meetings are seeded (a meeting's id);
    one whose page the code does not have yet (an empty path) is left out, and said so."""
    resolved = []
    for e in endpoints:
        if not e.needs_council:
            resolved.append(e)
            continue
        path = e.path.format(**paths)
        if not path:
            print(f"  {e.name}: no such page in this version, not measured", flush=True)
            continue
        resolved.append(dataclasses.replace(e, path=path))
    return resolved


def _advocate_paths(endpoints: list[Endpoint], paths: dict[str, str]) -> list[Endpoint]:
    """The Advocate's endpoints name their pages once seeded (last year's report); one whose
    page this version does not have (an empty path) is left out, and said so."""
    resolved = []
    for e in endpoints:
        if not e.needs_advocate:
            resolved.append(e)
            continue
        path = e.path.format(**paths)
        if not path:
            print(f"  {e.name}: no such page in this version, not measured", flush=True)
            continue
        resolved.append(dataclasses.replace(e, path=path))
    return resolved


def _budget_paths(endpoints: list[Endpoint], paths: dict[str, str]) -> list[Endpoint]:
    """The budget's endpoints whose page this version has; the others left out, and said so."""
    kept = []
    for e in endpoints:
        if e.needs_budget and not paths.get(e.name):
            print(f"  {e.name}: no such page in this version, not measured", flush=True)
            continue
        kept.append(e)
    return kept


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return ""


def _git() -> dict[str, Any]:
    def git(*a: str) -> str:
        out = subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True, timeout=10)
        return out.stdout.strip() if out.returncode == 0 else ""

    return {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain"))}


def _machine() -> dict[str, Any]:
    return {
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "processor": platform.machine(),
        "python": platform.python_version(),
        "django": _version("django"),
        "gunicorn": _version("gunicorn"),
        "whitenoise": _version("whitenoise"),
    }


def _preflight(
    base_url: str, endpoint: Endpoint, headers: dict[str, str], body: str = ""
) -> dict[str, Any]:
    """One request before loading: a wrong path should fail loudly, not measure a 404.

    Its time is the cold figure: the first request, before any cache holds the answer.
    """
    request = urllib.request.Request(
        base_url + endpoint.path,
        headers=headers,
        data=body.encode() if endpoint.method == "POST" else None,
        method=endpoint.method,
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            size = len(r.read())
            status = r.status
    except urllib.error.HTTPError as exc:
        size, status = len(exc.read()), exc.code
    return {"status": status, "bytes": size, "ms": round((time.monotonic() - started) * 1000, 1)}


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 3) if b else None


def _cpu_ms(result: loadgen.Result) -> float | None:
    cpu = result.get("server_cpu_s")
    return round(cpu * 1000 / result["requests"], 3) if cpu and result["requests"] else None


def _merge(results: list[loadgen.Result]) -> loadgen.Result:
    merged = loadgen.merge(results)
    cpus = [r.get("server_cpu_s") for r in results]
    merged["server_cpu_s"] = sum(c for c in cpus if c is not None) if None not in cpus else None
    return merged


def _summary(endpoint: Endpoint, result: loadgen.Result, floor: loadgen.Result) -> dict[str, Any]:
    lat, flat = result["latency_ms"], floor["latency_ms"]
    cpu, floor_cpu = _cpu_ms(result), _cpu_ms(floor)
    return {
        "name": endpoint.name,
        "path": endpoint.path,
        "description": endpoint.description,
        "headers": dict(endpoint.headers),
        "rps": result["rps"],
        "latency_ms": lat,
        "errors": result["errors"],
        "requests": result["requests"],
        "bytes_per_response": round(result["bytes"] / result["requests"])
        if result["requests"]
        else 0,
        # The server's CPU time (gunicorn master and workers) per request: barely moved by
        # other load on the machine, unlike requests/s.
        "server_cpu_ms_per_request": cpu,
        # Throughput as a share of the floor's; latencies as multiples of the floor's.
        "vs_floor": {
            "rps": _ratio(result["rps"], floor["rps"]),
            "p50": _ratio(lat["p50"], flat["p50"]),
            "p95": _ratio(lat["p95"], flat["p95"]),
            "p99": _ratio(lat["p99"], flat["p99"]),
            "cpu": _ratio(cpu, floor_cpu) if cpu and floor_cpu else None,
        },
        "floor": {k: floor[k] for k in ("rps", "latency_ms", "errors", "requests")}
        | {"server_cpu_ms_per_request": floor_cpu},
    }


def floor_of(endpoint: Endpoint) -> Endpoint:
    """The floor to compare ``endpoint`` with: signed in as the same person, if it is."""
    if not endpoint.session:
        return FLOOR
    return dataclasses.replace(FLOOR, name=f"floor:{endpoint.session}", session=endpoint.session)


def _measure_all(
    endpoints: list[Endpoint], measure: Measure, args: argparse.Namespace
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    all_floor: list[loadgen.Result] = []
    piece = args.duration / args.rounds
    for endpoint in endpoints:
        print(f"  {endpoint.name} ({endpoint.path})", flush=True)
        if args.warmup > 0:
            measure(floor_of(endpoint), min(args.warmup, 1.0))
            measure(endpoint, args.warmup)
        mine: list[loadgen.Result] = []
        floor: list[loadgen.Result] = []
        for i in range(args.rounds):
            # ABBA: floor, page | page, floor | … so a drift in the machine's load hits both.
            order = [(floor_of(endpoint), floor), (endpoint, mine)]
            for target, into in order if i % 2 == 0 else reversed(order):
                r = measure(target, piece)
                into.append(r)
                lat, cpu = r["latency_ms"], _cpu_ms(r)
                print(
                    f"    {target.name:<12} {r['rps']:>8.1f} req/s  p50 {lat['p50']:.1f} ms"
                    f"  p99 {lat['p99']:.1f} ms  errors {r['errors']['total']}"
                    + (f"  server CPU {cpu:.2f} ms/req" if cpu is not None else ""),
                    flush=True,
                )
        merged, floor_merged = _merge(mine), _merge(floor)
        row = _summary(endpoint, merged, floor_merged)
        row["slices"] = {"endpoint": [_slim(r) for r in mine], "floor": [_slim(r) for r in floor]}
        rows.append(row)
        all_floor += floor
    floor_all = _merge(all_floor)
    floor_row = _summary(FLOOR, floor_all, floor_all)
    return [floor_row, *rows]


def _slim(r: loadgen.Result) -> dict[str, Any]:
    return {k: v for k, v in r.items() if k != "quantiles_ms"}


def _targets(
    rows: list[dict[str, Any]], endpoints: list[Endpoint], weight: dict[str, Any] | None
) -> list[dict[str, Any]]:
    targets = []
    by_name = {r["name"]: r for r in rows}
    for e in endpoints:
        if e.name not in by_name:
            continue
        row = by_name[e.name]
        lat = row["latency_ms"]
        if e.max_p99_over_p50 is not None:
            spread = lat["p99"] / lat["p50"] if lat["p50"] else float("inf")
            targets.append(
                {
                    "target": f"{e.name}: p99 < {e.max_p99_over_p50:g} × p50",
                    "measured": f"p99 {lat['p99']:.1f} ms = {spread:.1f} × p50 "
                    f"({lat['p50']:.1f} ms)",
                    "pass": spread < e.max_p99_over_p50,
                }
            )
        if e.zero_errors:
            targets.append(
                {
                    "target": f"{e.name}: sustained with 0 errors",
                    "measured": f"{row['requests']} requests ({row['rps']:.0f}/s), "
                    f"{row['errors']['total']} errors",
                    "pass": row["errors"]["total"] == 0 and row["requests"] > 0,
                }
            )
        if e.min_floor_ratio is None:
            continue
        ratio = row["vs_floor"]["rps"] or 0.0
        targets.append(
            {
                "target": f"{e.name}: throughput ≥ {e.min_floor_ratio:.0%} of the floor's, "
                "0 errors",
                "measured": f"{ratio:.0%} of the floor, {row['errors']['total']} errors",
                "pass": ratio >= e.min_floor_ratio and row["errors"]["total"] == 0,
            }
        )
    if weight is not None:
        targets.append(
            {
                "target": f"home page with all its assets ≤ {PAGE_WEIGHT_LIMIT / 1000:.0f} kB "
                "(br/gzip)",
                "measured": f"{weight['total_bytes'] / 1000:.1f} kB in {len(weight['files'])} "
                f"files, {len(weight['errors'])} errors",
                "pass": weight["total_bytes"] <= PAGE_WEIGHT_LIMIT and not weight["errors"],
            }
        )
    return targets


def _n(value: float | None, width: int, digits: int) -> str:
    return f"{value:>{width}.{digits}f}" if value is not None else f"{'-':>{width}}"


def _print_report(report: dict[str, Any]) -> None:
    cfg = report["config"]
    print(
        f"\n{report['database']['version']}, {cfg['workers']} workers × {cfg['threads']} threads, "
        f"{cfg['concurrency']} connections, {cfg['duration_s']:.0f} s per endpoint, "
        f"{cfg['loadgen']}"
    )
    print(
        f"{'endpoint':<12} {'req/s':>8} {'×floor':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        f" {'p99×floor':>9} {'errors':>7} {'CPU ms/req':>10} {'×floor':>7}"
    )
    for r in report["endpoints"]:
        lat, vs, cpu = r["latency_ms"], r["vs_floor"], r["server_cpu_ms_per_request"]
        print(
            f"{r['name']:<12} {_n(r['rps'], 8, 1)} {_n(vs['rps'], 7, 2)} {_n(lat['p50'], 8, 1)} "
            f"{_n(lat['p95'], 8, 1)} {_n(lat['p99'], 8, 1)} {_n(vs['p99'], 9, 2)} "
            f"{r['errors']['total']:>7} {_n(cpu, 10, 3)} {_n(vs['cpu'], 7, 2)}"
        )
    weight = report.get("page_weight")
    if weight:
        print(f"\nhome page weight ({weight['accept_encoding']}):")
        for f in weight["files"]:
            print(f"  {f['body_bytes']:>7} B  {f['content_encoding']:<8} {f['status']}  {f['url']}")
        print(
            f"  {weight['body_bytes']:>7} B  bodies; {weight['total_bytes']} B with response "
            "headers"
        )
    print()
    for t in report["targets"]:
        print(f"{'PASS' if t['pass'] else 'FAIL'}  {t['target']}: {t['measured']}")


def _output_path(args: argparse.Namespace, started: datetime) -> Path:
    if args.output:
        return Path(args.output)
    stem = f"{started:%Y-%m-%d}-{args.db}" + (f"-{args.label}" if args.label else "")
    path = RESULTS / f"{stem}.json"
    n = 2
    while path.exists() and n < 1000:
        path = RESULTS / f"{stem}-{n}.json"
        n += 1
    return path


def _stop_on_sigterm() -> None:
    """SIGTERM and SIGINT end the run through the finally blocks that stop the server."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)
    # A shell starts background jobs with SIGINT ignored; take it back so kill -INT works too.
    signal.signal(signal.SIGINT, signal.default_int_handler)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    endpoints = _endpoints(args)
    if args.list:
        for e in [FLOOR, *endpoints]:
            print(f"{e.name:<12} {e.path:<24} {e.description}")
        return 0
    use_wrk = args.loadgen == "wrk" or (args.loadgen == "auto" and loadgen.wrk_path())
    if args.loadgen == "wrk" and not loadgen.wrk_path():
        raise SystemExit("wrk is not installed; use --loadgen python")
    _stop_on_sigterm()
    started = datetime.now(UTC)
    load_start = [round(x, 2) for x in os.getloadavg()]  # how busy the machine was
    db = postgres(args.database_url or DEFAULT_POSTGRES_URL) if args.db == "postgresql" else None
    database = db or Database(kind="sqlite")
    scratch = Path(tempfile.mkdtemp(prefix="dimos-bench-"))
    log = scratch / "server.log"
    created = False
    try:
        print(f"Scratch directory {scratch}; server log {log}")
        if db is not None and not args.reuse_db:
            create_database(db)
            created = True
        env = server_env(scratch, database, args.cache_url)
        if args.data_from and db is None:
            (scratch / "var").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(args.data_from, scratch / "var" / database.name)
        print("Preparing the database: migrations, static files, demo data…", flush=True)
        t0 = time.monotonic()
        prepare_data(env, log)
        setup_s = time.monotonic() - t0
        api_key, generate_s, export = "", None, None
        if args.reports and not (args.data_from or args.reuse_db):
            print(f"Adding {args.reports:,} reports (dimos generate_reports)…", flush=True)
            t0 = time.monotonic()
            generate_reports(env, log, args.reports)
            generate_s = time.monotonic() - t0
            print(f"  done in {generate_s:.0f} s", flush=True)
        if args.reports:
            api_key = issue_api_key(env, log)
        if args.reports and not args.no_export:
            print("Streaming the staff CSV export of every report (peak RSS)…", flush=True)
            export = export_rss(env, log)
            print(f"  {export}", flush=True)
        relief, relief_s = None, None
        if args.relief:
            print(f"Adding {args.relief:,} relief requests and volunteers…", flush=True)
            t0 = time.monotonic()
            relief = relief_bench.prepare(env, log, args.relief)
            relief_s = time.monotonic() - t0
            print(f"  {relief['seeded']} in {relief_s:.0f} s", flush=True)
        cookies: dict[str, str] = relief["cookies"] if relief else {}
        budget = None
        if args.budget:
            print("Open budget: the demo's years, its pages, a chart's PNG cold…", flush=True)
            budget = budget_bench.prepare(env, log)
            print(f"  {budget['seeded']}; cold PNG {budget['cold_png']}", flush=True)
            endpoints = _budget_paths(endpoints, budget["paths"])
        feedback, feedback_s = None, None
        if args.feedback:
            print(f"Adding {args.feedback:,} ratings over twelve months…", flush=True)
            t0 = time.monotonic()
            feedback = feedback_bench.prepare(env, log, args.feedback)
            feedback_s = time.monotonic() - t0
            print(f"  {feedback['seeded']} in {feedback_s:.0f} s", flush=True)
        council, council_s = None, None
        if args.council:
            print(f"Adding {args.council:,} council meetings over ten years…", flush=True)
            t0 = time.monotonic()
            council = council_bench.prepare(env, log, args.council)
            council_s = time.monotonic() - t0
            print(f"  {council['seeded']} in {council_s:.0f} s", flush=True)
            endpoints = _council_paths(endpoints, council["paths"])
        advocate, advocate_s = None, None
        if args.advocate:
            print(
                f"Adding {args.advocate:,} complaints to the Advocate over five years…", flush=True
            )
            t0 = time.monotonic()
            advocate = advocate_bench.prepare(env, log, args.advocate)
            advocate_s = time.monotonic() - t0
            print(f"  {advocate['seeded']} in {advocate_s:.0f} s", flush=True)
            endpoints = _advocate_paths(endpoints, advocate["paths"])

        activities_plan, activities_file = None, scratch / "activities-attempts.json"
        if args.activities:
            print(
                f"Activities: {args.activity_programmes} programmes, a lesson of "
                f"{args.activity_seats} places for {args.activity_families} families…",
                flush=True,
            )
            activities_plan = activities_bench.prepare(
                env,
                log,
                activities_file,
                families=args.activity_families,
                seats=args.activity_seats,
                programmes=args.activity_programmes,
            )
            print(f"  {activities_plan}", flush=True)

        ideas_plan, ideas_file = None, scratch / "ideas-attempts.json"
        if args.ideas:
            print(
                f"Ideas: a competition of {args.ideas_count} ideas, a vote of "
                f"{args.ideas_voters} residents on 50 ideas…",
                flush=True,
            )
            ideas_plan = ideas_bench.prepare(
                env,
                log,
                ideas_file,
                ideas=args.ideas_count,
                rush_ideas=50,
                voters=args.ideas_voters,
            )
            print(f"  {ideas_plan}", flush=True)

        def headers_of(endpoint: Endpoint) -> dict[str, str]:
            headers = dict(endpoint.headers)
            if endpoint.session:
                headers["Cookie"] = cookies[endpoint.session]
            return headers

        rush_plan, attempts_file = None, scratch / "rush-attempts.json"
        if args.booking_rush:
            print(
                f"Booking rush: {args.rush_rounds} × {args.rush_seats} seats, "
                f"{args.rush_clients} residents with API tokens…",
                flush=True,
            )
            rush_plan = booking_rush.prepare(
                env,
                log,
                attempts_file,
                clients=args.rush_clients,
                seats=args.rush_seats,
                desks=args.rush_desks,
                rounds=args.rush_rounds,
            )
            print(f"  {rush_plan}", flush=True)
        server = Server(env, log, port=free_port(), workers=args.workers, threads=args.threads)
        with server:
            base = server.base_url
            cold: dict[str, Any] = {}
            for e in [FLOOR, *endpoints]:
                check = _preflight(base, e, headers_of(e), e.body.format(api_key=api_key))
                cold[e.name] = check
                if check["status"] >= 400:
                    raise RuntimeError(f"{e.name} ({e.path}) answered {check['status']}")

            def measure(endpoint: Endpoint, seconds: float) -> loadgen.Result:
                cpu_before = server.cpu_seconds()
                result = load(endpoint, seconds)
                cpu_after = server.cpu_seconds()
                if cpu_before is not None and cpu_after is not None:
                    result["server_cpu_s"] = round(cpu_after - cpu_before, 3)
                return result

            def load(endpoint: Endpoint, seconds: float) -> loadgen.Result:
                url, headers = base + endpoint.path, headers_of(endpoint)
                if use_wrk:
                    return loadgen.run_wrk(
                        url,
                        duration=seconds,
                        concurrency=args.concurrency,
                        threads=args.loadgen_threads,
                        headers=headers,
                        timeout=args.timeout,
                        method=endpoint.method,
                        body=endpoint.body.format(api_key=api_key),
                    )
                if endpoint.method != "GET":
                    raise RuntimeError(f"{endpoint.name} is a {endpoint.method}: it needs wrk")
                return loadgen.run_python(
                    url,
                    duration=seconds,
                    concurrency=args.concurrency,
                    headers=headers,
                    timeout=args.timeout,
                )

            print(f"Measuring on {base} ({'wrk' if use_wrk else 'Python load generator'})")
            rows = _measure_all(endpoints, measure, args)
            rush = None
            if args.booking_rush:
                print(f"Booking rush ({args.rush_clients} clients at once, floor rush around)")
                rush = booking_rush.run(env, log, base, attempts_file, args.rush_timeout)
            activities_rush = None
            if args.activities:
                print(
                    f"Registration rush ({args.activity_families} families at once, "
                    "floor rush around)"
                )
                activities_rush = activities_bench.run(
                    env, log, base, activities_file, args.rush_timeout
                )
            ideas_rush = None
            if args.ideas:
                print(f"Vote rush ({args.ideas_voters} residents at once, floor rush around)")
                ideas_rush = ideas_bench.run(env, log, base, ideas_file, args.rush_timeout)
            weight = None
            if not args.no_page_weight:
                weight = pageweight.measure(base, "/", {"Accept-Language": "el"})
        machine = _machine() | {
            "loadavg_start": load_start,
            "loadavg_end": [round(x, 2) for x in os.getloadavg()],
        }
        report = {
            "schema": 1,
            "label": args.label,
            "started_at": started.isoformat(timespec="seconds"),
            "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": {
                "kind": database.kind,
                "version": database_version(database),
                "url": database.public_url(),
            },
            "machine": machine,
            "git": _git(),
            "config": {
                "duration_s": args.duration,
                "rounds": args.rounds,
                "warmup_s": args.warmup,
                "concurrency": args.concurrency,
                "workers": args.workers,
                "threads": args.threads,
                "timeout_s": args.timeout,
                "cache_url": args.cache_url or "disk://",
                "loadgen": loadgen.wrk_version() if use_wrk else "python (benchmarks.loadgen)",
                "loadgen_threads": args.loadgen_threads if use_wrk else args.concurrency,
                "host": HOST,
                "setup_s": round(setup_s, 1),
                "reports_added": args.reports,
                "relief": relief["seeded"] if relief else None,
                "relief_seed_s": round(relief_s, 1) if relief_s is not None else None,
                "generate_s": round(generate_s, 1) if generate_s is not None else None,
                "budget": budget["seeded"] if budget else None,
                "council": council["seeded"] if council else None,
                "council_seed_s": round(council_s, 1) if council_s is not None else None,
                "feedback": feedback["seeded"] if feedback else None,
                "feedback_seed_s": round(feedback_s, 1) if feedback_s is not None else None,
                "advocate": advocate["seeded"] if advocate else None,
                "advocate_seed_s": round(advocate_s, 1) if advocate_s is not None else None,
                "booking_rush": {
                    "clients": args.rush_clients,
                    "seats": args.rush_seats,
                    "seats_per_slot": args.rush_desks,
                    "rounds": args.rush_rounds,
                    "timeout_s": args.rush_timeout,
                    "prepared": rush_plan,
                }
                if args.booking_rush
                else None,
                "activities": activities_plan,
                "ideas": ideas_plan,
            },
            # The first request of each endpoint, before any cache held its answer.
            "cold_first_request": cold,
            "csv_export": export,
            # The chart's PNG with the cache emptied before each request (benchmarks/budget.py).
            "budget_cold_png": budget["cold_png"] if budget else None,
            "endpoints": rows,
            "page_weight": weight,
            "booking_rush": rush,
            "activities_rush": activities_rush,
            "ideas_rush": ideas_rush,
            "targets": _targets(rows, endpoints, weight)
            + activities_bench.targets(activities_rush)
            + ideas_bench.targets(ideas_rush)
            + (booking_rush.targets(rush) if rush else [])
            + budget_bench.targets(budget["cold_png"] if budget else None),
        }
        _print_report(report)
        if not args.no_save:
            path = _output_path(args, started)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
            print(f"\nWrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
        if ideas_rush and not ideas_rush["pass"]:
            print("FAIL: an invariant broke in the vote rush", file=sys.stderr)
            return 1
        if activities_rush and not activities_rush["pass"]:
            print("FAIL: an invariant broke in the registration rush", file=sys.stderr)
            return 1
        if rush and not all(r["pass"] for r in rush["rounds"]):
            print("FAIL: a booking invariant broke in the rush", file=sys.stderr)
            return 1
        return 0
    except KeyboardInterrupt:
        print("\nInterrupted: the server is stopped.", file=sys.stderr)
        return 130
    except RuntimeError as exc:
        print(f"\nFailed: {exc}", file=sys.stderr)
        if log.exists():
            tail = log.read_text(errors="replace").splitlines()[-30:]
            print("Last lines of the server log:", *tail, sep="\n  ", file=sys.stderr)
        return 1
    finally:
        if db is not None and created and not args.keep_db:
            drop_database(db)
        if args.keep_scratch:
            print(f"Kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
