"""The reports' figures for the published service performance (a ``CompletedTransaction``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Q

from dimos.core.monthly import monthly_figures
from dimos.core.registry import Completion, MonthFigures
from dimos.reports.models import CLOSED_STATUSES, Report, Status

# Fixed or closed by the municipality; a report withdrawn by its reporter is not completed.
COMPLETED = [s for s in CLOSED_STATUSES if s != Status.WITHDRAWN]


def figures(since: dt.date) -> list[MonthFigures]:
    """Reports made per month, and those fixed or closed with the days they took."""
    return monthly_figures(
        Report.objects.exclude(status__in=(Status.UNCONFIRMED, Status.WITHDRAWN)),
        since,
        started="created_at",
        completed="closed_at",
        done=Q(status__in=COMPLETED),
        online=~Q(source=Report.Source.PHONE),
    )


def completions(since: dt.date) -> Iterator[Completion]:
    """The reports fixed or closed since ``since``, as completed transactions."""
    rows = Report.objects.filter(status__in=COMPLETED, closed_at__date__gte=since).select_related(
        "reporter"
    )
    for report in rows.iterator():
        yield Completion(
            kind="reports.report",
            object_id=str(report.pk),
            service="report-problem",
            user=report.reporter,
            email=report.reporter_email,
            online=report.source != Report.Source.PHONE,
            started_at=report.created_at,
            completed_at=report.closed_at,
        )
