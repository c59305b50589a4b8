"""What certificates contributes to "My account" and the staff home."""

from __future__ import annotations

from typing import Any

from dimos.certificates.models import CertificateRequest
from dimos.certificates.selectors import requests_of
from dimos.core.registry import QueueCounts


def queue_counts(user: Any) -> QueueCounts:
    requests = CertificateRequest.objects
    return QueueCounts(open=requests.open().count(), overdue=requests.overdue().count())


def my_requests_panel(request: Any) -> dict[str, Any]:
    return {"requests": list(requests_of(request.user.pk)[:5])}
