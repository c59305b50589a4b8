"""Ten years of council meetings for the load benchmark (``--council N``, docs/performance.md).

Run inside ``dimos shell`` after the demo data (the demo council of Serres, its members and
factions): :func:`seed` adds ``N`` held meetings of the council and the municipal committee in
the ten years before the demo's year, 25 agenda items each, a decision with an ADA on every
item, the roll call of every meeting, each member's vote on the items of the last fifth of the
meetings, the recordings with their time-codes, and a paper for one item in twenty-five. Rows are
written in bulk (the secretariat's services, audit and notifications are not what is measured),
then the search index is rebuilt. :func:`paths` names the pages measured: a meeting with votes,
the OParl list of the council's meetings, a full-text search.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent

ITEMS_PER_MEETING = 25
YEARS = 10
BATCH = 5000
# What a resident searches for: a street naming (a few hundred items and decisions).
SEARCH_QUERY = "ονοματοδοσία"
ATHENS = ZoneInfo("Europe/Athens")


def seed(meetings: int, *, rng_seed: int = 13) -> dict[str, int]:
    from django.db import transaction
    from django.db.models import Min

    from dimos.council.demo.people import COMMITTEE_SLUG, COUNCIL_SLUG
    from dimos.council.models import Meeting, Membership, Organization

    rng = random.Random(rng_seed)
    council = Organization.objects.filter(slug=COUNCIL_SLUG).first()
    committee = Organization.objects.filter(slug=COMMITTEE_SLUG).first()
    if council is None or committee is None:
        raise SystemExit("run `dimos demo` first: no demo council")
    first_year = Meeting.objects.filter(organization=council).aggregate(y=Min("year"))["y"]
    members = {
        body.pk: list(
            Membership.objects.filter(organization=body).values_list("person_id", flat=True)
        )
        for body in (council, committee)
    }
    # Two meetings of the council for one of the committee, spread over the ten years.
    plan: list[tuple[Any, dt.date, bool]] = []
    per_year = max(1, meetings // YEARS)
    for n in range(meetings):
        year = first_year - YEARS + n // per_year if n < per_year * YEARS else first_year - 1
        slot = n % per_year
        body = committee if slot % 3 == 2 else council
        day = dt.date(year, 1, 8) + dt.timedelta(days=slot * 350 // per_year)
        plan.append((body, day, n >= meetings * 4 // 5))  # the last fifth with votes
    figures = {"meetings": 0, "items": 0, "decisions": 0, "votes": 0, "papers": 0}
    adas: set[str] = set()
    counters: dict[tuple[int, int], list[int]] = {}
    for start in range(0, len(plan), 100):
        with transaction.atomic():
            _write(rng, plan[start : start + 100], members, counters, adas, figures)
    figures["indexed"] = _rebuild_search()
    return figures


def _write(
    rng: random.Random,
    chunk: list[tuple[Any, dt.date, bool]],
    members: dict[int, list[int]],
    counters: dict[tuple[int, int], list[int]],
    adas: set[str],
    figures: dict[str, int],
) -> None:
    from dimos.council.demo.texts import committee_item, council_item, make_ada, video_id
    from dimos.council.models import (
        AgendaItem,
        Attendance,
        Consultation,
        CouncilFile,
        Decision,
        ItemResult,
        Meeting,
        MeetingKind,
        MeetingMode,
        MeetingState,
        OrganizationKind,
        Paper,
        Vote,
        VoteChoice,
    )

    rows = []
    voted: set[int] = set()
    for body, day, with_votes in chunk:
        key = (body.pk, day.year)
        numbers = counters.setdefault(key, [0, 0])
        numbers[0] += 1
        start = dt.datetime.combine(day, dt.time(18 if body.kind == "council" else 12))
        start = start.replace(tzinfo=ATHENS)
        if with_votes:
            voted.add(len(rows))
        rows.append(
            Meeting(
                organization=body,
                year=day.year,
                number=numbers[0],
                kind=MeetingKind.REGULAR,
                mode=MeetingMode.HYBRID,
                state=MeetingState.HELD,
                start=start,
                end=start + dt.timedelta(hours=4),
                invited_at=start - dt.timedelta(days=5),
                recording_url=f"https://www.youtube.com/watch?v={video_id(rng)}",
            )
        )
    files = CouncilFile.objects.bulk_create(
        CouncilFile(
            name_el=f"Βίντεο της συνεδρίασης {m.number}/{m.year}",
            name_en=f"Video of meeting {m.number}/{m.year}",
            external_service_url=m.recording_url,
            mime_type="text/html",
            date=m.start.date(),
        )
        for m in rows
    )
    items: list[AgendaItem] = []
    for meeting, file in zip(rows, files, strict=True):
        meeting.recording = file
        clock = 420
        for order in range(ITEMS_PER_MEETING):
            if meeting.organization.kind == OrganizationKind.COUNCIL:
                text = council_item(rng, meeting.year, meeting.start.month)
            else:
                text = committee_item(rng, meeting.year)
            length = rng.randint(120, 900)
            items.append(
                AgendaItem(
                    meeting=meeting,
                    order=order,
                    number=str(order + 1),
                    title_el=text.title_el,
                    title_en=text.title_en,
                    report_el=text.report_el,
                    report_en=text.report_en,
                    public=text.public,
                    result=ItemResult.ADOPTED,
                    start_seconds=clock,
                    end_seconds=clock + length,
                )
            )
            clock += length + 30
        meeting.recording_seconds = clock + 120
    Meeting.objects.bulk_create(rows)
    voted_meetings = {rows[i].pk for i in voted}
    AgendaItem.objects.bulk_create(items, batch_size=BATCH)
    attendance = []
    present: dict[int, list[int]] = {}
    for meeting in rows:
        here = present[meeting.pk] = []
        for person in members[meeting.organization.pk]:
            is_here = rng.random() < 0.92
            if is_here:
                here.append(person)
            status = Attendance.Status.PRESENT if is_here else Attendance.Status.EXCUSED
            attendance.append(Attendance(meeting=meeting, person_id=person, status=status))
    Attendance.objects.bulk_create(attendance, batch_size=BATCH)
    decisions, votes = [], []
    for item in items:
        meeting = item.meeting
        numbers = counters[(meeting.organization.pk, meeting.year)]
        numbers[1] += 1
        against: set[int] = set()
        if meeting.pk in voted_meetings:
            here = present[meeting.pk]
            if rng.random() < 0.3:
                against = set(rng.sample(here, min(len(here) // 3, 12)))
                item.result = ItemResult.ADOPTED_BY_MAJORITY
            votes += [
                Vote(
                    agenda_item=item,
                    person_id=person,
                    choice=(
                        VoteChoice.ABSENT
                        if person not in here
                        else VoteChoice.AGAINST
                        if person in against
                        else VoteChoice.FOR
                    ),
                )
                for person in members[meeting.organization.pk]
            ]
        decisions.append(
            Decision(
                agenda_item=item,
                organization=meeting.organization,
                year=meeting.year,
                number=numbers[1],
                text_el=f"Εγκρίνει: {item.title_el}.",
                text_en=f"Approves: {item.title_en}.",
                result=item.result,
                ada=make_ada(rng, adas),
            )
        )
    if voted:
        AgendaItem.objects.bulk_update(
            [i for i in items if i.result != ItemResult.ADOPTED], ["result"], batch_size=BATCH
        )
    Decision.objects.bulk_create(decisions, batch_size=BATCH)
    Vote.objects.bulk_create(votes, batch_size=BATCH)
    # One item in twenty-five (600 papers): the search rebuild reads papers a thousand at a time,
    # which SQLite refuses with more than about 800 (see docs/performance.md, "Council").
    papered = items[::25]
    papers = Paper.objects.bulk_create(
        Paper(
            reference=f"ΕΙΣ-{item.meeting.year}/B{item.pk}",
            name_el=item.title_el[:500],
            name_en=item.title_en[:500],
            date=item.meeting.start.date() - dt.timedelta(days=7),
        )
        for item in papered
    )
    Consultation.objects.bulk_create(
        Consultation(paper=paper, agenda_item=item)
        for paper, item in zip(papers, papered, strict=True)
    )
    figures["meetings"] += len(rows)
    figures["items"] += len(items)
    figures["decisions"] += len(decisions)
    figures["votes"] += len(votes)
    figures["papers"] += len(papers)


def _rebuild_search() -> int:
    """Index for the full-text search what was written in bulk (bulk writes send no signals)."""
    from dimos.council import search

    return search.rebuild()


def paths() -> dict[str, str]:
    """The measured pages: the latest bench meeting with votes, the OParl list of the council's
    meetings (first page of 100), the search; "" for a page this version does not have."""
    from urllib.parse import urlencode

    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from dimos.core.selectors import current_municipality
    from dimos.council.demo.people import COUNCIL_SLUG
    from dimos.council.models import Meeting, Organization

    council = Organization.objects.get(slug=COUNCIL_SLUG)
    municipality = current_municipality()
    if municipality is None:
        raise SystemExit("run `dimos demo` first: no municipality")
    # A bench meeting (the demo's have fewer items), the latest of those with votes.
    meeting = (
        Meeting.objects.filter(organization=council)
        .annotate(items=Count("agenda_items", distinct=True))
        .filter(items=ITEMS_PER_MEETING, agenda_items__votes__isnull=False)
        .order_by("-start")
        .distinct()
        .first()
    )
    if meeting is None:
        raise SystemExit("no council meeting with votes: seed first")
    try:
        search = reverse("council:search") + "?" + urlencode({"q": SEARCH_QUERY})
    except NoReverseMatch:
        search = ""
    # OParl's Body is the municipality; its meetings list pages by 100 (OParl's advice).
    try:
        oparl = reverse("oparl:body_list", kwargs={"pk": municipality.pk, "kind": "meeting"})
    except NoReverseMatch:
        oparl = ""
    return {
        "meeting": reverse("council:meeting", kwargs={"pk": meeting.pk}),
        "oparl_meetings": oparl,
        "search": search,
    }


def main(meetings: int) -> None:
    """What ``dimos shell -c`` runs: seed, then print the figures and the paths."""
    figures = seed(meetings)
    print("COUNCIL=" + json.dumps({"seeded": figures, "paths": paths()}, ensure_ascii=False))


SEED_TIMEOUT = 1800  # seconds for ``--council 600`` (bulk writes: about a minute)


def prepare(env: dict[str, str], log: Path, meetings: int) -> dict[str, Any]:
    """Seed in a ``dimos shell`` of the benchmark's database; the figures and the paths."""
    from benchmarks.server import dimos_command

    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
        f"from benchmarks.council import main; main({meetings})"
    )
    out = dimos_command(env, log, "shell", "-c", code, timeout=SEED_TIMEOUT)
    line = next((x for x in out.splitlines() if x.startswith("COUNCIL=")), "")
    if not line:
        raise RuntimeError(f"the council was not seeded; see {log}")
    data: dict[str, Any] = json.loads(line.removeprefix("COUNCIL="))
    return data
