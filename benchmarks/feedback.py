"""A million ratings for the load benchmark (``--feedback N``, docs/performance.md).

Run inside ``dimos shell`` after the demo data: :func:`seed` adds ``N`` invitations and ratings
of completed transactions over the last twelve months, spread over the services that declare
completed transactions (through the registry, as the feedback app sees them), written in bulk
(the services, audit and notifications are not what is measured). The pages measured are the
public performance page of the whole municipality and of one service, anonymous, in Greek.
"""

from __future__ import annotations

import json
import random
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BATCH = 5000
SEED_TIMEOUT = 3600


def seed(count: int, *, rng_seed: int = 17) -> dict[str, int]:
    from django.db import transaction
    from django.utils import timezone

    from dimos.core.registry import registry
    from dimos.feedback.models import Invitation, Rating
    from dimos.feedback.services import RATINGS

    rng = random.Random(rng_seed)
    kinds = sorted(registry.transactions.values(), key=lambda k: k.order)
    now = timezone.now()
    weights = (6, 8, 14, 34, 38)
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        with transaction.atomic():
            invitations = []
            for n in range(done, done + size):
                kind = kinds[n % len(kinds)]
                at = now - timedelta(seconds=rng.randint(60, 360 * 86400))
                invitations.append(
                    Invitation(
                        kind=kind.key,
                        object_id=f"bench-{n}",
                        service=kind.service,
                        online=rng.random() < 0.8,
                        completed_at=at,
                    )
                )
            Invitation.objects.bulk_create(invitations, batch_size=BATCH)
            Rating.objects.bulk_create(
                [
                    Rating(
                        invitation=i,
                        service=i.service,
                        score=rng.choices((1, 2, 3, 4, 5), weights=weights)[0],
                        online=i.online,
                        created_at=i.completed_at + timedelta(hours=2),
                    )
                    for i in invitations
                ],
                batch_size=BATCH,
            )
        done += size
    RATINGS.bump()
    return {"ratings": Rating.objects.count()}


def main(count: int) -> None:
    """What ``dimos shell -c`` runs: seed, then print the figures."""
    print("FEEDBACK=" + json.dumps({"seeded": seed(count)}))


def prepare(env: dict[str, str], log: Path, count: int) -> dict[str, Any]:
    """Seed in a ``dimos shell`` of the benchmark's database; the figures."""
    from benchmarks.server import dimos_command

    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
        f"from benchmarks.feedback import main; main({count})"
    )
    out = dimos_command(env, log, "shell", "-c", code, timeout=SEED_TIMEOUT)
    line = next((x for x in out.splitlines() if x.startswith("FEEDBACK=")), "")
    if not line:
        raise RuntimeError(f"the ratings were not seeded; see {log}")
    data: dict[str, Any] = json.loads(line.removeprefix("FEEDBACK="))
    return data
