"""Activities at scale (``python -m benchmarks.run --activities``, docs/performance.md).

Before the server starts, :func:`prepare` runs a ``dimos shell -c`` step that adds
``programmes`` published programmes with weekly sessions (the catalogue page is then measured
against the floor as an anonymous visitor), and one children's lesson whose registration is
open with ``seats`` places, for ``families`` guardians with an API token and a child each.
With the server up, :func:`run` fires the **registration rush** between two floor rushes
(the clients of :mod:`benchmarks.booking_rush`, one thread and one connection each, released
together): every family sends ``POST /api/v1/activities/registrations`` for its child at the
same moment. Then the database is counted (:data:`_CHECK`): exactly ``seats`` confirmed,
``families − seats`` waitlisted with positions 1…n in the order the server took them (their
ids, as their times), no seat taken twice or outside 1…capacity, no 5xx answer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmarks import booking_rush

Report = dict[str, Any]

# Targets (issue 19): the rush at least this share of the floor rush's requests/s (reported
# PASS or FAIL; the invariants below are what fail the run).
MIN_FLOOR_RATIO = 0.25

# Runs in ``dimos shell -c`` with __PARAMS__ replaced by a JSON object:
# {"families": int, "seats": int, "programmes": int, "out": path}.
_PREPARE = r"""
import json
import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from dimos.accounts.models import ApiToken, User
from dimos.activities.models import Child, Programme, Session

params = json.loads('__PARAMS__')
families, seats, count = params["families"], params["seats"], params["programmes"]
rng = random.Random(19)
now = timezone.now().replace(second=0, microsecond=0)
subjects = ["arts", "music", "science", "technology", "languages", "sport", "environment", "civic"]
titles = ["Ζωγραφική", "Μουσική", "Πειράματα", "Ρομποτική", "Αγγλικά", "Σκάκι", "Ανακύκλωση",
          "Η πόλη μας", "Θέατρο", "Ιστορίες"]
with transaction.atomic():
    rows = []
    for n in range(count):
        start = now + timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 8))
        children = n % 5 != 0
        low = rng.randint(4, 12)
        mode = ("online", "in_person", "hybrid")[n % 3]
        rows.append(Programme(
            title_el=f"{titles[n % len(titles)]} {n + 1}", title_en=f"Programme {n + 1}",
            description_el="Πρόγραμμα δοκιμής φόρτου.", subject=subjects[n % len(subjects)],
            organiser_name="Δημοτική Βιβλιοθήκη Σερρών",
            audience="children" if children else "adults",
            age_min=low if children else None, age_max=low + 3 if children else None,
            mode=mode, video_url="https://meet.jit.si/bench" if mode != "in_person" else "",
            place_name="Βιβλιοθήκη" if mode != "online" else "", languages=["el"],
            capacity=rng.randint(10, 40), registration_opens=now - timedelta(days=3),
            registration_closes=start, first_start=start, duration_minutes=60,
            repeat="weekly", repeat_until=(start + timedelta(weeks=7)).date(),
            status="published", ends_at=start + timedelta(weeks=7, hours=1),
        ))
    made = Programme.objects.bulk_create(rows)
    Session.objects.bulk_create([
        Session(programme=p, starts_at=p.first_start + timedelta(weeks=w),
                ends_at=p.first_start + timedelta(weeks=w, hours=1))
        for p in made for w in range(8)
    ])
    rush = Programme.objects.create(
        title_el="Εγγραφές: μαθήματα κολύμβησης", title_en="Registration rush: swimming",
        organiser_name="Τμήμα Αθλητισμού", audience="children", age_min=6, age_max=12,
        mode="in_person", place_name="Δημοτικό Κολυμβητήριο Σερρών", capacity=seats,
        registration_opens=now - timedelta(minutes=1), registration_closes=now + timedelta(days=2),
        first_start=now + timedelta(days=3), status="published",
        ends_at=now + timedelta(days=3, hours=1),
    )
    Session.objects.create(programme=rush, starts_at=rush.first_start,
                           ends_at=rush.first_start + timedelta(hours=1))
    password = make_password(None)
    users = User.objects.bulk_create([
        User(email=f"family-{i:04d}@bench.example.org", password=password, first_name="Γονέας",
             last_name=f"{i:04d}") for i in range(families)
    ])
    year = timezone.localdate().year
    kids = Child.objects.bulk_create([
        Child(guardian=u, first_name=f"Παιδί {i}", birth_year=year - 8, consent_version=1,
              consent_at=now) for i, u in enumerate(users)
    ])
    raws, tokens = [], []
    for u in users:
        raw, prefix, digest = ApiToken.generate()
        raws.append(raw)
        tokens.append(
            ApiToken(user=u, name="registration rush", key_prefix=prefix, key_hash=digest)
        )
    ApiToken.objects.bulk_create(tokens)
out = {
    "clients": families, "programmes": count + 1, "seats": seats, "programme_id": rush.pk,
    "rounds": [{
        "service": str(rush.pk), "seats": seats,
        "attempts": [
            {"token": raws[i], "path": "/api/v1/activities/registrations",
             "body": {"programme": rush.pk, "child": kids[i].pk}}
            for i in range(families)
        ],
    }],
}
with open(params["out"], "w") as f:
    json.dump(out, f)
print("ACTIVITIES=" + json.dumps({k: v for k, v in out.items() if k != "rounds"}))
"""

# Runs in ``dimos shell -c`` with __PROGRAMME__ replaced: the rush's registrations.
_CHECK = r"""
import json
from django.db.models import Count, F, Q

from dimos.activities.models import Programme, Registration

programme = Programme.objects.get(pk=__PROGRAMME__)
rows = Registration.objects.filter(programme=programme)
waiting = list(rows.filter(status="waitlisted").order_by("pk").values_list("created_at", flat=True))
print("CHECK=" + json.dumps({
    "confirmed": rows.filter(status="confirmed").count(),
    "waitlisted": len(waiting),
    "all_rows": rows.count(),
    "seats_used_twice": rows.filter(status__in=("confirmed", "offered"))
        .values("seat").annotate(n=Count("id")).filter(n__gt=1).count(),
    "seats_out_of_range": rows.filter(status__in=("confirmed", "offered"))
        .filter(Q(seat__lt=1) | Q(seat__gt=programme.capacity)).count(),
    "children_twice": rows.values("child_id").annotate(n=Count("id")).filter(n__gt=1).count(),
    "waitlist_in_arrival_order": all(a <= b for a, b in zip(waiting, waiting[1:])),
}))
"""


def prepare(
    env: dict[str, str], log: Path, out: Path, *, families: int, seats: int, programmes: int
) -> Report:
    params = {"families": families, "seats": seats, "programmes": programmes, "out": str(out)}
    summary: Report = booking_rush._shell_json(
        env, log, _PREPARE.replace("__PARAMS__", json.dumps(params)), "ACTIVITIES="
    )
    return summary


def run(
    env: dict[str, str], log: Path, base_url: str, attempts_file: Path, timeout: float
) -> Report:
    """The registration rush between two floor rushes, and the database's count."""
    plan = json.loads(attempts_file.read_text())
    before = booking_rush.fire(base_url, attempts_file, None, timeout)
    rush = booking_rush.fire(base_url, attempts_file, 0, timeout)
    after = booking_rush.fire(base_url, attempts_file, None, timeout)
    db = booking_rush._shell_json(
        env, log, _CHECK.replace("__PROGRAMME__", str(plan["programme_id"])), "CHECK="
    )
    floor = booking_rush._merge_floor([before, after])
    statuses = rush["statuses"]
    server_errors = sum(n for s, n in statuses.items() if s.isdigit() and int(s) >= 500)
    seats, families = plan["seats"], plan["clients"]
    row: Report = {
        "families": families,
        "seats": seats,
        "duration_s": rush["duration_s"],
        "rps": rush["rps"],
        "statuses": statuses,
        "outcomes": rush.get("outcomes", {}),
        "error_codes": rush["error_codes"],
        "socket_errors": rush["socket_errors"],
        "server_errors": server_errors,
        "latency_ms": rush["latency_ms"],
        "database": db,
        "floor": {k: v for k, v in floor.items() if k != "runs"},
        "vs_floor_rps": round(rush["rps"] / floor["rps"], 3) if floor["rps"] else None,
    }
    row["checks"] = {
        f"exactly {seats} confirmed": db["confirmed"] == seats,
        f"{families - seats} waitlisted": db["waitlisted"] == families - seats,
        "answers agree with the database": rush.get("outcomes", {}).get("confirmed") == seats,
        "waitlist in arrival order": db["waitlist_in_arrival_order"],
        "no seat taken twice": db["seats_used_twice"] == 0,
        "no seat outside 1…capacity": db["seats_out_of_range"] == 0,
        "no child registered twice": db["children_twice"] == 0,
        "0 server errors (5xx)": server_errors == 0,
        "0 connection errors": rush["socket_errors"] == 0,
        "every family answered": rush["requests"] == families,
    }
    row["pass"] = all(row["checks"].values())
    print(
        f"    {db['confirmed']} confirmed, {db['waitlisted']} waitlisted of {families} families "
        f"for {seats} seats in {rush['duration_s']:.2f} s ({rush['rps']:.0f}/s, "
        f"{row['vs_floor_rps']} × floor's {floor['rps']:.0f}/s); answers {statuses}; "
        f"{'PASS' if row['pass'] else 'FAIL'}",
        flush=True,
    )
    return row


def targets(rush: Report | None) -> list[dict[str, Any]]:
    if rush is None:
        return []
    failed = [name for name, ok in rush["checks"].items() if not ok]
    db = rush["database"]
    return [
        {
            "target": f"registration rush: {rush['families']} families, {rush['seats']} seats → "
            f"exactly {rush['seats']} confirmed, the rest waitlisted in arrival order, 0 errors",
            "measured": f"{db['confirmed']} confirmed, {db['waitlisted']} waitlisted, "
            f"{db['seats_used_twice']} seats twice, {rush['server_errors']} 5xx, "
            f"{rush['socket_errors']} connection errors; answers {rush['statuses']}"
            + (f"; failed: {', '.join(failed)}" if failed else ""),
            "pass": rush["pass"],
        },
        {
            "target": f"registration rush ≥ {MIN_FLOOR_RATIO:.0%} of the floor rush's requests/s",
            "measured": f"{rush['vs_floor_rps']:.0%} ({rush['rps']:.0f}/s)",
            "pass": (rush["vs_floor_rps"] or 0) >= MIN_FLOOR_RATIO,
        },
    ]
