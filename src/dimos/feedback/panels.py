"""Counts for the staff home page."""

from __future__ import annotations

from typing import Any

from dimos.core.registry import QueueCounts
from dimos.feedback.models import PageFeedback, Rating


def queue_counts(user: Any) -> QueueCounts:
    return QueueCounts(
        open=Rating.objects.exclude(improve="").filter(state="new").count()
        + PageFeedback.objects.exclude(what_wrong="").filter(state="new").count()
    )
