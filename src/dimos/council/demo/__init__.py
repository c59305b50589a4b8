"""The demo council of Serres: the 2024–2028 term, the municipal council of 41 members in five
factions, the municipal committee and the consultation committee, and a year of their meetings
up to today — agendas, votes, decisions with their ADA, recordings on YouTube with each item's
time-codes, minutes — one meeting cancelled, one live now and one invited for next week.

The people and factions are made up. Idempotent: once the council has meetings, a second run
only moves the live meeting to now and the invited one to next week, so the demo shows them.
"""

from __future__ import annotations

import random
import sys

from django.db import transaction
from django.utils import timezone

from dimos.accounts.demo import demo_staff_member
from dimos.council import search
from dimos.council.demo.meetings import agendas, papers, place_live, plan_meetings, residents
from dimos.council.demo.people import COUNCIL_SLUG, bodies_of
from dimos.council.models import Meeting, MeetingState

SECRETARY = (
    "council secretary",
    "secretary@demo.dimos.gr",
    "demo-secretary-2026",
    "Δέσποινα",
    "Μαυροπούλου",
    ("council_secretary",),
    "ONSWG4TFOQQGC3TEEBRWC3DMMVZHK5DT",
)


def seed_council() -> None:
    """Seed the demo council once; on later runs keep its live and upcoming meetings current."""
    demo_staff_member(*SECRETARY)
    sys.stdout.write(
        f"  {'council secr.':<14} {SECRETARY[1]:<26} {SECRETARY[2]}   "
        f"two-step code: dimos totp {SECRETARY[1]}\n"
    )
    if Meeting.objects.filter(organization__slug=COUNCIL_SLUG).exists():
        _keep_current()
        return
    _seed()


@transaction.atomic
def _seed() -> None:
    rng = random.Random(2024)
    bodies = bodies_of(rng)
    now = timezone.now()
    plans = plan_meetings(rng, bodies, now)
    agendas(rng, bodies, plans, now)
    papers(bodies, plans)
    residents(plans)
    # The rows written in bulk sent no signals: index them for the search at once.
    search.rebuild()


def _keep_current() -> None:
    """On a later run: the live meeting starts half an hour ago again, the next one is a week
    on, so the demo's live card and upcoming list keep working on any day."""
    live = (
        Meeting.objects.filter(organization__slug=COUNCIL_SLUG, state=MeetingState.INVITED)
        .exclude(stream_url="")
        .first()
    )
    upcoming = (
        Meeting.objects.filter(organization__slug=COUNCIL_SLUG, state=MeetingState.INVITED)
        .filter(stream_url="")
        .order_by("-start")
        .first()
    )
    if live is None or upcoming is None:
        return
    now = timezone.now()
    if live.start <= now <= live.end:
        return
    place_live(live, upcoming, now)
    live.save(update_fields=["start", "end"])
    upcoming.save(update_fields=["start", "end"])
