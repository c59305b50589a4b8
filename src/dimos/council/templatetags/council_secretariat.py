"""The secretariat's template filters: a time in the recording written like 1:23:45."""

from __future__ import annotations

from django import template

from dimos.council.services import format_timecode

register = template.Library()


@register.filter
def timecode(seconds: int | None) -> str:
    return format_timecode(seconds)
