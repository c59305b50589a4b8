"""Writing the audit log. Service functions call :func:`record`; nothing updates or deletes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from dimos.core.models import AuditEntry

if TYPE_CHECKING:
    from django.http import HttpRequest

    from dimos.accounts.models import User


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # Behind reverse proxies REMOTE_ADDR is the proxy: take the address the nearest trusted
    # proxy saw, counting DIMOS_TRUSTED_PROXIES hops from the right of X-Forwarded-For.
    from django.conf import settings

    proxies = settings.DIMOS_TRUSTED_PROXIES
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def record(
    *,
    action: str,
    actor: User | None = None,
    target: models.Model | None = None,
    request: HttpRequest | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry: who (actor) did what (action) to which object (target), from where."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user  # type: ignore[assignment]
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=(actor.email if actor is not None else "")[:254],
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:300],
        details=details or {},
    )
