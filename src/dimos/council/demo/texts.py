"""The demo council's texts: the factions, the people's names (made up), and the agenda items
a Greek municipal council and its committees discuss, in Greek and English. The demo's year of
meetings and the benchmark's ten years (``benchmarks/council.py``) draw from them.

Each template fills in a few blanks (a year, an amount, a street, a school) so that a year of
meetings reads like one, not like the same item twice.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# slug, Greek, English, short name, colour, seats on the council (41 in all).
FACTIONS = [
    ("nea-poreia", "Νέα Πορεία για τις Σέρρες", "New Course for Serres", "ΝΠΣ", "#1d5fa8", 25),
    ("serres-mprosta", "Σέρρες Μπροστά", "Serres Forward", "ΣΜ", "#b03a2e", 7),
    ("dimotiki-anagennisi", "Δημοτική Αναγέννηση", "Municipal Renewal", "ΔΑ", "#2e7d32", 5),
    ("laiki-syspeirosi", "Λαϊκή Συσπείρωση Σερρών", "Serres People's Rally", "ΛΣΣ", "#7b1f1f", 2),
    ("anoichti-poli", "Ανοιχτή Πόλη", "Open City", "ΑΠ", "#6a4c93", 2),
]
MALE = [
    "Αναστάσιος", "Βασίλειος", "Γρηγόριος", "Δημοσθένης", "Ευάγγελος", "Θεόδωρος", "Ιάκωβος",
    "Κυριάκος", "Λάζαρος", "Μιλτιάδης", "Νικηφόρος", "Ορέστης", "Παντελής", "Σπυρίδων",
    "Τιμόθεος", "Φίλιππος", "Χαράλαμπος", "Στυλιανός", "Αριστείδης", "Ηλίας",
]  # fmt: skip
FEMALE = [
    "Αλεξάνδρα", "Βαρβάρα", "Γεωργία", "Ευανθία", "Ζωή", "Θεοδώρα", "Ιφιγένεια", "Καλλιόπη",
    "Λαμπρινή", "Μαρίνα", "Ξανθή", "Ουρανία", "Πολυξένη", "Ροδάνθη", "Σταυρούλα", "Φωτεινή",
    "Χρυσούλα",
]  # fmt: skip
# Family names, the man's and the woman's form.
FAMILY = [
    ("Αλεξίου", "Αλεξίου"), ("Βλαχόπουλος", "Βλαχοπούλου"), ("Γιαννακίδης", "Γιαννακίδου"),
    ("Δαμιανός", "Δαμιανού"), ("Ευθυμιάδης", "Ευθυμιάδου"), ("Ζαφειρόπουλος", "Ζαφειροπούλου"),
    ("Θεοχάρης", "Θεοχάρη"), ("Ιορδανίδης", "Ιορδανίδου"), ("Καλαϊτζής", "Καλαϊτζή"),
    ("Λιάπης", "Λιάπη"), ("Μουρατίδης", "Μουρατίδου"), ("Ναλμπάντης", "Ναλμπάντη"),
    ("Ξανθόπουλος", "Ξανθοπούλου"), ("Οικονόμου", "Οικονόμου"), ("Πασχαλίδης", "Πασχαλίδου"),
    ("Σαββίδης", "Σαββίδου"), ("Τσακίρης", "Τσακίρη"), ("Φωτιάδης", "Φωτιάδου"),
    ("Χατζηγεωργίου", "Χατζηγεωργίου"), ("Ψαρράς", "Ψαρρά"), ("Κουτσούκης", "Κουτσούκη"),
    ("Μπαλτατζής", "Μπαλτατζή"), ("Τερζόγλου", "Τερζόγλου"), ("Καρανίκας", "Καρανίκα"),
    ("Παυλίδης", "Παυλίδου"), ("Σιδηρόπουλος", "Σιδηροπούλου"), ("Αρβανίτης", "Αρβανίτη"),
    ("Κεχαγιάς", "Κεχαγιά"), ("Νικολαΐδης", "Νικολαΐδου"), ("Τοπαλίδης", "Τοπαλίδου"),
]  # fmt: skip
DEPUTIES = [
    ("finance", "Αντιδήμαρχος Οικονομικών", "Deputy mayor for finance"),
    ("technical", "Αντιδήμαρχος Τεχνικών Έργων", "Deputy mayor for public works"),
    ("cleaning", "Αντιδήμαρχος Καθαριότητας και Περιβάλλοντος", "Deputy mayor for cleaning"),
    ("education", "Αντιδήμαρχος Παιδείας", "Deputy mayor for education"),
    ("social", "Αντιδήμαρχος Κοινωνικής Πολιτικής", "Deputy mayor for social policy"),
    ("culture", "Αντιδήμαρχος Πολιτισμού", "Deputy mayor for culture"),
]
# The consultation committee's members from outside the council.
OUTSIDERS = [
    ("Εκπρόσωπος του Εμπορικού Συλλόγου Σερρών", "Serres Traders' Association"),
    ("Εκπρόσωπος του Εργατικού Κέντρου Σερρών", "Serres Labour Centre"),
    ("Εκπρόσωπος του Επιμελητηρίου Σερρών", "Serres Chamber of Commerce"),
    ("Εκπρόσωπος της Ομοσπονδίας Συλλόγων Γονέων", "Federation of Parents' Associations"),
]

_GREEK = "αάβγδεέζηήιίϊΐκλμνξοόπρσςτυύϋΰφωώ"
_LATIN = str.maketrans(
    {"θ": "th", "χ": "ch", "ψ": "ps"}
    | dict(zip(_GREEK, "aavgdeeziiiiiiklmnxooprsstyyyyfoo", strict=True))
)


def slug_of(text: str) -> str:
    latin = text.lower().translate(_LATIN)
    return "-".join("".join(c if c.isalnum() else " " for c in latin).split())


def video_id(rng: random.Random) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    return "".join(rng.choice(alphabet) for _ in range(11))


# Diavgeia's letters: Greek capitals that do not look like Latin ones, and digits.
_ADA_CHARS = "ΓΔΘΛΞΠΣΦΨΩ0123456789"


def make_ada(rng: random.Random, taken: set[str]) -> str:
    """A made-up ADA in Diavgeia's format (4 + the body's ΩΞΣ + dash + 3), unique in ``taken``."""
    while True:
        ada = (
            "".join(rng.choice(_ADA_CHARS) for _ in range(4))
            + "ΩΞΣ-"
            + "".join(rng.choice(_ADA_CHARS) for _ in range(3))
        )
        if ada not in taken:
            taken.add(ada)
            return ada


# The neighbourhoods, squares and schools of the items (Serres has them or could).
NEIGHBOURHOODS = [
    ("Καλλιθέα", "Kallithea"),
    ("Αγίων Αναργύρων", "Agioi Anargyroi"),
    ("Κηπούπολη", "Kipoupoli"),
    ("Ομόνοια", "Omonoia"),
    ("Χιλιόδενδρο", "Chiliodendro"),
    ("Αγία Σοφία", "Agia Sofia"),
    ("Λευκώνας", "Lefkonas"),
    ("Ελαιώνας", "Elaionas"),
]
SQUARES = [
    ("Ελευθερίας", "Eleftherias"),
    ("Εμπορίου", "Emporiou"),
    ("Κρυστάλλη", "Krystalli"),
    ("Αγίου Νικολάου", "Agios Nikolaos"),
]
NEW_STREET_NAMES = [
    ("Πλατάνων", "Platanon"),
    ("Μακεδονομάχων", "Makedonomachon"),
    ("Ευκαλύπτων", "Efkalypton"),
    ("Καπνεργατών", "Kapnergaton"),
    ("Αγρότισσας", "Agrotissas"),
    ("Στρυμόνος", "Strymonos"),
    ("Μενοικίου", "Menoikiou"),
]
SCHOOLS = [
    ("1ο Δημοτικό Σχολείο Σερρών", "the 1st Primary School of Serres"),
    ("7ο Δημοτικό Σχολείο Σερρών", "the 7th Primary School of Serres"),
    ("3ο Γυμνάσιο Σερρών", "the 3rd Lower Secondary School of Serres"),
    ("2ο Γενικό Λύκειο Σερρών", "the 2nd Upper Secondary School of Serres"),
    ("Νηπιαγωγείο Κηπούπολης", "the Kipoupoli nursery school"),
]
ASSOCIATIONS = [
    ("Πολιτιστικό Σύλλογο Καλλιθέας", "the Kallithea Cultural Association"),
    ("Σύλλογο Γονέων και Κηδεμόνων του 4ου Δημοτικού", "the 4th Primary School parents"),
    ("Αθλητικό Όμιλο Σερρών", "the Serres Athletic Club"),
    ("Σύλλογο Ατόμων με Αναπηρία Ν. Σερρών", "the Serres Association of Disabled People"),
]


@dataclass(frozen=True)
class ItemText:
    """An agenda item's texts. ``topic`` groups items for the rapporteur (the deputy mayor of
    finance reports the budget), ``vote`` is False for items only noted (a question answered),
    ``public`` False for items discussed in closed session."""

    title_el: str
    title_en: str
    report_el: str
    report_en: str
    topic: str
    vote: bool = True
    public: bool = True


def _euros(rng: random.Random, low: int, high: int) -> tuple[str, str]:
    amount = rng.randrange(low, high, 50)
    greek = f"{amount:,}".replace(",", ".")
    return f"{greek},00 €", f"€{amount:,}.00"


def council_item(rng: random.Random, year: int, month: int) -> ItemText:
    """One item of the municipal council's agenda."""
    n = max(1, month - rng.randint(0, 2))  # about one amendment a month
    place_el, place_en = rng.choice(NEIGHBOURHOODS)
    square_el, square_en = rng.choice(SQUARES)
    street_el, street_en = rng.choice(NEW_STREET_NAMES)
    assoc_el, assoc_en = rng.choice(ASSOCIATIONS)
    euros_el, euros_en = _euros(rng, 20_000, 480_000)
    options = [
        ItemText(
            f"Ψήφιση της {n}ης αναμόρφωσης του προϋπολογισμού του Δήμου οικονομικού έτους {year}",
            f"Amendment no. {n} of the municipality's {year} budget",
            f"Εισηγούμαστε την αναμόρφωση του προϋπολογισμού {year} κατά {euros_el}, για την "
            "εγγραφή νέων πιστώσεων από τα έσοδα που εισπράχθηκαν και την ενίσχυση κωδικών "
            "που δεν επαρκούν έως το τέλος του έτους.",
            f"We propose amending the {year} budget by {euros_en}, to enter new credits from "
            "revenue received and to top up budget lines that will not last to the year's end.",
            "finance",
        ),
        ItemText(
            f"Κατανομή πίστωσης {euros_el} στις Σχολικές Επιτροπές Πρωτοβάθμιας και "
            "Δευτεροβάθμιας Εκπαίδευσης για λειτουργικές δαπάνες",
            f"Allocation of {euros_en} to the primary and secondary school committees for "
            "running costs",
            "Η κατανομή γίνεται με βάση τον αριθμό των μαθητών και τις ανάγκες θέρμανσης κάθε "
            "σχολικής μονάδας, όπως τις διατύπωσαν οι διευθυντές των σχολείων.",
            "The credit is shared by the number of pupils and each school's heating needs, as "
            "the head teachers set them out.",
            "education",
        ),
        ItemText(
            f"Ονοματοδοσία νέας οδού στη συνοικία {place_el} σε «οδό {street_el}»",
            f"Naming a new street in {place_en} «{street_en} Street»",
            "Μετά την πρόταση της Δημοτικής Κοινότητας και τη γνώμη της Επιτροπής Ονοματοδοσίας, "
            "εισηγούμαστε την ονοματοδοσία της οδού που διανοίχθηκε με την πράξη εφαρμογής.",
            "Following the local community's proposal and the street-naming committee's "
            "opinion, we propose naming the street opened by the town plan.",
            "technical",
        ),
        ItemText(
            "Έγκριση παράτασης της σύμβασης καθαρισμού των δημοτικών κτιρίων και των σχολικών "
            "μονάδων έως την ολοκλήρωση του νέου διαγωνισμού",
            "Extension of the cleaning contract for municipal buildings and schools until the "
            "new tender is completed",
            "Η παράταση δεν αυξάνει το συμβατικό τίμημα· ο νέος διαγωνισμός βρίσκεται στο στάδιο "
            "της αξιολόγησης των προσφορών.",
            "The extension does not raise the contract price; the new tender is at the "
            "evaluation of the bids.",
            "cleaning",
        ),
        ItemText(
            "Μέτρα για την προστασία της δημόσιας υγείας στις δημοτικές δομές (ΚΑΠΗ, παιδικοί "
            "σταθμοί, κλειστά γυμναστήρια) λόγω αύξησης των κρουσμάτων αναπνευστικών λοιμώξεων",
            "Public-health measures in municipal facilities (day centres for older people, "
            "nurseries, sports halls) as respiratory infections rise",
            "Προτείνεται ο τακτικός αερισμός και η ενισχυμένη καθαριότητα των χώρων, η διάθεση "
            "αντισηπτικών και η συνέχιση της εξυπηρέτησης ηλικιωμένων στο σπίτι.",
            "We propose regular airing and extra cleaning of the rooms, hand sanitiser, and "
            "continuing the home help for older people.",
            "social",
        ),
        ItemText(
            f"Έγκριση του πρωτοκόλλου οριστικής παραλαβής του έργου «Ανάπλαση της πλατείας "
            f"{square_el}»",
            f"Final acceptance of the works «Redesign of {square_en} Square»",
            "Η επιτροπή παραλαβής διαπίστωσε ότι το έργο εκτελέστηκε σύμφωνα με τη μελέτη και "
            "τους όρους της σύμβασης.",
            "The acceptance committee found the works done as designed and as contracted.",
            "technical",
        ),
        ItemText(
            f"Παραχώρηση της χρήσης της αίθουσας του Δημοτικού Ωδείου στον {assoc_el} για εκδήλωση",
            f"Use of the Municipal Conservatory's hall by {assoc_en} for an event",
            "Η παραχώρηση γίνεται δωρεάν, χωρίς να διαταράσσεται η λειτουργία του Ωδείου.",
            "The hall is lent free of charge, without disturbing the conservatory's lessons.",
            "culture",
        ),
        ItemText(
            f"Καθορισμός των συντελεστών των τελών καθαριότητας και ηλεκτροφωτισμού για το έτος "
            f"{year + 1}",
            f"Cleaning and street-lighting rates for {year + 1}",
            "Εισηγούμαστε τη διατήρηση των συντελεστών στα επίπεδα του τρέχοντος έτους, με "
            "μειωμένο τέλος για τις ευάλωτες οικογένειες.",
            "We propose keeping this year's rates, with a reduced rate for vulnerable households.",
            "finance",
        ),
        ItemText(
            f"Έγκριση του Τεχνικού Προγράμματος του Δήμου για το έτος {year + 1}",
            f"The municipality's {year + 1} technical programme",
            "Το πρόγραμμα περιλαμβάνει έργα οδοποιίας, σχολικών κτιρίων και αστικής ανάπλασης, "
            "μετά τη γνώμη της Επιτροπής Διαβούλευσης.",
            "The programme covers roads, school buildings and urban renewal, after the "
            "consultation committee's opinion.",
            "technical",
        ),
        ItemText(
            f"Διαγραφή οφειλών από τους χρηματικούς καταλόγους ως αχρεωστήτως βεβαιωθέντων "
            f"({euros_el})",
            f"Writing off charges entered in error ({euros_en})",
            "Οι οφειλές βεβαιώθηκαν εκ παραδρομής σε ακίνητα που είχαν ήδη δηλωθεί ως "
            "κενά ή είχαν αλλάξει ιδιοκτήτη.",
            "The charges were raised by mistake on properties declared empty or sold.",
            "finance",
        ),
        ItemText(
            f"Έγκριση του προγράμματος εθελοντικής δράσης «Καθαρές γειτονιές» στη συνοικία "
            f"{place_el}",
            f"The volunteer programme «Clean neighbourhoods» in {place_en}",
            "Οι εθελοντές θα καθαρίσουν κοινόχρηστους χώρους και παιδικές χαρές με την "
            "υποστήριξη της Διεύθυνσης Καθαριότητας.",
            "Volunteers will clean public spaces and playgrounds, supported by the cleaning "
            "department.",
            "cleaning",
        ),
        ItemText(
            f"Απάντηση σε ερώτηση δημοτικού συμβούλου για την κατάσταση του οδικού δικτύου στη "
            f"συνοικία {place_el}",
            f"Answer to a councillor's question on the state of the roads in {place_en}",
            "",
            "",
            "technical",
            vote=False,
        ),
    ]
    # Budget amendments come up at almost every meeting; the rest once in a while.
    weights = [4, 2, 1, 1, 1 if month in (1, 2, 10, 11, 12) else 0, 1, 2, 1, 1, 2, 1, 2]
    if month not in (10, 11, 12):
        weights[7] = weights[8] = 0
    return rng.choices(options, weights)[0]


def committee_item(rng: random.Random, year: int) -> ItemText:
    """One item of the municipal committee's agenda (tenders, expenses, legal matters)."""
    euros_el, euros_en = _euros(rng, 3_000, 250_000)
    school_el, school_en = rng.choice(SCHOOLS)
    case = rng.randint(100, 950)
    options = [
        ItemText(
            "Έγκριση του πρακτικού ΙΙ του ηλεκτρονικού διαγωνισμού για την προμήθεια καυσίμων "
            "κίνησης και θέρμανσης",
            "Report II of the electronic tender for vehicle and heating fuel",
            "Η επιτροπή διαγωνισμού προτείνει την ανάδειξη των προσωρινών αναδόχων ανά τμήμα.",
            "The tender committee proposes the provisional winners of each lot.",
            "finance",
        ),
        ItemText(
            f"Έγκριση δαπάνης και διάθεση πίστωσης {euros_el} για την επισκευή της στέγης του "
            f"κτιρίου: {school_el}",
            f"Expense and credit of {euros_en} to repair the roof of {school_en}",
            "Η δαπάνη βαρύνει τον κωδικό συντήρησης σχολικών κτιρίων του προϋπολογισμού.",
            "The expense is charged to the school-maintenance line of the budget.",
            "education",
        ),
        ItemText(
            f"Άσκηση ή μη ένδικων μέσων κατά της υπ' αριθμ. {case}/{year} απόφασης του "
            "Διοικητικού Πρωτοδικείου Σερρών",
            f"Whether to appeal judgment no. {case}/{year} of the Serres Administrative Court",
            "",
            "",
            "legal",
            public=False,
        ),
        ItemText(
            "Έγκριση των όρων δημοπρασίας για την εκμίσθωση του δημοτικού κυλικείου στο "
            "άλσος Αγίων Αναργύρων",
            "Terms of the auction to lease the municipal café in Agioi Anargyroi grove",
            "Η διάρκεια της μίσθωσης ορίζεται σε έξι έτη, με ελάχιστο μηνιαίο μίσθωμα.",
            "The lease runs for six years, with a minimum monthly rent.",
            "finance",
        ),
        ItemText(
            f"Έγκριση της σύμβασης για την αποκομιδή ογκωδών αντικειμένων και πρασίνου "
            f"({euros_el})",
            f"Contract for the collection of bulky items and garden waste ({euros_en})",
            "Η σύμβαση καλύπτει την περίοδο αιχμής της άνοιξης και του φθινοπώρου.",
            "The contract covers the spring and autumn peaks.",
            "cleaning",
        ),
        ItemText(
            f"Έγκριση της 4ης ανακεφαλαιωτικής κατάστασης του έργου «Ασφαλτοστρώσεις οδών {year}»",
            f"Fourth summary statement of the works «Road resurfacing {year}»",
            "Οι μεταβολές οφείλονται σε αυξημένες ποσότητες ασφαλτικού στις οδούς που "
            "υπέστησαν ζημιές τον χειμώνα.",
            "The changes come from more asphalt on the streets damaged in winter.",
            "technical",
        ),
    ]
    return rng.choices(options, [3, 2, 1, 1, 1, 1])[0]


def consultation_item(rng: random.Random, year: int) -> ItemText:
    """One item of the consultation committee (it gives opinions; nothing is voted)."""
    options = [
        ItemText(
            f"Γνώμη επί του σχεδίου Τεχνικού Προγράμματος του Δήμου για το έτος {year + 1}",
            f"Opinion on the draft {year + 1} technical programme",
            "Οι φορείς κατέθεσαν προτάσεις για πεζοδρόμια, ράμπες και φωτισμό.",
            "The organisations proposed pavements, ramps and lighting.",
            "technical",
            vote=False,
        ),
        ItemText(
            f"Γνώμη επί του σχεδίου προϋπολογισμού του Δήμου για το έτος {year + 1}",
            f"Opinion on the draft {year + 1} budget",
            "Συζητήθηκαν οι προτεραιότητες της κοινωνικής πολιτικής και της καθαριότητας.",
            "Social policy and cleaning priorities were discussed.",
            "finance",
            vote=False,
        ),
        ItemText(
            "Διαβούλευση για τον κανονισμό χρήσης των κοινόχρηστων χώρων από καταστήματα",
            "Consultation on the rules for shops' use of public spaces",
            "Ο Εμπορικός Σύλλογος ζήτησε σαφή όρια για τα τραπεζοκαθίσματα.",
            "The traders' association asked for clear limits on tables and chairs.",
            "finance",
            vote=False,
        ),
    ]
    return rng.choice(options)
