"""The audit log: writing it (:func:`record`) and reading it as sentences (:func:`sentences`).

Nothing updates or deletes an entry; the database refuses both (ADR 0005). An entry keeps who
and what by reference, never a copied name: :func:`sentences` renders the actor from the
user row when the log is read, so an erased account shows as a pseudonym everywhere.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext as _

from dimos.core.models import AuditEntry
from dimos.core.registry import registry

if TYPE_CHECKING:
    from django.http import HttpRequest

    from dimos.accounts.models import User

CONFIDENTIAL_PERMISSION = ("core", "view_confidential_audit")


def _ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: for the audit log, and for every rate limit (allauth's too)."""
    if request is None:
        return None
    # Behind reverse proxies REMOTE_ADDR is the proxy: take the address the nearest trusted
    # proxy saw, counting DIMOS_TRUSTED_PROXIES hops from the right of X-Forwarded-For.
    # Entries further left are whatever the client sent, so they are never read. A header
    # with fewer entries, or one that is not an address, falls back to the connection's.
    from django.conf import settings

    remote = _ip(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.DIMOS_TRUSTED_PROXIES
    if proxies:
        forwarded = [a for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a]
        if len(forwarded) >= proxies:
            return _ip(forwarded[-proxies]) or remote
    return remote


def is_confidential(target: models.Model | None) -> bool:
    """Whether entries about ``target`` belong to the confidential stream (an app decides)."""
    if target is None:
        return False
    rule = registry.confidential_targets.get(target._meta.label_lower)
    return bool(rule is not None and rule.test(target))


def record(
    *,
    action: str,
    actor: User | None = None,
    target: models.Model | None = None,
    request: HttpRequest | None = None,
    details: dict[str, Any] | None = None,
    confidential: bool | None = None,
) -> AuditEntry:
    """Append one entry: who (actor) did what (action) to which object (target), from where.

    ``confidential`` defaults to what the target's app registered
    (:func:`dimos.core.registry.register_confidential_target`).
    """
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user  # type: ignore[assignment]
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        confidential=is_confidential(target) if confidential is None else confidential,
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:300],
        details=details or {},
    )


# --- Reading ----------------------------------------------------------------------------------


def can_read_confidential(user: Any) -> bool:
    """Whether ``user`` reads the confidential stream: only through a role that grants it.

    Superuser status alone does not open it (Django gives superusers every permission): the
    permission must come from a group (the counselling supervisor role) or be given directly.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.is_staff:
        return False
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    app_label, codename = CONFIDENTIAL_PERMISSION
    return (
        Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        .filter(Q(group__user=user) | Q(user=user))
        .exists()
    )


def person_name(user: Any) -> str:
    """How the log names a person: their name (or email), a pseudonym once erased."""
    if user is None:
        return ""
    if getattr(user, "erased_at", None) is not None:
        return _("Erased account %(number)s") % {"number": user.pk}
    return str(user.get_full_name() or user.email)


class _Values(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "—"


@dataclass(frozen=True)
class Line:
    """One entry as the staff audit log shows it."""

    entry: AuditEntry
    sentence: str
    actor: str
    actor_email: str


def _who(entry: AuditEntry) -> str:
    if entry.actor is not None:
        return person_name(entry.actor)
    if entry.ip_address:
        return _("A visitor who was not logged in")
    return _("The system")


def _target_people(entries: list[AuditEntry]) -> dict[str, Any]:
    """The accounts that entries are about, in one query (for "X changed the roles of Y")."""
    ids = {e.target_id for e in entries if e.target_type == "accounts.user" and e.target_id}
    if not ids:
        return {}
    user_model = apps.get_model("accounts", "User")
    return {str(u.pk): u for u in user_model.objects.filter(pk__in=[int(i) for i in ids])}


def _object_name(entry: AuditEntry) -> str:
    if not entry.target_type:
        return ""
    try:
        model = apps.get_model(entry.target_type)
    except (LookupError, ValueError):
        return entry.target_type
    return str(model._meta.verbose_name)


def sentences(entries: Iterable[AuditEntry]) -> list[Line]:
    """Each entry as a sentence in the active language, from the template its app registered."""
    rows = list(entries)
    people = _target_people(rows)
    lines = []
    for entry in rows:
        actor = _who(entry)
        values = _Values(
            {k: v for k, v in (entry.details or {}).items() if isinstance(v, str | int | float)}
        )
        values.update(actor=actor, id=entry.target_id or "—", object=_object_name(entry))
        if entry.target_type == "accounts.user":
            values["target"] = person_name(people.get(entry.target_id)) or entry.target_id
        sentence_def = registry.audit_sentences.get(entry.action)
        if sentence_def is not None:
            sentence = str(sentence_def.text) % values
        elif entry.target_type:
            sentence = _("%(actor)s: %(action)s, %(object)s %(id)s") % {
                "actor": actor,
                "action": entry.action,
                "object": _object_name(entry),
                "id": entry.target_id,
            }
        else:
            sentence = _("%(actor)s: %(action)s") % {"actor": actor, "action": entry.action}
        email = ""
        if entry.actor is not None and entry.actor.erased_at is None:
            email = entry.actor.email
        lines.append(Line(entry=entry, sentence=sentence, actor=actor, actor_email=email))
    return lines
