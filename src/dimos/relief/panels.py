"""What relief contributes to "My account" and the staff home."""

from __future__ import annotations

from typing import Any

from dimos.core.registry import QueueCounts
from dimos.relief import selectors


def queue_counts(user: Any) -> QueueCounts:
    return QueueCounts(open=selectors.open_count(), overdue=selectors.overdue_count())


def my_panel(request: Any) -> dict[str, Any]:
    return {"relief_requests": list(selectors.own_requests(request.user)[:5])}
