"""What activities contributes to "My account" and the staff home."""

from __future__ import annotations

from typing import Any

from dimos.activities import selectors
from dimos.activities.models import ACTIVE, ProgrammeStatus
from dimos.core.registry import QueueCounts


def queue_counts(user: Any) -> QueueCounts:
    return QueueCounts(
        open=selectors.programmes_for_staff(user).filter(status=ProgrammeStatus.PUBLISHED).count(),
    )


def my_panel(request: Any) -> dict[str, Any]:
    registrations = selectors.registrations_of(request.user).filter(status__in=ACTIVE)
    return {
        "registrations": list(registrations[:5]),
        "children": selectors.children_of(request.user).count(),
    }
