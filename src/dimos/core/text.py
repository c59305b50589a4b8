"""Text helpers."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case and strip accents, so that "Βεβαίωση" matches "βεβαιωση"."""
    decomposed = unicodedata.normalize("NFD", str(text).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
