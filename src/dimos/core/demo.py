"""Demo data of the core: the Municipality of Serres and its districts.

Idempotent: existing rows are left as they are, so re-running ``dimos demo`` keeps data.
"""

from __future__ import annotations

from django.db import transaction

from dimos.core.models import District, Municipality

CENTRE = (23.55, 41.09)
# An octagon around Serres (longitude, latitude), closed.
OCTAGON = [
    (23.47, 41.09),
    (23.49, 41.14),
    (23.55, 41.16),
    (23.62, 41.14),
    (23.65, 41.09),
    (23.62, 41.04),
    (23.55, 41.02),
    (23.49, 41.04),
]
# The town of Serres in the middle (the octagon shrunk to a third, about 5 km across), and
# the villages around it, each a sector of the ring between the town and the boundary, roughly
# where they lie: Lefkonas to the west, Elaionas up the hill to the north, Oinousa to the east,
# Kato Kamila to the south.
TOWN_SCALE = 0.3
DISTRICTS = [
    # code, Greek, English, octagon vertex indexes (consecutive) bounding the sector, or None
    ("serres", "Σέρρες", "Serres", None),
    ("lefkonas", "Λευκώνας", "Lefkonas", (7, 0, 1)),
    ("elaionas", "Ελαιώνας", "Elaionas", (1, 2, 3)),
    ("oinousa", "Οινούσα", "Oinousa", (3, 4, 5)),
    ("kato-kamila", "Κάτω Καμήλα", "Kato Kamila", (5, 6, 7)),
]


def _town(point: tuple[float, float]) -> tuple[float, float]:
    """A vertex of the boundary, pulled towards the centre onto the town's edge."""
    lon, lat = point
    return (
        round(CENTRE[0] + TOWN_SCALE * (lon - CENTRE[0]), 4),
        round(CENTRE[1] + TOWN_SCALE * (lat - CENTRE[1]), 4),
    )


def district_outline(vertices: tuple[int, int, int] | None) -> list[tuple[float, float]]:
    """The town (``None``), or the ring sector between the town and three boundary vertices."""
    if vertices is None:
        return [_town(p) for p in OCTAGON]
    outer = [OCTAGON[i] for i in vertices]
    return [*outer, *(_town(p) for p in reversed(outer))]


def _ring(points: list[tuple[float, float]]) -> list[list[float]]:
    return [[lon, lat] for lon, lat in [*points, points[0]]]


@transaction.atomic
def seed_municipality() -> Municipality:
    municipality, _created = Municipality.objects.get_or_create(
        slug="serres",
        defaults={
            "name_el": "Δήμος Σερρών",
            "name_en": "Municipality of Serres",
            "address_el": "Κωνσταντίνου Καραμανλή 1, 621 22 Σέρρες",
            "address_en": "1 Konstantinou Karamanli St, 621 22 Serres, Greece",
            "phone": "+30 23213 50100",
            "email": "info@serres.gr",
            "website": "https://www.serres.gr",
            "boundary": {"type": "Polygon", "coordinates": [_ring(OCTAGON)]},
        },
    )
    for code, name_el, name_en, vertices in DISTRICTS:
        District.objects.get_or_create(
            municipality=municipality,
            code=code,
            defaults={
                "name_el": name_el,
                "name_en": name_en,
                "boundary": {"type": "Polygon", "coordinates": [_ring(district_outline(vertices))]},
            },
        )
    return municipality
