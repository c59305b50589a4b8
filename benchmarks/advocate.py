"""Years of complaints to the Advocate for the load benchmark (``--advocate N``,
docs/performance.md).

Run inside ``dimos shell`` after the demo data (the Advocate's services of Serres):
:func:`seed` adds ``N`` complaints spread over the five years before the demo's year — every
state, outcomes, recommendations and their follow-up, ratings, days paused — and a published
annual report for each year. Rows are written in bulk (the office's services, audit and
notifications are not what is measured). :func:`paths` names the pages measured: last year's
annual report (figures computed from the year's cases, five charts drawn on the server), the
public figures in the API, and the Advocate's start page.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
YEARS = 5
BATCH = 2000
HOST = "127.0.0.1"  # one of the benchmark server's ALLOWED_HOSTS


def _last_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year - 1


def seed(complaints: int, *, rng_seed: int = 77) -> dict[str, int]:
    import uuid

    from django.db import transaction
    from django.utils import timezone

    from dimos.advocate.models import (
        Adoption,
        AnnualReport,
        Body,
        Category,
        Channel,
        Complaint,
        Outcome,
        Status,
    )

    bodies = list(Body.objects.all())
    if not bodies:
        raise SystemExit("run `dimos demo` first: no services of the Advocate")
    rng = random.Random(rng_seed)
    first = _last_year() - YEARS + 1
    numbers: dict[int, int] = {}
    for year in range(first, _last_year() + 1):
        numbers[year] = Complaint.objects.filter(year=year).count() + 1000
    rows = []
    fates = [Status.CONCLUDED] * 14 + [Status.INADMISSIBLE] * 3 + [Status.REFERRED] * 2
    fates += [Status.WITHDRAWN]
    for n in range(complaints):
        year = first + n % YEARS
        submitted = timezone.make_aware(
            dt.datetime(year, 1, 2, 9) + dt.timedelta(days=rng.randrange(350))
        )
        status = rng.choice(fates)
        admitted = submitted + dt.timedelta(days=rng.randrange(1, 5))
        paused = rng.choice((0, 0, 0, 5, 12))
        closed = admitted + dt.timedelta(days=rng.randrange(3, 45) + paused)
        examined = status in (Status.CONCLUDED, Status.WITHDRAWN)
        outcome = ""
        if status == Status.CONCLUDED:
            outcome = rng.choice(
                [Outcome.RESOLVED] * 5 + [Outcome.PARTLY] * 2 + [Outcome.NOT_RESOLVED]
            )
        elif status == Status.WITHDRAWN:
            outcome = Outcome.WITHDRAWN
        recommendation = "Να απαντώνται εγγράφως τα αιτήματα." if rng.random() < 0.3 else ""
        numbers[year] += 1
        rows.append(
            Complaint(
                year=year,
                number=numbers[year],
                token=uuid.uuid4(),
                submission_key=f"bench-{uuid.uuid4().hex}",
                kind=rng.choice(("person", "person", "person", "business")),
                name=f"Καταγγέλλων {n}",
                email=f"bench{n}@example.gr",
                body=rng.choice(bodies),
                category=rng.choice(Category.values),
                description="Δεν πήρα απάντηση στην αίτησή μου.",
                request="Να απαντήσει η υπηρεσία.",
                channel=rng.choice(Channel.values),
                status=status,
                created_at=submitted,
                submitted_at=submitted,
                admitted_at=admitted if examined else None,
                due_on=(admitted + dt.timedelta(days=30 + paused)).date() if examined else None,
                paused_days=paused if examined else 0,
                closed_at=closed,
                exclusion="private" if status == Status.INADMISSIBLE else "",
                referred_to="Συνήγορος του Πολίτη" if status == Status.REFERRED else "",
                outcome=outcome,
                recommendation=recommendation if status == Status.CONCLUDED else "",
                adoption=rng.choice(Adoption.values) if recommendation and outcome else "",
                answer="Η υπηρεσία απάντησε." if status == Status.CONCLUDED else "",
                rating=rng.choice((None, None, 3, 4, 5)) if status == Status.CONCLUDED else None,
            )
        )
    with transaction.atomic():
        Complaint.objects.bulk_create(rows, batch_size=BATCH)
        for year in range(first, _last_year() + 1):
            AnnualReport.objects.update_or_create(
                year=year,
                defaults={
                    "introduction_el": f"Ετήσια έκθεση {year}.",
                    "published_at": timezone.now(),
                },
            )
    return {"complaints": complaints, "years": YEARS, "total": Complaint.objects.count()}


def paths() -> dict[str, str]:
    """Each measured page's path, or "" when this version has no page there."""
    from django.test import Client

    year = _last_year()
    pages = {
        "advocate_report": f"/advocate/report/{year}/",
        "advocate_figures": f"/api/v1/advocate/figures?year={year}",
        "advocate_start": "/advocate/",
    }
    client = Client(HTTP_ACCEPT_LANGUAGE="el", HTTP_HOST=HOST)
    return {name: p if client.get(p).status_code == 200 else "" for name, p in pages.items()}


def main(complaints: int) -> None:
    """What ``dimos shell -c`` runs: seed, then print the figures and the paths."""
    figures = seed(complaints)
    print("ADVOCATE=" + json.dumps({"seeded": figures, "paths": paths()}, ensure_ascii=False))


SEED_TIMEOUT = 900


def prepare(env: dict[str, str], log: Path, complaints: int) -> dict[str, Any]:
    """Seed in a ``dimos shell`` of the benchmark's database; the figures and the paths."""
    from benchmarks.server import dimos_command

    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
        f"from benchmarks.advocate import main; main({complaints})"
    )
    out = dimos_command(env, log, "shell", "-c", code, timeout=SEED_TIMEOUT)
    line = next((x for x in out.splitlines() if x.startswith("ADVOCATE=")), "")
    if not line:
        raise RuntimeError(f"the Advocate's complaints were not seeded; see {log}")
    data: dict[str, Any] = json.loads(line.removeprefix("ADVOCATE="))
    return data
