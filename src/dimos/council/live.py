"""The meetings on now: the "live now" card on the council page and on the portal's home page.

A meeting is live from ``LIVE_BEFORE_MINUTES`` before its start until its end, unless it was
cancelled or deleted. The home page is cached, and must show the card at the right minute and
drop it at the right minute: :func:`home_card` keeps its answer in the cache only until the next
moment the answer can change (the next meeting's window opens, a live one ends), and a change
to any meeting clears it (:func:`forget`, connected to the meeting's ``post_save``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.utils import timezone

from dimos.core.cached import Version
from dimos.council.conf import conf
from dimos.council.models import Meeting, MeetingState

# A change to any meeting bumps it: the cached card is a miss from then on.
VERSION = Version("council-live")
# Never keep the answer longer than this, whatever the schedule says (a clock set wrong).
LONGEST_SECONDS = 600


def _window() -> timedelta:
    return timedelta(minutes=conf.LIVE_BEFORE_MINUTES)


def _candidates() -> Any:
    return (
        Meeting.objects.live()
        .exclude(state=MeetingState.CANCELLED)
        .select_related("organization", "location")
    )


def live_meetings(now: datetime | None = None) -> list[Meeting]:
    """The meetings on now (or about to start), the earliest first."""
    now = now or timezone.now()
    return list(_candidates().filter(start__lte=now + _window(), end__gt=now).order_by("start"))


def _next_change(now: datetime, live: list[Meeting]) -> datetime:
    """When the set of live meetings can change next: a live one ends, or another's window
    opens."""
    changes = [meeting.end for meeting in live]
    upcoming = (
        _candidates().filter(start__gt=now + _window()).order_by("start").values("start").first()
    )
    if upcoming is not None:
        changes.append(upcoming["start"] - _window())
    return min(changes, default=now + timedelta(seconds=LONGEST_SECONDS))


def home_card(request: HttpRequest | None = None) -> dict[str, Any]:
    """The answer of the home page's card, kept in the cache until it can change: the live
    meetings and ``stamp``, what the home page's cache varies on (``{}`` when none is live)."""
    key = f"dimos:council:live:{VERSION()}"
    answer = cache.get(key)
    if answer is None:
        now = timezone.now()
        meetings = live_meetings(now)
        answer = (
            {
                "meetings": meetings,
                "stamp": " ".join(f"{m.pk}@{m.modified.isoformat()}" for m in meetings),
            }
            if meetings
            else {}
        )
        seconds = (_next_change(now, meetings) - now).total_seconds()
        cache.set(key, answer, max(1, min(LONGEST_SECONDS, int(seconds))))
    return dict(answer)


def now_live() -> list[Meeting]:
    """The live meetings from the cached answer (no query while it holds)."""
    meetings: list[Meeting] = home_card().get("meetings", [])
    return meetings


def forget(**kwargs: Any) -> None:
    """A meeting was saved: the cached card may be wrong now."""
    VERSION.changed()


def connect() -> None:
    """Forget the cached card whenever a meeting changes (the app's ``ready()``)."""
    post_save.connect(forget, sender=Meeting, dispatch_uid="dimos.council.live")
    post_delete.connect(forget, sender=Meeting, dispatch_uid="dimos.council.live-")
