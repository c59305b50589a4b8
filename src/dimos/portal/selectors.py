"""Reads for portal pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import InvalidCacheBackendError, caches
from django.core.cache.utils import make_template_fragment_key
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from dimos.core import pagecache
from dimos.core.models import Municipality
from dimos.core.registry import CatalogueEntry, Satisfaction, Topic, registry, service_satisfaction
from dimos.core.text import fold
from dimos.portal import emergency
from dimos.portal.models import NewsItem

# The {% cache %} fragment of portal/home.html: the hero, the catalogue and the latest news.
HOME_FRAGMENT = "portal_home"


@dataclass(frozen=True)
class CatalogueItem:
    entry: CatalogueEntry
    url: str
    available: bool
    # The service's satisfaction (its ratings, through the registry), when it has any.
    satisfaction: Satisfaction | None = None


# The first group of the catalogue during a stay-at-home emergency.
EMERGENCY_TOPIC = Topic(key="emergency", title=_("Help while you stay at home"), order=0)


def catalogue() -> list[tuple[Topic, list[CatalogueItem]]]:
    """The registered services, grouped by topic, with their links resolved; during a
    stay-at-home emergency the services marked ``emergency`` come first, in a group of their
    own."""
    out = _catalogue()
    if emergency.current() is None:
        return out
    first = [item for _topic, items in out for item in items if item.entry.emergency]
    if not first:
        return out
    rest = [(t, [i for i in items if not i.entry.emergency]) for t, items in out]
    return [(EMERGENCY_TOPIC, first), *((t, items) for t, items in rest if items)]


def emergency_services() -> list[CatalogueItem]:
    """The services the stay-at-home banner leads to."""
    return [item for _topic, items in _catalogue() for item in items if item.entry.emergency]


def _catalogue() -> list[tuple[Topic, list[CatalogueItem]]]:
    out = []
    scores = service_satisfaction()
    for topic, entries in registry.sorted_catalogue():
        items = []
        for entry in entries:
            try:
                url = reverse(entry.url_name)
            except NoReverseMatch:
                continue
            items.append(
                CatalogueItem(
                    entry=entry,
                    url=url,
                    available=entry.available(),
                    satisfaction=scores.get(entry.key),
                )
            )
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


def clear_home_cache(**kwargs: object) -> None:
    """Drop the cached home page content in every language.

    With the per-process memory cache other processes keep their copy until it expires
    (60 seconds); a shared cache (CACHE_URL=redis://…) is cleared for all of them.
    """
    try:
        fragments = caches["template_fragments"]  # where {% cache %} looks first
    except InvalidCacheBackendError:
        fragments = caches["default"]
    pagecache.bump()
    fragments.delete_many(
        [make_template_fragment_key(HOME_FRAGMENT, [code]) for code, _name in settings.LANGUAGES]
    )


# Cache invalidation is the one use of signals the style guide allows.
for _model in (NewsItem, Municipality):
    _label = _model._meta.label_lower
    post_save.connect(clear_home_cache, sender=_model, dispatch_uid=f"home-cache-save-{_label}")
    post_delete.connect(clear_home_cache, sender=_model, dispatch_uid=f"home-cache-del-{_label}")
