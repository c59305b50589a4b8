"""The demo council's year of meetings: agendas, votes, decisions, recordings, minutes,
papers, and the demo resident's follows and questions."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import formats, timezone, translation

from dimos.council.demo.people import ATHENS, Bodies
from dimos.council.demo.texts import (
    ItemText,
    committee_item,
    consultation_item,
    council_item,
    make_ada,
    video_id,
)
from dimos.council.models import (
    AgendaItem,
    Attendance,
    Consultation,
    CouncilFile,
    Decision,
    Follow,
    ItemResult,
    Meeting,
    MeetingKind,
    MeetingMode,
    MeetingState,
    Organization,
    Paper,
    PaperType,
    Question,
    Vote,
    VoteChoice,
)
from dimos.council.video import set_recording

# --- Meetings ------------------------------------------------------------------------------


@dataclass
class Plan:
    meeting: Meeting
    items: list[ItemText]
    special: str = ""  # "cancelled", "live", "next", "latest" (held, not yet time-coded)


# The invitation's words for the kind of meeting.
KIND_WORD = {
    MeetingKind.REGULAR: "τακτική",
    MeetingKind.EXTRAORDINARY: "έκτακτη",
    MeetingKind.URGENT: "κατεπείγουσα",
}


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ATHENS)


def plan_meetings(rng: random.Random, bodies: Bodies, now: dt.datetime) -> list[Plan]:
    today = timezone.localtime(now, ATHENS).date()
    first = today - dt.timedelta(days=364)
    plans: list[Plan] = []
    # The council every other Tuesday at 18:00, the committee every fourth Thursday at 12:00,
    # the consultation committee before the budget and in spring.
    day = first + dt.timedelta(days=(1 - first.weekday()) % 7)
    n = 0
    while day < today - dt.timedelta(days=1):
        kind = MeetingKind.REGULAR
        if n % 9 == 4:
            kind = MeetingKind.EXTRAORDINARY
        elif n % 11 == 7:
            kind = MeetingKind.URGENT
        plans.append(_plan(rng, bodies, bodies.council, day, 18, kind))
        day += dt.timedelta(days=14)
        n += 1
    day = first + dt.timedelta(days=(3 - first.weekday()) % 7)
    while day < today - dt.timedelta(days=1):
        plans.append(_plan(rng, bodies, bodies.committee, day, 12, MeetingKind.REGULAR))
        day += dt.timedelta(days=28)
    for back in (300, 170, 45):
        day = today - dt.timedelta(days=back)
        plans.append(_plan(rng, bodies, bodies.consultation, day, 17, MeetingKind.REGULAR))
    council_past = [p for p in plans if p.meeting.organization == bodies.council]
    council_past[len(council_past) // 2].special = "cancelled"
    council_past[-1].special = "latest"
    live = _plan(rng, bodies, bodies.council, today, 0)
    live.special = "live"
    next_week = _plan(rng, bodies, bodies.council, today + dt.timedelta(days=7), 18)
    next_week.special = "next"
    plans += [live, next_week]
    place_live(live.meeting, next_week.meeting, now)
    # Numbers per body and year, in the order held.
    plans.sort(key=lambda p: p.meeting.start)
    # The year seeded first began before the demo's year: its numbers go on from the meetings
    # and decisions a body would have had by then (every two weeks, four weeks, four months).
    counters: dict[tuple[int, int], int] = {}
    spacing = {bodies.council.pk: 14, bodies.committee.pk: 28, bodies.consultation.pk: 120}
    per_meeting = {bodies.council.pk: 8, bodies.committee.pk: 5, bodies.consultation.pk: 0}
    for plan in plans:
        m = plan.meeting
        m.year = timezone.localtime(m.start, ATHENS).year
        key = (m.organization.pk, m.year)
        if key not in counters and m.year == first.year:
            before = (first - dt.date(first.year, 1, 1)).days // spacing[m.organization.pk]
            counters[key] = before
            bodies.decisions_before[key] = before * per_meeting[m.organization.pk]
        counters[key] = m.number = counters.get(key, 0) + 1
        _state(rng, plan, bodies, now)
    Meeting.objects.bulk_create([p.meeting for p in plans])
    return plans


def place_live(live: Meeting, next_week: Meeting, now: dt.datetime) -> None:
    """The live meeting started half an hour ago and runs three hours; the next one a week on."""
    live.start = now.replace(second=0, microsecond=0) - dt.timedelta(minutes=30)
    live.end = live.start + dt.timedelta(hours=3)
    day = timezone.localtime(now, ATHENS).date() + dt.timedelta(days=7)
    next_week.start = _at(day, 18)
    next_week.end = next_week.start + dt.timedelta(hours=3)


def _plan(
    rng: random.Random,
    bodies: Bodies,
    body: Organization,
    day: dt.date,
    hour: int,
    kind: str = MeetingKind.REGULAR,
) -> Plan:
    start = _at(day, hour)
    if body == bodies.council:
        sizes: dict[str, int] = {
            MeetingKind.REGULAR: rng.randint(8, 13),
            MeetingKind.EXTRAORDINARY: 3,
        }
        count = sizes.get(kind, 1)
        items = [council_item(rng, day.year, day.month) for _ in range(count)]
    elif body == bodies.committee:
        items = [committee_item(rng, day.year) for _ in range(rng.randint(5, 9))]
    else:
        items = [consultation_item(rng, day.year) for _ in range(2)]
    # The same item twice on one agenda reads oddly: keep the first.
    unique = list({i.title_el: i for i in items}.values())
    meeting = Meeting(
        organization=body,
        year=day.year,
        number=0,
        kind=kind,
        mode=MeetingMode.HYBRID if body == bodies.council else MeetingMode.IN_PERSON,
        start=start,
        end=start + dt.timedelta(hours=3 if body == bodies.council else 2),
        location=bodies.place,
    )
    if kind == MeetingKind.URGENT:
        meeting.mode = MeetingMode.ONLINE
    return Plan(meeting, unique)


def _long_date(moment: dt.datetime) -> str:
    with translation.override("el"):
        return formats.date_format(timezone.localtime(moment, ATHENS), "l j E Y, H:i")


def _state(rng: random.Random, plan: Plan, bodies: Bodies, now: dt.datetime) -> None:
    m = plan.meeting
    body = m.organization
    where = "με τηλεδιάσκεψη" if m.mode == MeetingMode.ONLINE else "στην αίθουσα του Δημαρχείου"
    m.invitation_text = (
        f"Καλείστε σε {KIND_WORD[MeetingKind(m.kind)]} συνεδρίαση του οργάνου «{body.name_el}» "
        f"{where}, την {_long_date(m.start)}, για συζήτηση και λήψη απόφασης στα θέματα της "
        "ημερήσιας διάταξης."
    )
    m.invited_at = m.start - dt.timedelta(days=1 if m.kind == MeetingKind.URGENT else 5)
    if plan.special == "cancelled":
        m.state = MeetingState.CANCELLED
        m.cancelled_at = m.start - dt.timedelta(hours=20)
        m.cancel_reason = (
            "Η συνεδρίαση αναβάλλεται λόγω της έκτακτης χιονόπτωσης και της απαγόρευσης "
            "κυκλοφορίας στην πόλη· τα θέματα θα συζητηθούν στην επόμενη συνεδρίαση."
        )
    elif plan.special in ("live", "next"):
        m.state = MeetingState.INVITED
        m.invited_at = min(m.invited_at, now - dt.timedelta(days=1))
        if plan.special == "live":
            m.stream_url = f"https://www.youtube.com/live/{video_id(rng)}"
    else:
        m.state = MeetingState.HELD


# --- Agendas, decisions, votes, recordings, minutes ------------------------------------------


def agendas(rng: random.Random, bodies: Bodies, plans: list[Plan], now: dt.datetime) -> None:
    items: list[AgendaItem] = []
    for plan in plans:
        held = plan.meeting.state == MeetingState.HELD
        clock = rng.randint(300, 720)  # the roll call and the president's announcements
        timed = (
            held and plan.special != "latest" and plan.meeting.organization != bodies.consultation
        )
        for order, text in enumerate(plan.items):
            item = AgendaItem(
                meeting=plan.meeting,
                order=order,
                number=str(order + 1),
                title_el=text.title_el,
                title_en=text.title_en,
                report_el=text.report_el,
                report_en=text.report_en,
                public=text.public,
                rapporteur=bodies.rapporteurs.get(text.topic, bodies.mayor),
            )
            if held:
                item.result = _intended_result(rng, text)
            if held and text.public:
                length = rng.randint(180, 2400 if text.topic == "finance" else 1500)
                if timed:
                    item.start_seconds, item.end_seconds = clock, clock + length
                clock += length + rng.randint(10, 90)
            items.append(item)
        plan.meeting.recording_seconds = clock + rng.randint(60, 300)
    AgendaItem.objects.bulk_create(items)
    _votes_and_decisions(rng, bodies, plans, items, now)
    for plan in plans:
        m = plan.meeting
        if m.state == MeetingState.HELD and m.organization != bodies.consultation:
            url = f"https://www.youtube.com/watch?v={video_id(rng)}"
            set_recording(m, url, m.recording_seconds)
    _minutes(bodies, plans, now)


def _intended_result(rng: random.Random, text: ItemText) -> str:
    if not text.vote:
        return ItemResult.NOTED
    return rng.choices(
        [
            ItemResult.ADOPTED,
            ItemResult.ADOPTED_BY_MAJORITY,
            ItemResult.REJECTED,
            ItemResult.POSTPONED,
            ItemResult.WITHDRAWN,
        ],
        [60, 30, 3, 4, 3],
    )[0]


def _votes_and_decisions(
    rng: random.Random,
    bodies: Bodies,
    plans: list[Plan],
    items: list[AgendaItem],
    now: dt.datetime,
) -> None:
    faction_of = {s.person.pk: s.faction for s in bodies.seats}
    majority = bodies.factions[0]
    attendance: list[Attendance] = []
    votes: list[Vote] = []
    decisions: list[Decision] = []
    counters = dict(bodies.decisions_before)
    adas: set[str] = set()
    by_meeting: dict[int, list[AgendaItem]] = {}
    for item in items:
        by_meeting.setdefault(item.meeting.pk, []).append(item)
    for plan in plans:
        m = plan.meeting
        if m.state != MeetingState.HELD:
            continue
        members = bodies.members[m.organization.pk]
        present: dict[int, str] = {}
        for person in members:
            status = rng.choices(
                [Attendance.Status.PRESENT, Attendance.Status.EXCUSED, Attendance.Status.ABSENT],
                [90, 7, 3],
            )[0]
            if person == bodies.mayor:
                status = Attendance.Status.PRESENT
            present[person.pk] = status
            attendance.append(Attendance(meeting=m, person=person, status=status))
        for item in by_meeting.get(m.pk, []):
            if item.result not in (
                ItemResult.ADOPTED,
                ItemResult.ADOPTED_BY_MAJORITY,
                ItemResult.REJECTED,
            ):
                continue
            # Each faction votes as one; now and then a member differs.
            line = {f.pk: _faction_line(rng, item.result, f == majority) for f in bodies.factions}
            counts = {c: 0 for c in VoteChoice.values}
            for person in members:
                choice: str = VoteChoice.ABSENT
                if present[person.pk] == Attendance.Status.PRESENT:
                    faction = faction_of.get(person.pk)
                    choice = line[faction.pk] if faction else VoteChoice.FOR
                    if rng.random() < 0.03:
                        choice = VoteChoice.ABSTAIN
                counts[choice] += 1
                votes.append(Vote(agenda_item=item, person=person, choice=choice))
            voting = (
                counts[VoteChoice.FOR] + counts[VoteChoice.AGAINST] + counts[VoteChoice.ABSTAIN]
            )
            # The result follows the votes cast.
            if counts[VoteChoice.FOR] == voting:
                item.result = ItemResult.ADOPTED
            elif counts[VoteChoice.FOR] * 2 > voting:
                item.result = ItemResult.ADOPTED_BY_MAJORITY
            else:
                item.result = ItemResult.REJECTED
            key = (m.organization.pk, m.year)
            counters[key] = counters.get(key, 0) + 1
            decisions.append(_decision(rng, item, counters[key], adas, now))
    Attendance.objects.bulk_create(attendance)
    Vote.objects.bulk_create(votes)
    AgendaItem.objects.bulk_update(items, ["result"])
    Decision.objects.bulk_create(decisions)


def _faction_line(rng: random.Random, result: str, majority: bool) -> str:
    if result == ItemResult.ADOPTED:
        return VoteChoice.FOR
    if result == ItemResult.REJECTED:
        return VoteChoice.AGAINST if majority else VoteChoice.FOR
    if majority:
        return VoteChoice.FOR
    return rng.choice([VoteChoice.AGAINST, VoteChoice.AGAINST, VoteChoice.ABSTAIN, VoteChoice.FOR])


def _decision(
    rng: random.Random, item: AgendaItem, number: int, adas: set[str], now: dt.datetime
) -> Decision:
    m = item.meeting
    how_el = {
        ItemResult.ADOPTED: "ομόφωνα εγκρίνει",
        ItemResult.ADOPTED_BY_MAJORITY: "κατά πλειοψηφία εγκρίνει",
        ItemResult.REJECTED: "απορρίπτει",
    }[ItemResult(item.result)]
    how_en = {
        ItemResult.ADOPTED: "unanimously approves",
        ItemResult.ADOPTED_BY_MAJORITY: "approves by majority",
        ItemResult.REJECTED: "rejects",
    }[ItemResult(item.result)]
    # Decisions reach Diavgeia within days; the latest ones are still waiting.
    posted = now - m.start > dt.timedelta(days=10)
    return Decision(
        agenda_item=item,
        organization=m.organization,
        year=m.year,
        number=number,
        text_el=f"Το όργανο «{m.organization.name_el}», μετά από διαλογική συζήτηση, "
        f"{how_el}: {item.title_el}.",
        text_en=f"The {m.organization.name_en}, after debate, {how_en}: {item.title_en}.",
        result=item.result,
        ada=make_ada(rng, adas) if posted else "",
    )


def _stored(name_el: str, name_en: str, file_name: str, text: str, day: dt.date) -> CouncilFile:
    data = text.encode()
    file = CouncilFile(
        name_el=name_el,
        name_en=name_en,
        file_name=file_name,
        mime_type="text/plain",
        size=len(data),
        sha512=hashlib.sha512(data).hexdigest(),
        text=text,
        date=day,
    )
    file.file.save(file_name, ContentFile(data), save=False)
    file.save()
    return file


def _minutes(bodies: Bodies, plans: list[Plan], now: dt.datetime) -> None:
    """Minutes for the held meetings older than six weeks (approved at a later meeting)."""
    done: list[Meeting] = []
    for plan in plans:
        m = plan.meeting
        if m.state != MeetingState.HELD or now - m.start < dt.timedelta(weeks=6):
            continue
        lines = [
            f"ΠΡΑΚΤΙΚΟ ΤΗΣ {m.number}ης/{m.year} ΣΥΝΕΔΡΙΑΣΗΣ",
            f"{m.organization.name_el} — {_long_date(m.start)}",
            "",
            "Ημερήσια διάταξη και αποτελέσματα:",
        ]
        for item in m.agenda_items.all():
            lines.append(f"{item.number}. {item.title_el} — {item.get_result_display()}")
        day = (m.start + dt.timedelta(days=14)).date()
        m.minutes = _stored(
            f"Πρακτικό της συνεδρίασης {m.number}/{m.year}",
            f"Minutes of meeting {m.number}/{m.year}",
            f"praktiko-{m.organization.slug}-{m.year}-{m.number}.txt",
            "\n".join(lines) + "\n",
            day,
        )
        m.minutes_published_at = _at(day, 10)
        done.append(m)
    Meeting.objects.bulk_update(done, ["minutes", "minutes_published_at"])


# --- Papers, and the residents' follows and questions ----------------------------------------


def papers(bodies: Bodies, plans: list[Plan]) -> None:
    """A paper for the first item of some council meetings and the next week's agenda, each
    discussed where it is decided; the technical programme also at the consultation committee."""
    chosen = [p for p in plans if p.meeting.organization == bodies.council][-8:]
    consult = [p for p in plans if p.meeting.organization == bodies.consultation]
    firsts = [p.meeting.agenda_items.order_by("order").first() for p in chosen]
    items = [item for item in firsts if item is not None]
    # In bulk (no signals): the search is rebuilt once at the end.
    papers = Paper.objects.bulk_create(
        Paper(
            reference=f"ΕΙΣ-{item.meeting.year}/{100 + i}",
            name_el=item.title_el,
            name_en=item.title_en,
            paper_type=PaperType.REPORT if item.result == ItemResult.NOTED else PaperType.PROPOSAL,
            date=(item.meeting.start - dt.timedelta(days=7)).date(),
            main_file=_stored(
                f"Εισήγηση: {item.title_el}"[:300],
                f"Report: {item.title_en}"[:300],
                f"eisigisi-{item.meeting.year}-{100 + i}.txt",
                f"{item.title_el}\n\n{item.report_el or item.title_el}\n",
                (item.meeting.start - dt.timedelta(days=7)).date(),
            ),
        )
        for i, item in enumerate(items)
    )
    Paper.originator_persons.through.objects.bulk_create(
        Paper.originator_persons.through(paper_id=paper.pk, person_id=item.rapporteur_id)
        for paper, item in zip(papers, items, strict=True)
        if item.rapporteur_id is not None
    )
    links = [
        Consultation(paper=paper, agenda_item=item, authoritative=True)
        for paper, item in zip(papers, items, strict=True)
    ]
    opinion = consult[-1].meeting.agenda_items.order_by("order").first() if consult else None
    if opinion is not None and papers:
        links.append(
            Consultation(
                paper=papers[0], agenda_item=opinion, authoritative=False, role="Γνωμοδότηση"
            )
        )
    Consultation.objects.bulk_create(links)


def residents(plans: list[Plan]) -> None:
    """The demo resident follows the council and asks about an item of next week's agenda."""
    from dimos.accounts.models import User

    resident = User.objects.filter(email="resident@demo.dimos.gr").first()
    upcoming = next(p.meeting for p in plans if p.special == "next")
    council = upcoming.organization
    if resident is None:
        return
    Follow.objects.get_or_create(user=resident, organization=council)
    Follow.objects.get_or_create(user=resident, keyword="καθαριότητα")
    item = upcoming.agenda_items.order_by("order").first()
    if item is None:
        return
    Question.objects.create(
        agenda_item=item,
        user=resident,
        key="6f1c1f7e-2d4b-4c1e-9a3e-3b7d2f6a0c01",
        text="Θα ανακοινωθεί πριν από τη συνεδρίαση πόσα από τα χρήματα πηγαίνουν στις "
        "γειτονιές έξω από το κέντρο;",
        status=Question.Status.APPROVED,
        moderated_at=timezone.now(),
    )
    Question.objects.create(
        agenda_item=item,
        user=resident,
        key="6f1c1f7e-2d4b-4c1e-9a3e-3b7d2f6a0c02",
        text="Μπορεί να συζητηθεί και ο φωτισμός στην πλατεία της Καλλιθέας;",
    )
