"""The demo survey: Thessaloniki's satisfaction survey about the municipality's e-services,
with a condition (who never used them says why), a matrix, scales, free text; open now, with
answers from the demo's residents so the live results have something to show, and a closed
one from last year with its results published."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from dimos.feedback.models import Answer, Question, Response, Section, Survey

SLUG = "e-services-2026"
LAST_YEAR = "e-services-2025"

QUESTIONS = [
    (
        0,
        Question.Kind.SINGLE,
        "Έχετε χρησιμοποιήσει τις ηλεκτρονικές υπηρεσίες του Δήμου τους τελευταίους 12 μήνες;",
        "Have you used the municipality's e-services in the last 12 months?",
        True,
        [("Ναι", "Yes"), ("Όχι", "No")],
        None,
    ),
    (
        1,
        Question.Kind.MULTIPLE,
        "Ποιες υπηρεσίες χρησιμοποιήσατε;",
        "Which services did you use?",
        True,
        [
            ("Αναφορά προβλήματος στην πόλη", "Reporting a problem in the city"),
            ("Πιστοποιητικά", "Certificates"),
            ("Ραντεβού σε ΚΕΠ", "Appointments at a KEP"),
            ("Δημοτικά τέλη", "Municipal fees"),
        ],
        (0, ["0"]),
    ),
    (
        1,
        Question.Kind.MATRIX,
        "Πώς βαθμολογείτε…",
        "How do you rate…",
        False,
        [
            ("την ευκολία χρήσης", "how easy they are to use"),
            ("την ταχύτητα εξυπηρέτησης", "how fast you were served"),
            ("την ενημέρωση για την πορεία", "how you were kept informed"),
        ],
        (0, ["0"]),
    ),
    (
        1,
        Question.Kind.SCALE10,
        "Πόσο πιθανό είναι να τις προτείνετε σε φίλο ή γείτονα; (0-10)",
        "How likely are you to recommend them to a friend or neighbour? (0-10)",
        True,
        [],
        (0, ["0"]),
    ),
    (
        1,
        Question.Kind.SINGLE,
        "Γιατί όχι;",
        "Why not?",
        True,
        [
            ("Δεν ήξερα ότι υπάρχουν", "I did not know they existed"),
            ("Προτιμώ το γκισέ", "I prefer the desk"),
            ("Δυσκολεύομαι με τον υπολογιστή ή το κινητό", "Computers or phones are hard for me"),
            ("Δεν χρειάστηκε", "I did not need them"),
        ],
        (0, ["1"]),
    ),
    (
        2,
        Question.Kind.SCALE5,
        "Συνολικά, πόσο ικανοποιημένοι είστε από τον Δήμο; (1-5)",
        "Overall, how satisfied are you with the municipality? (1-5)",
        True,
        [],
        None,
    ),
    (
        2,
        Question.Kind.LONG,
        "Τι να βελτιώσουμε πρώτα;",
        "What should we improve first?",
        False,
        [],
        None,
    ),
    (
        2,
        Question.Kind.NUMBER,
        "Η ηλικία σας (προαιρετικά)",
        "Your age",
        False,
        [],
        None,
    ),
]
SECTIONS = [
    ("Η χρήση σας", "How you use them"),
    ("Η εμπειρία σας", "Your experience"),
    ("Συνολικά", "Overall"),
]
TEXTS = [
    "Να μπορώ να πληρώνω τα τέλη με κάρτα online.",
    "Περισσότερη ενημέρωση με SMS για την πορεία της αίτησης.",
    "Η σελίδα να ανοίγει πιο γρήγορα στο κινητό.",
    "Να έχει και ραντεβού το Σάββατο.",
]


def _build(slug: str, opens: Any, closes: Any, *, published_results: bool) -> Survey:
    survey = Survey.objects.create(
        slug=slug,
        title_el="Ικανοποίηση από τις ηλεκτρονικές υπηρεσίες του Δήμου Θεσσαλονίκης",
        title_en="Satisfaction with the e-services of the Municipality of Thessaloniki",
        intro_el=(
            "Ο Δήμος σχεδιάζει τις νέες ηλεκτρονικές του υπηρεσίες με βάση τη γνώμη σας. "
            "Η έρευνα είναι ανώνυμη και διαρκεί περίπου 3 λεπτά."
        ),
        intro_en=(
            "The municipality designs its new e-services on what you tell us. The survey is "
            "anonymous and takes about 3 minutes."
        ),
        opens_at=opens,
        closes_at=closes,
        access=Survey.Access.OPEN,
        anonymous=True,
        published=True,
        results_published=published_results,
    )
    sections = [
        Section.objects.create(survey=survey, order=i, title_el=el, title_en=en)
        for i, (el, en) in enumerate(SECTIONS)
    ]
    made: list[Question] = []
    for order, (section, kind, el, en, required, options, condition) in enumerate(QUESTIONS):
        made.append(
            Question.objects.create(
                section=sections[section],
                order=order,
                kind=kind,
                text_el=el,
                text_en=en,
                required=required,
                options=[{"el": a, "en": b} for a, b in options],
                condition_question=made[condition[0]] if condition else None,
                condition_values=condition[1] if condition else [],
            )
        )
    return survey


def _answer(survey: Survey, rng: random.Random, count: int) -> None:
    questions = list(Question.objects.filter(section__survey=survey).order_by("order"))
    used, which, matrix, recommend, why, overall, improve, age = questions
    now = timezone.now()
    for _n in range(count):
        sent = min(survey.closes_at, now) - timedelta(hours=rng.randint(1, 24 * 20))
        response = Response.objects.create(survey=survey, submitted_at=sent, created_at=sent)
        answers: list[tuple[Question, Any, bool]] = []
        uses = rng.random() < 0.7
        answers.append((used, "0" if uses else "1", False))
        if uses:
            answers.append(
                (which, sorted(rng.sample(["0", "1", "2", "3"], rng.randint(1, 3))), False)
            )
            answers.append(
                (matrix, {str(i): str(rng.choice([2, 3, 4, 4, 5, 5])) for i in range(3)}, False)
            )
            answers.append((recommend, str(rng.choice([5, 6, 7, 8, 8, 9, 9, 10])), False))
        else:
            answers.append((why, str(rng.choice([0, 0, 1, 2, 3])), False))
        answers.append((overall, str(rng.choice([2, 3, 3, 4, 4, 4, 5])), False))
        if rng.random() < 0.4:
            answers.append((improve, rng.choice(TEXTS), rng.random() < 0.7))
        if rng.random() < 0.6:
            answers.append((age, float(rng.randint(19, 82)), False))
        Answer.objects.bulk_create(
            [Answer(response=response, question=q, value=v, approved=ok) for q, v, ok in answers]
        )


@transaction.atomic
def seed_survey() -> None:
    if Survey.objects.filter(slug=SLUG).exists():
        return
    now = timezone.now()
    rng = random.Random(2026)
    current = _build(
        SLUG, now - timedelta(days=20), now + timedelta(days=40), published_results=False
    )
    _answer(current, rng, 140)
    last = _build(
        LAST_YEAR, now - timedelta(days=400), now - timedelta(days=340), published_results=True
    )
    Survey.objects.filter(pk=last.pk).update(
        title_el="Ικανοποίηση από τις ηλεκτρονικές υπηρεσίες (2025)",
        title_en="Satisfaction with the e-services (2025)",
    )
    _answer(last, rng, 210)
