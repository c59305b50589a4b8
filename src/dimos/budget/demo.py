"""The demo open budget of Serres."""

from __future__ import annotations

from dimos.budget.kae import CLASSES_AND_GROUPS
from dimos.budget.models import Kae, direction_of, level_of, parent_code


def seed_kae() -> None:
    """The KAE classes and groups every municipality shares."""
    for code, (name_el, name_en) in CLASSES_AND_GROUPS.items():
        parent = Kae.objects.get(code=parent_code(code)) if parent_code(code) else None
        Kae.objects.update_or_create(
            code=code,
            defaults={
                "parent": parent,
                "level": level_of(code),
                "direction": direction_of(code),
                "name_el": name_el,
                "name_en": name_en,
            },
        )


def seed_budget() -> None:
    seed_kae()
