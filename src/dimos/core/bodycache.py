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


def cached_body(
    request: HttpRequest,
    key: str,
    build: Callable[[], tuple[bytes, str]],
    timeout: int,
) -> HttpResponse:
    """The answer under ``key``, built by ``build() -> (body, content_type)`` on a miss."""
    wants_gzip = bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))
    variant = f"{key}:{'gz' if wants_gzip else 'raw'}"
    hit = cache.get(variant)
    if hit is None:
        raw, content_type = build()
        plain = (raw, content_type, False)
        packed = plain
        if len(raw) >= MIN_GZIP_BYTES:
            packed = (gzip.compress(raw, compresslevel=6), content_type, True)
        cache.set_many({f"{key}:raw": plain, f"{key}:gz": packed}, timeout)
        hit = packed if wants_gzip else plain
    body, content_type, compressed = hit
    response = HttpResponse(body, content_type=content_type)
    if compressed:
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response
