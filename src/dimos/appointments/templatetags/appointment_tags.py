"""Template helpers of appointments: free times grouped by part of the day (a short grid on a
phone, not a long list) and the video-call link of a session."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import template
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

register = template.Library()


@dataclass(frozen=True)
class PartOfDay:
    key: str
    name: str | Promise
    hours: str | Promise
    until_hour: int  # the part holds times starting before this hour (local time)


PARTS = (
    PartOfDay("morning", pgettext_lazy("part of the day", "Morning"), _("until 12:00"), 12),
    PartOfDay("afternoon", pgettext_lazy("part of the day", "Afternoon"), _("12:00 to 17:00"), 17),
    PartOfDay("evening", pgettext_lazy("part of the day", "Evening"), _("from 17:00"), 24),
)


@register.filter
def parts_of_day(slots: Iterable[Any]) -> list[tuple[PartOfDay, list[Any]]]:
    """The slots (anything with ``starts_at``) under the part of the day they start in, in
    local time; parts without a free time are left out."""
    groups: dict[str, list[Any]] = {part.key: [] for part in PARTS}
    for slot in slots:
        hour = timezone.localtime(slot.starts_at).hour
        part = next(p for p in PARTS if hour < p.until_hour)
        groups[part.key].append(slot)
    return [(part, groups[part.key]) for part in PARTS if groups[part.key]]


@register.filter
def video_link(booking: Any) -> str:
    """The video-call address of a video session, "" when the counsellor sends one."""
    from dimos.appointments.selectors import video_call_link

    return video_call_link(booking)
