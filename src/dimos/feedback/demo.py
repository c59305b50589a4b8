"""The demo's feedback: a year of ratings of the demo services' real completed transactions
(asked through the registry, never typed by hand), "Is this page useful?" answers with themes,
a feedback officer, and Thessaloniki's satisfaction survey about the e-services.

Idempotent: a transaction already invited is skipped; the survey is made once.
"""

from __future__ import annotations

import random
import sys
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from dimos.accounts.demo import demo_staff_member
from dimos.core.registry import registry
from dimos.feedback.models import Invitation, PageFeedback, Rating, Theme
from dimos.feedback.selectors import since
from dimos.feedback.services import RATINGS

OFFICER = (
    "feedback officer",
    "feedback@demo.dimos.gr",
    "demo-feedback-2026",
    "Ελένη",
    "Παπαδημητρίου",
    ("feedback_officer",),
    "V7LOTQN3HRL7IZKP5DOVH5IZBFRS6D7K",
)

# Each service's leaning: the weights of very dissatisfied … very satisfied.
LEANING = {
    "report-problem": (8, 10, 14, 33, 35),
    "certificates": (3, 4, 8, 30, 55),
    "book-appointment": (4, 6, 12, 34, 44),
    "home-delivery": (2, 3, 6, 25, 64),
}
COMMENTS = {
    1: [
        "Πέρασαν τρεις εβδομάδες για να φτιαχτεί η λακκούβα, και κανείς δεν με ενημέρωσε.",
        "Το έκλεισαν ως διπλό χωρίς να μου πουν ποιο είναι το άλλο.",
    ],
    2: [
        "Περίμενα πολύ στο ΚΕΠ παρότι είχα ραντεβού.",
        "Δεν καταλάβαινα ποια δικαιολογητικά χρειάζονται.",
    ],
    3: ["Εντάξει, αλλά θα ήθελα να βλέπω πότε περίπου θα γίνει η επισκευή."],
    4: [
        "Γρήγορα και απλά. Θα ήταν καλύτερο αν έπαιρνα και SMS.",
        "Το πιστοποιητικό ήρθε σε δύο μέρες, πολύ καλά.",
    ],
    5: ["Εξαιρετική εξυπηρέτηση, ευχαριστώ!", "Πολύ εύκολο από το κινητό."],
}
THEMES = (
    ("Χρόνοι αναμονής", "Waiting times"),
    ("Ενημέρωση πολίτη", "Keeping people informed"),
    ("Ιστοσελίδα", "Website"),
    ("Δικαιολογητικά", "Documents needed"),
)
PAGES = (
    ("/", True, ""),
    ("/services/", True, ""),
    (
        "/reports/new/",
        False,
        "Ο χάρτης δεν φόρτωνε στο κινητό μου, δεν βρήκα πού να γράψω τη διεύθυνση.",
    ),
    ("/certificates/", False, "Δεν λέει πόσο κοστίζει το πιστοποιητικό οικογενειακής κατάστασης."),
    ("/appointments/", True, ""),
    ("/performance/", True, ""),
)


def seed() -> None:
    from dimos.feedback.demo_survey import seed_survey

    demo_staff_member(*OFFICER)
    sys.stdout.write(
        f"  {'feedback':<14} {OFFICER[1]:<26} {OFFICER[2]}   "
        f"two-step code: dimos totp {OFFICER[1]}\n"
    )
    _seed_ratings()
    _seed_pages()
    seed_survey()


@transaction.atomic
def _seed_ratings() -> None:
    """For each kind of completed transaction, once: an invitation for each one completed in
    the last twelve months (those invited already, by the demo's own completions, kept), and
    a rating for about half of them, leaning as that service's residents do."""
    rng = random.Random(17)
    first = since()
    now = timezone.now()
    for kind in registry.transactions.values():
        if kind.completions is None or Rating.objects.filter(invitation__kind=kind.key).exists():
            continue
        weights = LEANING.get(kind.service, (5, 8, 12, 35, 40))
        existing = {i.object_id: i for i in Invitation.objects.filter(kind=kind.key)}
        new = []
        for done in kind.completions(first):
            if done.object_id in existing:
                continue
            completed = done.completed_at or now
            invitation = Invitation(
                kind=done.kind,
                object_id=done.object_id,
                service=done.service,
                user=done.user,
                email=done.email,
                online=done.online,
                completed_at=completed,
                sent_at=completed,
            )
            existing[done.object_id] = invitation
            new.append(invitation)
        Invitation.objects.bulk_create(new, batch_size=500)
        ratings = []
        for invitation in existing.values():
            if rng.random() >= 0.55:
                continue
            score = rng.choices((1, 2, 3, 4, 5), weights=weights)[0]
            improve = rng.choice(COMMENTS[score]) if rng.random() < 0.3 else ""
            at = min(invitation.completed_at + timedelta(hours=rng.randint(1, 96)), now)
            ratings.append(
                Rating(
                    invitation=invitation,
                    service=invitation.service,
                    score=score,
                    improve=improve,
                    online=invitation.online,
                    created_at=at,
                )
            )
        Rating.objects.bulk_create(ratings, batch_size=500)
    RATINGS.changed()


@transaction.atomic
def _seed_pages() -> None:
    themes = [
        Theme.objects.get_or_create(name_el=el, defaults={"name_en": en})[0] for el, en in THEMES
    ]
    if PageFeedback.objects.exists():
        return
    rng = random.Random(18)
    now = timezone.now()
    for i in range(120):
        path, useful, text = PAGES[i % len(PAGES)]
        useful = useful if rng.random() < 0.85 else not useful
        PageFeedback.objects.create(
            path=path,
            useful=useful,
            what_wrong="" if useful else text,
            created_at=now - timedelta(days=rng.randint(0, 360), hours=rng.randint(0, 23)),
        )
    sample = Rating.objects.exclude(improve="").order_by("pk").first()
    if sample is not None:
        sample.themes.add(themes[0])
        Rating.objects.filter(pk=sample.pk).update(state="done", publish=True)
