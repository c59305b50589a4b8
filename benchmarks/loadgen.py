"""Load generators, each run as a separate process: wrk when installed, else a small Python one.

Both report the same shape (see :func:`_result`): requests, duration, errors, latency
percentiles and a sample of the latency distribution, so runs can be merged with
:func:`merge`. Run the Python generator by hand with ``python -m benchmarks.loadgen --help``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

QUANTILES = 200  # points of the latency distribution each run reports (as wrk_report.lua)
WRK_SCRIPT = Path(__file__).with_name("wrk_report.lua")

Result = dict[str, Any]


def wrk_path() -> str | None:
    return shutil.which("wrk")


def wrk_version() -> str:
    path = wrk_path()
    if path is None:
        return ""
    out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10)
    first = (out.stdout + out.stderr).strip().splitlines()[:1]
    return first[0].split(" Copyright")[0] if first else ""


def _result(
    *,
    requests: int,
    duration_s: float,
    nbytes: int,
    status_errors: int,
    socket_errors: Mapping[str, int],
    quantiles_ms: Sequence[float],
    p50: float,
    p95: float,
    p99: float,
    max_ms: float,
) -> Result:
    return {
        "requests": requests,
        "duration_s": round(duration_s, 3),
        "bytes": nbytes,
        "rps": round(requests / duration_s, 1) if duration_s > 0 else 0.0,
        "errors": {
            "total": status_errors + sum(socket_errors.values()),
            "status": status_errors,  # answers other than 2xx/3xx
            "socket": dict(socket_errors),
        },
        "latency_ms": {"p50": p50, "p95": p95, "p99": p99, "max": max_ms},
        "quantiles_ms": [round(q, 3) for q in quantiles_ms],
    }


def _lua(text: str) -> str:
    """A Lua string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def run_wrk(
    url: str,
    *,
    duration: float,
    concurrency: int,
    threads: int,
    headers: Mapping[str, str],
    timeout: float,
    method: str = "GET",
    body: str = "",
) -> Result:
    path = wrk_path()
    if path is None:
        raise RuntimeError("wrk is not installed")
    argv = [
        path,
        f"-t{max(1, min(threads, concurrency))}",
        f"-c{concurrency}",
        f"-d{max(1, round(duration))}s",
        f"--timeout={max(1, round(timeout))}s",
        "-s",
        str(WRK_SCRIPT),
    ]
    script = None
    if method != "GET":
        # wrk takes one script: the request's method and body, then the JSON reporter.
        setup = f"wrk.method = {_lua(method)}\nwrk.body = {_lua(body)}\n"
        setup += 'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(setup + WRK_SCRIPT.read_text())
        argv[-1] = script.name
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    argv.append(url)
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=duration + timeout + 30)
    finally:
        if script is not None:
            os.unlink(script.name)
    line = next((x for x in out.stdout.splitlines() if x.startswith("{")), None)
    if out.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({out.returncode}): {out.stderr.strip() or out.stdout}")
    raw = json.loads(line)
    us = 1000.0
    errors = raw["errors"]
    return _result(
        requests=raw["requests"],
        duration_s=raw["duration_us"] / 1e6,
        nbytes=raw["bytes"],
        status_errors=errors["status"],
        socket_errors={k: errors[k] for k in ("connect", "read", "write", "timeout")},
        quantiles_ms=[q / us for q in raw["quantiles_us"]],
        p50=raw["latency_us"]["p50"] / us,
        p95=raw["latency_us"]["p95"] / us,
        p99=raw["latency_us"]["p99"] / us,
        max_ms=raw["latency_us"]["max"] / us,
    )


def run_python(
    url: str,
    *,
    duration: float,
    concurrency: int,
    headers: Mapping[str, str],
    timeout: float,
    max_requests: int = 1_000_000,
) -> Result:
    """The Python generator in a process of its own, so it never shares the harness's GIL."""
    argv = [
        sys.executable,
        "-m",
        "benchmarks.loadgen",
        url,
        "--duration",
        str(duration),
        "--concurrency",
        str(concurrency),
        "--timeout",
        str(timeout),
        "--max-requests",
        str(max_requests),
    ]
    for name, value in headers.items():
        argv += ["--header", f"{name}: {value}"]
    cwd = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        argv, capture_output=True, text=True, timeout=duration + timeout + 30, cwd=cwd
    )
    if out.returncode != 0:
        raise RuntimeError(f"load generator failed ({out.returncode}): {out.stderr.strip()}")
    return json.loads(out.stdout)


def _percentile(ordered: Sequence[float], p: float) -> float:
    if not ordered:
        return 0.0
    rank = math.ceil(p / 100 * len(ordered))  # nearest rank
    return ordered[min(len(ordered), max(1, rank)) - 1]


def _quantiles(ordered: Sequence[float]) -> list[float]:
    return [_percentile(ordered, (i + 0.5) * 100 / QUANTILES) for i in range(QUANTILES)]


def merge(results: Sequence[Result]) -> Result:
    """One result from several runs: totals add up; percentiles come from the merged samples."""
    weighted: list[tuple[float, float]] = []
    for r in results:
        quantiles = r["quantiles_ms"]
        weighted += [(q, r["requests"] / len(quantiles)) for q in quantiles if quantiles]
    weighted.sort()
    total = sum(w for _, w in weighted)

    def pct(p: float) -> float:
        seen = 0.0
        for value, weight in weighted:
            seen += weight
            if seen >= total * p / 100:
                return value
        return weighted[-1][0] if weighted else 0.0

    sockets: dict[str, int] = {}
    for r in results:
        for kind, n in r["errors"]["socket"].items():
            sockets[kind] = sockets.get(kind, 0) + n
    return _result(
        requests=sum(r["requests"] for r in results),
        duration_s=sum(r["duration_s"] for r in results),
        nbytes=sum(r["bytes"] for r in results),
        status_errors=sum(r["errors"]["status"] for r in results),
        socket_errors=sockets,
        quantiles_ms=[pct((i + 0.5) * 100 / QUANTILES) for i in range(QUANTILES)],
        p50=round(pct(50), 3),
        p95=round(pct(95), 3),
        p99=round(pct(99), 3),
        max_ms=max((r["latency_ms"]["max"] for r in results), default=0.0),
    )


# --- The Python generator -------------------------------------------------------------------


class _Worker(threading.Thread):
    """One keep-alive connection issuing GETs back to back until the deadline or its budget."""

    def __init__(
        self, url: str, headers: dict[str, str], deadline: float, budget: int, timeout: float
    ) -> None:
        super().__init__(daemon=True)
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.target = parts.path + (f"?{parts.query}" if parts.query else "")
        self.headers, self.deadline, self.budget, self.timeout = headers, deadline, budget, timeout
        self.latencies: list[float] = []
        self.nbytes = self.status_errors = 0
        self.socket_errors = {"connect": 0, "read": 0, "timeout": 0}

    def run(self) -> None:
        conn: http.client.HTTPConnection | None = None
        attempts = 0
        while attempts < self.budget and time.perf_counter() < self.deadline:
            attempts += 1
            if conn is None:
                conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
                try:
                    conn.connect()
                except OSError:
                    self.socket_errors["connect"] += 1
                    conn = None
                    time.sleep(0.01)  # do not spin on a refused port
                    continue
            start = time.perf_counter()
            try:
                conn.request("GET", self.target, headers=self.headers)
                response = conn.getresponse()
                body = response.read()
            except TimeoutError:
                self.socket_errors["timeout"] += 1
                conn.close()
                conn = None
                continue
            except (OSError, http.client.HTTPException):
                self.socket_errors["read"] += 1
                conn.close()
                conn = None
                continue
            self.latencies.append((time.perf_counter() - start) * 1000)
            self.nbytes += len(body)
            if response.status >= 400:
                self.status_errors += 1
            if response.will_close:
                conn.close()
                conn = None
        if conn is not None:
            conn.close()


def generate(
    url: str,
    *,
    duration: float,
    concurrency: int,
    headers: dict[str, str],
    timeout: float,
    max_requests: int,
) -> Result:
    start = time.perf_counter()
    budget = max(1, max_requests // concurrency)
    workers = [_Worker(url, headers, start + duration, budget, timeout) for _ in range(concurrency)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(duration + timeout + 5)
    elapsed = time.perf_counter() - start
    latencies = sorted(x for w in workers for x in w.latencies)
    sockets: dict[str, int] = {}
    for w in workers:
        for kind, n in w.socket_errors.items():
            sockets[kind] = sockets.get(kind, 0) + n
    return _result(
        requests=len(latencies),
        duration_s=elapsed,
        nbytes=sum(w.nbytes for w in workers),
        status_errors=sum(w.status_errors for w in workers),
        socket_errors=sockets,
        quantiles_ms=_quantiles(latencies),
        p50=round(_percentile(latencies, 50), 3),
        p95=round(_percentile(latencies, 95), 3),
        p99=round(_percentile(latencies, 99), 3),
        max_ms=round(latencies[-1], 3) if latencies else 0.0,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Python HTTP load generator (GET, keep-alive).")
    parser.add_argument("url")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds (default 10)")
    parser.add_argument("--concurrency", type=int, default=16, help="connections (default 16)")
    parser.add_argument("--timeout", type=float, default=5.0, help="per request, seconds")
    parser.add_argument("--max-requests", type=int, default=1_000_000)
    parser.add_argument("--header", action="append", default=[], help="'Name: value'")
    args = parser.parse_args(argv)
    headers = dict(h.split(":", 1) for h in args.header)
    headers = {k.strip(): v.strip() for k, v in headers.items()}
    result = generate(
        args.url,
        duration=args.duration,
        concurrency=args.concurrency,
        headers=headers,
        timeout=args.timeout,
        max_requests=args.max_requests,
    )
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
