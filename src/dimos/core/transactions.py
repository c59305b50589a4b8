"""Completed transactions: how an app tells the platform that a person's transaction is done.

An app declares each kind on its manifest (``CompletedTransaction``) and calls
:func:`completed` inside the write that completes one (a report fixed, a certificate
issued). The listeners registered on the manifests (the feedback app) hear of it: the person
is asked, once, how it went. The app never imports the listener; its completion page asks
:func:`invitation_url` for the link to show (``{% rate_service_url %}``).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from dimos.core.registry import Completion, registry

if TYPE_CHECKING:
    from dimos.accounts.models import User


def completed(
    kind: str,
    object_id: Any,
    *,
    user: User | None = None,
    email: str = "",
    language: str = "",
    online: bool = True,
    started_at: datetime | None = None,
    completed_at: datetime | None = None,
    url: str = "",
) -> None:
    """Tell the listeners that transaction ``object_id`` of ``kind`` has completed.

    Call it inside the transaction of the completing write, like ``notify``: a listener's
    rows are written with it or not at all. Calling it again for the same transaction (a
    report reopened and fixed again) is harmless; the person is asked once.
    """
    declared = registry.transactions.get(kind)
    if declared is None:
        raise ValueError(f"Unknown transaction kind {kind!r}")
    if user is not None and getattr(user, "erased_at", None) is not None:
        user = None
    completion = Completion(
        kind=kind,
        object_id=str(object_id),
        service=declared.service,
        user=user,
        email=email or (user.email if user is not None else ""),
        language=language or (getattr(user, "preferred_language", "") if user else ""),
        online=online,
        started_at=started_at,
        completed_at=completed_at or timezone.now(),
        url=url,
    )
    for listener in registry.transaction_listeners.values():
        listener.completed(completion)


def invitation_url(kind: str, object_id: Any) -> str:
    """The link asking the person to rate transaction ``object_id`` (empty if none)."""
    for listener in registry.transaction_listeners.values():
        url = listener.invitation_url(kind, str(object_id))
        if url:
            return url
    return ""
