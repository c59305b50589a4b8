"""Data that browser tests start from."""

from __future__ import annotations


def seed(*, emergency: bool = False) -> None:
    """The demo municipality and news; with ``emergency``, its red announcement banner too."""
    from django.core.cache import cache

    from dimos.core.demo import seed_municipality
    from dimos.portal.demo import seed_news

    municipality = seed_municipality()
    seed_news()
    if emergency:
        municipality.emergency_message_el = "Διακοπή νερού στο κέντρο έως τις 14:00."
        municipality.emergency_message_en = "No water in the town centre until 14:00."
        municipality.save()
    cache.clear()  # the municipality profile is cached
