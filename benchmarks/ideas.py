"""Ideas competitions at scale (``python -m benchmarks.run --ideas``, docs/performance.md).

Before the server starts, :func:`prepare` runs a ``dimos shell -c`` step that adds a
competition in its voting phase with ``ideas`` published ideas (500 by default; their votes
spread as in a real competition) — its page and its ideas list are then measured against the
floor as an anonymous visitor — and a second competition with ``rush_ideas`` published ideas
(50) for ``voters`` residents (2,000) with a confirmed email and an API token each, their
accounts a month old. With the server up, :func:`run` fires the **vote rush** between two
floor rushes (the clients of :mod:`benchmarks.booking_rush`, one thread and one connection
each, released together): every resident sends ``POST /api/v1/ideas/ideas/<id>/vote`` for an
idea drawn at random at the same moment. Then the database is counted (:data:`_CHECK`): the
votes stored equal the answers 201, each idea's public count equals its votes, no person voted
twice for an idea or beyond the limit, no 5xx answer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmarks import booking_rush

Report = dict[str, Any]

# Target (issue 18): the rush at least this share of the floor rush's requests/s (reported
# PASS or FAIL; the invariants below are what fail the run).
MIN_FLOOR_RATIO = 0.25
PAGE_SLUG = "bench-500"
RUSH_SLUG = "bench-rush"

# Runs in ``dimos shell -c`` with __PARAMS__ replaced by a JSON object:
# {"ideas": int, "rush_ideas": int, "voters": int, "out": path}.
_PREPARE = r"""
import json
import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from dimos.accounts.models import ApiToken, User
from dimos.ideas.models import Competition, Idea, Theme

params = json.loads('__PARAMS__')
rng = random.Random(18)
now = timezone.now()
themes_el = ["Μετακίνηση", "Περιβάλλον", "Πολιτισμός", "Κοινωνική φροντίδα", "Διαφάνεια"]
words = ["ποδηλατόδρομος", "πάρκο", "λεωφορείο", "βιβλιοθήκη", "πλατεία", "ανακύκλωση",
         "παιδική χαρά", "στάθμευση", "δέντρα", "φωτισμός", "πεζόδρομος", "αγορά"]


def competition(slug, title):
    c = Competition.objects.create(
        slug=slug, title_el=title, title_en=title,
        description_el="Διαγωνισμός δοκιμής φόρτου.", votes_per_person=3, is_published=True,
        submission_opens=now - timedelta(days=30), submission_closes=now - timedelta(days=5),
        voting_opens=now - timedelta(days=5), voting_closes=now + timedelta(days=5),
        building_opens=now + timedelta(days=5), building_closes=now + timedelta(days=30),
        judging_opens=now + timedelta(days=30), judging_closes=now + timedelta(days=40),
        results_at=now + timedelta(days=40),
    )
    return c, Theme.objects.bulk_create(
        [Theme(competition=c, name_el=t, name_en=t, order=n) for n, t in enumerate(themes_el)]
    )


def ideas(c, themes, count, votes):
    rows = []
    for n in range(count):
        title = f"{words[n % len(words)].capitalize()} {n + 1}: {rng.choice(words)}"
        lat, lon = (40.60 + rng.random() / 20, 22.92 + rng.random() / 20) if n % 3 else (None, None)
        rows.append(Idea(
            competition=c, theme=themes[n % len(themes)], title=title, title_key=title.casefold(),
            description="Πρόταση δοκιμής φόρτου για μια καλύτερη πόλη. " * 3,
            lat=lat, lon=lon, status="published", submitted_at=now - timedelta(days=20),
            published_at=now - timedelta(days=20, minutes=n),
            votes_count=int(votes * rng.paretovariate(1.5)) if votes else 0,
        ))
    return Idea.objects.bulk_create(rows)


with transaction.atomic():
    page, page_themes = competition("bench-500", "Apps4Thessaloniki: 500 ιδέες")
    ideas(page, page_themes, params["ideas"], 6)
    rush, rush_themes = competition("bench-rush", "Apps4Thessaloniki: ψηφοφορία")
    targets = ideas(rush, rush_themes, params["rush_ideas"], 0)
    password = make_password(None)
    joined = now - timedelta(days=30)
    users = User.objects.bulk_create([
        User(email=f"voter-{i:04d}@bench.example.org", password=password, first_name="Κάτοικος",
             last_name=f"{i:04d}", date_joined=joined) for i in range(params["voters"])
    ])
    EmailAddress.objects.bulk_create([
        EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
    ])
    raws, tokens = [], []
    for u in users:
        raw, prefix, digest = ApiToken.generate()
        raws.append(raw)
        tokens.append(ApiToken(user=u, name="vote rush", key_prefix=prefix, key_hash=digest))
    ApiToken.objects.bulk_create(tokens)
out = {
    "clients": len(users), "ideas": params["ideas"], "rush_ideas": len(targets),
    "competition": rush.pk, "page_slug": page.slug,
    "rounds": [{
        "service": str(rush.pk), "seats": len(users),
        "attempts": [
            {"token": raws[i], "path": f"/api/v1/ideas/ideas/{rng.choice(targets).pk}/vote",
             "body": {"idea": 0}}
            for i in range(len(users))
        ],
    }],
}
with open(params["out"], "w") as f:
    json.dump(out, f)
print("IDEAS=" + json.dumps({k: v for k, v in out.items() if k != "rounds"}))
"""

# Runs in ``dimos shell -c`` with __COMPETITION__ replaced: the rush's votes, counted.
_CHECK = r"""
import json
from django.db.models import Count, Sum

from dimos.ideas.models import Idea, Vote

votes = Vote.objects.filter(competition_id=__COMPETITION__)
ideas = Idea.objects.filter(competition_id=__COMPETITION__)
mismatched = sum(
    1 for i in ideas.annotate(n=Count("votes")) if i.n != i.votes_count
)
print("CHECK=" + json.dumps({
    "votes": votes.count(),
    "counted": ideas.aggregate(n=Sum("votes_count"))["n"] or 0,
    "ideas_whose_count_differs": mismatched,
    "double_votes": votes.values("idea", "person").annotate(n=Count("id")).filter(n__gt=1).count(),
    "people_over_limit": votes.values("person").annotate(n=Count("id")).filter(n__gt=3).count(),
    "voters": votes.values("person").distinct().count(),
}))
"""


def prepare(
    env: dict[str, str], log: Path, out: Path, *, ideas: int, rush_ideas: int, voters: int
) -> Report:
    params = {"ideas": ideas, "rush_ideas": rush_ideas, "voters": voters, "out": str(out)}
    summary: Report = booking_rush._shell_json(
        env, log, _PREPARE.replace("__PARAMS__", json.dumps(params)), "IDEAS="
    )
    return summary


def run(
    env: dict[str, str], log: Path, base_url: str, attempts_file: Path, timeout: float
) -> Report:
    """The vote rush between two floor rushes, and the database's count."""
    plan = json.loads(attempts_file.read_text())
    before = booking_rush.fire(base_url, attempts_file, None, timeout)
    rush = booking_rush.fire(base_url, attempts_file, 0, timeout)
    after = booking_rush.fire(base_url, attempts_file, None, timeout)
    db = booking_rush._shell_json(
        env, log, _CHECK.replace("__COMPETITION__", str(plan["competition"])), "CHECK="
    )
    floor = booking_rush._merge_floor([before, after])
    statuses = rush["statuses"]
    server_errors = sum(n for s, n in statuses.items() if s.isdigit() and int(s) >= 500)
    accepted = int(statuses.get("201", 0))
    voters = plan["clients"]
    row: Report = {
        "voters": voters,
        "ideas": plan["rush_ideas"],
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
        "votes stored = votes accepted (201)": db["votes"] == accepted,
        "public counts = votes stored": db["counted"] == db["votes"],
        "every idea's count = its votes": db["ideas_whose_count_differs"] == 0,
        "0 double votes": db["double_votes"] == 0,
        "nobody over the limit": db["people_over_limit"] == 0,
        "0 server errors (5xx)": server_errors == 0,
        "0 connection errors": rush["socket_errors"] == 0,
        "every resident answered": rush["requests"] == voters,
    }
    row["pass"] = all(row["checks"].values())
    print(
        f"    {db['votes']} votes stored, {accepted} accepted of {voters} residents on "
        f"{plan['rush_ideas']} ideas in {rush['duration_s']:.2f} s ({rush['rps']:.0f}/s, "
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
            "target": f"vote rush: {rush['voters']} residents on {rush['ideas']} ideas at once → "
            "counts equal the votes accepted, 0 double votes, 0 server errors",
            "measured": f"{db['votes']} votes, counts {db['counted']}, "
            f"{db['double_votes']} double, {rush['server_errors']} 5xx, "
            f"{rush['socket_errors']} connection errors; answers {rush['statuses']}"
            + (f"; failed: {', '.join(failed)}" if failed else ""),
            "pass": rush["pass"],
        },
        {
            "target": f"vote rush ≥ {MIN_FLOOR_RATIO:.0%} of the floor rush's requests/s",
            "measured": f"{rush['vs_floor_rps']:.0%} ({rush['rps']:.0f}/s)",
            "pass": (rush["vs_floor_rps"] or 0) >= MIN_FLOOR_RATIO,
        },
    ]
