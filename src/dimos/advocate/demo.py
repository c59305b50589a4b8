"""The demo Advocate of Serres: the municipality's services and legal entities, the office's
and a service's demo accounts, and about forty complaints over last year and this one in every
state — with requests to services, answers, recommendations and a published annual report.

The complainants are made up. Idempotent: once there are complaints, a second run only gives
the demo staff their roles again.
"""

from __future__ import annotations

import random
import sys
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from dimos.accounts.demo import demo_staff_member
from dimos.advocate import services
from dimos.advocate.models import AnnualReport, Body, Category, Complaint, Mediation, Outcome

OFFICE = (
    "advocate",
    "advocate@demo.dimos.gr",
    "demo-advocate-2026",
    "Αναστασία",
    "Γεωργιάδου",
    ("advocate_office",),
    "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U",
)
LIAISON = (
    "service liaison",
    "liaison@demo.dimos.gr",
    "demo-liaison-2026",
    "Κωνσταντίνος",
    "Τσολάκης",
    ("advocate_liaison",),
    "ORSXG5DJNZTXG2LNOBWGKYLOMJRGC2LT",
)
HEAD = (
    "head of service",
    "head.planning@demo.dimos.gr",
    "demo-head-2026",
    "Σοφία",
    "Καραγιάννη",
    (),
    "NBSWY3DPEB3W64TMMQQGC3TEEBUGK3DM",
)

BODIES = (
    ("planning", "Διεύθυνση Πολεοδομίας", "Urban Planning Directorate", "service"),
    ("cleaning", "Διεύθυνση Καθαριότητας και Ανακύκλωσης", "Cleaning and Recycling", "service"),
    ("technical", "Διεύθυνση Τεχνικών Υπηρεσιών", "Technical Services", "service"),
    ("revenue", "Διεύθυνση Οικονομικών Υπηρεσιών – Τμήμα Εσόδων", "Revenue Department", "service"),
    ("social", "Διεύθυνση Κοινωνικής Προστασίας", "Social Protection", "service"),
    ("kep", "ΚΕΠ Δήμου Σερρών", "Citizens' Service Centre (KEP)", "service"),
    ("deyas", "ΔΕΥΑ Σερρών", "Serres Water and Sewerage (DEYAS)", "entity"),
    ("sports", "Δημοτικός Οργανισμός Αθλητισμού", "Municipal Sports Organisation", "entity"),
)

STORIES: tuple[tuple[str, str, str, str], ...] = (
    (
        "planning",
        Category.NO_ANSWER,
        "Κατέθεσα αίτηση για βεβαίωση χρήσης γης στις αρχές του έτους και δεν έχω λάβει καμία "
        "απάντηση, παρά τα τρία τηλεφωνήματα.",
        "Να εκδοθεί η βεβαίωση ή να μου εξηγηθεί γραπτώς τι λείπει.",
    ),
    (
        "cleaning",
        Category.DELAY,
        "Ο κάδος ανακύκλωσης στην οδό Μεραρχίας είναι σπασμένος εδώ και δύο μήνες· έχω κάνει "
        "αναφορά αλλά δεν αντικαταστάθηκε.",
        "Να αντικατασταθεί ο κάδος.",
    ),
    (
        "revenue",
        Category.IRREGULARITY,
        "Μου χρεώθηκαν τέλη κατάληψης πεζοδρομίου για το κατάστημά μου για μήνες που ήταν "
        "κλειστό λόγω ανακαίνισης, με άδεια της υπηρεσίας.",
        "Να διαγραφεί η χρέωση των μηνών που το κατάστημα ήταν κλειστό.",
    ),
    (
        "technical",
        Category.DELAY,
        "Η λακκούβα μπροστά στο σχολείο της Αγίας Σοφίας δεν έχει επισκευαστεί παρά τις "
        "αναφορές του συλλόγου γονέων.",
        "Να επισκευαστεί πριν τραυματιστεί κάποιο παιδί.",
    ),
    (
        "social",
        Category.UNFAIR,
        "Η αίτησή μου για το κοινωνικό παντοπωλείο απορρίφθηκε χωρίς αιτιολογία, ενώ πληρώ "
        "τα κριτήρια.",
        "Να επανεξεταστεί η αίτηση και να μου δοθεί γραπτή αιτιολογία.",
    ),
    (
        "kep",
        Category.DOCUMENTS,
        "Ζήτησα αντίγραφο του φακέλου μου και μου είπαν ότι δεν δίνεται χωρίς να εξηγήσουν γιατί.",
        "Να μου χορηγηθεί αντίγραφο του φακέλου.",
    ),
    (
        "deyas",
        Category.IRREGULARITY,
        "Ο λογαριασμός νερού του τριμήνου είναι δεκαπλάσιος του συνηθισμένου· ο μετρητής "
        "φαίνεται χαλασμένος.",
        "Να ελεγχθεί ο μετρητής και να διορθωθεί ο λογαριασμός.",
    ),
    (
        "sports",
        Category.DISCRIMINATION,
        "Η ομάδα μας δεν πήρε ώρες στο κλειστό γυμναστήριο, ενώ άλλες ομάδες "
        "με λιγότερα μέλη πήραν.",
        "Να κατανεμηθούν οι ώρες με διαφανή κριτήρια.",
    ),
)

NAMES = (
    "Δημήτρης Παπαδόπουλος",
    "Ευαγγελία Κωστοπούλου",
    "Νικόλαος Αθανασίου",
    "Χρυσούλα Ιωαννίδου",
    "Στέλιος Μαυρίδης",
    "Αικατερίνη Σταυροπούλου",
    "Γιάννης Τσακίρης",
    "Παναγιώτα Δούκα",
)
BUSINESSES = (("Καφέ Ροτόντα Ο.Ε.", "094014201"), ("Βιβλιοπωλείο Σερρών Α.Ε.", "099369824"))


def seed() -> None:
    office = demo_staff_member(*OFFICE)
    liaison = demo_staff_member(*LIAISON)
    head = demo_staff_member(*HEAD)
    for who in (OFFICE, LIAISON, HEAD):
        sys.stdout.write(
            f"  {who[0][:14]:<14} {who[1]:<26} {who[2]}   two-step code: dimos totp {who[1]}\n"
        )
    bodies = _bodies(liaison, head)
    if Complaint.objects.exists():
        return
    _complaints(bodies, office)


def _bodies(liaison: Any, head: Any) -> dict[str, Body]:
    found = {}
    for order, (code, el, en, kind) in enumerate(BODIES):
        body, _created = Body.objects.get_or_create(
            code=code,
            defaults={"name_el": el, "name_en": en, "kind": kind, "order": order * 10},
        )
        found[code] = body
    found["planning"].liaisons.add(liaison)
    found["cleaning"].liaisons.add(liaison)
    if found["planning"].head_id is None:
        found["planning"].head = head
        found["planning"].save(update_fields=["head"])
    return found


@transaction.atomic
def _complaints(bodies: dict[str, Body], office: Any) -> None:
    rng = random.Random(77)
    now = timezone.now()
    for i in range(40):
        code, category, description, asks = STORIES[i % len(STORIES)]
        business = i % 5 == 2
        name = NAMES[i % len(NAMES)]
        biz_name, tax = BUSINESSES[i % len(BUSINESSES)] if business else ("", "")
        email = f"complainant{i + 1}@example.gr"
        done = services.submit_complaint(
            person=services.Complainant(
                kind="business" if business else "person",
                name=name,
                email=email,
                phone=f"69{rng.randint(10000000, 99999999)}",
                business_name=biz_name,
                tax_number=tax,
                share_identity=i % 3 != 0,
            ),
            details=services.Details(
                body=bodies[code],
                category=category,
                description=description,
                request=asks,
                happened_on=(now - timedelta(days=600 - i * 13 if i < 32 else 60)).date(),
                earlier_steps="Τηλεφώνησα στην υπηρεσία και έστειλα email." if i % 2 else "",
            ),
            staff=office,
            channel="phone" if i % 4 == 0 else "in_person",
        )
        complaint = done.complaint
        # The closed ones over the last year and a half, the open ones in the last weeks.
        submitted = now - timedelta(days=560 - i * 13 if i < 32 else 45 - (i - 32) * 5)
        _play(complaint, i, office, rng)
        _backdate(complaint, submitted)
    _renumber()
    seed_report()


def _play(complaint: Complaint, i: int, office: Any, rng: random.Random) -> None:
    """Move the complaint on as the office would: most admitted and answered, some not."""
    fate = i % 8
    if i >= 36:
        return  # the newest wait for admissibility
    if fate == 5:
        services.reject(complaint=complaint, exclusion="private", actor=office)
        return
    if fate == 6:
        services.refer(
            complaint=complaint,
            referred_to="Συνήγορος του Πολίτη",
            explanation="Η υπόθεση αφορά υπηρεσία του κράτους· τη διαβιβάσαμε στον Συνήγορο.",
            actor=office,
        )
        return
    services.assign(complaint=complaint, to=office, actor=office)
    services.admit(complaint=complaint, actor=office)
    mediation = services.request_mediation(
        complaint=complaint,
        question="Παρακαλούμε ενημερώστε μας για την πορεία του αιτήματος και τους λόγους "
        "της καθυστέρησης.",
        actor=office,
    )
    if i >= 32:
        return  # still being examined
    if fate == 3:
        services.ask_complainant(
            complaint=complaint,
            text="Στείλτε μας, παρακαλούμε, αντίγραφο της αρχικής σας αίτησης.",
            actor=office,
        )
        services.reply(complaint=complaint, text="Σας επισυνάπτω τον αριθμό πρωτοκόλλου 1432/2025.")
    Mediation.objects.filter(pk=mediation.pk).update(
        status=Mediation.Status.ANSWERED,
        answer="Το αίτημα εξετάστηκε κατά προτεραιότητα και διεκπεραιώθηκε.",
        agrees=fate != 4,
    )
    outcome = (
        Outcome.NOT_RESOLVED if fate == 4 else Outcome.PARTLY if fate == 7 else Outcome.RESOLVED
    )
    services.conclude(
        complaint=complaint,
        outcome=outcome,
        answer="Μετά τη μεσολάβησή μας η υπηρεσία εξέτασε το αίτημά σας. "
        + (
            "Το ζήτημα επιλύθηκε."
            if outcome == Outcome.RESOLVED
            else "Το ζήτημα επιλύθηκε εν μέρει."
            if outcome == Outcome.PARTLY
            else "Η υπηρεσία διαφώνησε με τις προτάσεις μας."
        ),
        recommendation="Να απαντώνται εγγράφως τα αιτήματα εντός της προθεσμίας του ΚΔΔ."
        if i % 2 == 0
        else "",
        service_reasons="Η υπηρεσία θεωρεί ότι η χρέωση είναι νόμιμη." if fate == 4 else "",
        actor=office,
    )


def _backdate(complaint: Complaint, submitted: Any) -> None:
    """Place the complaint in the past, its dates in the order they happened."""
    complaint.refresh_from_db()
    updates: dict[str, Any] = {
        "created_at": submitted,
        "submitted_at": submitted,
        "year": timezone.localtime(submitted).year,
        "number": 0,  # numbered again once all are in place (_renumber)
    }
    start = submitted
    if complaint.admitted_at:
        start = submitted + timedelta(days=2)
        updates["admitted_at"] = start
        updates["due_on"] = (start + timedelta(days=30 + complaint.paused_days)).date()
        complaint.mediations.update(
            sent_at=start + timedelta(days=1), due_on=(start + timedelta(days=11)).date()
        )
    if complaint.closed_at:
        updates["closed_at"] = start + timedelta(days=3 + (complaint.pk * 7) % 34)
    Complaint.objects.filter(pk=complaint.pk).update(**updates)
    complaint.events.update(created_at=submitted)
    complaint.messages.update(created_at=start)


def _renumber() -> None:
    """Protocol numbers follow the (backdated) order of submission within each year."""
    by_year: dict[int, int] = {}
    rows = list(Complaint.objects.order_by("submitted_at", "pk").values_list("pk", "year"))
    Complaint.objects.update(number=0)
    for pk, year in rows:
        by_year[year] = by_year.get(year, 0) + 1
        Complaint.objects.filter(pk=pk).update(number=by_year[year])


def seed_report() -> None:
    year = timezone.localdate().year - 1
    AnnualReport.objects.get_or_create(
        year=year,
        defaults={
            "introduction_el": (
                "Η έκθεση παρουσιάζει το έργο του Συμπαραστάτη του Δημότη και της Επιχείρησης "
                f"του Δήμου Σερρών για το {year}, σύμφωνα με το άρθρο 77 του Ν.3852/2010."
            ),
            "introduction_en": (
                "This report presents the work of the Advocate for citizens and enterprises of "
                f"the Municipality of Serres in {year}, under art. 77 N.3852/2010."
            ),
            "highlights_el": "Οι περισσότερες αναφορές αφορούσαν καθυστερήσεις απαντήσεων. "
            "Προτείνουμε ηλεκτρονική παρακολούθηση των αιτημάτων σε όλες τις υπηρεσίες.",
            "highlights_en": "Most complaints were about late answers. We propose that every "
            "service tracks requests online.",
            "published_at": timezone.now(),
        },
    )
