"""Demo data: the five certificate types of e-demotis and a few requests in various states.

Both seeders are idempotent (``dimos demo`` may run many times).
"""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from typing import Any

from django.db import transaction

from dimos.accounts.demo import demo_staff_member
from dimos.certificates.models import CertificateRequest, CertificateType

# The demo certificate's verification code (benchmarks/endpoints.py looks it up).
DEMO_CODE = "DEMASERRESCERT26"

# Four eyes (ADR 0019): the demo clerk files and approves, the head of the registry office
# issues. (role, email, password, first name, last name, groups, TOTP secret), printed by
# `dimos demo`.
DEMO_ISSUER = (
    "issuer",
    "issuer@demo.dimos.gr",
    "demo-issuer-2026",
    "Αναστασία",
    "Παπαγεωργίου",
    ("certificates_issuer", "delivery_staff"),
    "ONSWG4TFOQ2GC3DFMRSW2ZLUMFXGI4TP",
)

PURPOSE = {
    "name": "purpose",
    "label_el": "Για ποια χρήση χρειάζεται;",
    "label_en": "What is it needed for?",
    "document_label_el": "Χρήση",
    "document_label_en": "Purpose",
    "type": "text",
    "required": False,
}
ID_COPY = {
    "key": "id_copy",
    "label_el": "Αντίγραφο αστυνομικής ταυτότητας",
    "label_en": "Copy of the identity card",
    "required": False,
}

TYPES: list[dict[str, Any]] = [
    {
        "code": "permanent-residence",
        "order": 10,
        "name_el": "Βεβαίωση μόνιμης κατοικίας",
        "name_en": "Certificate of permanent residence",
        "description_el": (
            "Βεβαιώνει ότι κατοικείτε μόνιμα στον δήμο (π.χ. για σχολείο, εφορία, ΔΕΗ)."
        ),
        "description_en": (
            "States that you live permanently in the municipality "
            "(e.g. for school, tax office, electricity)."
        ),
        "fields": [
            {
                "name": "years",
                "label_el": "Πόσα χρόνια κατοικεί μόνιμα στον δήμο;",
                "label_en": "For how many years has the person lived in the municipality?",
                "document_label_el": "Έτη κατοικίας στον δήμο",
                "document_label_en": "Years of residence in the municipality",
                "type": "number",
                "required": True,
            },
            PURPOSE,
        ],
        "document_fields": ["holder_father_name", "holder_address", "years"],
        "documents": [
            {
                "key": "utility_bill",
                "label_el": "Λογαριασμός ΔΕΚΟ ή μισθωτήριο",
                "label_en": "Utility bill or lease",
                "required": False,
            }
        ],
        "allow_family": False,
        "deadline_days": 3,
        "fee_amount": Decimal("0.00"),
        "template_el": (
            "Ο ${municipality} βεβαιώνει ότι ο/η ${holder_name} (πατρώνυμο: ${holder_father_name}) "
            "κατοικεί μόνιμα στη διεύθυνση ${holder_address}, εντός των ορίων του δήμου, εδώ και "
            "${years} έτη.\n\n"
            "Η βεβαίωση χορηγείται ύστερα από αίτηση του/της ενδιαφερομένου/ης "
            "για κάθε νόμιμη χρήση."
        ),
        "template_en": (
            "The ${municipality} certifies that ${holder_name}, child of ${holder_father_name}, "
            "has lived permanently at ${holder_address}, within the municipality, for ${years} "
            "years.\n\n"
            "This certificate is issued at the request of the person concerned for any lawful use."
        ),
    },
    {
        "code": "family-status",
        "order": 20,
        "name_el": "Πιστοποιητικό οικογενειακής κατάστασης",
        "name_en": "Family status certificate",
        "description_el": "Τα μέλη της οικογένειας όπως είναι γραμμένα στο δημοτολόγιο.",
        "description_en": "The members of the family as registered in the municipal registry.",
        "fields": [
            {
                "name": "registry_number",
                "label_el": "Αριθμός δημοτολογίου (μερίδα), αν τον γνωρίζετε",
                "label_en": "Municipal registry number, if you know it",
                "type": "text",
                "required": False,
            },
            PURPOSE,
        ],
        "document_fields": ["holder_father_name", "purpose"],
        "documents": [ID_COPY],
        "allow_family": True,
        "deadline_days": 2,
        "fee_amount": Decimal("0.00"),
        "template_el": (
            "Ο ${municipality} πιστοποιεί ότι ο/η ${holder_name} (πατρώνυμο: "
            "${holder_father_name}) είναι εγγεγραμμένος/η στο δημοτολόγιό του μαζί με τα μέλη "
            "της οικογένειας που αναγράφονται στη δημοτολογική μερίδα.\n\n"
            "Το πιστοποιητικό χορηγείται για: ${purpose}."
        ),
        "template_en": (
            "The ${municipality} certifies that ${holder_name}, child of ${holder_father_name}, is "
            "registered in its municipal registry with the family members listed in the "
            "registry entry.\n\nIssued for: ${purpose}."
        ),
    },
    {
        "code": "registry-extract",
        "order": 30,
        "name_el": "Απόσπασμα δημοτολογίου",
        "name_en": "Extract of the municipal registry",
        "description_el": "Απόσπασμα της εγγραφής σας στο δημοτολόγιο.",
        "description_en": "An extract of your entry in the municipal registry.",
        "fields": [PURPOSE],
        "document_fields": ["holder_father_name", "holder_birth_date"],
        "documents": [],
        "allow_family": True,
        "deadline_days": 2,
        "fee_amount": Decimal("0.00"),
        "template_el": (
            "Ο ${municipality} πιστοποιεί από το δημοτολόγιό του ότι ο/η ${holder_name} "
            "(πατρώνυμο: ${holder_father_name}), με ημερομηνία γέννησης ${holder_birth_date}, "
            "είναι εγγεγραμμένος/η δημότης."
        ),
        "template_en": (
            "Extract of the municipal registry of the ${municipality}: ${holder_name}, child of "
            "${holder_father_name}, born ${holder_birth_date}, is a registered citizen."
        ),
    },
    {
        "code": "birth-registration",
        "order": 40,
        "name_el": "Πιστοποιητικό γέννησης (ληξιαρχική πράξη)",
        "name_en": "Birth registration certificate",
        "description_el": "Αντίγραφο της ληξιαρχικής πράξης γέννησης που τηρεί ο δήμος.",
        "description_en": "A copy of the birth registration kept by the municipality.",
        "fields": [
            {
                "name": "birth_place",
                "label_el": "Πού γεννήθηκε (πόλη ή χωριό);",
                "label_en": "Where was the person born (town or village)?",
                "document_label_el": "Τόπος γέννησης",
                "document_label_en": "Place of birth",
                "type": "text",
                "required": True,
            },
            {
                "name": "mother_name",
                "label_el": "Όνομα της μητέρας",
                "label_en": "Mother's first name",
                "document_label_el": "Μητρώνυμο",
                "document_label_en": "Mother's name",
                "type": "text",
                "required": True,
            },
        ],
        "document_fields": [
            "holder_father_name",
            "mother_name",
            "holder_birth_date",
            "birth_place",
        ],
        "documents": [ID_COPY],
        "allow_family": True,
        "deadline_days": 3,
        "fee_amount": Decimal("0.00"),
        "template_el": (
            "Ο ${municipality} πιστοποιεί ότι στα ληξιαρχικά του βιβλία είναι καταχωρισμένη η "
            "γέννηση του/της ${holder_name} (πατρώνυμο: ${holder_father_name}, μητρώνυμο: "
            "${mother_name}) στις ${holder_birth_date}, τόπος γέννησης: ${birth_place}."
        ),
        "template_en": (
            "This is to certify that the registers of the ${municipality} record the birth of "
            "${holder_name}, child of ${holder_father_name} and ${mother_name}, on "
            "${holder_birth_date} at ${birth_place}."
        ),
    },
    {
        "code": "no-debt",
        "order": 50,
        "name_el": "Βεβαίωση μη οφειλής προς τον δήμο",
        "name_en": "Certificate of no debt to the municipality",
        "description_el": "Βεβαιώνει ότι δεν οφείλετε τέλη ή πρόστιμα στον δήμο.",
        "description_en": "States that you owe no fees or fines to the municipality.",
        "fields": [
            {
                "name": "tax_number",
                "label_el": "Αριθμός φορολογικού μητρώου (ΑΦΜ)",
                "label_en": "Tax identification number (AFM)",
                "document_label_el": "ΑΦΜ",
                "document_label_en": "Tax number (AFM)",
                "type": "text",
                "required": True,
            },
            {
                "name": "purpose",
                "label_el": "Για ποια χρήση χρειάζεται;",
                "label_en": "What is it needed for?",
                "document_label_el": "Χρήση",
                "document_label_en": "Purpose",
                "type": "choice",
                "required": True,
                "choices": [
                    {"value": "contract", "label_el": "Συμβόλαιο", "label_en": "Contract"},
                    {
                        "value": "tender",
                        "label_el": "Δημόσιος διαγωνισμός",
                        "label_en": "Public tender",
                    },
                    {"value": "other", "label_el": "Άλλο", "label_en": "Other"},
                ],
            },
        ],
        "document_fields": ["tax_number", "purpose"],
        "documents": [],
        "allow_family": False,
        "deadline_days": 5,
        "fee_amount": Decimal("2.00"),
        "template_el": (
            "Ο ${municipality} βεβαιώνει ότι ο/η ${holder_name} (ΑΦΜ ${tax_number}) δεν έχει "
            "ληξιπρόθεσμες οφειλές προς τον δήμο κατά την ημερομηνία έκδοσης.\n\n"
            "Χορηγείται για: ${purpose}."
        ),
        "template_en": (
            "This is to certify that ${holder_name} (tax number ${tax_number}) owes nothing "
            "overdue to the ${municipality} on the date of issue.\n\nIssued for: ${purpose}."
        ),
    },
]


@transaction.atomic
def seed_types() -> list[CertificateType]:
    types = []
    for spec in TYPES:
        defaults = {k: v for k, v in spec.items() if k != "code"}
        ctype, _created = CertificateType.objects.get_or_create(
            code=spec["code"], defaults=defaults
        )
        types.append(ctype)
    return types


def seed_requests() -> None:
    """A few requests of the demo resident: new, waiting, in review, issued, and a caller's."""
    from django.contrib.auth.models import Group

    from dimos.accounts.models import User
    from dimos.accounts.services import sync_roles
    from dimos.certificates import services

    sync_roles()
    resident = User.objects.filter(email="resident@demo.dimos.gr").first()
    clerk = User.objects.filter(email="clerk@demo.dimos.gr").first()
    admin = User.objects.filter(email="admin@demo.dimos.gr").first()
    issuer = demo_staff_member(*DEMO_ISSUER)
    if clerk is not None:
        clerk.groups.add(*Group.objects.filter(name__in=["certificates_clerk", "delivery_staff"]))
    if admin is not None:
        admin.groups.add(*Group.objects.filter(name__in=["certificates_issuer", "delivery_staff"]))
    _print_accounts()
    if CertificateRequest.objects.exists() or resident is None or clerk is None:
        return
    seed_types()
    types = {t.code: t for t in CertificateType.objects.all()}
    holder: dict[str, Any] = {
        "holder_name": resident.get_full_name() or "Μαρία Παπαδοπούλου",
        "holder_father_name": "Νικόλαος",
        "holder_birth_date": dt.date(1961, 3, 14),
        "holder_address": "Μεραρχίας 12, 621 22 Σέρρες",
    }
    services.submit_request(
        certificate_type=types["family-status"],
        applicant=resident,
        data={"purpose": "Επίδομα"},
        **holder,
    )
    waiting = services.submit_request(
        certificate_type=types["no-debt"],
        applicant=resident,
        data={"tax_number": "123456789", "purpose": "contract"},
        **holder,
    )
    services.ask_for_information(
        req=waiting,
        message="Παρακαλούμε επισυνάψτε αντίγραφο του εκκαθαριστικού του τελευταίου έτους.",
        actor=clerk,
    )
    review = services.submit_request(
        certificate_type=types["registry-extract"], applicant=resident, **holder
    )
    services.start_review(req=review, actor=clerk)
    issued = services.submit_request(
        certificate_type=types["permanent-residence"],
        applicant=resident,
        data={"years": 25, "purpose": "Εγγραφή στο σχολείο"},
        home_delivery=True,
        mobility_need=True,
        contact_phone="+30 6900000000",
        **holder,
    )
    services.approve(req=issued, actor=clerk)
    services.issue(req=issued, actor=issuer, code=DEMO_CODE)
    from dimos.certificates.models import Channel, IdentityCheck, IdentityDocument

    services.submit_request(
        certificate_type=types["permanent-residence"],
        applicant=None,
        holder_name="Κωνσταντίνος Γεωργίου",
        holder_father_name="Ιωάννης",
        holder_birth_date=dt.date(1938, 7, 2),
        holder_address="Εθνικής Αντιστάσεως 5, 621 23 Σέρρες",
        data={"years": 60},
        home_delivery=True,
        contact_phone="+30 2321000000",
        channel=Channel.PHONE,
        identity_check=IdentityCheck.CALLBACK,
        identity_notes="Επανάκληση στο τηλέφωνο του δημοτολογίου",
        identity_document=IdentityDocument.ID_CARD,
        identity_document_digits="4821",
        filed_by=clerk,
    )


def _print_accounts() -> None:
    role, email, password, *_rest = DEMO_ISSUER
    sys.stdout.write("Certificates demo accounts (email / password):\n")
    sys.stdout.write(f"  {role:<14} {email:<26} {password}   two-step code: dimos totp {email}\n")
    sys.stdout.write(
        "  (the clerk files and approves requests; another person issues them: four eyes)\n"
    )
