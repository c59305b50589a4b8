"""What the ideas app contributes to "My account" and the staff home."""

from __future__ import annotations

from typing import Any

from dimos.core.registry import QueueCounts
from dimos.ideas import jury_selectors, selectors


def queue_counts(user: Any) -> QueueCounts:
    return QueueCounts(
        open=selectors.ideas_to_moderate().count()
        + selectors.comments_to_moderate().count()
        + selectors.open_anomalies().count(),
    )


def my_panel(request: Any) -> dict[str, Any]:
    return {
        "ideas": list(selectors.ideas_of(request.user)[:5]),
        "votes": selectors.votes_of(request.user).count(),
    }


def entries_queue_counts(user: Any) -> QueueCounts:
    """App entries waiting for staff's decision."""
    return QueueCounts(open=jury_selectors.pending_entries().count())
