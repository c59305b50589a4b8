"""The API's rate limits: django-ninja's throttles, counted in fixed windows.

Ninja's own throttles keep every request's time of the last period in one cache entry and
rewrite it on each request: the work grows with the rate (600 a minute is a list of 600 floats
read, trimmed and written back per call) and two processes lose each other's writes. Here a
window opens with a client's first request and lasts the period; each request is one ``add``
and one ``incr`` (:func:`dimos.core.ratelimit.hit`), whatever the rate. A client may send up
to the limit in each window, so at most twice the limit across a window's edge.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import AnonRateThrottle, AuthRateThrottle, SimpleRateThrottle

from dimos.core.ratelimit import hit


class _FixedWindow(SimpleRateThrottle):
    _key: str | None = None

    def allow_request(self, request: HttpRequest) -> bool:
        if self.num_requests is None:  # no rate: no limit
            return True
        ident = self.get_cache_key(request)
        # Our own keys: ninja's lists, left in a shared cache by an older release, are not counts.
        key = self._key = None if ident is None else f"dimos:{ident}"
        if key is None:
            return True
        duration = int(self.duration or 1)
        used = hit(key, duration)
        if used == 1:
            cache.set(f"{key}:opened", time.time(), duration)
        return used <= self.num_requests

    def wait(self) -> float | None:
        """Seconds until the client's window closes (asked only when it is over the limit)."""
        opened = cache.get(f"{self._key}:opened") if self._key else None
        duration = float(self.duration or 1)
        if opened is None:
            return duration
        return max(0.0, duration - (time.time() - float(opened)))


class AnonThrottle(_FixedWindow, AnonRateThrottle):
    """Per client address, for calls without a token or session."""


class AuthThrottle(_FixedWindow, AuthRateThrottle):
    """Per token or person, for authenticated calls (per address without one)."""
