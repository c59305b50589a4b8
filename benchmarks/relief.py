"""Relief at emergency scale for the load benchmark (``--relief N``, docs/performance.md).

Run inside ``dimos shell`` after the demo data: :func:`seed` adds ``N`` open requests for help
(each for its own beneficiary, spread over the coming week and the demo districts, in every
open state, a third of the scheduled ones without a courier) and ``N // 10`` approved
volunteers; :func:`sessions` signs in the demo coordinator and one of those volunteers and
prints their session cookies for the load generator. Rows are written in bulk: the workflow's
side effects (codes, notifications, audit) are not what is measured here.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

BATCH = 2000
PASSWORD = "bench-volunteer-2026"
# The demo coordinator (dimos.accounts.demo): relief coordinator and courier, with TOTP.
COORDINATOR = "clerk@demo.dimos.gr"
VOLUNTEER = "volunteer-0@bench.dimos.test"
SERRES = (41.0856, 23.5484)


def _point(rng: random.Random) -> tuple[float, float]:
    return SERRES[0] + rng.uniform(-0.03, 0.03), SERRES[1] + rng.uniform(-0.04, 0.04)


def seed(requests: int, volunteers: int, *, rng_seed: int = 12) -> dict[str, int]:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from dimos.accounts.models import User
    from dimos.core.models import District
    from dimos.deliveries.models import Delivery
    from dimos.relief import consent
    from dimos.relief.models import (
        Beneficiary,
        Method,
        Need,
        NeedKind,
        ReliefRequest,
        Status,
    )
    from dimos.volunteers.models import ALL_SLOTS, Skill, Volunteer
    from dimos.volunteers.models import Status as VolunteerStatus

    rng = random.Random(rng_seed)
    districts = list(District.objects.all())
    skills = list(Skill.objects.all())
    if not districts or not skills:
        raise SystemExit("run `dimos demo` first: no districts or volunteer skills")
    today = timezone.localdate()
    now = timezone.now()
    version = consent.CURRENT
    windows = [(dt.time(9), dt.time(12)), (dt.time(12), dt.time(15)), (dt.time(17), dt.time(20))]
    states = (
        [Status.RECEIVED] * 3 + [Status.ACCEPTED] * 2 + [Status.SCHEDULED] * 4 + [Status.OUT] * 1
    )
    kinds = list(NeedKind.values)

    with transaction.atomic():
        password = make_password(PASSWORD)
        users = User.objects.bulk_create(
            User(
                email=f"volunteer-{i}@bench.dimos.test",
                first_name="Εθελοντής",
                last_name=f"{i}",
                password=password,
                is_active=True,
            )
            for i in range(volunteers)
        )
        rows = Volunteer.objects.bulk_create(
            Volunteer(
                user=user,
                phone=f"69{rng.randrange(10**8):08d}",
                languages=["el"],
                has_car=rng.random() < 0.5,
                availability=ALL_SLOTS if i == 0 else rng.randrange(1, ALL_SLOTS + 1),
                status=VolunteerStatus.APPROVED,
                approved_at=now,
            )
            for i, user in enumerate(users)
        )
        district_links = Volunteer.districts.through
        skill_links = Volunteer.skills.through
        district_links.objects.bulk_create(
            district_links(volunteer_id=v.pk, district_id=d.pk)
            for i, v in enumerate(rows)
            for d in (districts if i == 0 else rng.sample(districts, min(2, len(districts))))
        )
        skill_links.objects.bulk_create(
            skill_links(volunteer_id=v.pk, skill_id=s.pk)
            for i, v in enumerate(rows)
            for s in (skills if i == 0 else rng.sample(skills, min(3, len(skills))))
        )

    made = 0
    while made < requests:
        size = min(BATCH, requests - made)
        with transaction.atomic():
            people = []
            for i in range(size):
                lat, lon = _point(rng)
                people.append(
                    Beneficiary(
                        full_name=f"Ωφελούμενος {made + i}",
                        address=f"Οδός Δοκιμής {made + i}, Σέρρες",
                        lat=lat,
                        lon=lon,
                        district=rng.choice(districts),
                        phone=f"69{rng.randrange(10**8):08d}",
                        vulnerabilities=["65plus"],
                        consent_version=version,
                        consent_method=Method.PHONE,
                    )
                )
            people = Beneficiary.objects.bulk_create(people)
            asked = []
            for person in people:
                start, end = rng.choice(windows)
                asked.append(
                    ReliefRequest(
                        beneficiary=person,
                        channel=Method.PHONE,
                        caller_name=person.full_name,
                        day=today + dt.timedelta(days=rng.randrange(7)),
                        window_start=start,
                        window_end=end,
                        urgent=rng.random() < 0.1,
                        status=rng.choice(states),
                    )
                )
            asked = ReliefRequest.objects.bulk_create(asked)
            Need.objects.bulk_create(
                Need(request=r, kind=rng.choice(kinds), description="Γάλα, ψωμί, φρούτα")
                for r in asked
            )
            planned = [r for r in asked if r.status in (Status.SCHEDULED, Status.OUT)]
            deliveries = Delivery.objects.bulk_create(
                Delivery(
                    source="relief",
                    reference=str(r.pk),
                    title=f"{r.reference} · bench",
                    recipient_name=r.beneficiary.full_name,
                    address=r.beneficiary.address,
                    phone=r.beneficiary.phone,
                    date=r.day,
                    window_start=r.window_start,
                    window_end=r.window_end,
                    status="out" if r.status == Status.OUT else "scheduled",
                )
                for r in planned
            )
            for r, d in zip(planned, deliveries, strict=True):
                r.delivery = d
                r.scheduled_at = now
            ReliefRequest.objects.bulk_update(planned, ["delivery", "scheduled_at"])
        made += size
    return {"requests": made, "volunteers": volunteers}


def sessions() -> dict[str, str]:
    """Session cookies of the coordinator and the first bench volunteer (signed in as a
    browser would be: a session row, the CSRF cookie is not needed for GETs)."""
    from django.conf import settings
    from django.test import Client

    from dimos.accounts.models import User

    cookies: dict[str, str] = {}
    for persona, email in (("coordinator", COORDINATOR), ("volunteer", VOLUNTEER)):
        client = Client()
        client.force_login(User.objects.get(email=email))
        name = settings.SESSION_COOKIE_NAME
        cookies[persona] = f"{name}={client.cookies[name].value}"
    return cookies


def main(requests: int) -> None:
    """What ``dimos shell -c`` runs: seed, then print the figures and the cookies."""
    figures: dict[str, Any] = seed(requests, max(1, requests // 10))
    print("RELIEF=" + json.dumps({"seeded": figures, "cookies": sessions()}))


SEED_TIMEOUT = 1800  # seconds for ``--relief 10000`` (bulk writes: well under a minute)


def prepare(env: dict[str, str], log: Path, requests: int) -> dict[str, Any]:
    """Seed in a ``dimos shell`` of the benchmark's database; the figures and the cookies."""
    from benchmarks.server import dimos_command

    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
        f"from benchmarks.relief import main; main({requests})"
    )
    out = dimos_command(env, log, "shell", "-c", code, timeout=SEED_TIMEOUT)
    line = next((x for x in out.splitlines() if x.startswith("RELIEF=")), "")
    if not line:
        raise RuntimeError(f"relief was not seeded; see {log}")
    data: dict[str, Any] = json.loads(line.removeprefix("RELIEF="))
    return data
