"""The demo's activities: Serres' online lessons for children (as in the lockdowns: painting,
English with songs, robotics, stories of the town, chess), and Thessaloniki's hackathon with
teams and a QR check-in. The demo resident has two children: one with a place in a lesson
that already met (attendance taken, a certificate to download), one on a waitlist.

Idempotent: programmes are made once; a later run keeps their dates ahead of today.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from dimos.accounts.demo import demo_staff_member
from dimos.activities import services
from dimos.activities.conf import conf
from dimos.activities.models import (
    Attendance,
    Audience,
    Child,
    Kind,
    Mode,
    Programme,
    Registration,
    Repeat,
    Subject,
)

TEACHER = (
    "activities org.",
    "teacher@demo.dimos.gr",
    "demo-teacher-2026",
    "Σοφία",
    "Καραγιάννη",
    ("activities_organiser",),
    "ONSWG4TFOQQHIZLBMNUGK4RAORSWCY3I",
)
COORDINATOR = (
    "activities co.",
    "activities@demo.dimos.gr",
    "demo-activities-2026",
    "Παύλος",
    "Δημητρίου",
    ("activities_coordinator",),
    "ONSWG4TFOQQGCY3UNF3GS5DJMVZSAY3P",
)
SERRES_LIBRARY = ("Δημοτική Βιβλιοθήκη Σερρών", "Μεραρχίας 2, Σέρρες", 41.0887, 23.5482)
OK_THESS = ("Θερμοκοιτίδα OK!Thess", "Εγνατίας 154 (ΔΕΘ), Θεσσαλονίκη", 40.6262, 22.9525)


def _at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


LESSONS: list[dict[str, Any]] = [
    {
        "title_el": "Ζωγραφίζουμε την πόλη μας",
        "title_en": "We paint our town",
        "description_el": "Online μαθήματα ζωγραφικής για παιδιά με εικαστικούς της Δημοτικής "
        "Πινακοθήκης Σερρών. Χρειάζεστε χαρτί, μολύβια και νερομπογιές.",
        "description_en": "Online painting lessons for children with artists of the Serres "
        "Municipal Gallery. You need paper, pencils and watercolours.",
        "subject": Subject.ARTS,
        "organiser_name": "Δημοτική Πινακοθήκη Σερρών",
        "age_min": 6,
        "age_max": 9,
        "capacity": 12,
        "start": (-7, 17),
        "weeks": 8,
    },
    {
        "title_el": "Αγγλικά με τραγούδια",
        "title_en": "English with songs",
        "description_el": "Μαθαίνουμε αγγλικές λέξεις τραγουδώντας, με εθελόντρια εκπαιδευτικό.",
        "description_en": "Learning English words by singing, with a volunteer teacher.",
        "subject": Subject.LANGUAGES,
        "organiser_name": "Εθελοντές εκπαιδευτικοί του Δήμου Σερρών",
        "age_min": 5,
        "age_max": 7,
        "capacity": 2,
        "start": (2, 11),
        "weeks": 6,
        "languages": ["el", "en"],
    },
    {
        "title_el": "Ρομποτική για αρχάριους",
        "title_en": "Robotics for beginners",
        "description_el": "Φτιάχνουμε και προγραμματίζουμε μικρά ρομπότ. Στη βιβλιοθήκη ή "
        "από το σπίτι, με τα ίδια φύλλα εργασίας.",
        "description_en": "Building and programming small robots. At the library or from home, "
        "with the same worksheets.",
        "subject": Subject.TECHNOLOGY,
        "organiser_name": "Δημοτική Βιβλιοθήκη Σερρών",
        "age_min": 10,
        "age_max": 13,
        "capacity": 16,
        "start": (4, 18),
        "weeks": 10,
        "mode": Mode.HYBRID,
        "place": SERRES_LIBRARY,
    },
    {
        "title_el": "Ιστορίες από τις Σέρρες",
        "title_en": "Stories from Serres",
        "description_el": "Ο παραμυθάς της βιβλιοθήκης διαβάζει ιστορίες και θρύλους της περιοχής.",
        "description_en": "The library's storyteller reads tales and legends of the region.",
        "subject": Subject.CIVIC,
        "organiser_name": "Δημοτική Βιβλιοθήκη Σερρών",
        "age_min": 7,
        "age_max": 11,
        "capacity": 25,
        "start": (5, 12),
        "weeks": 1,
    },
    {
        "title_el": "Σκάκι στην πλατεία",
        "title_en": "Chess in the square",
        "description_el": "Σκάκι για παιδιά κάθε Σάββατο πρωί, στο Δημοτικό Αναψυκτήριο.",
        "description_en": "Chess for children every Saturday morning at the Municipal Café.",
        "subject": Subject.SPORT,
        "organiser_name": "Τμήμα Αθλητισμού Δήμου Σερρών",
        "age_min": 8,
        "age_max": 14,
        "capacity": 20,
        "start": (6, 10),
        "weeks": 6,
        "mode": Mode.IN_PERSON,
        "place": ("Πλατεία Ελευθερίας", "Πλατεία Ελευθερίας, Σέρρες", 41.0922, 23.5491),
    },
]


def seed() -> None:
    teacher = demo_staff_member(*TEACHER)
    demo_staff_member(*COORDINATOR)
    for who in (TEACHER, COORDINATOR):
        sys.stdout.write(
            f"  {who[0]:<14} {who[1]:<26} {who[2]}   two-step code: dimos totp {who[1]}\n"
        )
    if Programme.objects.filter(title_el=LESSONS[0]["title_el"]).exists():
        return
    with transaction.atomic():
        _seed(teacher)


def _programme(teacher: Any, spec: dict[str, Any]) -> Programme:
    days, hour = spec["start"]
    first = _at(days, hour)
    weeks = spec.get("weeks", 1)
    mode = spec.get("mode", Mode.ONLINE)
    place = spec.get("place", ("", "", None, None))
    opens = min(first, timezone.now()) - dt.timedelta(days=14)
    return services.create_programme(
        actor=teacher,
        publish=True,
        kind=spec.get("kind", Kind.LESSON),
        title_el=spec["title_el"],
        title_en=spec["title_en"],
        description_el=spec["description_el"],
        description_en=spec["description_en"],
        subject=spec["subject"],
        organiser_name=spec["organiser_name"],
        audience=spec.get("audience", Audience.CHILDREN),
        age_min=spec.get("age_min"),
        age_max=spec.get("age_max"),
        mode=mode,
        video_url=f"https://meet.jit.si/dimos-demo-{slugify(spec['title_en'])}"
        if mode != Mode.IN_PERSON
        else "",
        place_name=place[0],
        address=place[1],
        lat=place[2],
        lon=place[3],
        languages=spec.get("languages", ["el"]),
        capacity=spec["capacity"],
        registration_opens=opens,
        registration_closes=first + dt.timedelta(days=7 * weeks - 1),
        first_start=first,
        duration_minutes=spec.get("minutes", 45),
        repeat=Repeat.WEEKLY if weeks > 1 else Repeat.ONCE,
        repeat_until=(first + dt.timedelta(days=7 * (weeks - 1))).date() if weeks > 1 else None,
        teams=spec.get("teams", False),
        check_in=spec.get("check_in", False),
        certificate=spec.get("certificate", True),
    )


def _family(email: str, first: str, last: str) -> Any:
    from allauth.account.models import EmailAddress

    from dimos.accounts.models import User

    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=None, first_name=first, last_name=last
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _child(guardian: Any, name: str, age: int) -> Child:
    existing = Child.objects.filter(guardian=guardian, first_name=name).first()
    if existing is not None:
        return existing
    return services.add_child(
        guardian=guardian,
        first_name=name,
        birth_year=timezone.localdate().year - age,
        consent=True,
        consent_version=conf.CONSENT_VERSION,
    )


def _seed(teacher: Any) -> None:
    from dimos.accounts.models import User

    made = [_programme(teacher, spec) for spec in LESSONS]
    painting, english = made[0], made[1]
    hackathon = _programme(
        teacher,
        {
            "kind": Kind.EVENT,
            "title_el": "Hackathon Apps4Thessaloniki",
            "title_en": "Apps4Thessaloniki hackathon",
            "description_el": "Δύο μέρες για ομάδες που φτιάχνουν εφαρμογές για την πόλη με τα "
            "ανοιχτά δεδομένα του Δήμου Θεσσαλονίκης. Δηλώστε το όνομα της ομάδας σας· στην "
            "είσοδο δείχνετε τον κωδικό QR.",
            "description_en": "Two days for teams building apps for the city with the open data "
            "of the Municipality of Thessaloniki. Give your team's name; show the QR code at "
            "the door.",
            "subject": Subject.TECHNOLOGY,
            "organiser_name": "Δήμος Θεσσαλονίκης · Apps4Thessaloniki",
            "audience": Audience.ADULTS,
            "capacity": 60,
            "start": (12, 10),
            "weeks": 1,
            "minutes": 8 * 60,
            "mode": Mode.IN_PERSON,
            "place": OK_THESS,
            "teams": True,
            "check_in": True,
            "certificate": False,
        },
    )
    resident = User.objects.filter(email="resident@demo.dimos.gr").first()
    families = [
        _family(f"family{i}@demo.dimos.gr", first, "Οικογένεια")
        for i, first in enumerate(("Κατερίνα", "Δημήτρης", "Αθηνά", "Νίκος", "Ευαγγελία"), 1)
    ]
    kids = [
        _child(f, name, 6)
        for f, name in zip(families, ("Άρης", "Ιωάννα", "Φίλιππος", "Ζωή", "Στέλιος"), strict=True)
    ]
    for parent, kid in zip(families[:2], kids[:2], strict=True):
        services.register(programme=english, account=parent, child=kid)
    for parent, kid in zip(families[2:], kids[2:], strict=True):
        services.register(programme=english, account=parent, child=kid)  # the waitlist
    for i, parent in enumerate(families):
        older = _child(parent, ("Μάρκος", "Δανάη", "Ορέστης", "Χαρά", "Λευτέρης")[i], 8)
        services.register(programme=painting, account=parent, child=older)
    teams = ("Οι Ψηφιακοί Λευκοί Πύργοι", "Thess Data", "Open Thermaikos")
    for i, parent in enumerate(families[:3]):
        services.register(programme=hackathon, account=parent, team_name=teams[i])
    if resident is not None:
        eleni = _child(resident, "Ελένη", 8)
        giorgos = _child(resident, "Γιώργος", 6)
        services.register(programme=painting, account=resident, child=eleni)
        services.register(programme=english, account=resident, child=giorgos)
    # The painting lesson met once already: the teacher took attendance.
    first = painting.sessions.order_by("starts_at").first()
    if first is not None and first.starts_at <= timezone.now():
        for registration in Registration.objects.filter(programme=painting, status="confirmed"):
            Attendance.objects.create(session=first, registration=registration, present=True)
