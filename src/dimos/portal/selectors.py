"""Reads for portal pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from dimos.core.registry import CatalogueEntry, Topic, registry
from dimos.core.text import fold
from dimos.portal.models import NewsItem


@dataclass(frozen=True)
class CatalogueItem:
    entry: CatalogueEntry
    url: str
    available: bool


def catalogue() -> list[tuple[Topic, list[CatalogueItem]]]:
    """The registered services, grouped by topic, with their links resolved."""
    out = []
    for topic, entries in registry.sorted_catalogue():
        items = []
        for entry in entries:
            try:
                url = reverse(entry.url_name)
            except NoReverseMatch:
                continue
            items.append(CatalogueItem(entry=entry, url=url, available=entry.available()))
        if items:
            out.append((topic, items))
    return out


def latest_news(limit: int) -> list[NewsItem]:
    return list(NewsItem.objects.published()[:limit])


def search(query: str) -> dict[str, Any]:
    """Services whose name, summary or keywords match, and published news that mention it."""
    needle = fold(query)
    services = [
        item
        for _topic, items in catalogue()
        for item in items
        if any(
            needle in fold(str(text))
            for text in (item.entry.name, item.entry.summary, item.entry.keywords)
        )
    ]
    words = Q()
    for field in ("title_el", "title_en", "summary_el", "summary_en", "body_el", "body_en"):
        words |= Q(**{f"{field}__icontains": query})
    news = list(NewsItem.objects.published().filter(words)[:20])
    return {"services": services, "news": news}
