"""Demo data: skills, a published code of conduct, and dozens of volunteers in Serres'
districts in every state, with hours. Idempotent: what exists is left as it is."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from dimos.volunteers.models import (
    CodeOfConduct,
    ConductAcceptance,
    IdentityMethod,
    Skill,
    Status,
    Volunteer,
    VolunteerEvent,
    VolunteerHours,
    slot_bit,
)

SKILLS = (
    ("driving", "Οδήγηση", "Driving"),
    ("shopping", "Ψώνια", "Shopping"),
    ("pharmacy", "Φάρμακα από το φαρμακείο", "Medicine from the pharmacy"),
    ("phone-calls", "Τηλεφωνική συντροφιά", "Phone calls to keep company"),
    ("teaching", "Διδασκαλία και μελέτη με παιδιά", "Teaching and homework help"),
    ("translation", "Διερμηνεία", "Interpreting"),
    ("first-aid", "Πρώτες βοήθειες", "First aid"),
    ("carrying", "Μεταφορά δεμάτων", "Carrying parcels"),
)

CONDUCT_EL = """Ως εθελοντής ή εθελόντρια του Δήμου:
1. Σέβομαι την αξιοπρέπεια και την ιδιωτικότητα των ανθρώπων που βοηθώ.
2. Δεν κρατώ, δεν φωτογραφίζω και δεν μοιράζομαι προσωπικά τους στοιχεία.
3. Δεν δέχομαι χρήματα ή δώρα· χρήματα για αγορές δίνονται μόνο με απόδειξη.
4. Ακολουθώ τις οδηγίες του συντονιστή και τα μέτρα υγιεινής.
5. Αν δεν μπορώ να κάνω μια εργασία που ανέλαβα, το λέω έγκαιρα."""

CONDUCT_EN = """As a volunteer of the municipality:
1. I respect the dignity and privacy of the people I help.
2. I do not keep, photograph or share their personal details.
3. I accept no money or gifts; money for shopping is handled only with a receipt.
4. I follow the coordinator's instructions and the hygiene measures.
5. If I cannot do a task I took on, I say so in good time."""

FIRST = (
    "Νίκος",
    "Ελένη",
    "Γιάννης",
    "Κατερίνα",
    "Δημήτρης",
    "Σοφία",
    "Κώστας",
    "Μαρία",
    "Παναγιώτης",
    "Αναστασία",
    "Θανάσης",
    "Δέσποινα",
    "Χρήστος",
    "Βασιλική",
    "Στέλιος",
)
LAST = (
    "Αθανασίου",
    "Βλάχου",
    "Γεωργίου",
    "Δημητρίου",
    "Ευαγγέλου",
    "Ζαχαρίου",
    "Θεοδώρου",
    "Καραγιάννη",
    "Λαζαρίδη",
    "Μαυρίδη",
    "Νικολάου",
    "Παπάζογλου",
    "Σιδηροπούλου",
)
HOW_MANY = 48


@transaction.atomic
def seed_skills() -> list[Skill]:
    skills = []
    for order, (code, name_el, name_en) in enumerate(SKILLS, start=1):
        skill, _created = Skill.objects.get_or_create(
            code=code, defaults={"name_el": name_el, "name_en": name_en, "order": order * 10}
        )
        skills.append(skill)
    if not CodeOfConduct.objects.exists():
        CodeOfConduct.objects.create(
            version=1, text_el=CONDUCT_EL, text_en=CONDUCT_EN, published_at=timezone.now()
        )
    return skills


@transaction.atomic
def seed_volunteers() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from dimos.core.selectors import districts

    User = get_user_model()
    clerk = User.objects.filter(email="clerk@demo.dimos.gr").first()
    if clerk is not None:
        clerk.groups.add(*Group.objects.filter(name="volunteer_coordinator"))
    if Volunteer.objects.filter(user__email__endswith="@volunteers.demo.dimos.gr").exists():
        return
    places = list(districts())
    skills = list(Skill.objects.all())
    conduct = CodeOfConduct.objects.published().order_by("-version").first()
    if not places or not skills or conduct is None:
        return
    rng = random.Random(2020)
    now = timezone.now()
    today = timezone.localdate()
    # Most approved, some waiting to be vetted, a few paused, retired or not accepted.
    statuses = [Status.APPROVED] * 30 + [Status.APPLIED] * 9 + [Status.PAUSED] * 4
    statuses += [Status.RETIRED] * 3 + [Status.REJECTED] * 2
    for index in range(HOW_MANY):
        status = statuses[index % len(statuses)]
        first, last = rng.choice(FIRST), rng.choice(LAST)
        user = User.objects.create_user(
            email=f"volunteer{index + 1:02d}@volunteers.demo.dimos.gr",
            password=None,
            first_name=first,
            last_name=last,
        )
        applied = now - dt.timedelta(days=rng.randint(2, 300))
        mask = 0
        for _slot in range(rng.randint(2, 8)):
            mask |= slot_bit(rng.randrange(7), rng.randrange(3))
        checked = status != Status.APPLIED or rng.random() < 0.4
        volunteer = Volunteer.objects.create(
            user=user,
            phone=f"69{rng.randrange(10**7, 10**8)}",
            languages=["el"] + (["en"] if rng.random() < 0.5 else []),
            has_car=rng.random() < 0.45,
            availability=mask,
            status=status,
            applied_at=applied,
            approved_at=applied + dt.timedelta(days=3)
            if status in (Status.APPROVED, Status.PAUSED, Status.RETIRED)
            else None,
            closed_at=now if status in (Status.RETIRED, Status.REJECTED) else None,
            status_reason={
                Status.PAUSED: "Σε άδεια για λίγες εβδομάδες.",
                Status.RETIRED: "Μετακόμισε σε άλλη πόλη.",
                Status.REJECTED: "Δεν ολοκληρώθηκε ο έλεγχος ταυτότητας.",
            }.get(status, ""),
            conduct=conduct,
            conduct_accepted_at=applied,
            identity_method=IdentityMethod.ID_DOCUMENT if checked else "",
            identity_checked_by=clerk if checked else None,
            identity_checked_at=applied + dt.timedelta(days=2) if checked else None,
        )
        volunteer.skills.set(rng.sample(skills, rng.randint(1, 3)))
        volunteer.districts.set(rng.sample(places, rng.randint(1, min(2, len(places)))))
        ConductAcceptance.objects.create(volunteer=volunteer, conduct=conduct, accepted_at=applied)
        VolunteerEvent.objects.create(
            volunteer=volunteer, kind="applied", status=Status.APPLIED, actor=user
        )
        if status in (Status.APPROVED, Status.PAUSED, Status.RETIRED) and volunteer.approved_at:
            first_day = timezone.localdate(volunteer.approved_at)
            for _entry in range(rng.randint(1, 10)):
                span = max((today - first_day).days, 0)
                VolunteerHours.objects.create(
                    volunteer=volunteer,
                    date=first_day + dt.timedelta(days=rng.randint(0, span)),
                    hours=Decimal(rng.choice(["1", "1.5", "2", "2.5", "3", "4"])),
                    description=rng.choice(
                        ["Ψώνια για γείτονα", "Φάρμακα από το φαρμακείο", "Τηλεφωνική συντροφιά"]
                    ),
                    logged_by=user,
                )
