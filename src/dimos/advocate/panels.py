"""What the Advocate contributes to "My account" and the staff home."""

from __future__ import annotations

from typing import Any

from dimos.advocate import selectors
from dimos.core.registry import QueueCounts


def queue_counts(user: Any) -> QueueCounts:
    open_, overdue = selectors.queue_counts()
    return QueueCounts(open=open_, overdue=overdue)


def service_counts(user: Any) -> QueueCounts:
    from dimos.advocate.models import Mediation

    found = selectors.requests_for(user).filter(status=Mediation.Status.OPEN)
    return QueueCounts(open=found.count(), overdue=sum(1 for m in found if m.is_late))


def my_panel(request: Any) -> dict[str, Any]:
    return {"complaints": list(selectors.complaints_of(request.user)[:5])}
