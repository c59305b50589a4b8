"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from dimos.core.selectors import current_municipality, unread_count

A11Y_OPTIONS = {"dimos-large-text", "dimos-high-contrast", "dimos-dyslexia"}


def municipality(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)

    def unread() -> int:
        if user is None or not user.is_authenticated:
            return 0
        return unread_count(user.pk)

    a11y = request.COOKIES.get("dimos_a11y", "")
    return {
        "municipality": current_municipality(),
        "a11y_classes": " ".join(c for c in a11y.split(".") if c in A11Y_OPTIONS),
        # Lazy: counted only on pages that show the inbox badge.
        "unread_notifications": SimpleLazyObject(unread),
    }
