"""What reports contributes to "My account" and the staff home."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from dimos.core.registry import QueueCounts
from dimos.reports.models import Report
from dimos.reports.selectors import reports_of


def queue_counts(user: Any) -> QueueCounts:
    mine = Report.objects.for_staff(user).open()
    overdue = mine.filter(expected_on__lt=timezone.localdate())
    return QueueCounts(open=mine.count(), overdue=overdue.count())


def my_reports_panel(request: Any) -> dict[str, Any]:
    return {"reports": list(reports_of(request.user.pk)[:5])}
