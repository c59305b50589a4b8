"""A small council for the public pages' tests: a body with its members in two factions, a
meeting held with its recording, votes, a decision with an ADA, a paper, and an upcoming one.

Built with the models directly (the secretariat's services are another part's); each test
file asks for what it needs through the functions here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from dimos.council.models import (
    AgendaItem,
    Attendance,
    Consultation,
    CouncilFile,
    Decision,
    ItemResult,
    Location,
    Meeting,
    MeetingKind,
    MeetingMode,
    MeetingState,
    Membership,
    Organization,
    OrganizationKind,
    Paper,
    Person,
    Vote,
    VoteChoice,
)

ATHENS = ZoneInfo("Europe/Athens")
RECORDING = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


@dataclass
class Council:
    body: Organization
    majority: Organization
    opposition: Organization
    members: list[Person]
    held: Meeting
    upcoming: Meeting
    budget: AgendaItem
    school: AgendaItem
    decision: Decision


def body(slug: str = "dimotiko-symvoulio", **fields: object) -> Organization:
    values: dict[str, object] = {
        "kind": OrganizationKind.COUNCIL,
        "name_el": "Δημοτικό Συμβούλιο",
        "name_en": "Municipal Council",
        "order": 1,
    }
    values.update(fields)
    return Organization.objects.create(slug=slug, **values)


def person(slug: str, given: str, family: str, **fields: object) -> Person:
    return Person.objects.create(slug=slug, given_name=given, family_name=family, **fields)


def meeting(organization: Organization, number: int, start: datetime, **fields: object) -> Meeting:
    values: dict[str, object] = {
        "year": start.year,
        "number": number,
        "end": start + timedelta(hours=3),
        "state": MeetingState.INVITED,
    }
    values.update(fields)
    return Meeting.objects.create(organization=organization, start=start, **values)


def item(meeting: Meeting, order: int, title_el: str, **fields: object) -> AgendaItem:
    values: dict[str, object] = {"number": str(order + 1)}
    values.update(fields)
    return AgendaItem.objects.create(meeting=meeting, order=order, title_el=title_el, **values)


def council() -> Council:
    """The council, with a meeting held last month and one next week."""
    council_body = body()
    majority = Organization.objects.create(
        kind=OrganizationKind.FACTION, slug="proodos", name_el="Πρόοδος", name_en="Progress"
    )
    opposition = Organization.objects.create(
        kind=OrganizationKind.FACTION, slug="allagi", name_el="Αλλαγή", name_en="Change"
    )
    names = [
        ("maria-papadopoulou", "Μαρία", "Παπαδοπούλου", majority),
        ("giorgos-ioannou", "Γιώργος", "Ιωάννου", majority),
        ("eleni-georgiou", "Ελένη", "Γεωργίου", opposition),
    ]
    members = []
    for slug, given, family, faction in names:
        member = person(slug, given, family, role_el="Δημοτική σύμβουλος", role_en="Councillor")
        Membership.objects.create(
            person=member, organization=council_body, start_date=date(2024, 1, 1)
        )
        Membership.objects.create(person=member, organization=faction, start_date=date(2024, 1, 1))
        members.append(member)
    place = Location.objects.create(
        description_el="Αίθουσα δημοτικού συμβουλίου",
        description_en="Council chamber",
        street_address="Μεραρχίας 1",
    )
    now = timezone.now()
    held_start = (
        (now - timedelta(days=30))
        .astimezone(ATHENS)
        .replace(hour=18, minute=0, second=0, microsecond=0)
    )
    held = meeting(
        council_body,
        1,
        held_start,
        state=MeetingState.HELD,
        kind=MeetingKind.REGULAR,
        mode=MeetingMode.HYBRID,
        location=place,
        recording_url=RECORDING,
        recording_seconds=3 * 3600,
    )
    budget = item(
        held,
        0,
        "Έγκριση προϋπολογισμού του Δήμου",
        title_en="Approval of the municipal budget",
        rapporteur=members[0],
        report_el="Εισήγηση για τον προϋπολογισμό.",
        result=ItemResult.ADOPTED_BY_MAJORITY,
        start_seconds=600,
        end_seconds=2400,
    )
    school = item(
        held,
        1,
        "Συντήρηση του Δημοτικού Σχολείου Σερρών",
        title_en="Upkeep of the Serres primary school",
        result=ItemResult.ADOPTED,
        start_seconds=2400,
        end_seconds=3600,
    )
    decision = Decision.objects.create(
        agenda_item=budget,
        organization=council_body,
        year=held.year,
        number=17,
        text_el="Εγκρίνει τον προϋπολογισμό.",
        text_en="Approves the budget.",
        result=ItemResult.ADOPTED_BY_MAJORITY,
        ada="Ψ4Ω2ΩΞΑ-8ΑΒ",
    )
    for member, choice in zip(members, [VoteChoice.FOR, VoteChoice.FOR, VoteChoice.AGAINST]):
        Vote.objects.create(agenda_item=budget, person=member, choice=choice)
    for member, status in zip(
        members,
        [Attendance.Status.PRESENT, Attendance.Status.PRESENT, Attendance.Status.ABSENT],
    ):
        Attendance.objects.create(meeting=held, person=member, status=status)
    report = CouncilFile.objects.create(
        name_el="Εισήγηση οικονομικής υπηρεσίας",
        name_en="Report of the finance department",
        external_service_url="https://example.org/report.pdf",
    )
    paper = Paper.objects.create(
        reference="ΕΙΣ-2026-1",
        name_el="Σχέδιο προϋπολογισμού",
        name_en="Draft budget",
        date=held_start.date(),
        main_file=report,
    )
    Consultation.objects.create(paper=paper, agenda_item=budget)
    upcoming_start = (
        (now + timedelta(days=7))
        .astimezone(ATHENS)
        .replace(hour=18, minute=0, second=0, microsecond=0)
    )
    upcoming = meeting(council_body, 2, upcoming_start, location=place, invited_at=now)
    item(upcoming, 0, "Ανάπλαση της κεντρικής πλατείας", title_en="Renewal of the main square")
    return Council(
        body=council_body,
        majority=majority,
        opposition=opposition,
        members=members,
        held=held,
        upcoming=upcoming,
        budget=budget,
        school=school,
        decision=decision,
    )
