"""What volunteers contributes to "My account" and the staff home."""

from __future__ import annotations

from typing import Any

from dimos.core.registry import QueueCounts
from dimos.volunteers import selectors, services
from dimos.volunteers.conf import conf


def queue_counts(user: Any) -> QueueCounts:
    return QueueCounts(
        open=selectors.open_applications().count(),
        overdue=selectors.overdue_applications(conf.VETTING_DAYS).count(),
    )


def my_panel(request: Any) -> dict[str, Any]:
    volunteer = selectors.volunteer_of(request.user)
    if volunteer is None:
        return {"volunteer": None}
    return {
        "volunteer": volunteer,
        "hours": selectors.hours_total(volunteer),
        "conduct_needed": services.needs_conduct(volunteer),
    }
