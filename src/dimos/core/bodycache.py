"""Responses cached as the bytes sent: plain and gzip-compressed.

For public API answers that many clients ask again and again (Open311 listings, the map's
clusters). The caller names the answer with a key that changes when the data does; a hit
costs one cache lookup and no encoding, and clients that accept gzip get the compressed
bytes (a tenth of the size for JSON and XML), compressed once per cache fill.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile

ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
# Below this, compressing saves less than it costs.
MIN_GZIP_BYTES = 1024
# One rebuild at a time per answer; after this a rebuild that died is tried again.
REFRESH_LOCK_SECONDS = 60


def store(
    key: str,
    raw: bytes,
    content_type: str,
    timeout: int,
    *,
    stale_key: str = "",
    stale_seconds: int = 0,
) -> None:
    """Keep an answer under ``key`` (and under ``stale_key``, the last good one), both forms."""
    plain = (raw, content_type, False)
    packed = plain
    if len(raw) >= MIN_GZIP_BYTES:
        packed = (gzip.compress(raw, compresslevel=6), content_type, True)
    entries = {f"{key}:raw": plain, f"{key}:gz": packed}
    cache.set_many(entries, timeout)
    if stale_key:
        cache.set_many({f"{stale_key}:raw": plain, f"{stale_key}:gz": packed}, stale_seconds)


def cached_body(
    request: HttpRequest,
    key: str,
    build: Callable[[], tuple[bytes, str]],
    timeout: int,
    *,
    stale_key: str = "",
    stale_seconds: int = 0,
    refresh: Callable[[], None] | None = None,
) -> HttpResponse:
    """The answer under ``key``, built by ``build() -> (body, content_type)`` on a miss.

    With ``stale_key`` and ``refresh``: on a miss, the last good answer to the same question
    (kept ``stale_seconds``) is sent at once and ``refresh()`` is called, once, to rebuild it
    in the background (stale-while-revalidate), so no visitor waits for a slow rebuild after
    each change. Without a last good answer, the answer is built while the visitor waits.
    """
    wants_gzip = bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))
    variant = "gz" if wants_gzip else "raw"
    hit = cache.get(f"{key}:{variant}")
    state = "hit"
    if hit is None and stale_key and refresh is not None:
        hit = cache.get(f"{stale_key}:{variant}")
        if hit is not None:
            state = "stale"
            if cache.add(f"{key}:refreshing", 1, REFRESH_LOCK_SECONDS):
                refresh()
    if hit is None:
        raw, content_type = build()
        store(key, raw, content_type, timeout, stale_key=stale_key, stale_seconds=stale_seconds)
        hit = cache.get(f"{key}:{variant}") or (raw, content_type, False)
        state = "miss"
    body, content_type, compressed = hit
    response = HttpResponse(body, content_type=content_type)
    if compressed:
        response["Content-Encoding"] = "gzip"
    response["X-Dimos-Cache"] = state
    patch_vary_headers(response, ["Accept-Encoding"])
    return response
