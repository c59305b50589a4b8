"""What the open budget contributes to the staff home: years whose figures are going stale."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Max
from django.utils import timezone

from dimos.budget.models import FiscalYear
from dimos.core.registry import QueueCounts

# Execution is published about monthly: a year without a snapshot for this long is behind.
STALE_AFTER_DAYS = 45


def stale_years(today: date | None = None) -> list[FiscalYear]:
    """This year and last without a snapshot as of the last 45 days; a year is done once its
    snapshot as of 31 December is in."""
    today = today or timezone.localdate()
    since = today - timedelta(days=STALE_AFTER_DAYS)
    years = FiscalYear.objects.filter(year__gte=today.year - 1, year__lte=today.year).annotate(
        last_as_of=Max("snapshots__as_of")
    )
    return [
        y
        for y in years
        if not (y.last_as_of and y.last_as_of >= date(y.year, 12, 31))
        and (y.last_as_of is None or y.last_as_of < since)
    ]


def queue_counts(user: Any) -> QueueCounts:
    return QueueCounts(open=len(stale_years()))
