"""The demo open budget of Serres: three years of a budget the size of a city of 75,000.

About 1,500 lines a year — revenue under the general services (00), expenditure across the
twelve services — with the KAE codes of a Greek municipal budget (the classes and groups of
:mod:`dimos.budget.kae`, the 3- and 4-digit codes below, and local extensions such as
``7323.015`` for each road or building project), monthly snapshots of the execution (twelve
for past years, up to November for the current one) that follow the chain at every date
(paid ≤ payment-ordered ≤ committed ≤ adjusted, each growing month by month), a few hundred
spending decisions with their Diavgeia ADA, and every year published. The amounts are made
up (the notes of each year say so); the structure is a real budget's.

Idempotent: a year that already has lines is left as it is. The rows are written in bulk, so
``dimos demo --no-serve`` stays quick.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from dimos.budget.kae import CLASSES_AND_GROUPS
from dimos.budget.models import (
    PHASES,
    BudgetLine,
    Direction,
    FiscalYear,
    Kae,
    LineAmounts,
    Service,
    Snapshot,
    SpendingDecision,
    direction_of,
    level_of,
    parent_code,
)
from dimos.budget.services import ensure_kae_classes

# The demo years, and the last month of execution each has (the current year: up to November).
YEARS = {2024: 12, 2025: 12, 2026: 11}
# What the approved expenditure (and so the balanced revenue) of each year adds up to.
TOTALS = {2024: Decimal("71400000"), 2025: Decimal("74800000"), 2026: Decimal("78200000")}
BATCH = 2000
CENT = Decimal("0.01")

SERVICES = [
    ("00", "Γενικές υπηρεσίες", "General services"),
    ("10", "Διοικητικές και οικονομικές υπηρεσίες", "Administrative and financial services"),
    (
        "15",
        "Υπηρεσίες πολιτισμού, αθλητισμού και κοινωνικής πολιτικής",
        "Culture, sport and social policy",
    ),
    ("20", "Υπηρεσίες καθαριότητας και ηλεκτροφωτισμού", "Cleaning and street lighting"),
    ("25", "Υπηρεσίες ύδρευσης, άρδευσης και αποχέτευσης", "Water, irrigation and sewerage"),
    ("30", "Τεχνικές υπηρεσίες", "Technical services"),
    ("35", "Υπηρεσίες πρασίνου", "Parks and green spaces"),
    ("40", "Υπηρεσίες πολεοδομίας", "Town planning"),
    ("45", "Υπηρεσίες νεκροταφείων", "Cemeteries"),
    ("50", "Δημοτική αστυνομία", "Municipal police"),
    ("60", "Υπηρεσίες παιδείας και κοινωνικής προστασίας", "Education and social care"),
    ("70", "Υπηρεσίες τοπικής ανάπτυξης", "Local development"),
]
STAFFED = [code for code, _el, _en in SERVICES if code != "00"]

# The 3- and 4-digit codes the demo uses, under the built-in groups: (Greek, English).
KAE_NAMES: dict[str, tuple[str, str]] = {
    # Revenue
    "011": ("Μισθώματα", "Rents"),
    "0111": ("Μισθώματα από αστικά ακίνητα", "Rents of town property"),
    "0112": ("Μισθώματα από αγροτικά ακίνητα", "Rents of farmland"),
    "012": ("Πρόσοδοι από κινητή περιουσία", "Income from movable property"),
    "0122": ("Τόκοι καταθέσεων", "Interest on deposits"),
    "013": ("Δικαιώματα από παραχώρηση χρήσης", "Concessions"),
    "0131": ("Δικαιώματα από παραχώρηση χρήσης χώρων", "Concessions of public space"),
    "021": ("Ανταποδοτικά τέλη", "Charges for services"),
    "0211": ("Τέλη καθαριότητας και φωτισμού", "Cleaning and lighting charges"),
    "0212": ("Τέλη άρδευσης", "Irrigation charges"),
    "022": ("Δικαιώματα", "Rights"),
    "0221": ("Δικαιώματα από κοιμητήρια", "Cemetery fees"),
    "0223": ("Δικαιώματα από παιδικούς σταθμούς", "Nursery fees"),
    "031": ("Λοιπά τέλη", "Other fees"),
    "0311": ("Τέλος ακίνητης περιουσίας", "Property levy"),
    "0313": ("Τέλος χρήσης κοινόχρηστων χώρων", "Fees for the use of public space"),
    "0319": ("Λοιπά τέλη και δικαιώματα", "Other fees and rights"),
    "032": ("Παροχή υπηρεσιών", "Services rendered"),
    "0321": ("Έσοδα από παροχή υπηρεσιών", "Income from services rendered"),
    "041": ("Φόροι", "Taxes"),
    "0411": ("Φόρος ηλεκτροδοτούμενων χώρων", "Tax on electrified premises"),
    "0412": ("Τέλος διαμονής παρεπιδημούντων", "Visitors' stay levy"),
    "051": ("Κεντρικοί Αυτοτελείς Πόροι", "Central independent resources (KAP)"),
    "0511": ("ΚΑΠ για κάλυψη γενικών αναγκών", "KAP for general needs"),
    "0512": ("ΚΑΠ για σχολικές ανάγκες", "KAP for schools"),
    "0513": ("ΚΑΠ για μεταβιβασθείσες αρμοδιότητες", "KAP for devolved powers"),
    "061": ("Λοιπά τακτικά έσοδα", "Other regular revenue"),
    "0611": ("Έσοδα από συμβάσεις με φορείς", "Income from agreements with bodies"),
    "111": ("Εκποίηση περιουσίας", "Sales of property"),
    "1111": ("Εκποίηση κινητών πραγμάτων", "Sales of movable property"),
    "121": ("Δωρεές", "Donations"),
    "1211": ("Δωρεές χρηματικές", "Cash donations"),
    "131": ("Επιχορηγήσεις για επενδύσεις", "Investment grants"),
    "1311": ("Επιχορήγηση ΣΑΤΑ για έργα", "SATA grant for works"),
    "132": ("Επιχορηγήσεις από προγράμματα", "Grants from programmes"),
    "1321": ("Επιχορηγήσεις από Πρόγραμμα Δημοσίων Επενδύσεων", "Public Investment Programme"),
    "1322": ("Επιχορηγήσεις από ΕΣΠΑ", "EU Partnership Agreement (ESPA) grants"),
    "1323": ("Επιχορηγήσεις από Ταμείο Ανάκαμψης", "Recovery and Resilience Facility"),
    "141": ("Λοιπά έκτακτα έσοδα", "Other extraordinary revenue"),
    "1411": ("Λοιπά έκτακτα έσοδα", "Other extraordinary revenue"),
    "151": ("Προσαυξήσεις και πρόστιμα", "Surcharges and fines"),
    "1511": ("Προσαυξήσεις εκπρόθεσμης καταβολής", "Late payment surcharges"),
    "1512": ("Πρόστιμα Κώδικα Οδικής Κυκλοφορίας", "Traffic fines"),
    "1513": ("Πρόστιμα πολεοδομικών παραβάσεων", "Planning fines"),
    "211": ("Τακτικά έσοδα παρελθόντων ετών", "Regular revenue of past years"),
    "2111": ("Τέλη καθαριότητας παρελθόντων ετών", "Cleaning charges of past years"),
    "2112": ("Μισθώματα παρελθόντων ετών", "Rents of past years"),
    "221": ("Έκτακτα έσοδα παρελθόντων ετών", "Extraordinary revenue of past years"),
    "2211": ("Πρόστιμα παρελθόντων ετών", "Fines of past years"),
    "321": ("Εισπρακτέα υπόλοιπα", "Claims of past years"),
    "3211": ("Εισπρακτέα υπόλοιπα από τακτικά έσοδα", "Claims from regular revenue"),
    "3212": ("Εισπρακτέα υπόλοιπα από έκτακτα έσοδα", "Claims from extraordinary revenue"),
    "411": ("Κρατήσεις υπέρ του Δημοσίου", "Deductions for the State"),
    "4111": ("Φόρος μισθωτών υπηρεσιών", "Income tax withheld"),
    "412": ("Κρατήσεις υπέρ τρίτων", "Deductions for third parties"),
    "4121": ("Κρατήσεις υπέρ ασφαλιστικών οργανισμών", "Social security deductions"),
    "421": ("Επιστροφές", "Refunds"),
    "4211": ("Επιστροφές αχρεωστήτως καταβληθέντων", "Refunds of sums paid in error"),
    "511": ("Χρηματικό υπόλοιπο", "Cash balance"),
    "5111": ("Χρηματικό υπόλοιπο από τακτικά έσοδα", "Cash balance of regular revenue"),
    "5112": ("Χρηματικό υπόλοιπο από έκτακτα έσοδα", "Cash balance of extraordinary revenue"),
    # Expenditure
    "601": ("Αποδοχές τακτικών υπαλλήλων", "Pay of permanent staff"),
    "6011": ("Τακτικές αποδοχές", "Regular pay"),
    "6012": ("Αποζημίωση υπερωριακής εργασίας", "Overtime pay"),
    "602": ("Αποδοχές υπαλλήλων ΙΔΑΧ", "Pay of staff on open-ended contracts"),
    "6021": ("Τακτικές αποδοχές υπαλλήλων ΙΔΑΧ", "Regular pay, open-ended contracts"),
    "604": ("Αποδοχές έκτακτου προσωπικού", "Pay of temporary staff"),
    "6041": ("Τακτικές αποδοχές έκτακτου προσωπικού", "Regular pay of temporary staff"),
    "605": ("Εργοδοτικές εισφορές", "Employer's contributions"),
    "6051": ("Εργοδοτικές εισφορές τακτικών υπαλλήλων", "Contributions, permanent staff"),
    "6052": ("Εργοδοτικές εισφορές υπαλλήλων ΙΔΑΧ", "Contributions, open-ended contracts"),
    "6054": ("Εργοδοτικές εισφορές έκτακτου προσωπικού", "Contributions, temporary staff"),
    "606": ("Παροχές σε είδος", "Benefits in kind"),
    "6013": ("Αποζημίωση συμμετοχής σε συλλογικά όργανα", "Allowances for sitting on boards"),
    "607": ("Επιμόρφωση", "Training"),
    "6073": ("Επιμόρφωση υπαλλήλων", "Staff training"),
    "6061": ("Παροχές ένδυσης", "Work clothing"),
    "6063": ("Λοιπές παροχές σε είδος", "Other benefits in kind"),
    "611": ("Αμοιβές τρίτων", "Fees of third parties"),
    "6111": ("Αμοιβές νομικών και συμβολαιογράφων", "Lawyers' and notaries' fees"),
    "6117": ("Αμοιβές εκτελούντων ειδικές υπηρεσίες", "Fees for special services"),
    "612": ("Αμοιβές αιρετών", "Pay of elected officials"),
    "6121": ("Αντιμισθία δημάρχου και αντιδημάρχων", "Pay of the mayor and deputy mayors"),
    "6123": ("Αποζημίωση μελών δημοτικού συμβουλίου", "Allowances of council members"),
    "621": ("Ενέργεια και νερό", "Energy and water"),
    "6211": ("Ηλεκτρικό ρεύμα για φωτισμό οδών και πλατειών", "Electricity for street lighting"),
    "6212": ("Αντίτιμο νερού", "Water bills"),
    "622": ("Ταχυδρομικά και τηλεπικοινωνίες", "Post and telecommunications"),
    "6221": ("Ταχυδρομικά τέλη", "Postage"),
    "6222": ("Τηλεπικοινωνιακά τέλη", "Telecommunications"),
    "623": ("Μισθώματα", "Rents paid"),
    "6232": ("Μισθώματα κτιρίων", "Rents of buildings"),
    "6233": ("Μισθώματα μεταφορικών μέσων", "Rents of vehicles"),
    "625": ("Ασφάλιστρα", "Insurance"),
    "6253": ("Ασφάλιστρα μεταφορικών μέσων", "Vehicle insurance"),
    "626": ("Συντήρηση και επισκευή", "Maintenance and repair"),
    "6261": ("Συντήρηση και επισκευή κτιρίων", "Maintenance of buildings"),
    "6262": ("Συντήρηση και επισκευή λοιπών εγκαταστάσεων", "Maintenance of other facilities"),
    "6263": ("Συντήρηση και επισκευή μεταφορικών μέσων", "Maintenance of vehicles"),
    "6264": ("Συντήρηση και επισκευή μηχανημάτων", "Maintenance of machinery"),
    "6265": ("Συντήρηση και επισκευή λοιπού εξοπλισμού", "Maintenance of other equipment"),
    "627": ("Καθαρισμός και φωτισμός", "Cleaning and lighting"),
    "6277": ("Καθαρισμός γραφείων", "Office cleaning"),
    "6279": ("Διαχείριση απορριμμάτων", "Waste management"),
    "632": ("Φόροι και τέλη", "Taxes and duties"),
    "6322": ("Τέλη κυκλοφορίας", "Vehicle road tax"),
    "641": ("Έξοδα μεταφορών", "Transport"),
    "6411": ("Μεταφορά προσώπων", "Passenger transport"),
    "6413": ("Μεταφορά αγαθών", "Freight"),
    "642": ("Έξοδα ταξιδίων", "Travel"),
    "6421": ("Οδοιπορικά έξοδα αιρετών", "Travel of elected officials"),
    "6422": ("Οδοιπορικά έξοδα υπαλλήλων", "Travel of staff"),
    "643": ("Έξοδα προβολής και εκδηλώσεων", "Publicity and events"),
    "6431": ("Έξοδα ενημέρωσης και προβολής", "Information and publicity"),
    "6434": ("Πολιτιστικές και αθλητικές εκδηλώσεις", "Cultural and sports events"),
    "646": ("Δημοσιεύσεις", "Publications"),
    "6462": ("Δημοσίευση προκηρύξεων", "Publication of notices"),
    "649": ("Λοιπά γενικά έξοδα", "Other general expenses"),
    "6492": ("Δικαστικά έξοδα", "Court costs"),
    "6494": ("Λοιπά έξοδα", "Sundry expenses"),
    "651": ("Τόκοι", "Interest"),
    "6512": ("Τόκοι δανείων εσωτερικού", "Interest on domestic loans"),
    "652": ("Χρεολύσια", "Loan repayments"),
    "6521": ("Χρεολύσια δανείων εσωτερικού", "Repayment of domestic loans"),
    "661": ("Είδη γραφείου", "Office supplies"),
    "6612": ("Γραφική ύλη", "Stationery"),
    "6613": ("Έντυπα", "Forms"),
    "6614": ("Εκτυπώσεις και εκδόσεις", "Printing"),
    "663": ("Υλικά καθαριότητας και υγιεινής", "Cleaning and hygiene supplies"),
    "6633": ("Χημικό υλικό", "Chemicals"),
    "6634": ("Είδη καθαριότητας", "Cleaning products"),
    "664": ("Καύσιμα", "Fuel"),
    "6641": ("Καύσιμα και λιπαντικά κίνησης", "Vehicle fuel and lubricants"),
    "6643": ("Καύσιμα θέρμανσης", "Heating fuel"),
    "666": ("Υλικά συντήρησης", "Maintenance materials"),
    "6662": ("Υλικά συντήρησης κτιρίων", "Building materials"),
    "6664": ("Υλικά ηλεκτροφωτισμού", "Lighting materials"),
    "667": ("Ανταλλακτικά", "Spare parts"),
    "6671": ("Ανταλλακτικά μεταφορικών μέσων", "Vehicle spare parts"),
    "6672": ("Ανταλλακτικά λοιπού εξοπλισμού", "Spare parts of other equipment"),
    "669": ("Λοιπές προμήθειες", "Other supplies"),
    "6692": ("Φυτά, σπόροι και λιπάσματα", "Plants, seeds and fertiliser"),
    "6699": ("Λοιπές προμήθειες", "Sundry supplies"),
    "671": ("Επιχορηγήσεις", "Grants"),
    "6711": ("Απόδοση στους σχολικούς συνδέσμους", "Transfers to the school boards"),
    "6715": ("Επιχορήγηση νομικών προσώπων του δήμου", "Grants to the municipality's bodies"),
    "673": ("Κοινωνικές παροχές", "Social benefits"),
    "6731": ("Επιδόματα σε ευπαθείς ομάδες", "Allowances to vulnerable groups"),
    "674": ("Εισφορές σε συνδέσμους", "Contributions to associations"),
    "6741": ("Εισφορά στον φορέα διαχείρισης στερεών αποβλήτων", "Waste authority levy"),
    "682": ("Πρόστιμα, προσαυξήσεις και δικαστικά έξοδα", "Fines, surcharges and court costs"),
    "6821": ("Πρόστιμα και προσαυξήσεις", "Fines and surcharges"),
    "713": ("Προμήθεια παγίων", "Fixed assets"),
    "7131": ("Προμήθεια μηχανημάτων", "Machinery"),
    "7132": ("Προμήθεια μεταφορικών μέσων", "Vehicles"),
    "7133": ("Έπιπλα και σκεύη", "Furniture"),
    "7134": ("Ηλεκτρονικοί υπολογιστές και λογισμικό", "Computers and software"),
    "7135": ("Λοιπός εξοπλισμός", "Other equipment"),
    "731": ("Νέα έργα", "New works"),
    "7311": ("Έργα κτιρίων", "Building works"),
    "7312": ("Έργα ύδρευσης και αποχέτευσης", "Water and sewerage works"),
    "732": ("Έργα οδοποιίας και κοινόχρηστων χώρων", "Roads and public spaces"),
    "7322": ("Διαμόρφωση κοινόχρηστων χώρων", "Public space improvements"),
    "7323": ("Οδοποιία", "Road works"),
    "7325": ("Έργα ηλεκτροφωτισμού", "Street lighting works"),
    "733": ("Επισκευή και συντήρηση παγίων", "Repair and upkeep of fixed assets"),
    "7331": ("Επισκευή και συντήρηση κτιρίων", "Repair of buildings"),
    "7333": ("Επισκευή και συντήρηση οδών", "Repair of roads"),
    "7335": ("Συντήρηση πρασίνου", "Upkeep of parks"),
    "741": ("Μελέτες", "Studies"),
    "7412": ("Μελέτες έργων", "Design studies for works"),
    "7413": ("Έρευνες και πειραματικές εργασίες", "Surveys and research"),
    "811": ("Πληρωμές υποχρεώσεων παρελθόντων ετών", "Payments of past years' obligations"),
    "8111": ("Αμοιβές και έξοδα προσωπικού παρελθόντων ετών", "Staff costs of past years"),
    "8113": ("Φόροι και τέλη παρελθόντων ετών", "Taxes and duties of past years"),
    "8114": ("Παροχές τρίτων παρελθόντων ετών", "Third-party services of past years"),
    "8115": ("Διάφορα έξοδα παρελθόντων ετών", "Sundry costs of past years"),
    "8116": ("Αναλώσιμα παρελθόντων ετών", "Consumables of past years"),
    "8117": ("Έργα παρελθόντων ετών", "Works of past years"),
    "822": ("Αποδόσεις κρατήσεων", "Remittances of deductions"),
    "8221": ("Απόδοση φόρου μισθωτών υπηρεσιών", "Remittance of income tax withheld"),
    "8222": ("Απόδοση κρατήσεων υπέρ ασφαλιστικών οργανισμών", "Remittance of deductions"),
    "851": ("Προβλέψεις", "Provisions"),
    "8511": ("Προβλέψεις μη είσπραξης εισπρακτέων υπολοίπων", "Provision for bad debts"),
    "911": ("Αποθεματικό", "Reserve"),
    "9111": ("Αποθεματικό", "Reserve"),
}

ALL = tuple(STAFFED)
# Expenditure lines of the ordinary budget: KAE, the services that have one, a year's typical
# amount per line (euros), and how the money moves through the year:
#   "pay" committed in January for the whole year, ordered and paid month by month;
#   "run" committed as contracts are signed, paid steadily; "works" slow and late.
EXPENDITURE: list[tuple[str, tuple[str, ...], int, str]] = [
    ("6011", ALL, 1_300_000, "pay"),
    ("6012", ALL, 40_000, "pay"),
    ("6021", ALL, 420_000, "pay"),
    ("6041", ("15", "20", "35", "60", "70"), 260_000, "pay"),
    ("6051", ALL, 330_000, "pay"),
    ("6052", ALL, 110_000, "pay"),
    ("6054", ("15", "20", "35", "60", "70"), 70_000, "pay"),
    ("6013", ALL, 6_000, "pay"),
    ("6061", ALL, 9_000, "run"),
    ("6063", ALL, 14_000, "run"),
    ("6111", ("10",), 90_000, "run"),
    ("6117", ALL, 35_000, "run"),
    ("6121", ("00",), 310_000, "pay"),
    ("6123", ("00",), 140_000, "pay"),
    ("6211", ("20",), 2_200_000, "run"),
    ("6212", ("10", "15", "35", "45", "60"), 30_000, "run"),
    ("6221", ("10", "50"), 45_000, "run"),
    ("6222", ALL, 12_000, "run"),
    ("6232", ("10", "60"), 80_000, "pay"),
    ("6233", ("20",), 150_000, "run"),
    ("6253", ("10", "20", "30", "35", "50"), 25_000, "run"),
    ("6261", ("15", "30", "60"), 60_000, "run"),
    ("6263", ("20", "30", "35"), 140_000, "run"),
    ("6264", ("20", "25", "30", "35"), 50_000, "run"),
    ("6265", ALL, 9_000, "run"),
    ("6277", ("10", "15", "60"), 180_000, "run"),
    ("6279", ("20",), 1_900_000, "run"),
    ("6322", ("10", "20", "30"), 18_000, "run"),
    ("6411", ("15", "60"), 120_000, "run"),
    ("6413", ("20",), 60_000, "run"),
    ("6421", ("00",), 15_000, "run"),
    ("6422", ALL, 5_000, "run"),
    ("6073", ALL, 4_000, "run"),
    ("6613", ALL, 3_000, "run"),
    ("6431", ("00", "15"), 45_000, "run"),
    ("6434", ("15",), 260_000, "run"),
    ("6462", ("10", "30"), 20_000, "run"),
    ("6492", ("10",), 60_000, "run"),
    ("6494", ALL, 6_000, "run"),
    ("6512", ("00",), 420_000, "pay"),
    ("6521", ("00",), 1_450_000, "pay"),
    ("6612", ALL, 6_000, "run"),
    ("6614", ("10", "15"), 20_000, "run"),
    ("6633", ("20", "25", "35"), 35_000, "run"),
    ("6634", ALL, 12_000, "run"),
    ("6641", ("10", "15", "20", "25", "30", "35", "45", "50"), 90_000, "run"),
    ("6643", ("10", "15", "60"), 70_000, "run"),
    ("6662", ("15", "30", "45", "60"), 50_000, "run"),
    ("6664", ("20",), 160_000, "run"),
    ("6671", ("20", "30", "35"), 120_000, "run"),
    ("6672", ("20", "25", "30", "35"), 30_000, "run"),
    ("6692", ("35",), 90_000, "run"),
    ("6699", ALL, 15_000, "run"),
    ("6711", ("60",), 1_600_000, "run"),
    ("6715", ("15", "60"), 1_200_000, "run"),
    ("6731", ("60",), 900_000, "pay"),
    ("6741", ("20",), 2_600_000, "run"),
    ("6821", ("10",), 10_000, "run"),
    ("7131", ("20", "30", "35"), 150_000, "works"),
    ("7132", ("20", "30", "50"), 300_000, "works"),
    ("7133", ("10", "15", "60"), 25_000, "works"),
    ("7134", ("10", "40", "50"), 70_000, "works"),
    ("7413", ("30", "40"), 60_000, "works"),
    ("8111", ALL, 25_000, "run"),
    ("8113", ALL, 8_000, "run"),
    ("8114", ALL, 15_000, "run"),
    ("8116", ALL, 10_000, "run"),
    ("8115", ("00", "10", "20", "30"), 120_000, "run"),
    ("8117", ("30",), 900_000, "run"),
    ("8221", ("00",), 2_400_000, "pay"),
    ("8222", ("00",), 1_900_000, "pay"),
    ("8511", ("00",), 1_200_000, "run"),
    ("9111", ("00",), 700_000, "reserve"),
]

# Revenue lines, all under the general services: KAE, typical amount, how it comes in:
#   "monthly" assessed and collected month by month; "billed" assessed at once, collected
#   slowly; "grant" assessed and collected in instalments; "balance" known from January.
REVENUE: list[tuple[str, int, str]] = [
    ("0111", 650_000, "monthly"),
    ("0112", 120_000, "billed"),
    ("0122", 90_000, "monthly"),
    ("0131", 380_000, "billed"),
    ("0211", 9_800_000, "monthly"),
    ("0212", 210_000, "billed"),
    ("0221", 420_000, "monthly"),
    ("0223", 180_000, "monthly"),
    ("0311", 1_050_000, "monthly"),
    ("0313", 540_000, "billed"),
    ("0319", 160_000, "monthly"),
    ("0321", 240_000, "monthly"),
    ("0411", 560_000, "monthly"),
    ("0412", 70_000, "monthly"),
    ("0511", 15_600_000, "grant"),
    ("0512", 1_500_000, "grant"),
    ("0513", 2_900_000, "grant"),
    ("0611", 450_000, "grant"),
    ("1111", 60_000, "billed"),
    ("1211", 40_000, "billed"),
    ("1311", 2_100_000, "grant"),
    ("1411", 150_000, "billed"),
    ("1511", 320_000, "monthly"),
    ("1512", 410_000, "monthly"),
    ("1513", 90_000, "billed"),
    ("2111", 700_000, "billed"),
    ("2112", 110_000, "billed"),
    ("2211", 160_000, "billed"),
    ("3211", 3_400_000, "billed"),
    ("3212", 900_000, "billed"),
    ("4111", 2_400_000, "monthly"),
    ("4121", 1_900_000, "monthly"),
    ("4211", 40_000, "billed"),
    ("5111", 3_200_000, "balance"),
    ("5112", 6_500_000, "balance"),
]

# Where the works are: the town's neighbourhoods and the villages (genitive, as titles say).
PLACES = [
    "Αγίας Σοφίας",
    "Αγίου Αντωνίου",
    "Αγίων Αναργύρων",
    "Καμενικίων",
    "Χρυσοπηγής",
    "Κηφισιάς",
    "Ομόνοιας",
    "Προφήτη Ηλία",
    "Καλλιθέας",
    "Αγίου Γεωργίου",
    "Νέας Ζωής",
    "Πεντάπλατου",
    "Λευκώνα",
    "Ελαιώνα",
    "Οινούσας",
    "Κάτω Καμήλας",
    "Άνω Καμήλας",
    "Μονοκκλησιάς",
    "Πεπονιάς",
    "Χριστού",
    "Κουμαριάς",
    "Βαμβακόφυτου",
]
_ORDINAL = "ου"
BUILDINGS = [
    *(f"του {n}{_ORDINAL} Δημοτικού Σχολείου" for n in range(1, 21)),
    *(f"του {n}{_ORDINAL} Νηπιαγωγείου" for n in range(1, 16)),
    *(f"του {n}{_ORDINAL} Γυμνασίου" for n in range(1, 7)),
    *(f"του {n}{_ORDINAL} Λυκείου" for n in range(1, 6)),
    "του Δημοτικού Κλειστού Γυμναστηρίου",
    "του Δημοτικού Κολυμβητηρίου",
    "του Δημαρχείου",
    "του Κέντρου Κοινότητας",
    "του ΚΑΠΗ Αγίου Αντωνίου",
    "του ΚΑΠΗ Καλλιθέας",
    "του Δημοτικού Ωδείου",
    "της Δημοτικής Βιβλιοθήκης",
    "του Αρχοντικού Πασχαλίδη",
    "του 1ου Παιδικού Σταθμού",
    "του 2ου Παιδικού Σταθμού",
    "του αμαξοστασίου",
]
STREETS = [
    "Μεραρχίας",
    "Βενιζέλου",
    "Εθνικής Αντιστάσεως",
    "Μητροπόλεως",
    "Κωνσταντινουπόλεως",
    "Ερμού",
    "Παύλου Μελά",
    "Κύπρου",
    "Μεγάλου Αλεξάνδρου",
    "Ομονοίας",
    "Τσαλοπούλου",
    "Αναλήψεως",
    "Κολοκοτρώνη",
    "Καρατάσου",
    "Νιγρίτης",
    "Αγίου Γεωργίου",
    "Σιδηροκάστρου",
    "Δράμας",
    "Θεσσαλονίκης",
    "Φιλικής Εταιρείας",
    "Ναυαρίνου",
    "Κρήτης",
    "Μακεδονομάχων",
    "Εμμανουήλ Παππά",
    "Αγίων Αναργύρων",
    "Λαμπράκη",
    "Σπετσών",
    "Ύδρας",
    "Αλεξανδρείας",
    "Πόντου",
    "Καππαδοκίας",
    "Ίωνος Δραγούμη",
    "Κομνηνών",
    "Ελευθερίας",
    "Αθηνών",
    "Αγίας Σοφίας",
]


# Projects: each a local extension of a 4-digit code (``7323.015``), under one service, per
# place or building, with a typical amount and how its money moves. A year has ``per_year`` of
# them, a window over the list that moves on each year, so some continue and some are new.
@dataclass(frozen=True)
class Projects:
    kae: str
    service: str
    title: str  # formatted with the place or building
    where: tuple[str, ...]
    per_year: int
    typical: int
    timing: str = "works"


P, B, S = tuple(PLACES), tuple(BUILDINGS), tuple(STREETS)
SUPPLIES = (
    "κάδων ανακύκλωσης",
    "σάκων απορριμμάτων",
    "αλατιού αποχιονισμού",
    "πινακίδων σήμανσης",
    "παγκακίων",
    "ειδών πυρασφάλειας",
    "μέσων ατομικής προστασίας",
    "ειδών σήμανσης οδών",
    "εργαλείων",
    "χρωμάτων διαγράμμισης",
    "σιδηρικών",
    "ξυλείας",
    "αδρανών υλικών",
    "τσιμέντου",
    "ασφαλτομίγματος",
    "υδραυλικών υλικών",
    "ηλεκτρολογικού υλικού",
    "λαμπτήρων LED",
    "φαρμακευτικού υλικού",
    "ειδών πρώτων βοηθειών",
)
SERVICES_BOUGHT = (
    "Φύλαξη δημοτικών κτιρίων",
    "Καθαρισμός φρεατίων",
    "Απεντόμωση και μυοκτονία",
    "Τεχνικός ασφαλείας",
    "Ιατρός εργασίας",
    "Περισυλλογή αδέσποτων ζώων",
    "Καθαρισμός ρεμάτων",
    "Έλεγχος παιδικών χαρών",
    "Ηλεκτρονική διακυβέρνηση",
    "Υποστήριξη λογισμικού",
    "Νομική υποστήριξη",
    "Ορκωτοί ελεγκτές",
    "Τοπογραφικές αποτυπώσεις",
    "Ψηφιοποίηση αρχείου",
    "Διερμηνεία και μετάφραση",
    "Εκκένωση βόθρων",
)
PROJECTS = [
    # Works: roads by street and by neighbourhood or village, buildings, networks, parks.
    Projects("7323", "30", "Ασφαλτόστρωση οδού {}", S, 36, 110_000),
    Projects("7323", "30", "Ασφαλτόστρωση δημοτικών οδών {}", P, 22, 180_000),
    Projects("7333", "30", "Αποκατάσταση πεζοδρομίων οδού {}", S, 36, 45_000),
    Projects("7333", "30", "Συντήρηση αγροτικής οδοποιίας {}", P, 22, 60_000),
    Projects("7322", "30", "Ανάπλαση κοινόχρηστων χώρων {}", P, 14, 310_000),
    Projects("7325", "20", "Βελτίωση ηλεκτροφωτισμού {}", P, 22, 70_000),
    Projects("7312", "25", "Αντικατάσταση δικτύου ύδρευσης {}", P, 18, 160_000),
    Projects("7312", "25", "Αποχέτευση ομβρίων οδού {}", S, 30, 90_000),
    Projects("7311", "30", "Ενεργειακή αναβάθμιση {}", B, 12, 380_000),
    Projects("7331", "30", "Επισκευή και συντήρηση {}", B, 58, 40_000),
    Projects("7335", "35", "Συντήρηση πρασίνου {}", P, 22, 40_000),
    Projects("7335", "35", "Δενδροφύτευση οδού {}", S, 36, 15_000),
    Projects("7412", "30", "Μελέτη ανάπλασης {}", P, 12, 60_000),
    Projects("7412", "30", "Στατική μελέτη {}", B, 30, 25_000),
    # Upkeep and services bought, by place, building, street or kind.
    Projects("6261", "30", "Μικροεπισκευές {}", B, 58, 8_000, "run"),
    Projects("6262", "30", "Συντήρηση παιδικών χαρών {}", P, 22, 18_000, "run"),
    Projects("6262", "25", "Συντήρηση αντλιοστασίων {}", P, 22, 22_000, "run"),
    Projects("6262", "20", "Συντήρηση φωτεινής σηματοδότησης οδού {}", S, 36, 6_000, "run"),
    Projects(
        "6264",
        "20",
        "Συντήρηση απορριμματοφόρου ΚΗΙ {}",
        tuple(f"{n:04d}" for n in range(3100, 3160, 2)),
        30,
        9_000,
        "run",
    ),
    Projects(
        "6263",
        "35",
        "Επισκευή οχήματος πρασίνου ΚΗΙ {}",
        tuple(f"{n:04d}" for n in range(4200, 4260, 3)),
        20,
        6_000,
        "run",
    ),
    Projects("6279", "20", "Αποκομιδή ογκωδών αντικειμένων {}", P, 22, 25_000, "run"),
    Projects("6279", "20", "Πλύσιμο κάδων {}", P, 22, 9_000, "run"),
    Projects("6117", "10", "{}", SERVICES_BOUGHT, 16, 35_000, "run"),
    Projects("6117", "30", "Αποχιονισμός και αντιπλημμυρική θωράκιση {}", P, 22, 15_000, "run"),
    Projects(
        "6117",
        "60",
        "Πρόγραμμα «{}»",
        (
            "Βοήθεια στο Σπίτι",
            "Κέντρο Ημερήσιας Φροντίδας",
            "Δημοτικό Ιατρείο",
            "Κοινωνικό Παντοπωλείο",
            "Κοινωνικό Φαρμακείο",
            "Δομή Αστέγων",
            "Κέντρο Στήριξης Οικογένειας",
            "Πρόληψη στην Κοινότητα",
            "Εθελοντισμός",
            "Σχολική Στήριξη",
        ),
        10,
        140_000,
        "run",
    ),
    Projects(
        "6434",
        "15",
        "Εκδήλωση «{}»",
        (
            "Χριστούγεννα στην πόλη",
            "Καρναβάλι",
            "Γιορτή κρασιού",
            "Θερινό σινεμά",
            "Φεστιβάλ νέων",
            "Ημέρες μουσικής",
            "Αγώνας δρόμου",
            "Απελευθέρωση των Σερρών",
            "Βιβλιοέκθεση",
            "Θεατρικό καλοκαίρι",
            "Εκθέσεις ζωγραφικής",
            "Παιδικό φεστιβάλ",
            "Μουσικές βραδιές",
            "Γιορτή του Αγίου Νικολάου",
        ),
        14,
        22_000,
        "run",
    ),
    Projects("6699", "20", "Προμήθεια {}", SUPPLIES, 20, 20_000, "run"),
    Projects("6699", "35", "Προμήθεια εξοπλισμού παιδικής χαράς {}", P, 14, 12_000, "works"),
    Projects("7135", "15", "Προμήθεια εξοπλισμού {}", B, 40, 15_000),
    Projects("7135", "20", "Προμήθεια κάδων απορριμμάτων {}", P, 22, 20_000),
    Projects("6012", "20", "Υπερωρίες καθαριότητας {}", P, 22, 6_000, "pay"),
    Projects("6012", "35", "Υπερωρίες πρασίνου {}", P, 16, 4_000, "pay"),
    Projects(
        "7132",
        "20",
        "Προμήθεια απορριμματοφόρου {}",
        (
            "16 m³",
            "12 m³",
            "8 m³",
            "πλυντηρίου κάδων",
            "ανοιχτού τύπου",
            "μικρού τύπου",
        ),
        3,
        220_000,
    ),
    # The smaller services: cemeteries, town planning, municipal police, local development.
    Projects("6262", "45", "Συντήρηση κοιμητηρίου {}", P, 22, 10_000, "run"),
    Projects("7322", "45", "Επέκταση κοιμητηρίου {}", P, 6, 120_000),
    Projects("7413", "40", "Πολεοδομική μελέτη {}", P, 16, 45_000),
    Projects("6699", "50", "Σήμανση στάθμευσης οδού {}", S, 20, 5_000, "run"),
    Projects("6117", "70", "Ανάδειξη τοπικών προϊόντων {}", P, 12, 12_000, "run"),
    Projects("6699", "30", "Προμήθεια {}", SUPPLIES, 20, 25_000, "run"),
    # Revenue: the shops of the municipal market, farmland, kiosks and cafés on public space,
    # the grants of the works above, the claims of past years by kind.
    Projects(
        "0111",
        "00",
        "Μίσθωμα καταστήματος {} της δημοτικής αγοράς",
        tuple(str(n) for n in range(1, 41)),
        40,
        9_000,
        "monthly",
    ),
    Projects("0112", "00", "Μίσθωμα δημοτικών αγροτεμαχίων {}", P, 22, 6_000, "billed"),
    Projects("0131", "00", "Παραχώρηση κοινόχρηστου χώρου {}", P, 22, 14_000, "billed"),
    Projects("0313", "00", "Τέλος χρήσης πεζοδρομίου οδού {}", S, 36, 12_000, "billed"),
    Projects("0221", "00", "Δικαιώματα κοιμητηρίου {}", P, 22, 12_000, "monthly"),
    Projects("1321", "00", "ΠΔΕ: Αντικατάσταση δικτύου ύδρευσης {}", P, 10, 150_000, "grant"),
    Projects("1322", "00", "ΕΣΠΑ: Ανάπλαση κοινόχρηστων χώρων {}", P, 12, 250_000, "grant"),
    Projects("1323", "00", "Ταμείο Ανάκαμψης: Ενεργειακή αναβάθμιση {}", B, 10, 350_000, "grant"),
    Projects(
        "3211",
        "00",
        "Εισπρακτέα υπόλοιπα: {}",
        (
            "τέλη καθαριότητας",
            "ΤΑΠ",
            "μισθώματα ακινήτων",
            "τέλη κοινόχρηστων χώρων",
            "δικαιώματα κοιμητηρίων",
            "τροφεία παιδικών σταθμών",
            "τέλη άρδευσης",
            "πρόστιμα ΚΟΚ",
            "πρόστιμα αυθαιρέτων",
            "δικαιώματα ύδρευσης",
        ),
        10,
        300_000,
        "billed",
    ),
]


@dataclass
class Plan:
    """One line of a demo year, before it is written."""

    service: str
    kae: str
    description: str
    direction: str
    approved: Decimal
    timing: str
    adjusted: Decimal = Decimal("0")
    revised_in: int = 13  # the month the adjusted amount takes effect
    rates: tuple[float, float, float] = (1.0, 1.0, 1.0)
    curves: tuple[float, float, float] = (1.0, 1.0, 1.0)


def _projects(spec: Projects, index: int, year_index: int) -> Iterator[tuple[str, str]]:
    """This year's window of a project list: (extension code, title)."""
    total = len(spec.where)
    start = (year_index * max(1, spec.per_year // 3)) % total
    for n in range(min(spec.per_year, total)):
        i = (start + n) % total
        # Project lists sharing a 4-digit code take separate hundreds of extensions.
        yield f"{spec.kae}.{index * 100 + i + 1:03d}", spec.title.format(spec.where[i])


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(CENT)


def _plans(year: int, year_index: int, rng: random.Random) -> list[Plan]:
    plans: list[Plan] = []
    for kae, services, typical, timing in EXPENDITURE:
        for service in services:
            amount = typical * rng.lognormvariate(0, 0.35) if timing != "reserve" else typical
            plans.append(
                Plan(service, kae, KAE_NAMES[kae][0], Direction.EXPENDITURE, _money(amount), timing)
            )
    per_code: dict[str, int] = {}
    for spec in PROJECTS:
        index = per_code.get(spec.kae, 0)
        per_code[spec.kae] = index + 1
        for code, title in _projects(spec, index, year_index):
            amount = spec.typical * rng.lognormvariate(0, 0.5)
            direction = direction_of(code)
            plans.append(Plan(spec.service, code, title, direction, _money(amount), spec.timing))
    for kae, typical, timing in REVENUE:
        amount = typical * rng.lognormvariate(0, 0.1)
        plans.append(Plan("00", kae, KAE_NAMES[kae][0], Direction.REVENUE, _money(amount), timing))
    _scale(plans, TOTALS[year])
    for plan in plans:
        _shape(plan, rng)
    return plans


def _scale(plans: list[Plan], total: Decimal) -> None:
    """Round the approved amounts to tens of euros, the expenditure to ``total`` and the
    revenue balanced with it (the cash balance takes the difference, as the budget's does)."""
    for direction in (Direction.EXPENDITURE, Direction.REVENUE):
        mine = [p for p in plans if p.direction == direction]
        factor = total / sum(p.approved for p in mine)
        for p in mine:
            p.approved = (p.approved * factor).quantize(Decimal("10"))
        balancing = next(p for p in mine if p.kae in ("5112", "9111"))
        balancing.approved += total - sum(p.approved for p in mine)


def _shape(plan: Plan, rng: random.Random) -> None:
    """The line's year: whether and when it is adjusted, how far each phase goes, how fast."""
    plan.adjusted = plan.approved
    if plan.timing != "balance" and rng.random() < 0.35:
        plan.revised_in = rng.randint(3, 10)
        plan.adjusted = (plan.approved * Decimal(str(rng.uniform(0.8, 1.3)))).quantize(CENT)
    if plan.direction == Direction.EXPENDITURE:
        first, second, third = {
            "pay": ((0.95, 1.0), (0.97, 1.0), (0.98, 1.0)),
            "run": ((0.7, 0.98), (0.8, 1.0), (0.85, 1.0)),
            "works": ((0.3, 0.95), (0.5, 0.95), (0.8, 1.0)),
            "reserve": ((0.0, 0.0), (0.0, 0.0), (0.0, 0.0)),
        }[plan.timing]
        committed = rng.uniform(*first)
        ordered = committed * rng.uniform(*second)
        plan.rates = (committed, ordered, ordered * rng.uniform(*third))
        plan.curves = {
            "pay": (0.0, 1.0, 1.05),
            "run": (0.7, 1.0, 1.15),
            "works": (1.3, 1.6, 1.8),
            "reserve": (1.0, 1.0, 1.0),
        }[plan.timing]
    else:
        assessed, collected, curve = {
            "monthly": ((0.9, 1.05), (0.8, 0.97), (1.0, 1.05)),
            "billed": ((0.95, 1.0), (0.2, 0.6), (0.0, 0.9)),
            "grant": ((0.95, 1.0), (0.95, 1.0), (1.0, 1.0)),
            "balance": ((1.0, 1.0), (1.0, 1.0), (0.0, 0.0)),
        }[plan.timing]
        a = rng.uniform(*assessed)
        plan.rates = (a, a * rng.uniform(*collected), 0.0)
        c = rng.uniform(*curve)
        plan.curves = (0.0 if plan.timing in ("billed", "balance") else c, c, 0.0)


def _share(month: int, months: int, power: float) -> float:
    """How much of a phase's year has happened by the end of ``month``."""
    return (month / months) ** power if power else 1.0


def _down(value: float) -> Decimal:
    """Euros to the cent below (amounts here are never negative)."""
    return Decimal(int(value * 100)).scaleb(-2)


def amounts_at(plan: Plan, month: int) -> dict[str, Decimal | None]:
    """The line's amounts at the end of ``month`` (1–12): each phase nondecreasing month by
    month and never above the phase before it."""
    adjusted = plan.adjusted if month >= plan.revised_in else plan.approved
    base = float(plan.adjusted)
    first = _down(base * plan.rates[0] * _share(month, 12, plan.curves[0]))
    if plan.direction == Direction.EXPENDITURE:
        # An adjustment that raises a line lets it commit more only once it is voted.
        committed = min(first, adjusted) if plan.adjusted > plan.approved else first
        ordered = min(committed, _down(base * plan.rates[1] * _share(month, 12, plan.curves[1])))
        paid = min(ordered, _down(base * plan.rates[2] * _share(month, 12, plan.curves[2])))
        return {
            "approved": plan.approved,
            "adjusted": adjusted,
            "committed": committed,
            "ordered": ordered,
            "paid": paid,
        }
    collected = min(first, _down(base * plan.rates[1] * _share(month, 12, plan.curves[1])))
    return {
        "approved": plan.approved,
        "adjusted": adjusted,
        "assessed": first,
        "collected": collected,
    }


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _published(year: int, month: int) -> dt.datetime:
    """When the month's execution was imported: a few days after it ended (never ahead)."""
    day = _month_end(year, month) + dt.timedelta(days=3)
    moment = dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_current_timezone())
    return min(moment, timezone.now())


ADA_LETTERS = "0123456789ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ"


def make_ada(rng: random.Random) -> str:
    """An ADA of the demo municipality's shape: four characters, its code ``ΩΞΑ``, three more."""
    head = "".join(rng.choice(ADA_LETTERS) for _ in range(4))
    tail = "".join(rng.choice(ADA_LETTERS) for _ in range(3))
    return f"{head}ΩΞΑ-{tail}"


def _ensure_codes(plans: list[Plan]) -> dict[str, Kae]:
    """Every code the plans use and the codes above it, made in bulk, level by level."""
    names: dict[str, tuple[str, str]] = {}
    for plan in plans:
        code = plan.kae
        if "." in code:
            names[code] = (plan.description, "")
        while code and code not in CLASSES_AND_GROUPS:
            code = parent_code(code)
            if code in KAE_NAMES:
                names.setdefault(code, KAE_NAMES[code])
        names.setdefault(plan.kae, KAE_NAMES.get(plan.kae, (plan.description, "")))
    known = {k.code: k for k in Kae.objects.all()}
    for level in (3, 4, 5):
        new = [
            Kae(
                code=code,
                parent=known[parent_code(code)],
                level=level,
                direction=direction_of(code),
                name_el=name_el,
                name_en=name_en,
            )
            for code, (name_el, name_en) in sorted(names.items())
            if level_of(code) == level and code not in known
        ]
        for kae in Kae.objects.bulk_create(new):
            known[kae.code] = kae
    return known


def _services() -> dict[str, Service]:
    for code, name_el, name_en in SERVICES:
        Service.objects.get_or_create(code=code, defaults={"name_el": name_el, "name_en": name_en})
    return {s.code: s for s in Service.objects.all()}


NOTE_EL = (
    "Δεδομένα επίδειξης: ένας προϋπολογισμός στο μέγεθος του Δήμου Σερρών, με πλασματικά "
    "ποσά. Η εκτέλεση δημοσιεύεται κάθε μήνα."
)
NOTE_EN = (
    "Demo data: a budget the size of the Municipality of Serres, with made-up amounts. The "
    "execution is published every month."
)


def _insert_amounts(rows: Iterable[tuple[int, int, dict[str, Decimal | None]]]) -> None:
    """Write amounts with one prepared INSERT: building 50,000 model instances for
    ``bulk_create`` took most of the demo's time, and these rows need no model logic."""
    table = LineAmounts._meta.db_table
    columns = ", ".join(["snapshot_id", "line_id", *PHASES])
    marks = ", ".join(["%s"] * (2 + len(PHASES)))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608 - our own names
            [
                (snapshot, line, *(amounts.get(p) for p in PHASES))
                for snapshot, line, amounts in rows
            ],
        )


def _seed_year(
    year: int, months: int, plans: list[Plan], kae: dict[str, Kae], services: dict[str, Service]
) -> None:
    rng = random.Random(year * 7)
    fiscal_year, _created = FiscalYear.objects.update_or_create(
        year=year, defaults={"published": True, "note_el": NOTE_EL, "note_en": NOTE_EN}
    )
    lines = BudgetLine.objects.bulk_create(
        [
            BudgetLine(
                year=fiscal_year,
                service=services[p.service],
                kae=kae[p.kae],
                direction=p.direction,
                description=p.description,
            )
            for p in plans
        ],
        batch_size=BATCH,
    )
    snapshots = Snapshot.objects.bulk_create(
        [
            Snapshot(
                year=fiscal_year,
                as_of=_month_end(year, month),
                file_name=f"ektelesi-{year}-{month:02d}.csv",
                sha256=hashlib.sha256(f"dimos demo budget {year}-{month:02d}".encode()).hexdigest(),
                rows=len(plans),
                imported_at=_published(year, month),
            )
            for month in range(1, months + 1)
        ]
    )
    for month, snapshot in enumerate(snapshots, start=1):
        _insert_amounts(
            (snapshot.pk, line.pk, amounts_at(plan, month))
            for line, plan in zip(lines, plans, strict=True)
        )
    SpendingDecision.objects.bulk_create(_decisions(year, months, lines, plans, rng))


def _decisions(
    year: int, months: int, lines: list[BudgetLine], plans: list[Plan], rng: random.Random
) -> list[SpendingDecision]:
    """Commitment decisions (and a payment order for some) on the year's larger works and
    contracts, each within what the line has committed by its last snapshot."""
    chosen = [
        (line, plan)
        for line, plan in zip(lines, plans, strict=True)
        if plan.direction == Direction.EXPENDITURE
        and plan.timing in ("works", "run")
        and plan.approved >= 40_000
    ]
    rng.shuffle(chosen)
    used: set[str] = set(SpendingDecision.objects.values_list("ada", flat=True))
    decisions = []
    for line, plan in chosen[:80]:
        committed = amounts_at(plan, months)["committed"] or Decimal("0")
        if committed <= 0:
            continue
        day = dt.date(year, rng.randint(1, months), rng.randint(1, 28))
        for kind, share, subject in (
            (SpendingDecision.Kind.COMMITMENT, 1.0, "Ανάληψη υποχρέωσης για «{}»"),
            (SpendingDecision.Kind.PAYMENT, rng.uniform(0.2, 0.6), "Έγκριση πληρωμής για «{}»"),
        ):
            ada = make_ada(rng)
            while ada in used:
                ada = make_ada(rng)
            used.add(ada)
            decisions.append(
                SpendingDecision(
                    ada=ada,
                    date=day,
                    subject=subject.format(plan.description),
                    amount=_down(float(committed) * share * rng.uniform(0.3, 0.9)),
                    kind=kind,
                    line=line,
                )
            )
            if rng.random() < 0.5:
                break
            day = min(day + dt.timedelta(days=rng.randint(20, 90)), _month_end(year, months))
    return decisions


def seed_budget() -> None:
    """Three published years of the demo budget, each with its monthly snapshots (once)."""
    ensure_kae_classes()
    with transaction.atomic():
        services = _services()
        for year_index, (year, months) in enumerate(YEARS.items()):
            if BudgetLine.objects.filter(year__year=year).exists():
                continue
            plans = _plans(year, year_index, random.Random(year))
            _seed_year(year, months, plans, _ensure_codes(plans), services)
