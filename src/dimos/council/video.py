"""Council videos: where a recording or a live stream may be embedded from, and how.

A meeting's ``recording_url`` and ``stream_url`` are what the secretariat pastes: a YouTube
address (``youtube.com/watch?v=…``, ``youtu.be/…``, ``youtube.com/live/…``) or an address on one
of the configured providers (``DIMOS_COUNCIL_VIDEO_ORIGINS``). YouTube is always embedded from
``www.youtube-nocookie.com``. The page loads the player only after the visitor clicks the
preview; until then no request leaves for the provider (the CSP's ``frame-src`` lists only the
origins here, and only on the pages that embed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dimos.core.workflow import Refused
from dimos.council.conf import conf
from dimos.council.models import CouncilFile, Meeting

YOUTUBE_EMBED = "https://www.youtube-nocookie.com"
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"}
_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")


@dataclass(frozen=True)
class Video:
    """A video the page can embed: the player's address and the direct link to the provider."""

    embed_url: str
    watch_url: str
    provider: str

    def at(self, seconds: int | None) -> Video:
        """The same video starting at ``seconds`` (an agenda item's time-code)."""
        if not seconds:
            return self
        joiner = "&" if "?" in self.embed_url else "?"
        watch_joiner = "&" if "?" in self.watch_url else "?"
        if self.provider == "youtube":
            return Video(
                f"{self.embed_url}{joiner}start={seconds}&autoplay=1",
                f"{self.watch_url}{watch_joiner}t={seconds}s",
                self.provider,
            )
        return Video(
            f"{self.embed_url}#t={seconds}", f"{self.watch_url}#t={seconds}", self.provider
        )


def configured_origins() -> list[str]:
    """The other providers' origins (``https://host``) allowed besides YouTube."""
    return [o.strip().rstrip("/") for o in conf.VIDEO_ORIGINS.split(",") if o.strip()]


def frame_origins() -> list[str]:
    """What the CSP's ``frame-src`` lists on a page that embeds a council video."""
    return [YOUTUBE_EMBED, *configured_origins()]


def youtube_id(url: str) -> str:
    """The video id of a YouTube address, or "" when it is not one."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.hostname not in _YOUTUBE_HOSTS:
        return ""
    if parts.hostname == "youtu.be":
        candidate = parts.path.strip("/")
    elif parts.path == "/watch":
        candidate = parse_qs(parts.query).get("v", [""])[0]
    else:
        match = re.match(r"^/(?:live|embed|shorts)/([^/]+)", parts.path)
        candidate = match.group(1) if match else ""
    return candidate if _VIDEO_ID.fullmatch(candidate) else ""


def video_of(url: str) -> Video | None:
    """How to embed ``url``, or None when it is neither YouTube nor a configured provider."""
    if not url:
        return None
    video = youtube_id(url)
    if video:
        query = urlencode({"rel": 0})
        return Video(
            f"{YOUTUBE_EMBED}/embed/{video}?{query}",
            f"https://www.youtube.com/watch?v={video}",
            "youtube",
        )
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    if parts.scheme == "https" and origin in configured_origins():
        return Video(url, url, parts.netloc)
    return None


def validate_video_url(url: str) -> None:
    """Refuse an address the pages could not embed (a form's clean calls it)."""
    if url and video_of(url) is None:
        raise Refused(
            _(
                "This address is not a video the site can show: give a YouTube address or "
                "one on a configured video provider."
            ),
            code="video_url",
        )


@transaction.atomic
def set_recording(meeting: Meeting, url: str, seconds: int | None) -> Meeting:
    """Set the meeting's recording, kept as an OParl File with ``externalServiceUrl``.

    ``seconds`` is the recording's length: the agenda items' time-codes must fall within it.
    The caller audits the change (the secretariat's service) — this only writes it.
    """
    validate_video_url(url)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    item_end = max(
        (
            t
            for pair in meeting.agenda_items.live().values_list("start_seconds", "end_seconds")
            for t in pair
            if t is not None
        ),
        default=0,
    )
    if url and seconds is not None and item_end > seconds:
        raise Refused(
            _("The recording is shorter than the time-codes already set on its agenda items."),
            code="timecode",
        )
    if not url:
        if meeting.recording is not None:
            meeting.recording.soft_delete()
        meeting.recording = None
        meeting.recording_url = ""
        meeting.recording_seconds = None
        meeting.save(update_fields=["recording", "recording_url", "recording_seconds"])
        return meeting
    names = {
        "name_el": f"Βίντεο της συνεδρίασης {meeting.number}/{meeting.year}",
        "name_en": f"Video of meeting {meeting.number}/{meeting.year}",
    }
    file = meeting.recording
    if file is None:
        file = CouncilFile.objects.create(
            external_service_url=url, date=meeting.start.date(), mime_type="text/html", **names
        )
    else:
        file.external_service_url = url
        file.save(update_fields=["external_service_url"])
    meeting.recording = file
    meeting.recording_url = url
    meeting.recording_seconds = seconds
    meeting.save(update_fields=["recording", "recording_url", "recording_seconds"])
    return meeting
