"""The "live now" card, on the council page and the portal's home page (cached), and the
iCalendar feeds."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from dimos.council import live
from dimos.council.models import Meeting, MeetingState
from dimos.council.tests import visitor_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_body(municipality: Any) -> Any:
    return visitor_data.body()


def _home(client: Client) -> str:
    return client.get("/").content.decode()


def test_card_shows_from_ten_minutes_before_the_start(client: Client, live_body: Any) -> None:
    visitor_data.meeting(live_body, 1, timezone.now() + timedelta(minutes=9))
    assert "Σε εξέλιξη τώρα" in _home(client)
    assert "Σε εξέλιξη τώρα" in client.get("/council/").content.decode()


def test_no_card_earlier_or_for_a_cancelled_meeting(client: Client, live_body: Any) -> None:
    visitor_data.meeting(live_body, 1, timezone.now() + timedelta(minutes=12))
    visitor_data.meeting(
        live_body,
        2,
        timezone.now() - timedelta(minutes=5),
        state=MeetingState.CANCELLED,
        cancel_reason="Αναβολή.",
    )
    assert "Σε εξέλιξη τώρα" not in _home(client)
    assert "Σε εξέλιξη τώρα" not in client.get("/council/").content.decode()


def test_cached_home_shows_the_card_when_the_window_opens(
    client: Client, live_body: Any, monkeypatch: Any
) -> None:
    meeting = visitor_data.meeting(live_body, 1, timezone.now() + timedelta(minutes=12))
    timeouts: list[int] = []
    real_set = cache.set

    def spy(key: str, value: Any, timeout: Any = None, **kwargs: Any) -> Any:
        if key.startswith("dimos:council:live:"):
            timeouts.append(timeout)
        return real_set(key, value, timeout, **kwargs)

    monkeypatch.setattr(live.cache, "set", spy)
    assert "Σε εξέλιξη τώρα" not in _home(client)
    # The answer is kept only until the window opens, two minutes from now.
    assert 100 <= timeouts[-1] <= 120
    # Two minutes later the cached answer has expired; the page cache must not hide the card.
    later = timezone.now() + timedelta(minutes=3)
    monkeypatch.setattr(live.timezone, "now", lambda: later)
    cache.delete(f"dimos:council:live:{live.VERSION()}")
    assert meeting.get_absolute_url() in _home(client)


def test_cached_home_drops_the_card_when_the_meeting_ends(
    client: Client, live_body: Any, monkeypatch: Any
) -> None:
    meeting = visitor_data.meeting(
        live_body, 1, timezone.now() - timedelta(hours=1), end=timezone.now() + timedelta(minutes=1)
    )
    assert meeting.get_absolute_url() in _home(client)
    later = timezone.now() + timedelta(minutes=2)
    monkeypatch.setattr(live.timezone, "now", lambda: later)
    cache.delete(f"dimos:council:live:{live.VERSION()}")
    assert meeting.get_absolute_url() not in _home(client)


def test_a_meeting_moved_into_the_window_shows_at_once(client: Client, live_body: Any) -> None:
    meeting = visitor_data.meeting(live_body, 1, timezone.now() + timedelta(days=1))
    assert meeting.get_absolute_url() not in _home(client)
    meeting.start = timezone.now() + timedelta(minutes=5)
    meeting.end = meeting.start + timedelta(hours=2)
    meeting.save()
    assert meeting.get_absolute_url() in _home(client)


def test_cached_home_with_a_live_card_makes_no_query(client: Client, live_body: Any) -> None:
    visitor_data.meeting(live_body, 1, timezone.now() - timedelta(minutes=5))
    _home(client)
    with CaptureQueriesContext(connection) as queries:
        assert "Σε εξέλιξη τώρα" in _home(client)
    assert queries.captured_queries == []


def _events(client: Client, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def test_feed_marks_cancelled_meetings_and_keeps_uids(client: Client, live_body: Any) -> None:
    meeting = visitor_data.meeting(live_body, 1, timezone.now() + timedelta(days=3))
    first = _events(client, "/council/bodies/dimotiko-symvoulio/calendar.ics")
    (uid,) = first
    assert str(first[uid]["status"]) == "CONFIRMED"
    Meeting.objects.filter(pk=meeting.pk).update(
        state=MeetingState.CANCELLED,
        cancel_reason="Αναβολή.",
        modified=timezone.now() + timedelta(seconds=5),
    )
    second = _events(client, "/council/calendar.ics")
    assert list(second) == [uid]
    assert str(second[uid]["status"]) == "CANCELLED"
    assert int(second[uid]["sequence"]) > int(first[uid]["sequence"])


def test_feed_leaves_out_deleted_meetings_and_other_bodies(client: Client, live_body: Any) -> None:
    other = visitor_data.body(
        "oikonomiki-epitropi", name_el="Δημοτική Επιτροπή", kind="municipal_committee"
    )
    visitor_data.meeting(other, 1, timezone.now() + timedelta(days=3))
    gone = visitor_data.meeting(live_body, 2, timezone.now() + timedelta(days=4))
    gone.soft_delete()
    assert _events(client, "/council/bodies/dimotiko-symvoulio/calendar.ics") == {}
    assert len(_events(client, "/council/calendar.ics")) == 1
