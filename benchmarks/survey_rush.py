"""The survey rush (issue 17): many residents sending a survey's answers at the same moment.

``python -m benchmarks.survey_rush [--clients 1000] [--db postgresql --postgres-url URL]``
sets up a scratch database with the demo data and an open, anonymous survey of one required
question, starts the production server, and has every client open the survey (its own session
and CSRF token, as a browser without JavaScript), wait at a barrier, then send its answer at
once; the same clients ask for the floor page at once before and after, for the ratio. Then it
counts in the database: exactly one sent response per client, one answer each, no draft left
over, no server error. Method and figures: docs/performance.md, "Feedback".
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from benchmarks.server import (
    DEFAULT_POSTGRES_URL,
    HOST,
    Database,
    Server,
    create_database,
    dimos_command,
    drop_database,
    free_port,
    postgres,
    prepare_data,
    server_env,
)

SLUG = "rush"
_PREPARE = r"""
import json
from datetime import timedelta
from django.utils import timezone
from dimos.feedback.models import Question, Section, Survey
now = timezone.now()
survey, _ = Survey.objects.get_or_create(slug="rush", defaults=dict(
    title_el="Βιαστική έρευνα", opens_at=now - timedelta(days=1),
    closes_at=now + timedelta(days=1), access="open", anonymous=True, published=True))
section, _ = Section.objects.get_or_create(survey=survey, order=0, defaults={"title_el": "Α"})
q, _ = Question.objects.get_or_create(section=section, order=0, defaults=dict(
    kind="single", text_el="Πώς τα πήγαμε;", required=True,
    options=[{"el": "Καλά", "en": "Well"}, {"el": "Άσχημα", "en": "Badly"}]))
print("RUSH=" + json.dumps({"question": q.pk}))
"""
_CHECK = r"""
import json
from django.db.models import Count
from dimos.feedback.models import Answer, Response
sent = Response.objects.filter(survey__slug="rush", submitted_at__isnull=False)
print("CHECK=" + json.dumps({
    "sent": sent.count(),
    "drafts": Response.objects.filter(survey__slug="rush", submitted_at__isnull=True).count(),
    "answers": Answer.objects.filter(response__in=sent).count(),
    "responses_without_one_answer": sent.annotate(n=Count("answers")).exclude(n=1).count(),
}))
"""
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _json(env: dict[str, str], log: Path, script: str, marker: str) -> Any:
    out = dimos_command(env, log, "shell", "-c", script, timeout=600)
    line = next((x for x in out.splitlines() if x.startswith(marker)), "")
    if not line:
        raise RuntimeError(f"no {marker} line; see {log}")
    return json.loads(line.removeprefix(marker))


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    jar = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def _client(
    port: int, question: int, barrier: threading.Barrier, timeout: float, out: list[Any]
) -> None:
    path = f"/surveys/{SLUG}/"
    try:
        conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        conn.request("GET", path, headers={"Accept-Language": "el"})
        page = conn.getresponse()
        html = page.read().decode()
        jar = _cookies(page)
        token = TOKEN.search(html)
        if page.status != 200 or token is None:
            out.append(("open", page.status, 0.0))
            barrier.wait()
            return
        body = urlencode(
            {
                "csrfmiddlewaretoken": token.group(1),
                "page": "0",
                "action": "next",
                f"q{question}": "0",
            }
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
            "Accept-Language": "el",
        }
        barrier.wait()
        started = time.monotonic()
        conn.request("POST", path, body=body, headers=headers)
        answer = conn.getresponse()
        answer.read()
        ok = answer.status == 302 and answer.headers.get("Location", "").endswith("/done/")
        out.append(("sent" if ok else "refused", answer.status, time.monotonic() - started))
    except (OSError, http.client.HTTPException, threading.BrokenBarrierError) as exc:
        out.append(("error", type(exc).__name__, 0.0))


def _floor_client(port: int, barrier: threading.Barrier, timeout: float, out: list[Any]) -> None:
    """One GET of the floor page, sent with all the others at the same moment."""
    try:
        conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        barrier.wait()
        started = time.monotonic()
        conn.request("GET", "/_bench/floor")
        answer = conn.getresponse()
        answer.read()
        ok = answer.status == 200
        out.append(("sent" if ok else "refused", answer.status, time.monotonic() - started))
    except (OSError, http.client.HTTPException, threading.BrokenBarrierError) as exc:
        out.append(("error", type(exc).__name__, 0.0))


def rush(port: int, question: int | None, clients: int, timeout: float) -> dict[str, Any]:
    """Every client at once: sending the survey, or (``question`` None) the floor page. The
    rate is the clients over the time from the barrier's release to the last answer."""
    released: list[float] = []
    barrier = threading.Barrier(
        clients, action=lambda: released.append(time.monotonic()), timeout=timeout * 2
    )
    results: list[Any] = []
    threads = [
        threading.Thread(target=_client, args=(port, question, barrier, timeout, results))
        if question is not None
        else threading.Thread(target=_floor_client, args=(port, barrier, timeout, results))
        for _ in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - released[0] if released else 0.0
    latencies = sorted(r[2] for r in results if r[0] == "sent")
    return {
        "clients": clients,
        "outcomes": dict(Counter(r[0] for r in results)),
        "statuses": dict(Counter(str(r[1]) for r in results)),
        "wall_s": round(wall, 2),
        "rps": round(clients / wall, 1) if wall else None,
        "p50_ms": round(1000 * latencies[len(latencies) // 2], 1) if latencies else None,
        "max_ms": round(1000 * latencies[-1], 1) if latencies else None,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--clients", type=int, default=1000)
    p.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    p.add_argument(
        "--postgres-url",
        default=DEFAULT_POSTGRES_URL,
        help="the scratch database (dropped and made again; its name must contain 'bench')",
    )
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--timeout", type=float, default=180.0)
    args = p.parse_args(argv)
    db = postgres(args.postgres_url) if args.db == "postgresql" else None
    database = db or Database(kind="sqlite")
    scratch = Path(tempfile.mkdtemp(prefix="dimos-survey-rush-"))
    log = scratch / "server.log"
    try:
        if db is not None:
            create_database(db)
        env = server_env(scratch, database)
        print(f"Preparing {scratch} (demo data)…", flush=True)
        prepare_data(env, log)
        question = _json(env, log, _PREPARE, "RUSH=")["question"]
        port = free_port()
        with Server(env, log, port=port, workers=args.workers, threads=1):
            print(f"{args.clients} clients ask for the floor page at once…", flush=True)
            floor = rush(port, None, args.clients, args.timeout)
            print(f"{args.clients} clients open the survey, then send at once…", flush=True)
            result = rush(port, question, args.clients, args.timeout)
            print(f"{args.clients} clients ask for the floor page at once, again…", flush=True)
            floor_after = rush(port, None, args.clients, args.timeout)
        floor_rps = [f["rps"] for f in (floor, floor_after) if f["rps"]]
        result["floor"] = [floor, floor_after]
        result["floor_rps"] = round(sum(floor_rps) / len(floor_rps), 1) if floor_rps else None
        result["vs_floor_rps"] = (
            round(result["rps"] / result["floor_rps"], 3)
            if result["rps"] and result["floor_rps"]
            else None
        )
        with open("/proc/loadavg") as loadavg:
            result["load_average"] = loadavg.read().split()[:3]
        db_check = _json(env, log, _CHECK, "CHECK=")
        result["database"] = db_check
        result["pass"] = (
            db_check["sent"] == args.clients
            and db_check["answers"] == args.clients
            and db_check["responses_without_one_answer"] == 0
            and result["outcomes"].get("sent", 0) == args.clients
        )
        print(json.dumps(result, indent=1), flush=True)
        return 0 if result["pass"] else 1
    finally:
        if db is not None:
            drop_database(db)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
