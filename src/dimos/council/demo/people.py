"""The demo council's bodies, factions, people and memberships."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from dimos.council.demo.texts import (
    DEPUTIES,
    FACTIONS,
    FAMILY,
    FEMALE,
    MALE,
    OUTSIDERS,
    slug_of,
)
from dimos.council.models import (
    LegislativeTerm,
    Location,
    Membership,
    MembershipRole,
    Organization,
    OrganizationKind,
    Person,
)

ATHENS = ZoneInfo("Europe/Athens")
TERM_START = dt.date(2024, 1, 1)
COUNCIL_SLUG = "dimotiko-symvoulio"
COMMITTEE_SLUG = "dimotiki-epitropi"
CONSULTATION_SLUG = "epitropi-diavoulefsis"


@dataclass
class Seat:
    person: Person
    faction: Organization
    majority: bool


@dataclass
class Bodies:
    council: Organization
    committee: Organization
    consultation: Organization
    place: Location
    factions: list[Organization]
    seats: list[Seat]
    members: dict[int, list[Person]] = field(default_factory=dict)  # body pk -> voters
    rapporteurs: dict[str, Person] = field(default_factory=dict)  # topic -> deputy mayor
    mayor: Person | None = None
    # The decisions each body took in the first year before the demo's year began.
    decisions_before: dict[tuple[int, int], int] = field(default_factory=dict)


# --- Bodies and people ---------------------------------------------------------------------


def bodies_of(rng: random.Random) -> Bodies:
    LegislativeTerm.objects.get_or_create(
        name_el="Δημοτική περίοδος 2024–2028",
        defaults={
            "name_en": "Municipal term 2024–2028",
            "start_date": TERM_START,
            "end_date": dt.date(2028, 12, 31),
        },
    )
    place, _ = Location.objects.get_or_create(
        description_el="Δημαρχείο Σερρών",
        defaults={
            "description_en": "Serres City Hall",
            "street_address": "Κωνσταντινουπόλεως 7",
            "room": "Αίθουσα του Δημοτικού Συμβουλίου, 1ος όροφος",
            "postal_code": "621 22",
            "locality": "Σέρρες",
            "lat": 41.0912,
            "lon": 23.5489,
        },
    )
    council, _ = Organization.objects.get_or_create(
        slug=COUNCIL_SLUG,
        defaults={"kind": OrganizationKind.COUNCIL, "name_el": "Δημοτικό Συμβούλιο", "order": 1},
    )
    council.name_el = "Δημοτικό Συμβούλιο Σερρών"
    council.name_en = "Municipal Council of Serres"
    council.short_name = "ΔΣ"
    council.description_el = (
        "Το αιρετό όργανο του Δήμου: 41 μέλη, μαζί με τον Δήμαρχο, από τις εκλογές του "
        "Οκτωβρίου 2023. Αποφασίζει για τον προϋπολογισμό, τα τέλη, τους κανονισμούς και τα "
        "έργα του Δήμου."
    )
    council.description_en = (
        "The municipality's elected body: 41 members including the mayor, elected in October "
        "2023. It decides the budget, rates, by-laws and works."
    )
    council.start_date = TERM_START
    council.save()
    committee = Organization.objects.create(
        kind=OrganizationKind.MUNICIPAL_COMMITTEE,
        slug=COMMITTEE_SLUG,
        name_el="Δημοτική Επιτροπή",
        name_en="Municipal Committee",
        short_name="ΔΕ",
        description_el="Εγκρίνει δαπάνες, διαγωνισμούς και συμβάσεις και αποφασίζει για τις "
        "δικαστικές υποθέσεις του Δήμου. Πρόεδρος ο Δήμαρχος.",
        description_en="Approves expenses, tenders and contracts and decides the municipality's "
        "court cases. The mayor chairs it.",
        sub_organization_of=council,
        start_date=TERM_START,
        order=2,
    )
    consultation = Organization.objects.create(
        kind=OrganizationKind.COMMITTEE,
        slug=CONSULTATION_SLUG,
        name_el="Επιτροπή Διαβούλευσης",
        name_en="Consultation Committee",
        short_name="ΕΔ",
        description_el="Φορείς της πόλης και δημοτικοί σύμβουλοι γνωμοδοτούν για τον "
        "προϋπολογισμό, το τεχνικό πρόγραμμα και τους κανονισμούς.",
        description_en="The town's organisations and councillors give their opinion on the "
        "budget, the technical programme and the by-laws.",
        sub_organization_of=council,
        start_date=TERM_START,
        order=3,
    )
    factions = [
        Organization.objects.create(
            kind=OrganizationKind.FACTION,
            slug=slug,
            name_el=name_el,
            name_en=name_en,
            short_name=short,
            color=color,
            start_date=TERM_START,
            order=10 + i,
        )
        for i, (slug, name_el, name_en, short, color, _seats) in enumerate(FACTIONS)
    ]
    bodies = Bodies(council, committee, consultation, place, factions, [])
    _people(rng, bodies)
    return bodies


def _new_person(rng: random.Random, used: set[str], role_el: str, role_en: str) -> Person:
    while True:
        woman = rng.random() < 0.4
        given = rng.choice(FEMALE if woman else MALE)
        family = rng.choice(FAMILY)[1 if woman else 0]
        slug = slug_of(f"{given} {family}")
        if slug not in used:
            break
    used.add(slug)
    return Person(
        slug=slug,
        given_name=given,
        family_name=family,
        role_el=role_el or ("Δημοτική σύμβουλος" if woman else "Δημοτικός σύμβουλος"),
        role_en=role_en or "Councillor",
    )


def _people(rng: random.Random, bodies: Bodies) -> None:
    used: set[str] = set()
    people: list[Person] = []
    for faction, row in zip(bodies.factions, FACTIONS, strict=True):
        majority = faction is bodies.factions[0]
        for i in range(row[5]):
            role_el, role_en = "", ""
            if majority and i == 0:
                role_el, role_en = "Δήμαρχος Σερρών", "Mayor of Serres"
            elif majority and i <= len(DEPUTIES):
                role_el, role_en = DEPUTIES[i - 1][1:]
            elif majority and i == len(DEPUTIES) + 1:
                role_el, role_en = "Πρόεδρος του Δημοτικού Συμβουλίου", "Council president"
            elif not majority and i == 0:
                role_el, role_en = "Επικεφαλής παράταξης", "Faction leader"
            person = _new_person(rng, used, role_el, role_en)
            people.append(person)
            bodies.seats.append(Seat(person, faction, majority))
    outsiders = [_new_person(rng, used, el, f"Representative, {en}") for el, en in OUTSIDERS]
    Person.objects.bulk_create([*people, *outsiders])
    seats = bodies.seats
    bodies.mayor = seats[0].person
    bodies.rapporteurs = {topic: seats[i + 1].person for i, (topic, *_) in enumerate(DEPUTIES)}
    bodies.rapporteurs["legal"] = bodies.mayor
    president = seats[len(DEPUTIES) + 2].person
    secretary = seats[len(DEPUTIES) + 3].person
    opposition = [s for s in seats if not s.majority]
    vice_president = opposition[0].person

    def council_role(seat: Seat) -> str:
        return {
            seats[0].person.pk: MembershipRole.MAYOR,
            president.pk: MembershipRole.PRESIDENT,
            vice_president.pk: MembershipRole.VICE_PRESIDENT,
            secretary.pk: MembershipRole.SECRETARY,
        }.get(seat.person.pk, MembershipRole.MEMBER)

    rows = [
        Membership(
            person=s.person,
            organization=bodies.council,
            role=council_role(s),
            on_behalf_of=s.faction,
            start_date=TERM_START,
        )
        for s in seats
    ]
    leaders = {bodies.factions[0].pk: seats[len(DEPUTIES) + 4].person.pk} | {
        f.pk: next(s.person.pk for s in seats if s.faction == f) for f in bodies.factions[1:]
    }
    rows += [
        Membership(
            person=s.person,
            organization=s.faction,
            role=(
                MembershipRole.LEADER
                if leaders[s.faction.pk] == s.person.pk
                else MembershipRole.MEMBER
            ),
            start_date=TERM_START,
        )
        for s in seats
    ]
    # The municipal committee: the mayor chairs it, four of the majority, two of the opposition.
    committee = [seats[0], *seats[7:11], opposition[1], opposition[7]]
    rows += [
        Membership(
            person=s.person,
            organization=bodies.committee,
            role=MembershipRole.PRESIDENT if s.person == bodies.mayor else MembershipRole.MEMBER,
            on_behalf_of=s.faction,
            start_date=TERM_START,
        )
        for s in committee
    ]
    consultation = [seats[6], seats[12], opposition[2]]
    rows += [
        Membership(
            person=s.person,
            organization=bodies.consultation,
            role=MembershipRole.PRESIDENT if s is seats[6] else MembershipRole.MEMBER,
            on_behalf_of=s.faction,
            start_date=TERM_START,
        )
        for s in consultation
    ]
    rows += [
        Membership(person=p, organization=bodies.consultation, start_date=TERM_START)
        for p in outsiders
    ]
    Membership.objects.bulk_create(rows)
    bodies.members = {
        bodies.council.pk: [s.person for s in seats],
        bodies.committee.pk: [s.person for s in committee],
        bodies.consultation.pk: [s.person for s in consultation] + outsiders,
    }
