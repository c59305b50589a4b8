"""The certificates' figures for the published service performance (a ``CompletedTransaction``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Q

from dimos.certificates.models import (
    ISSUED_STATUSES,
    CertificateRequest,
    Channel,
    IssuedDocument,
)
from dimos.core.monthly import monthly_figures
from dimos.core.registry import Completion, MonthFigures


def figures(since: dt.date) -> list[MonthFigures]:
    """Requests per month, and certificates issued with the days from request to issue."""
    return monthly_figures(
        CertificateRequest.objects.all(),
        since,
        started="submitted_at",
        completed="issued_at",
        done=Q(status__in=ISSUED_STATUSES),
        online=Q(request__channel=Channel.ONLINE),
        completed_rows=IssuedDocument.objects.all(),
        began="request__submitted_at",
    )


def completions(since: dt.date) -> Iterator[Completion]:
    """The certificates issued since ``since``, as completed transactions."""
    rows = (
        IssuedDocument.objects.filter(status__in=ISSUED_STATUSES, issued_at__date__gte=since)
        .select_related("request__applicant")
        .order_by("request_id", "issued_at")
    )
    for document in rows.iterator():
        req = document.request
        yield Completion(
            kind="certificates.request",
            object_id=str(req.pk),
            service="certificates",
            user=req.applicant,
            email=req.contact_email,
            online=req.channel == Channel.ONLINE,
            started_at=req.submitted_at,
            completed_at=document.issued_at,
        )
