"""Demo and benchmark data for reports: typical Greek municipal categories and reports.

``seed_categories`` and ``seed_reports`` are idempotent (``dimos demo`` may run many times);
``generate_reports`` bulk-inserts any number of realistic reports for benchmarks.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from dimos.core import geo
from dimos.core.models import District
from dimos.core.selectors import current_municipality
from dimos.core.workdays import add_working_days
from dimos.reports.models import (
    CLOSED_STATUSES,
    Category,
    CategoryAttribute,
    CategoryGroup,
    Report,
    ReportUpdate,
    ResponseTemplate,
    Status,
)

# The demo's departments: staff groups, by the code the categories below use and the name staff
# and residents read (a municipality names its own groups in the admin).
DEPARTMENTS = {
    "dept-technical": "Τεχνικές Υπηρεσίες",
    "dept-cleaning": "Υπηρεσία Καθαριότητας",
    "dept-lighting": "Ηλεκτροφωτισμός",
    "dept-green": "Πρασίνου",
    "dept-police": "Δημοτική Αστυνομία",
    "dept-water": "ΔΕΥΑ (Ύδρευση)",
    "dept-animals": "Αδέσποτα ζώα",
}

GROUPS = [
    ("roads", "Οδοί και πεζοδρόμια", "Roads and pavements", 10),
    ("cleanliness", "Καθαριότητα", "Cleanliness", 20),
    ("lighting", "Φωτισμός", "Lighting", 30),
    ("water", "Ύδρευση", "Water", 40),
    ("green", "Πράσινο", "Green spaces", 50),
    ("public-order", "Δημοτική αστυνομία", "Municipal police", 60),
    ("animals", "Ζώα", "Animals", 70),
]

# code, group, Greek, English, department, working days, radius (m)
CATEGORIES = [
    ("pothole", "roads", "Λακκούβα στον δρόμο", "Pothole", "dept-technical", 10, 40),
    ("pavement", "roads", "Χαλασμένο πεζοδρόμιο", "Broken pavement", "dept-technical", 15, 30),
    (
        "garbage",
        "cleanliness",
        "Μη αποκομιδή απορριμμάτων",
        "Garbage not collected",
        "dept-cleaning",
        2,
        50,
    ),
    ("bulky-waste", "cleanliness", "Ογκώδη αντικείμενα", "Bulky waste", "dept-cleaning", 5, 50),
    ("graffiti", "cleanliness", "Γκράφιτι", "Graffiti", "dept-cleaning", 20, 30),
    ("street-light", "lighting", "Σβηστός λαμπτήρας", "Street light out", "dept-lighting", 5, 30),
    ("water-leak", "water", "Διαρροή νερού", "Water leak", "dept-water", 1, 60),
    (
        "tree",
        "green",
        "Κλάδεμα ή πεσμένο δέντρο",
        "Tree pruning or fallen tree",
        "dept-green",
        10,
        40,
    ),
    (
        "park",
        "green",
        "Φθορές σε πάρκο ή παιδική χαρά",
        "Damage in a park or playground",
        "dept-green",
        10,
        50,
    ),
    (
        "illegal-parking",
        "public-order",
        "Παράνομη στάθμευση",
        "Illegal parking",
        "dept-police",
        1,
        30,
    ),
    ("stray-animals", "animals", "Αδέσποτα ζώα", "Stray animals", "dept-animals", 5, 100),
]

DESCRIPTIONS = {
    "pothole": ["Βαθιά λακκούβα στη δεξιά λωρίδα", "Λακκούβα μπροστά στο σχολείο"],
    "pavement": [
        "Σπασμένες πλάκες, κίνδυνος για ηλικιωμένους",
        "Υψομετρική διαφορά στο πεζοδρόμιο",
    ],
    "garbage": ["Οι κάδοι δεν αδειάστηκαν εδώ και τρεις μέρες", "Γεμάτοι κάδοι στη γωνία"],
    "bulky-waste": ["Παλιός καναπές δίπλα στους κάδους", "Στρώματα στο πεζοδρόμιο"],
    "graffiti": ["Γκράφιτι στον τοίχο του δημοτικού κτιρίου"],
    "street-light": ["Σβηστή κολόνα φωτισμού", "Τρεις λάμπες σβηστές στη σειρά"],
    "water-leak": ["Τρέχει νερό από το φρεάτιο", "Διαρροή στο πεζοδρόμιο από χθες"],
    "tree": ["Κλαδιά ακουμπούν τα καλώδια", "Πεσμένο δέντρο μετά την καταιγίδα"],
    "park": ["Σπασμένη κούνια στην παιδική χαρά", "Χαλασμένο παγκάκι"],
    "illegal-parking": ["Αυτοκίνητο σε ράμπα ΑμεΑ", "Διπλοπαρκαρισμένο φορτηγό"],
    "stray-animals": ["Αγέλη σκύλων κοντά στο σχολείο", "Τραυματισμένη γάτα"],
}

# Streets of the town of Serres: a report with one of these addresses lies in the town.
STREETS = [
    "Μεραρχίας",
    "Βενιζέλου",
    "Κωνσταντινουπόλεως",
    "Εγνατίας",
    "Ομονοίας",
    "Τσαλοπούλου",
    "Μ. Αλεξάνδρου",
    "Αναλήψεως",
    "Σιδηροκάστρου",
    "Π. Μελά",
]


@transaction.atomic
def _former_rating_draw(rng: random.Random) -> dict[str, object]:
    """The draw that was the reporter's rating (ratings are the feedback app's now, seeded from
    the completed reports): still drawn, so that every later draw, and the demo, stay the same."""
    rng.choice([None, None, 3, 4, 5, 5])
    return {}


def seed_categories() -> list[Category]:
    for name in DEPARTMENTS.values():
        Group.objects.get_or_create(name=name)
    groups = {
        code: CategoryGroup.objects.get_or_create(
            code=code, defaults={"name_el": el, "name_en": en, "order": order}
        )[0]
        for code, el, en, order in GROUPS
    }
    for code, group, el, en, dept, days, radius in CATEGORIES:
        Category.objects.get_or_create(
            code=code,
            defaults={
                "group": groups[group],
                "name_el": el,
                "name_en": en,
                "department": Group.objects.get(name=DEPARTMENTS[dept]),
                "deadline_working_days": days,
                "duplicate_radius_m": radius,
            },
        )
    gas, created = Category.objects.get_or_create(
        code="gas-smell",
        defaults={
            "group": groups["water"],
            "name_el": "Μυρωδιά γκαζιού",
            "name_en": "Smell of gas",
            "department": Group.objects.get(name=DEPARTMENTS["dept-technical"]),
            "deadline_working_days": 1,
            "notice_el": "Κίνδυνος! Απομακρυνθείτε και καλέστε αμέσως το 199 (Πυροσβεστική).",
            "notice_en": "Danger! Move away and call 199 (Fire Service) now.",
            "notice_blocks": True,
        },
    )
    del gas, created
    light = Category.objects.get(code="street-light")
    CategoryAttribute.objects.get_or_create(
        category=light,
        code="pole-number",
        defaults={
            "datatype": CategoryAttribute.Datatype.STRING,
            "required": False,
            "order": 10,
            "description_el": "Αριθμός κολόνας (αν φαίνεται)",
            "description_en": "Pole number (if visible)",
        },
    )
    water = Category.objects.get(code="water-leak")
    CategoryAttribute.objects.get_or_create(
        category=water,
        code="size",
        defaults={
            "datatype": CategoryAttribute.Datatype.SINGLE,
            "required": True,
            "order": 10,
            "description_el": "Πόσο νερό χάνεται;",
            "description_en": "How much water is lost?",
            "values": [
                {"key": "drip", "name_el": "Στάζει", "name_en": "Dripping"},
                {"key": "flow", "name_el": "Τρέχει", "name_en": "Flowing"},
                {"key": "burst", "name_el": "Σπασμένος αγωγός", "name_en": "Burst main"},
            ],
        },
    )
    return list(Category.objects.all())


# Where the demo's villages have their houses (lat, lon), and the places people name there.
VILLAGES = {
    "lefkonas": (41.1005, 23.4986, ["Πλατεία Λευκώνα", "Δημοτικό σχολείο Λευκώνα"]),
    "elaionas": (41.1372, 23.5508, ["Πλατεία Ελαιώνα", "Εκκλησία Ελαιώνα"]),
    "oinousa": (41.1093, 23.6236, ["Πλατεία Οινούσας", "Κοινοτικό κατάστημα Οινούσας"]),
    "kato-kamila": (41.0452, 23.5803, ["Πλατεία Κάτω Καμήλας", "Γήπεδο Κάτω Καμήλας"]),
}
TOWN = "serres"
TOWN_CENTRE = (41.0880, 23.5480)
TOWN_SHARE = 0.8  # most reports come from the town, where most people live


def _places(rng: random.Random) -> Iterator[tuple[float, float, str]]:
    """Points where people report problems, with the address they would give: four in five
    in the town (a street of Serres), the rest around the villages' centres. Each point lies
    in the district its address names, so the district found from the map agrees."""
    districts = {d.code: geo.parse_polygon(d.boundary) for d in District.objects.all()}
    municipality = current_municipality()
    boundary = geo.parse_polygon(municipality.boundary) if municipality else []

    def inside(code: str, lat: float, lon: float) -> bool:
        if code in districts:
            return geo.contains_parsed(districts[code], lat, lon)
        return not boundary or geo.contains_parsed(boundary, lat, lon)

    villages = [code for code in VILLAGES if code in districts] or list(VILLAGES)
    while True:
        if rng.random() < TOWN_SHARE or not villages:
            code, (lat0, lon0), spread = TOWN, TOWN_CENTRE, 0.008
            address = f"{rng.choice(STREETS)} {rng.randint(1, 120)}, Σέρρες"
        else:
            code = rng.choice(villages)
            lat0, lon0, names = VILLAGES[code]
            spread, address = 0.003, rng.choice(names)
        lat, lon = rng.gauss(lat0, spread), rng.gauss(lon0, spread * 1.3)
        if inside(code, lat, lon):
            yield lat, lon, address


# How a report still being handled stands, and how a closed one ended.
_OPEN_OUTCOMES = [
    (Status.OPEN, 2),
    (Status.ACKNOWLEDGED, 4),
    (Status.IN_PROGRESS, 3),
    (Status.ACTION_SCHEDULED, 2),
]
_CLOSED_OUTCOMES = [
    (Status.FIXED, 78),
    (Status.DUPLICATE, 7),
    (Status.NOT_RESPONSIBLE, 6),
    (Status.UNABLE_TO_FIX, 4),
    (Status.WITHDRAWN, 5),
]


def _still_open(rng: random.Random, age_days: float, deadline_days: int) -> bool:
    """Whether a report of this age is still being handled: most within their deadline are,
    a few past it (the backlog a department has), almost none of the old ones."""
    if age_days <= deadline_days * 1.4:
        return rng.random() < 0.7
    if age_days <= 60:
        return rng.random() < 0.1
    return rng.random() < 0.01


def _report_rows(
    count: int, seed: int, days: int, history: bool
) -> Iterator[tuple[Report, list[ReportUpdate]]]:
    rng = random.Random(seed)
    categories = list(Category.objects.filter(is_active=True, notice_blocks=False))
    districts = [(d, geo.parse_polygon(d.boundary)) for d in District.objects.all()]
    open_statuses, open_weights = zip(*_OPEN_OUTCOMES, strict=True)
    closed_statuses, closed_weights = zip(*_CLOSED_OUTCOMES, strict=True)
    places = _places(rng)
    now = timezone.now()
    for _ in range(count):
        category = rng.choice(categories)
        lat, lon, address = next(places)
        created = now - timedelta(seconds=rng.randint(0, days * 86400))
        age_days = (now - created).total_seconds() / 86400
        deadline = category.deadline_working_days
        ack = created + timedelta(hours=rng.randint(1, 48))
        done: datetime | None = None
        moved: datetime | None = None  # to "in progress" or "action scheduled"
        if _still_open(rng, age_days, deadline):
            status = rng.choices(open_statuses, open_weights)[0]
            if ack > now:
                status = Status.OPEN
            elif status in (Status.IN_PROGRESS, Status.ACTION_SCHEDULED):
                moved = ack + (now - ack) * rng.uniform(0.2, 0.9)
        else:
            status = rng.choices(closed_statuses, closed_weights)[0]
            # Most are closed within the deadline (in calendar days, a little longer).
            hours = rng.triangular(2, 24 * deadline * 2.2, 24 * deadline * 0.8)
            done = min(ack + timedelta(hours=hours), now - timedelta(minutes=5))
            ack = min(ack, done)
        district = next((d for d, poly in districts if geo.contains_parsed(poly, lat, lon)), None)
        report = Report(
            category=category,
            status=status,
            description=rng.choice(DESCRIPTIONS.get(category.code, ["Πρόβλημα"])),
            lat=round(lat, 6),
            lon=round(lon, 6),
            address=address,
            district=district,
            reporter_email=f"resident{rng.randint(1, 5000)}@example.org",
            source=rng.choice([Report.Source.WEB] * 8 + [Report.Source.API, Report.Source.PHONE]),
            priority=rng.choice([1, 2, 2, 2, 3, 4]),
            created_at=created,
            updated_at=done or moved or (ack if status != Status.OPEN else created),
            confirmed_at=created,
            acknowledged_at=ack if status != Status.OPEN else None,
            fixed_at=done if status == Status.FIXED else None,
            closed_at=done if status in CLOSED_STATUSES else None,
            expected_on=add_working_days(created, category.deadline_working_days),
            **_former_rating_draw(rng),
            referred_to="ΔΕΔΔΗΕ" if status == Status.NOT_RESPONSIBLE else "",
        )
        if not history:
            yield report, []
            continue
        steps = [
            ReportUpdate(kind=ReportUpdate.Kind.STATUS, to_status=Status.OPEN, created_at=created)
        ]
        if status != Status.OPEN:
            steps.append(
                ReportUpdate(
                    kind=ReportUpdate.Kind.STATUS,
                    from_status=Status.OPEN,
                    to_status=Status.ACKNOWLEDGED,
                    created_at=ack,
                )
            )
        if moved is not None:
            steps.append(
                ReportUpdate(
                    kind=ReportUpdate.Kind.STATUS,
                    from_status=Status.ACKNOWLEDGED,
                    to_status=status,
                    created_at=moved,
                )
            )
        if done is not None and status != Status.ACKNOWLEDGED:
            steps.append(
                ReportUpdate(
                    kind=ReportUpdate.Kind.STATUS,
                    from_status=Status.ACKNOWLEDGED,
                    to_status=status,
                    created_at=done,
                    text="Η βλάβη αποκαταστάθηκε. Ευχαριστούμε!" if status == Status.FIXED else "",
                )
            )
        yield report, steps


def generate_reports(
    count: int, *, seed: int = 1, days: int = 3 * 365, history: bool = False, batch: int = 5000
) -> int:
    """Bulk-insert ``count`` realistic reports (and their history if asked); returns count."""
    made = 0
    rows = _report_rows(count, seed, days, history)
    while made < count:
        chunk = [row for _, row in zip(range(min(batch, count - made)), rows, strict=False)]
        with transaction.atomic():
            reports = Report.objects.bulk_create([r for r, _ in chunk])
            if history:
                if reports[0].pk is None:  # backends that do not return ids
                    reports = list(Report.objects.order_by("-pk")[: len(chunk)])[::-1]
                updates = []
                for report, (_, steps) in zip(reports, chunk, strict=True):
                    for step in steps:
                        step.report = report
                        updates.append(step)
                ReportUpdate.objects.bulk_create(updates)
        made += len(chunk)
    return made


def seed_reports() -> None:
    """A few hundred demo reports with history, once."""
    if Report.objects.exists():
        return
    generate_reports(300, seed=2026, days=365, history=True)


def seed_demo_staff() -> None:
    """Give the demo clerk the roads department and the administrator every department."""
    from dimos.accounts.models import User
    from dimos.accounts.services import sync_roles

    sync_roles()
    clerk = User.objects.filter(email="clerk@demo.dimos.gr").first()
    if clerk is not None:
        clerk.groups.add(
            *Group.objects.filter(name__in=["reports_clerk", DEPARTMENTS["dept-technical"]])
        )
    admin = User.objects.filter(email="admin@demo.dimos.gr").first()
    if admin is not None:
        admin.groups.add(*Group.objects.filter(name="reports_manager"))


RESPONSE_TEMPLATES = [
    (
        "Παραλαβή",
        "Λάβαμε την αναφορά σας #{number} ({category}, {address}). Αρμόδια υπηρεσία: "
        "{department}. Θα την εξετάσει έως τις {expected}.",
        "We have received your report #{number} ({category}, {address}). It is in the hands of "
        "{department}, who will look into it by {expected}.",
    ),
    (
        "Προγραμματίστηκε",
        "Η εργασία για την αναφορά #{number} προγραμματίστηκε. Ευχαριστούμε για την υπομονή σας.",
        "The work on report #{number} is scheduled. Thank you for your patience.",
    ),
    (
        "Αποκαταστάθηκε",
        "Το πρόβλημα στη θέση {address} αποκαταστάθηκε. Αν εμφανιστεί ξανά, μπορείτε να "
        "ανοίξετε ξανά την αναφορά από τη σελίδα της.",
        "The problem at {address} has been fixed. If it comes back, you can reopen the report "
        "from its page.",
    ),
    (
        "Εκτός αρμοδιότητας",
        "Το θέμα δεν ανήκει στις αρμοδιότητες του Δήμου· το διαβιβάσαμε στον αρμόδιο φορέα.",
        "This is not the municipality's responsibility; we have passed it to the body in charge.",
    ),
]


def seed_response_templates() -> None:
    """The replies clerks use most, once."""
    if ResponseTemplate.objects.exists():
        return
    for title, text_el, text_en in RESPONSE_TEMPLATES:
        ResponseTemplate.objects.create(title=title, text_el=text_el, text_en=text_en)
