"""The demo council of Serres: the municipal council and its committee, the 2024–2028 term."""

from __future__ import annotations

from datetime import date

from dimos.council.models import LegislativeTerm, Organization, OrganizationKind


def seed_council() -> None:
    LegislativeTerm.objects.get_or_create(
        name_el="Δημοτική περίοδος 2024–2028",
        defaults={
            "name_en": "Municipal term 2024–2028",
            "start_date": date(2024, 1, 1),
            "end_date": date(2028, 12, 31),
        },
    )
    Organization.objects.get_or_create(
        slug="dimotiko-symvoulio",
        defaults={
            "kind": OrganizationKind.COUNCIL,
            "name_el": "Δημοτικό Συμβούλιο",
            "name_en": "Municipal Council",
            "order": 1,
        },
    )
