"""Reads of core data for other apps."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save

from dimos.core import geo
from dimos.core.models import District, Municipality, Notification

_CACHE_KEY = "dimos:municipality:v1"


def current_municipality() -> Municipality | None:
    """The municipality profile, cached (it changes rarely; saves clear the cache)."""
    cached = cache.get(_CACHE_KEY)
    if cached is None:
        cached = Municipality.current() or False
        cache.set(_CACHE_KEY, cached, 300)
    return cached or None


def _clear(**kwargs: object) -> None:
    cache.delete(_CACHE_KEY)


# Cache invalidation is the one use of signals the style guide allows.
post_save.connect(_clear, sender=Municipality, dispatch_uid="municipality-cache-save")
post_delete.connect(_clear, sender=Municipality, dispatch_uid="municipality-cache-delete")


def _unread_key(user_id: int) -> str:
    return f"dimos:unread:{user_id}"


def unread_count(user_id: int) -> int:
    """The person's unread notifications (the inbox badge on every page), cached until one of
    their notifications changes, and at most a minute (a bulk mark-read clears it too)."""
    key = _unread_key(user_id)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()
        cache.set(key, count, 60)
    return int(count)


def unread_changed(user_id: int | None) -> None:
    if user_id is not None:
        cache.delete(_unread_key(user_id))


def _notification_changed(instance: Notification, **kwargs: object) -> None:
    unread_changed(instance.recipient_id)


post_save.connect(_notification_changed, sender=Notification, dispatch_uid="unread-cache-save")
post_delete.connect(_notification_changed, sender=Notification, dispatch_uid="unread-cache-delete")


@dataclass(frozen=True)
class Location:
    """Where a point falls: inside the municipality or not, and in which district."""

    lat: float
    lon: float
    inside: bool
    district: District | None


def locate(lat: float, lon: float) -> Location:
    """Place a WGS84 point in the municipality and its districts.

    With no boundary configured every valid point counts as inside.
    """
    municipality = current_municipality()
    inside = True
    if municipality is not None and municipality.boundary:
        inside = geo.contains(municipality.boundary, lat, lon)
    district = None
    if inside:
        candidates = District.objects.filter(
            min_lat__lte=lat, max_lat__gte=lat, min_lon__lte=lon, max_lon__gte=lon
        )
        district = next((d for d in candidates if geo.contains(d.boundary, lat, lon)), None)
    return Location(lat=lat, lon=lon, inside=inside, district=district)


def districts() -> QuerySet[District]:
    """The municipality's districts, by name."""
    return District.objects.order_by("name_el")
