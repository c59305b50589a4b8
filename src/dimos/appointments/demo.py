"""Demo data: two KEP centres in Serres, a few services, and a counselling service with staff."""

from __future__ import annotations

import sys
from datetime import time

from django.db import transaction

from dimos.accounts.demo import demo_staff_member
from dimos.appointments.models import Centre, Desk, Mode, OpeningHours, ServiceType

# (role, email, password, first name, last name, groups, TOTP secret) — printed by `dimos demo`.
DEMO_STAFF = (
    (
        "counsellor",
        "counsellor@demo.dimos.gr",
        "demo-counsellor-2026",
        "Σοφία",
        "Αθανασίου",
        ("counsellor",),
        "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U",
    ),
    (
        "supervisor",
        "supervisor@demo.dimos.gr",
        "demo-supervisor-2026",
        "Νίκος",
        "Δημητρίου",
        ("counselling_supervisor",),
        "OVRHK3TQMFWGS3DFNVXW4ZLTORSXG5DF",
    ),
)

CENTRES = (
    (
        "kep-serres",
        "ΚΕΠ Δήμου Σερρών",
        "KEP of the Municipality of Serres",
        "Μεραρχίας 40, 621 22 Σέρρες",
        "40 Merarchias St, 621 22 Serres",
        41.0913,
        23.5486,
        "2321350100",
        3,
    ),
    (
        "kep-lefkonas",
        "ΚΕΠ Λευκώνα",
        "KEP of Lefkonas",
        "Πλατεία Λευκώνα, 621 25 Λευκώνας",
        "Lefkonas Square, 621 25 Lefkonas",
        41.1005,
        23.4986,
        "2321067300",
        1,
    ),
)

SERVICES = (
    (
        "certificates",
        "Έκδοση πιστοποιητικών",
        "Certificates",
        "Πιστοποιητικά δημοτολογίου, οικογενειακής κατάστασης, γέννησης.",
        "Civil registry, family status and birth certificates.",
        "Αστυνομική ταυτότητα ή διαβατήριο.",
        "Identity card or passport.",
        15,
        5,
    ),
    (
        "signature",
        "Βεβαίωση γνησίου υπογραφής",
        "Certifying a signature",
        "Βεβαίωση γνησίου υπογραφής και εξουσιοδοτήσεις.",
        "Certifying a signature, and authorisations.",
        "Αστυνομική ταυτότητα και το έγγραφο προς υπογραφή (μη υπογεγραμμένο).",
        "Identity card and the document to sign (not signed yet).",
        10,
        0,
    ),
    (
        "registry-change",
        "Μεταβολές δημοτολογίου",
        "Changes to the civil registry",
        "Μεταδημότευση, εγγραφή τέκνου, διόρθωση στοιχείων.",
        "Moving your registration, registering a child, correcting details.",
        "Αστυνομική ταυτότητα, ΑΦΜ, τα σχετικά δικαιολογητικά.",
        "Identity card, tax number, the supporting documents.",
        30,
        0,
    ),
)

COUNSELLING = [
    ("counselling", Mode.VIDEO, "με βιντεοκλήση", "by video call"),
    ("counselling-in-person", Mode.IN_PERSON, "δια ζώσης", "in person"),
    ("counselling-phone", Mode.PHONE, "τηλεφωνικά", "by phone"),
]


@transaction.atomic
def seed() -> None:
    from django.contrib.auth.models import Group

    from dimos.accounts.models import User
    from dimos.accounts.services import sync_roles

    sync_roles()
    services = {}
    for slug, n_el, n_en, d_el, d_en, doc_el, doc_en, minutes, buffer in SERVICES:
        services[slug], _ = ServiceType.objects.get_or_create(
            slug=slug,
            defaults={
                "name_el": n_el,
                "name_en": n_en,
                "description_el": d_el,
                "description_en": d_en,
                "documents_el": doc_el,
                "documents_en": doc_en,
                "duration_minutes": minutes,
                "buffer_minutes": buffer,
                "min_notice_hours": 2,
                "max_days_ahead": 30,
                "change_deadline_hours": 12,
            },
        )
    for slug, n_el, n_en, a_el, a_en, lat, lon, phone, desks in CENTRES:
        centre, created = Centre.objects.get_or_create(
            slug=slug,
            defaults={
                "name_el": n_el,
                "name_en": n_en,
                "address_el": a_el,
                "address_en": a_en,
                "lat": lat,
                "lon": lon,
                "phone": phone,
            },
        )
        if not created:
            continue
        for weekday in range(5):
            OpeningHours.objects.create(
                centre=centre, weekday=weekday, opens=time(8), closes=time(15)
            )
        if desks > 1:
            for weekday in (1, 3):
                OpeningHours.objects.create(
                    centre=centre, weekday=weekday, opens=time(17), closes=time(19)
                )
        for n in range(1, desks + 1):
            desk = Desk.objects.create(centre=centre, name=f"Γκισέ {n}")
            wanted = list(services.values()) if n < 3 else [services["registry-change"]]
            desk.services.set(wanted)

    counsellor, supervisor = (demo_staff_member(*row) for row in DEMO_STAFF)
    # One session, three ways, as the service card promises: by video, in person, by phone.
    sessions = []
    for slug, mode, how_el, how_en in COUNSELLING:
        support, _ = ServiceType.objects.get_or_create(
            slug=slug,
            defaults={
                # The same name: the pages show the way (mode) beside it.
                "name_el": "Συνεδρία ψυχολογικής υποστήριξης",
                "name_en": "Psychological support session",
                "description_el": f"Εμπιστευτική συνεδρία με ψυχολόγο του Δήμου, {how_el}.",
                "description_en": f"A confidential session with a municipal counsellor, {how_en}.",
                "mode": mode,
                "duration_minutes": 50,
                "buffer_minutes": 10,
                "min_notice_hours": 12,
                "max_days_ahead": 21,
                "change_deadline_hours": 24,
                "is_confidential": True,
            },
        )
        support.supervisors.add(supervisor)
        sessions.append(support)
    office, created = Centre.objects.get_or_create(
        slug="community-centre",
        defaults={
            "name_el": "Κέντρο Κοινότητας Δήμου Σερρών",
            "name_en": "Community Centre of Serres",
            "address_el": "Κωνσταντινουπόλεως 5, 621 22 Σέρρες",
            "address_en": "5 Konstantinoupoleos St, 621 22 Serres",
            "lat": 41.0881,
            "lon": 23.5466,
            "phone": "2321350500",
        },
    )
    if created:
        for weekday in range(5):
            OpeningHours.objects.create(
                centre=office, weekday=weekday, opens=time(9), closes=time(14)
            )
        Desk.objects.create(centre=office, name="Ψυχολόγος 1", staff=counsellor)
    for desk in Desk.objects.filter(centre=office, staff=counsellor):
        desk.services.add(*sessions)
    clerk = User.objects.filter(email="clerk@demo.dimos.gr").first()
    if clerk is not None:
        clerk.groups.add(*Group.objects.filter(name="kep_clerk"))
        # The demo clerk works at every KEP (not at the community centre's counselling).
        for centre in Centre.objects.filter(slug__in=[row[0] for row in CENTRES]):
            centre.clerks.add(clerk)
    sys.stdout.write("Appointments demo accounts (email / password):\n")
    for role, email, password, *_rest in DEMO_STAFF:
        sys.stdout.write(
            f"  {role:<14} {email:<26} {password}   two-step code: dimos totp {email}\n"
        )
