"""Template filters of the council's pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def timecode(seconds: int | None) -> str:
    """Seconds into a recording as it is read: ``5025`` → ``1:23:45``, ``95`` → ``1:35``."""
    if seconds is None:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
