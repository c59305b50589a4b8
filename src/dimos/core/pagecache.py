"""Whole-page caching for anonymous visitors, compatible with CSP nonces.

A public page is the same for every anonymous visitor in a language and display setting,
except for its CSP nonce, which must be new on every response. The page is cached with the
nonce swapped for a placeholder, and each hit gets this request's nonce put back. Only pages
that set no cookie are cached, so no CSRF token or session ever lands in the cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from dimos.core.cached import Version

PLACEHOLDER = "__DIMOS_CSP_NONCE__"
# Content changes bump it: every cached page is a miss from then on.
VERSION = Version("pagecache")


def bump() -> None:
    """Invalidate every cached page (content they show has changed)."""
    VERSION.bump()


def _cacheable_request(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return (
        request.method in ("GET", "HEAD")
        and (user is None or not user.is_authenticated)
        and not request.headers.get("HX-Request")
        and len(get_messages(request)) == 0  # type: ignore[arg-type]
    )


def _key(request: HttpRequest, prefix: str, vary: str = "") -> str:
    parts = [
        prefix,
        VERSION(),
        translation.get_language() or "",
        request.COOKIES.get("dimos_a11y", ""),
        request.get_full_path(),
        vary,
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"dimos:page:{digest}"


def cache_anonymous_page(
    timeout: int = 60,
    prefix: str = "page",
    vary: Callable[[HttpRequest], str] | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Cache the view's page for anonymous visitors for ``timeout`` seconds.

    ``vary(request)`` names a state the page shows that changes by itself, with time (the
    home page's "live now" card): a new state is a new page, at once, whatever the timeout.
    It must be cheap: it runs on every request, hits included.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            key = _key(request, prefix, vary(request) if vary is not None else "")
            nonce = str(getattr(request, "csp_nonce", ""))
            hit = cache.get(key)
            if hit is not None:
                content, headers = hit
                response = HttpResponse(content.replace(PLACEHOLDER, nonce), headers=headers)
                response["X-Dimos-Cache"] = "hit"
                return response
            response = view(request, *args, **kwargs)
            if (
                response.status_code == 200
                and not response.streaming
                and not response.cookies
                and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
                and nonce
            ):
                body = response.content.decode(response.charset)
                headers = {
                    k: v
                    for k, v in response.items()
                    if k.lower() in {"content-type", "content-language"}
                }
                cache.set(key, (body.replace(nonce, PLACEHOLDER), headers), timeout)
            return response

        return wrapped

    return decorator
