"""Which addresses the council's pages can embed, and how a time-code is added."""

from __future__ import annotations

from typing import Any

import pytest

from dimos.council import video


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ",
        "https://www.youtube.com/live/dQw4w9WgXcQ?si=abc",
        "https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=10",
    ],
)
def test_youtube_is_embedded_without_cookies(url: str) -> None:
    found = video.video_of(url)
    assert found is not None
    assert found.embed_url.startswith("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
    assert found.watch_url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    at = found.at(5025)
    assert "start=5025" in at.embed_url
    assert at.watch_url.endswith("t=5025s")


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example.org/watch?v=dQw4w9WgXcQ",
        "javascript:alert(1)",
        "https://www.youtube.com/watch?v=<script>",
        "http://video.example.gr/meeting/12",
    ],
)
def test_other_addresses_are_refused(url: str, settings: Any) -> None:
    settings.DIMOS_COUNCIL_VIDEO_ORIGINS = "https://video.example.gr"
    assert video.video_of(url) is None
    with pytest.raises(video.Refused):
        video.validate_video_url(url)


def test_a_configured_provider_is_embedded_as_given(settings: Any) -> None:
    settings.DIMOS_COUNCIL_VIDEO_ORIGINS = "https://video.example.gr, https://tv.example.gr/"
    found = video.video_of("https://tv.example.gr/embed/42")
    assert found is not None and found.embed_url == "https://tv.example.gr/embed/42"
    assert found.at(90).embed_url.endswith("#t=90")
    assert video.frame_origins() == [
        "https://www.youtube-nocookie.com",
        "https://video.example.gr",
        "https://tv.example.gr",
    ]
