"""The demo's ideas competitions, after Apps4Thessaloniki: this year's, in its voting phase with
30 published ideas and their votes, two ideas and a comment waiting for the moderator; and
last year's, over, with its apps, the jury's scores and the winners. The demo resident has
proposed an idea and voted.

Idempotent: made once (by the competitions' slugs); a later run moves this year's dates so that
voting is open again.
"""

from __future__ import annotations

import datetime as dt
import random
import sys

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from dimos.accounts.demo import demo_staff_member
from dimos.accounts.models import User
from dimos.ideas.models import (
    AppEntry,
    Award,
    Comment,
    Competition,
    Criterion,
    EntryDataset,
    EntryMember,
    EntryStatus,
    Idea,
    IdeaStatus,
    JuryMember,
    Prize,
    Score,
    Theme,
    Vote,
)

MODERATOR = (
    "ideas mod.",
    "ideas@demo.dimos.gr",
    "demo-ideas-2026",
    "Ελένη",
    "Αντωνίου",
    ("ideas_moderator", "ideas_organiser"),
    "NFSGKYLTEBWW6ZDFOJQXI33S",
)
CURRENT = "apps4thessaloniki-2026"
PAST = "apps4thessaloniki-2025"
THEMES = (
    ("Μετακίνηση και στάθμευση", "Getting around and parking"),
    ("Περιβάλλον και πράσινο", "Environment and green spaces"),
    ("Πολιτισμός και τουρισμός", "Culture and tourism"),
    ("Κοινωνική φροντίδα", "Social care"),
    ("Διαφάνεια και συμμετοχή", "Transparency and participation"),
)
IDEAS = (
    ("Πού να παρκάρω: ελεύθερες θέσεις σε πραγματικό χρόνο", 0, "Καλαμαριά"),
    ("Δρομολόγια αστικών με ειδοποίηση καθυστέρησης", 0, ""),
    ("Ποδηλατόδρομοι και σημεία στάθμευσης ποδηλάτων στον χάρτη", 0, "Νέα Παραλία"),
    ("Κοινόχρηστα πατίνια: πού επιτρέπεται η στάθμευση", 0, ""),
    ("Προσβάσιμες διαδρομές για αμαξίδια", 0, "Κέντρο"),
    ("Ποιότητα αέρα ανά γειτονιά", 1, ""),
    ("Υιοθέτησε ένα δέντρο", 1, "Άνω Πόλη"),
    ("Χάρτης κάδων ανακύκλωσης και πότε αδειάζουν", 1, ""),
    ("Θόρυβος τη νύχτα: μετρήσεις και αναφορές", 1, "Λαδάδικα"),
    ("Κοινοτικοί λαχανόκηποι", 1, "Πολίχνη"),
    ("Βρύσες πόσιμου νερού στην πόλη", 1, ""),
    ("Ξενάγηση στα βυζαντινά μνημεία με ήχο", 2, "Άνω Πόλη"),
    ("Ημερολόγιο πολιτιστικών εκδηλώσεων του δήμου", 2, ""),
    ("Η ιστορία κάθε δρόμου στο κινητό", 2, ""),
    ("Ψηφιακή κάρτα μουσείων για κατοίκους", 2, ""),
    ("Φωτογραφίες της παλιάς Θεσσαλονίκης στο σημείο λήψης", 2, "Λευκός Πύργος"),
    ("Φαρμακεία που εφημερεύουν κοντά μου", 3, ""),
    ("Εθελοντές για ψώνια ηλικιωμένων", 3, ""),
    ("Κλιματιζόμενοι χώροι στους καύσωνες", 3, ""),
    ("Συσσίτια και κοινωνικά παντοπωλεία στον χάρτη", 3, ""),
    ("Βοήθεια στο σπίτι: κλείσε ραντεβού", 3, ""),
    ("Παιδικές χαρές: κατάσταση και βλάβες", 3, ""),
    ("Πού πάνε οι δημοτικοί φόροι", 4, ""),
    ("Οι αποφάσεις του δημοτικού συμβουλίου απλά", 4, ""),
    ("Προτάσεις κατοίκων για τον προϋπολογισμό", 4, ""),
    ("Χρόνος απάντησης σε αιτήματα ανά υπηρεσία", 4, ""),
    ("Ανοιχτά δεδομένα στάθμευσης", 4, ""),
    ("Δημόσιες συμβάσεις σε χάρτη", 4, ""),
    ("Ζωντανή μετάδοση και ερωτήσεις στο συμβούλιο", 4, ""),
    ("Ερωτηματολόγια γειτονιάς", 4, ""),
)
PLACES = {
    "Καλαμαριά": (40.5830, 22.9500),
    "Νέα Παραλία": (40.6195, 22.9500),
    "Κέντρο": (40.6327, 22.9412),
    "Άνω Πόλη": (40.6425, 22.9570),
    "Λαδάδικα": (40.6355, 22.9360),
    "Πολίχνη": (40.6660, 22.9430),
    "Λευκός Πύργος": (40.6264, 22.9484),
}
VOTERS = 60


def _dates(now: dt.datetime, *, past: bool) -> dict[str, dt.datetime]:
    if past:
        start = now - dt.timedelta(days=400)
        return {
            "submission_opens": start,
            "submission_closes": start + dt.timedelta(days=30),
            "voting_opens": start + dt.timedelta(days=30),
            "voting_closes": start + dt.timedelta(days=50),
            "building_opens": start + dt.timedelta(days=50),
            "building_closes": start + dt.timedelta(days=110),
            "judging_opens": start + dt.timedelta(days=110),
            "judging_closes": start + dt.timedelta(days=125),
            "results_at": start + dt.timedelta(days=125),
        }
    return {
        "submission_opens": now - dt.timedelta(days=40),
        "submission_closes": now - dt.timedelta(days=10),
        "voting_opens": now - dt.timedelta(days=10),
        "voting_closes": now + dt.timedelta(days=10),
        "building_opens": now + dt.timedelta(days=10),
        "building_closes": now + dt.timedelta(days=70),
        "judging_opens": now + dt.timedelta(days=70),
        "judging_closes": now + dt.timedelta(days=85),
        "results_at": now + dt.timedelta(days=85),
    }


def _competition(slug: str, year: int, dates: dict[str, dt.datetime]) -> Competition:
    competition = Competition.objects.create(
        slug=slug,
        title_el=f"Apps4Thessaloniki {year}: ιδέες για μια έξυπνη πόλη",
        title_en=f"Apps4Thessaloniki {year}: ideas for a smart city",
        description_el=(
            "Προτείνετε ιδέες για να γίνει καλύτερη η ζωή στη Θεσσαλονίκη και ψηφίστε τις "
            "καλύτερες. Ομάδες προγραμματιστών φτιάχνουν εφαρμογές πάνω στις ιδέες με τα "
            "ανοιχτά δεδομένα του δήμου."
        ),
        description_en=(
            "Propose ideas to make life in Thessaloniki better and vote for the best. Teams "
            "of developers build apps on the ideas with the municipality's open data."
        ),
        rules_el=(
            "Κάθε κάτοικος με επιβεβαιωμένο email μπορεί να προτείνει ιδέες και να ψηφίσει "
            "έως τρεις. Οι ιδέες ελέγχονται πριν δημοσιευθούν. Οι εφαρμογές πρέπει να "
            "χρησιμοποιούν τουλάχιστον ένα ανοιχτό σύνολο δεδομένων και να έχουν ανοιχτή άδεια."
        ),
        rules_en=(
            "Every resident with a confirmed email may propose ideas and vote for up to "
            "three. Ideas are checked before they are published. Apps must use at least one "
            "open dataset and carry an open licence."
        ),
        prizes_el="Μικροχρηματοδότηση, καθοδήγηση και φιλοξενία στη θερμοκοιτίδα του δήμου.",
        prizes_en="Micro-financing, coaching and mentoring, and a place in the incubator.",
        votes_per_person=3,
        is_published=True,
        **dates,
    )
    for order, (el, en) in enumerate(THEMES):
        Theme.objects.create(competition=competition, name_el=el, name_en=en, order=order)
    Prize.objects.bulk_create(
        [
            Prize(
                competition=competition,
                rank=1,
                title_el="Πρώτο βραβείο",
                title_en="First prize",
                description_el="5.000 € μικροχρηματοδότηση και έξι μήνες καθοδήγηση.",
                description_en="€5,000 micro-financing and six months of mentoring.",
            ),
            Prize(
                competition=competition,
                rank=2,
                title_el="Δεύτερο βραβείο",
                title_en="Second prize",
                description_el="3.000 € και θέση στη θερμοκοιτίδα.",
                description_en="€3,000 and a place in the incubator.",
            ),
            Prize(
                competition=competition,
                rank=3,
                title_el="Τρίτο βραβείο",
                title_en="Third prize",
                description_el="Καθοδήγηση από στελέχη εταιρειών της πόλης.",
                description_en="Coaching by people from the city's companies.",
            ),
        ]
    )
    return competition


def _voters() -> list[User]:
    demo_voters = User.objects.filter(email__startswith="voter", email__endswith="@demo.dimos.gr")
    existing = {u.email: u for u in demo_voters}
    made = []
    for n in range(VOTERS):
        email = f"voter{n:02d}@demo.dimos.gr"
        if email in existing:
            made.append(existing[email])
            continue
        user = User.objects.create_user(email=email, password=None, first_name="Ψηφοφόρος")
        user.date_joined = timezone.now() - dt.timedelta(days=200 + n)
        user.save(update_fields=["date_joined"])
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        made.append(user)
    return made


def _ideas(competition: Competition, authors: list[User], when: dt.datetime) -> list[Idea]:
    themes = list(competition.themes.all())
    ideas = []
    for n, (title, theme, place) in enumerate(IDEAS):
        lat, lon = PLACES.get(place, (None, None))
        ideas.append(
            Idea.objects.create(
                competition=competition,
                theme=themes[theme],
                author=authors[n % len(authors)],
                title=title,
                description=(
                    f"{title}. Μια εφαρμογή για κινητά και web που θα βοηθά τους κατοίκους "
                    "και τους επισκέπτες, με δεδομένα του δήμου."
                ),
                place_name=place,
                lat=lat,
                lon=lon,
                status=IdeaStatus.PUBLISHED,
                submitted_at=when,
                published_at=when + dt.timedelta(hours=n),
                moderation_reason="Σαφής και εφικτή πρόταση.",
            )
        )
    return ideas


def _votes(
    competition: Competition, ideas: list[Idea], voters: list[User], start: dt.datetime
) -> None:
    chooser = random.Random(competition.slug)  # the same demo every time
    weights = [1 + (len(ideas) - i) ** 1.3 for i in range(len(ideas))]
    votes = []
    for n, voter in enumerate(voters):
        picks: set[int] = set()
        while len(picks) < 3:
            picks.add(chooser.choices(range(len(ideas)), weights=weights)[0])
        for slot, index in enumerate(sorted(picks), start=1):
            votes.append(
                Vote(
                    competition=competition,
                    idea=ideas[index],
                    person=voter,
                    slot=slot,
                    created_at=start + dt.timedelta(hours=3 * n + slot),
                )
            )
    Vote.objects.bulk_create(votes)
    for idea in ideas:
        Idea.objects.filter(pk=idea.pk).update(votes_count=Vote.objects.filter(idea=idea).count())


def _past_results(
    competition: Competition, ideas: list[Idea], team: list[User], moderator: User
) -> None:
    apps = (
        ("ParkThess", "Ομάδα Λιμάνι", 0, "parking", "AGPL-3.0"),
        ("Ανάσα", "AirLab", 5, "air-quality", "MIT"),
        ("Βυζαντινοί περίπατοι", "Ίχνη", 11, "monuments", "GPL-3.0"),
        ("Εφημερίες", "Pharma4All", 16, "pharmacies", "Apache-2.0"),
    )
    entries = []
    for n, (name, team_name, idea_index, dataset, licence) in enumerate(apps):
        entry = AppEntry.objects.create(
            competition=competition,
            team_name=team_name,
            contact_email=team[n].email,
            name=name,
            description=f"{name}: εφαρμογή βασισμένη στην ιδέα «{ideas[idea_index].title}».",
            web_url=f"https://{slug_of(name)}.example.org/",
            source_url=f"https://github.com/example/{slug_of(name)}",
            licence=licence,
            status=EntryStatus.ACCEPTED,
            created_by=team[n],
            submitted_at=competition.building_closes - dt.timedelta(days=3),
        )
        entry.ideas.add(ideas[idea_index])
        EntryMember.objects.create(entry=entry, account=team[n], is_contact=True)
        EntryMember.objects.create(entry=entry, account=team[n + 4])
        EntryDataset.objects.create(entry=entry, slug=dataset, title=dataset)
        entries.append(entry)
    criteria = [
        Criterion.objects.create(
            competition=competition,
            name_el="Χρησιμότητα για την πόλη",
            name_en="Usefulness to the city",
            weight=3,
            order=1,
        ),
        Criterion.objects.create(
            competition=competition, name_el="Καινοτομία", name_en="Innovation", weight=2, order=2
        ),
        Criterion.objects.create(
            competition=competition,
            name_el="Ποιότητα υλοποίησης",
            name_en="Quality of the work",
            weight=2,
            order=3,
        ),
    ]
    jurors = [
        JuryMember.objects.create(competition=competition, account=moderator, is_chair=True),
        JuryMember.objects.create(competition=competition, account=team[9]),
        JuryMember.objects.create(competition=competition, account=team[10]),
    ]
    base = (9, 7, 8, 6)
    Score.objects.bulk_create(
        [
            Score(
                juror=juror,
                entry=entry,
                criterion=criterion,
                value=max(0, min(10, base[e] - (j + c) % 2)),
            )
            for e, entry in enumerate(entries)
            for j, juror in enumerate(jurors)
            for c, criterion in enumerate(criteria)
        ]
    )
    reasons = (
        (
            "Λύνει ένα καθημερινό πρόβλημα χιλιάδων οδηγών με ανοιχτά δεδομένα του δήμου.",
            "It solves an everyday problem of thousands of drivers with the city's open data.",
        ),
        (
            "Φέρνει τις μετρήσεις του αέρα σε κάθε γειτονιά, απλά και καθαρά.",
            "It brings air measurements to every neighbourhood, simply and clearly.",
        ),
        (
            "Αναδεικνύει τα μνημεία της πόλης με προσεγμένο περιεχόμενο.",
            "It shows the city's monuments with careful content.",
        ),
    )
    winners = (entries[0], entries[2], entries[1])
    prizes = competition.prize_set.order_by("rank")
    for prize, entry, (el, en) in zip(prizes, winners, reasons, strict=True):
        Award.objects.create(
            prize=prize,
            entry=entry,
            reasons_el=el,
            reasons_en=en,
            is_published=True,
            published_at=competition.results_at,
        )


def slug_of(name: str) -> str:
    from django.utils.text import slugify

    return slugify(name) or "app"


def _move_current(competition: Competition) -> None:
    """Keep this year's competition in its voting phase, however long ago the demo was made."""
    now = timezone.now()
    if competition.voting_opens <= now < competition.voting_closes:
        return
    shift = now - dt.timedelta(days=10) - competition.voting_opens
    for field in _dates(now, past=False):
        setattr(competition, field, getattr(competition, field) + shift)
    competition.save()


def seed() -> None:
    moderator = demo_staff_member(*MODERATOR)
    sys.stdout.write(
        f"  {MODERATOR[0]:<14} {MODERATOR[1]:<26} {MODERATOR[2]}   "
        f"two-step code: dimos totp {MODERATOR[1]}\n"
    )
    current = Competition.objects.filter(slug=CURRENT).first()
    if current is not None:
        _move_current(current)
        return
    with transaction.atomic():
        _seed(moderator)


def _seed(moderator: User) -> None:
    now = timezone.now()
    voters = _voters()
    resident = User.objects.filter(email="resident@demo.dimos.gr").first()

    past = _competition(PAST, now.year - 1, _dates(now, past=True))
    past_ideas = _ideas(past, voters[20:40], past.submission_opens + dt.timedelta(days=2))
    _votes(past, past_ideas, voters, past.voting_opens)
    _past_results(past, past_ideas, voters[40:], moderator)

    current = _competition(CURRENT, now.year, _dates(now, past=False))
    ideas = _ideas(current, voters[:20], current.submission_opens + dt.timedelta(days=3))
    _votes(current, ideas, voters[1:], current.voting_opens)
    themes = list(current.themes.all())
    # Waiting for the moderator: two ideas and a comment.
    for title in ("Wi-Fi σε όλες τις πλατείες", "Εφαρμογή για χαμένα κατοικίδια"):
        Idea.objects.create(
            competition=current,
            theme=themes[4 if "Wi-Fi" in title else 3],
            author=voters[5],
            title=title,
            description=f"{title}: πρόταση που περιμένει έλεγχο.",
            status=IdeaStatus.SUBMITTED,
            submitted_at=now - dt.timedelta(hours=5),
        )
    Comment.objects.create(
        idea=ideas[0],
        author=voters[7],
        body="Πολύ χρήσιμο, ειδικά στο κέντρο!",
        status="published",
        moderated_by=moderator,
        moderated_at=now,
    )
    Comment.objects.create(idea=ideas[0], author=voters[8], body="Και για μοτοσικλέτες, παρακαλώ.")
    if resident is not None:
        Idea.objects.create(
            competition=current,
            theme=themes[1],
            author=resident,
            title="Σκιά και παγκάκια στη Νέα Παραλία",
            description="Περισσότερα δέντρα και παγκάκια στη Νέα Παραλία για τα καλοκαίρια.",
            place_name="Νέα Παραλία",
            lat=40.6180,
            lon=22.9530,
            status=IdeaStatus.PUBLISHED,
            submitted_at=current.submission_opens + dt.timedelta(days=4),
            published_at=current.submission_opens + dt.timedelta(days=5),
            moderation_reason="Δημοσιεύθηκε: σαφής πρόταση.",
        )
        Vote.objects.create(competition=current, idea=ideas[3], person=resident, slot=1)
        Idea.objects.filter(pk=ideas[3].pk).update(
            votes_count=Vote.objects.filter(idea=ideas[3]).count()
        )
