"""The booking rush of the appointments app: many clients racing for a few seats over HTTP.

``python -m benchmarks.run --booking-rush`` uses this module (method: docs/performance.md,
"Appointments"). Before the server starts, :func:`prepare` runs a ``dimos shell -c`` step that
creates, for each round, a service at a centre of its own whose bookable slots hold exactly
``seats`` seats in the whole booking window, and ``clients`` resident accounts with an API token
each. With the server up, :func:`run` alternates, round by round, a *floor rush* (every client
sends one GET of the floor page at the same moment) with the *booking rush* (every client sends
one ``POST /api/v1/appointments/bookings`` for its slot at the same moment), then counts the
bookings in the database (:data:`_CHECK`): exactly ``seats`` bookings, no (slot, seat) taken
twice, no slot over its capacity, no seat outside 1…capacity, and no 5xx answer.

The clients run in a process of their own (``python -m benchmarks.booking_rush``), one thread and
one connection each: all connect first, wait at a barrier, then send their request together.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from benchmarks.server import dimos_command

Report = dict[str, Any]

# Target (issue 11): the rush's attempts per second at least this share of the floor rush's.
# Reported as PASS or FAIL like the pages' throughput; it does not change the exit status.
MIN_FLOOR_RATIO = 0.25

# Runs in ``dimos shell -c`` with __PARAMS__ replaced by a JSON object:
# {"clients": int, "seats": int, "desks": int, "rounds": int, "out": path}.
_PREPARE = r"""
import json
from datetime import time, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from dimos.accounts.models import ApiToken, User
from dimos.appointments.models import Centre, Desk, OpeningHours, ServiceType
from dimos.appointments.slots import Window, availability, is_holiday

params = json.loads('__PARAMS__')
clients, seats, desks = params["clients"], params["seats"], params["desks"]
rounds = params["rounds"]
slots_wanted = seats // desks
minutes = 10
today = timezone.localdate()
# The rush day: a working day 2-6 days ahead. Only its weekday has opening hours, and the window
# ends on it, so the whole window holds exactly slots_wanted slots of `desks` seats each.
day = next(
    today + timedelta(days=n) for n in range(2, 7)
    if (today + timedelta(days=n)).weekday() < 5 and not is_holiday(today + timedelta(days=n))
)
opens = 8 * 60
closes = opens + slots_wanted * minutes
rounds_out = []
with transaction.atomic():
    for r in range(rounds):
        slug = f"bench-rush-{r + 1}"
        service = ServiceType.objects.create(
            slug=slug, name_el=f"Δοκιμή φόρτου {r + 1}", name_en=f"Booking rush {r + 1}",
            duration_minutes=minutes, buffer_minutes=0, min_notice_hours=0,
            max_days_ahead=(day - today).days, change_deadline_hours=1,
        )
        centre = Centre.objects.create(
            slug=slug, name_el=f"ΚΕΠ δοκιμής {r + 1}", name_en=f"Rush centre {r + 1}",
            address_el="Σέρρες", address_en="Serres", lat=41.09, lon=23.55,
        )
        OpeningHours.objects.create(
            centre=centre, weekday=day.weekday(),
            opens=time(opens // 60, opens % 60), closes=time(closes // 60, closes % 60),
        )
        for d in range(desks):
            Desk.objects.create(centre=centre, name=f"Θυρίδα {d + 1}").services.add(service)
        rounds_out.append((service, centre))
password = make_password(None)  # unusable: the clients sign in with their API token
users = User.objects.bulk_create(
    [User(email=f"rush-{i:04d}@bench.example.org", password=password, first_name="Rush",
          last_name=f"{i:04d}", identity_verified=True) for i in range(clients)]
)
raws = []
tokens = []
for u in users:
    raw, prefix, digest = ApiToken.generate()
    raws.append(raw)
    tokens.append(ApiToken(user=u, name="booking rush", key_prefix=prefix, key_hash=digest))
ApiToken.objects.bulk_create(tokens)
# The demo KEP's certificates desk half booked for the next 30 days, so that the availability
# benchmarks count real bookings (callers booked by phone: no accounts needed).
from dimos.appointments.models import Booking, Slot
kep, certs = Centre.objects.get(slug="kep-serres"), ServiceType.objects.get(slug="certificates")
availability(certs, kep, today, today + timedelta(days=29))
fill = []
future = Slot.objects.filter(service=certs, centre=kep, starts_at__gte=timezone.now())
for n, slot in enumerate(future):
    for seat in range(1, slot.capacity + 1):
        if (n + seat) % 2:
            fill.append(Booking(
                slot=slot, seat=seat, service=certs, centre=kep,
                day=timezone.localdate(slot.starts_at), starts_at=slot.starts_at,
                status=Booking.Status.CONFIRMED, person_key=f"bench-fill:{len(fill)}",
                name="Bench", phone="2321000000", source=Booking.Source.PHONE,
                confirmed_at=timezone.now(),
            ))
Booking.objects.bulk_create(fill)
out = {"day": day.isoformat(), "clients": clients, "filled_kep_seats": len(fill), "rounds": []}
for service, centre in rounds_out:
    window = Window.of(service)
    days = availability(service, centre, today, window.last_day)
    slot_views = [s for v in days for s in v.slots]
    total = sum(s.free for s in slot_views)
    if total != seats:
        raise SystemExit(f"{service.slug}: {total} seats in the window, not {seats}")
    ids = [s.slot_id for s in slot_views]
    out["rounds"].append({
        "service": service.slug, "slots": len(ids), "seats": total,
        "capacity": sorted({s.capacity for s in slot_views}),
        # Client i tries slot i mod slots: every slot gets clients // slots attempts or so.
        "attempts": [{"token": raws[i], "slot_id": ids[i % len(ids)]} for i in range(clients)],
    })
with open(params["out"], "w") as f:
    json.dump(out, f)
print("RUSH=" + json.dumps({k: v for k, v in out.items() if k != "rounds"}
                           | {"rounds": [{k: v for k, v in r.items() if k != "attempts"}
                                         for r in out["rounds"]]}))
"""

# Runs in ``dimos shell -c`` with __SERVICE__ replaced: what the database holds after a round.
_CHECK = r"""
import json
from django.db.models import Count, F, Q

from dimos.appointments.models import Booking, Slot

service = "__SERVICE__"
active = Booking.objects.filter(service__slug=service, status__in=Booking.ACTIVE)
seat_twice = (
    active.values("slot_id", "seat").annotate(n=Count("id")).filter(n__gt=1).count()
)
over = (
    Slot.objects.filter(service__slug=service)
    .annotate(n=Count("bookings", filter=Q(bookings__status__in=Booking.ACTIVE)))
    .filter(n__gt=F("capacity")).count()
)
bad_seat = active.filter(Q(seat__lt=1) | Q(seat__gt=F("slot__capacity"))).count()
person_twice = (
    active.values("person_key").annotate(n=Count("id")).filter(n__gt=1).count()
)
print("CHECK=" + json.dumps({
    "bookings": active.count(),
    "confirmed": active.filter(status=Booking.Status.CONFIRMED).count(),
    "all_rows": Booking.objects.filter(service__slug=service).count(),
    "seats_used_twice": seat_twice,
    "slots_over_capacity": over,
    "seats_out_of_range": bad_seat,
    "people_booked_twice": person_twice,
    "references": sorted(active.values_list("reference", flat=True)),
}))
"""


def _shell_json(env: dict[str, str], log: Path, script: str, marker: str) -> Any:
    out = dimos_command(env, log, "shell", "-c", script, timeout=600)
    line = next((x for x in out.splitlines() if x.startswith(marker)), "")
    if not line:
        raise RuntimeError(f"no {marker.rstrip('=')} line from dimos shell; see {log}")
    return json.loads(line.removeprefix(marker))


def prepare(
    env: dict[str, str], log: Path, out: Path, *, clients: int, seats: int, desks: int, rounds: int
) -> Report:
    """The rush's services, centres, residents and tokens; the attempts go to ``out``."""
    if seats % desks:
        raise RuntimeError(f"{seats} seats cannot be split over {desks} desks")
    params = {"clients": clients, "seats": seats, "desks": desks, "rounds": rounds}
    script = _PREPARE.replace("__PARAMS__", json.dumps(params | {"out": str(out)}))
    summary: Report = _shell_json(env, log, script, "RUSH=")
    return summary


def check(env: dict[str, str], log: Path, service: str) -> Report:
    report: Report = _shell_json(env, log, _CHECK.replace("__SERVICE__", service), "CHECK=")
    return report


def fire(base_url: str, attempts_file: Path, round_no: int | None, timeout: float) -> Report:
    """One rush from a separate process: a booking round, or the floor when round_no is None."""
    argv = [
        sys.executable,
        "-m",
        "benchmarks.booking_rush",
        base_url,
        str(attempts_file),
        "--timeout",
        str(timeout),
    ]
    if round_no is not None:
        argv += ["--round", str(round_no)]
    cwd = Path(__file__).resolve().parent.parent
    out = subprocess.run(argv, capture_output=True, text=True, timeout=timeout + 120, cwd=cwd)
    if out.returncode != 0:
        raise RuntimeError(f"booking rush client failed ({out.returncode}): {out.stderr.strip()}")
    result: Report = json.loads(out.stdout)
    return result


def _pct(ordered: list[float], p: float) -> float:
    if not ordered:
        return 0.0
    rank = math.ceil(p / 100 * len(ordered))
    return round(ordered[min(len(ordered), max(1, rank)) - 1], 1)


def _merge_floor(runs: list[Report]) -> Report:
    requests = sum(r["requests"] for r in runs)
    seconds = sum(r["duration_s"] for r in runs)
    return {
        "requests": requests,
        "duration_s": round(seconds, 3),
        "rps": round(requests / seconds, 1) if seconds else 0.0,
        "statuses": dict(sum((Counter(r["statuses"]) for r in runs), Counter())),
        "socket_errors": sum(r["socket_errors"] for r in runs),
        "runs": runs,
    }


def run(
    env: dict[str, str], log: Path, base_url: str, attempts_file: Path, timeout: float
) -> Report:
    """Every round, between two floor rushes; then the database's count. Prints as it goes."""
    plan = json.loads(attempts_file.read_text())
    rounds: list[Report] = []
    for i, planned in enumerate(plan["rounds"]):
        before = fire(base_url, attempts_file, None, timeout)
        rush = fire(base_url, attempts_file, i, timeout)
        after = fire(base_url, attempts_file, None, timeout)
        db = check(env, log, planned["service"])
        floor = _merge_floor([before, after])
        statuses: Counter[str] = Counter(rush["statuses"])
        server_errors = sum(n for s, n in statuses.items() if s.isdigit() and int(s) >= 500)
        created = statuses.get("201", 0)
        row: Report = {
            "service": planned["service"],
            "slots": planned["slots"],
            "seats": planned["seats"],
            "capacity": planned["capacity"],
            "clients": rush["requests"] + rush["socket_errors"],
            "duration_s": rush["duration_s"],
            "rps": rush["rps"],
            "statuses": dict(statuses),
            "error_codes": rush["error_codes"],
            "socket_errors": rush["socket_errors"],
            "server_errors": server_errors,
            "latency_ms": rush["latency_ms"],
            "database": {k: v for k, v in db.items() if k != "references"},
            "answered_201_match_database": sorted(rush["references"]) == db["references"],
            "floor": {k: v for k, v in floor.items() if k != "runs"},
            "floor_runs": [
                {k: v for k, v in r.items() if k != "references"} for r in floor["runs"]
            ],
            "vs_floor_rps": round(rush["rps"] / floor["rps"], 3) if floor["rps"] else None,
        }
        row["checks"] = {
            f"exactly {planned['seats']} bookings": db["bookings"] == planned["seats"],
            "201 answers = bookings in the database": created == db["bookings"]
            and row["answered_201_match_database"],
            "no (slot, seat) taken twice": db["seats_used_twice"] == 0,
            "no slot over capacity": db["slots_over_capacity"] == 0,
            "no seat outside 1…capacity": db["seats_out_of_range"] == 0,
            "0 server errors (5xx)": server_errors == 0,
            "0 connection errors": rush["socket_errors"] == 0,
            "every client answered": rush["requests"] == plan["clients"],
        }
        row["pass"] = all(row["checks"].values())
        rounds.append(row)
        print(
            f"    round {i + 1}: {created} booked of {planned['seats']} seats by "
            f"{plan['clients']} clients in {rush['duration_s']:.2f} s ({rush['rps']:.0f}/s, "
            f"{row['vs_floor_rps']} × floor's {floor['rps']:.0f}/s); answers {dict(statuses)}; "
            f"{'PASS' if row['pass'] else 'FAIL'}",
            flush=True,
        )
    return {"day": plan["day"], "clients": plan["clients"], "rounds": rounds}


def targets(rush: Report) -> list[dict[str, Any]]:
    out = []
    for i, r in enumerate(rush["rounds"], 1):
        db = r["database"]
        failed = [name for name, ok in r["checks"].items() if not ok]
        out.append(
            {
                "target": f"booking rush {i}: {r['clients']} clients, {r['seats']} seats → "
                f"exactly {r['seats']} bookings, 0 double bookings, 0 server errors",
                "measured": f"{db['bookings']} bookings, {db['seats_used_twice']} seats taken "
                f"twice, {db['slots_over_capacity']} slots over capacity, "
                f"{r['server_errors']} 5xx, {r['socket_errors']} connection errors; answers "
                f"{r['statuses']}; {r['rps']:.0f} attempts/s = {r['vs_floor_rps']} × floor"
                + (f"; failed: {', '.join(failed)}" if failed else ""),
                "pass": r["pass"],
            }
        )
    ratios = sorted(r["vs_floor_rps"] for r in rush["rounds"])
    if ratios:
        median = ratios[len(ratios) // 2]
        out.append(
            {
                "target": f"booking rush ≥ {MIN_FLOOR_RATIO:.0%} of the floor rush's attempts/s "
                "(median of the rounds)",
                "measured": f"{median:.0%} (rounds: {', '.join(f'{x:.0%}' for x in ratios)})",
                "pass": median >= MIN_FLOOR_RATIO,
            }
        )
    return out


# --- The clients (a process of their own) ----------------------------------------------------


class _Client(threading.Thread):
    def __init__(
        self,
        url: str,
        method: str,
        body: bytes | None,
        headers: dict[str, str],
        ready: threading.Barrier,
        timeout: float,
    ) -> None:
        super().__init__(daemon=True)
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.target = parts.path + (f"?{parts.query}" if parts.query else "")
        self.method, self.body, self.headers = method, body, headers
        self.ready, self.timeout = ready, timeout
        self.status = 0
        self.code = ""
        self.reference = ""
        self.outcome = ""
        self.latency_ms = 0.0
        self.finished = 0.0
        self.error = ""

    def run(self) -> None:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.connect()
        except OSError as exc:
            self.error = f"connect: {exc.__class__.__name__}"
        with contextlib.suppress(threading.BrokenBarrierError):
            self.ready.wait(timeout=self.timeout)
        if self.error:
            return
        start = time.perf_counter()
        try:
            conn.request(self.method, self.target, body=self.body, headers=self.headers)
            response = conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.error = f"read: {exc.__class__.__name__}"
            return
        finally:
            conn.close()
        self.finished = time.perf_counter()
        self.latency_ms = (self.finished - start) * 1000
        self.status = response.status
        try:
            payload = json.loads(data) if data[:1] == b"{" else {}
        except ValueError:
            payload = {}
        if isinstance(payload, dict):
            self.reference = str(payload.get("reference", ""))
            self.outcome = str(payload.get("status", ""))
            error = payload.get("error")
            if isinstance(error, dict):
                self.code = str(error.get("code", ""))


def rush(base_url: str, attempts: list[dict[str, Any]], booking: bool, timeout: float) -> Report:
    ready = threading.Barrier(len(attempts) + 1)
    clients = []
    for a in attempts:
        if booking:
            # An attempt names its slot (a booking), or its own path and JSON body (another
            # app's rush: benchmarks/activities.py's registrations).
            body = json.dumps(a.get("body") or {"slot_id": a["slot_id"]}).encode()
            headers = {
                "Authorization": f"Bearer {a['token']}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            }
            url = base_url + a.get("path", "/api/v1/appointments/bookings")
            method = "POST"
        else:
            body, headers, url, method = None, {}, base_url + "/_bench/floor", "GET"
        clients.append(_Client(url, method, body, headers, ready, timeout))
    for c in clients:
        c.start()
    ready.wait(timeout=timeout)  # every client is connected (or failed to)
    start = time.perf_counter()
    for c in clients:
        c.join(timeout + 5)
    answered = [c for c in clients if c.status]
    end = max((c.finished for c in answered), default=start)
    duration = end - start
    latencies = sorted(c.latency_ms for c in answered)
    return {
        "requests": len(answered),
        "duration_s": round(duration, 3),
        "rps": round(len(answered) / duration, 1) if duration > 0 else 0.0,
        "statuses": dict(Counter(str(c.status) for c in answered)),
        "error_codes": dict(Counter(c.code for c in answered if c.code)),
        "outcomes": dict(Counter(c.outcome for c in answered if c.outcome)),
        "socket_errors": sum(1 for c in clients if c.error),
        "socket_error_kinds": dict(Counter(c.error for c in clients if c.error)),
        "latency_ms": {
            "p50": _pct(latencies, 50),
            "p95": _pct(latencies, 95),
            "p99": _pct(latencies, 99),
            "max": round(latencies[-1], 1) if latencies else 0.0,
        },
        "references": sorted(c.reference for c in answered if c.status == 201),
    }


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.booking_rush",
        description="One rush of the clients in the attempts file (written by prepare): "
        "the floor page by default, or the bookings of --round N.",
    )
    p.add_argument("base_url")
    p.add_argument("attempts", type=Path)
    p.add_argument("--round", type=int, default=None, help="book this round's slots (0-based)")
    p.add_argument("--timeout", type=float, default=120.0, help="per request, seconds (120)")
    args = p.parse_args(argv)
    plan = json.loads(args.attempts.read_text())
    attempts: list[dict[str, Any]]
    if args.round is None:
        attempts = [{} for _ in range(plan["clients"])]
    else:
        attempts = plan["rounds"][args.round]["attempts"]
    result = rush(args.base_url, attempts, args.round is not None, args.timeout)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
