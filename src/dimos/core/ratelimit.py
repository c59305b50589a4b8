"""A fixed-window rate limit per person or client address, kept in the cache.

Rates are written ``count/period`` with the period ``s``, ``m``, ``h`` or ``d`` (``30/h``).
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

from dimos.core.audit import client_ip

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"30/h"`` → (30, 3600)."""
    count, _, period = rate.partition("/")
    return int(count), PERIODS.get(period.strip() or "h", 3600)


def over_limit(request: HttpRequest, scope: str, rate: str, *, by_address: bool = False) -> bool:
    """Count this request against ``scope``; True when it goes over ``rate``.

    Counted per logged-in person, else per client address; ``by_address`` counts per address
    always (public lookups, where an account is no reason to be allowed more).
    """
    allowed, seconds = parse_rate(rate)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and not by_address:
        who = f"user:{user.pk}"
    else:
        who = f"ip:{client_ip(request)}"
    return hit(f"dimos:rate:{scope}:{who}", seconds) > allowed


def hit(key: str, seconds: int) -> int:
    """Count one request in the window of ``key`` (opened by its first request, ``seconds``
    long); answers the count so far. One atomic ``incr`` in the cache while the window is open
    (``add`` opens it), whatever the rate."""
    try:
        return int(cache.incr(key))
    except ValueError:  # no window open yet (or it just closed)
        if cache.add(key, 1, seconds):
            return 1
    try:
        return int(cache.incr(key))  # another process opened it meanwhile
    except ValueError:
        cache.set(key, 1, seconds)
        return 1
