"""Demo news for the portal (idempotent)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from dimos.portal.models import NewsItem

NEWS = [
    {
        "slug": "online-services-launch",
        "kind": NewsItem.Kind.NEWS,
        "title_el": "Οι υπηρεσίες του Δήμου, τώρα online",
        "title_en": "The municipality's services, now online",
        "summary_el": "Κάντε τις συναλλαγές σας με τον Δήμο από το σπίτι, χωρίς ουρές.",
        "summary_en": "Deal with the municipality from home, without queues.",
        "body_el": (
            "Ο Δήμος ανοίγει τη νέα του πύλη ηλεκτρονικών υπηρεσιών. Με έναν λογαριασμό{eid}, "
            "μπορείτε να:\n\n"
            "- ζητάτε βεβαιώσεις και πιστοποιητικά,\n"
            "- κλείνετε ραντεβού στα ΚΕΠ,\n"
            "- αναφέρετε προβλήματα στη γειτονιά σας και να παρακολουθείτε την επίλυσή τους.\n\n"
            "Όσοι δεν μπορούν να χρησιμοποιήσουν το διαδίκτυο εξυπηρετούνται τηλεφωνικά."
        ),
        "body_en": (
            "The municipality opens its new e-services portal. With one account{eid}, you can:\n\n"
            "- request certificates,\n"
            "- book appointments at citizen service centres (KEP),\n"
            "- report problems in your neighbourhood and follow how they are fixed.\n\n"
            "People who cannot use the internet are served by phone."
        ),
        "days_ago": 1,
    },
    {
        "slug": "water-works-announcement",
        "kind": NewsItem.Kind.ANNOUNCEMENT,
        "title_el": "Διακοπή υδροδότησης λόγω εργασιών",
        "title_en": "Water supply interruption for works",
        "summary_el": "Την Τρίτη 09:00–14:00 στην περιοχή του κέντρου.",
        "summary_en": "On Tuesday 09:00–14:00 in the town centre.",
        "body_el": (
            "Λόγω εργασιών αντικατάστασης αγωγού, την **Τρίτη από 09:00 έως 14:00** θα "
            "διακοπεί η υδροδότηση στις οδούς Μεραρχίας και Βενιζέλου. Ευχαριστούμε για την "
            "κατανόηση."
        ),
        "body_en": (
            "Because a water main is being replaced, the water supply will be interrupted on "
            "**Tuesday from 09:00 to 14:00** on Merarchias and Venizelou streets. Thank you for "
            "your understanding."
        ),
        "days_ago": 3,
    },
    {
        "slug": "council-meeting-live",
        "kind": NewsItem.Kind.NEWS,
        "title_el": "Ζωντανά η συνεδρίαση του Δημοτικού Συμβουλίου",
        "title_en": "City council meeting streamed live",
        "summary_el": "Παρακολουθήστε ζωντανά και σε μαγνητοσκόπηση.",
        "summary_en": "Watch it live and as a recording.",
        "body_el": (
            "Η επόμενη συνεδρίαση του Δημοτικού Συμβουλίου μεταδίδεται ζωντανά. Η ημερήσια "
            "διάταξη και τα πρακτικά δημοσιεύονται στην πύλη."
        ),
        "body_en": (
            "The next meeting of the city council is streamed live. The agenda and the minutes "
            "are published on the portal."
        ),
        "days_ago": 6,
    },
]


# The national eID is promised only where a gateway is configured (settings OIDC_CLIENT_ID …).
EID_PHRASE = {
    "el": ", ή με τους κωδικούς **gov.gr (TaxisNet)**",
    "en": ", or with your **gov.gr (TaxisNet)** credentials",
}


def seed_news() -> None:
    from dimos.accounts.selectors import eid_configured

    now = timezone.now()
    with_eid = eid_configured()
    for item in NEWS:
        data = dict(item)
        for lang in ("el", "en"):
            body = str(data[f"body_{lang}"])
            data[f"body_{lang}"] = body.replace("{eid}", EID_PHRASE[lang] if with_eid else "")
        days_ago = int(data.pop("days_ago"))  # type: ignore[call-overload]
        NewsItem.objects.get_or_create(
            slug=data["slug"],
            defaults={**data, "is_published": True, "published_at": now - timedelta(days=days_ago)},
        )
