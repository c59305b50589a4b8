"""The KAE classes and groups every Greek municipal budget shares, in Greek and English.

The economic classification (KYA 7028/2004 and its yearly amendments) names its classes (one
digit) and groups (two digits) the same for every municipality; the longer codes and their
names come from each municipality's files. Revenue is in classes 0–5, expenditure in 6–9.
"""

from __future__ import annotations

# code: (Greek, English)
CLASSES_AND_GROUPS: dict[str, tuple[str, str]] = {
    "0": ("Τακτικά έσοδα", "Regular revenue"),
    "01": ("Πρόσοδοι από κινητή και ακίνητη περιουσία", "Income from property"),
    "02": ("Έσοδα από ανταποδοτικά τέλη και δικαιώματα", "Charges for services rendered"),
    "03": ("Λοιπά τέλη, δικαιώματα και παροχή υπηρεσιών", "Other fees, rights and services"),
    "04": ("Φόροι και εισφορές", "Taxes and levies"),
    "05": (
        "Επιχορηγήσεις για κάλυψη λειτουργικών δαπανών",
        "Grants towards operating expenses",
    ),
    "06": ("Λοιπά τακτικά έσοδα", "Other regular revenue"),
    "1": ("Έκτακτα έσοδα", "Extraordinary revenue"),
    "11": ("Έσοδα από εκποίηση κινητής και ακίνητης περιουσίας", "Sales of property"),
    "12": ("Δωρεές, κληρονομίες, κληροδοσίες", "Donations and bequests"),
    "13": ("Επιχορηγήσεις για επενδύσεις", "Grants for investment"),
    "14": ("Λοιπά έκτακτα έσοδα", "Other extraordinary revenue"),
    "15": ("Προσαυξήσεις, πρόστιμα, παράβολα", "Surcharges, fines and fees"),
    "2": ("Έσοδα παρελθόντων οικονομικών ετών", "Revenue of past fiscal years"),
    "21": (
        "Τακτικά έσοδα παρελθόντων ετών που βεβαιώνονται για πρώτη φορά",
        "Regular revenue of past years assessed for the first time",
    ),
    "22": (
        "Έκτακτα έσοδα παρελθόντων ετών που βεβαιώνονται για πρώτη φορά",
        "Extraordinary revenue of past years assessed for the first time",
    ),
    "3": (
        "Εισπράξεις από δάνεια και απαιτήσεις από παρελθόντα έτη",
        "Loans and claims of past years",
    ),
    "31": ("Εισπράξεις από δάνεια", "Loans received"),
    "32": ("Εισπρακτέα υπόλοιπα απαιτήσεων παρελθόντων ετών", "Claims of past years collected"),
    "4": (
        "Εισπράξεις υπέρ του Δημοσίου και τρίτων και επιστροφές χρημάτων",
        "Collections for the State and third parties, and refunds",
    ),
    "41": ("Εισπράξεις υπέρ του Δημοσίου και τρίτων", "Collections for the State and others"),
    "42": ("Επιστροφές χρημάτων", "Refunds"),
    "5": ("Χρηματικό υπόλοιπο προηγούμενης χρήσης", "Cash balance from the previous year"),
    "51": ("Χρηματικό υπόλοιπο", "Cash balance"),
    "6": ("Έξοδα", "Operating expenditure"),
    "60": ("Αμοιβές και έξοδα προσωπικού", "Staff pay and costs"),
    "61": ("Αμοιβές αιρετών και τρίτων", "Pay of elected officials and third parties"),
    "62": ("Παροχές τρίτων", "Third-party services (utilities, rents, maintenance)"),
    "63": ("Φόροι και τέλη", "Taxes and duties"),
    "64": ("Λοιπά γενικά έξοδα", "Other general expenses"),
    "65": ("Πληρωμές για την εξυπηρέτηση της δημόσιας πίστης", "Debt service"),
    "66": ("Δαπάνες προμήθειας αναλωσίμων", "Consumables"),
    "67": ("Πληρωμές για μεταβιβάσεις σε τρίτους", "Transfers to third parties"),
    "68": ("Λοιπά έξοδα", "Other expenses"),
    "7": ("Επενδύσεις", "Investment"),
    "71": (
        "Αγορές κτιρίων, τεχνικών έργων και προμήθειες παγίων",
        "Buildings, works and fixed assets",
    ),
    "73": ("Έργα", "Public works"),
    "74": (
        "Μελέτες, έρευνες, πειραματικές εργασίες και ειδικές δαπάνες",
        "Studies, research and special expenses",
    ),
    "75": ("Τίτλοι πάγιας επένδυσης", "Long-term investments"),
    "8": (
        "Πληρωμές παρελθόντων οικονομικών ετών και λοιπές αποδόσεις",
        "Payments of past years and other remittances",
    ),
    "81": ("Πληρωμές παρελθόντων οικονομικών ετών", "Payments of past years"),
    "82": ("Λοιπές αποδόσεις", "Other remittances"),
    "85": (
        "Προβλέψεις μη είσπραξης εισπρακτέων υπολοίπων",
        "Provisions for claims not collected",
    ),
    "9": ("Αποθεματικό", "Reserve"),
    "91": ("Αποθεματικό", "Reserve"),
}
