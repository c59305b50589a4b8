"""The Advocate's figures for the published service performance (a ``CompletedTransaction``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Q

from dimos.advocate.models import Channel, Complaint, Status
from dimos.core.monthly import monthly_figures
from dimos.core.registry import Completion, MonthFigures


def figures(since: dt.date) -> list[MonthFigures]:
    """Complaints submitted per month, and those answered, with the days they took."""
    return monthly_figures(
        Complaint.objects.filter(submitted_at__isnull=False),
        since,
        started="submitted_at",
        completed="closed_at",
        done=Q(status=Status.CONCLUDED),
        online=Q(channel=Channel.ONLINE),
    )


def completions(since: dt.date) -> Iterator[Completion]:
    """The complaints answered since ``since``, as completed transactions."""
    rows = Complaint.objects.filter(
        status=Status.CONCLUDED, closed_at__date__gte=since
    ).select_related("user")
    for complaint in rows.iterator():
        yield Completion(
            kind="advocate.complaint",
            object_id=str(complaint.pk),
            service="advocate",
            user=complaint.user,
            email=complaint.email,
            language=complaint.language,
            online=complaint.channel == Channel.ONLINE,
            started_at=complaint.submitted_at,
            completed_at=complaint.closed_at,
        )
