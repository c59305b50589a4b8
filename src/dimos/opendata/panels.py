"""The catalogue's staff queue."""

from __future__ import annotations

from typing import Any

from dimos.core.registry import QueueCounts
from dimos.opendata.models import Dataset, State


def queue_counts(user: Any) -> QueueCounts:
    drafts = Dataset.objects.filter(state=State.DRAFT).count()
    failed = (
        Dataset.objects.exclude(state=State.DELETED)
        .exclude(state=State.DRAFT)
        .filter(resources__problems__0__isnull=False)
        .distinct()
        .count()
    )
    return QueueCounts(open=drafts + failed)
