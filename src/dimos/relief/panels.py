"""What relief contributes to "My account" and the staff home."""

from __future__ import annotations

from typing import Any

from dimos.core.registry import QueueCounts
from dimos.relief import selectors


def queue_counts(user: Any) -> QueueCounts:
    return QueueCounts(open=selectors.open_count(), overdue=selectors.overdue_count())


def my_panel(request: Any) -> dict[str, Any]:
    from dimos.relief import volunteering

    context: dict[str, Any] = {"relief_requests": list(selectors.own_requests(request.user)[:5])}
    volunteer = volunteering.volunteer_of(request.user)
    if volunteering.is_approved(volunteer):
        assert volunteer is not None
        context["tasks_held"] = volunteering.claims_of(volunteer).filter(status="active").count()
        context["tasks_offered"] = len(volunteering.offered_ids(volunteer))
    return context
