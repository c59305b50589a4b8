"""The "stay at home" emergency: switched on and off by an administrator, read by every page.

While one is in force (:func:`current`) the home page and the catalogue show its message in
the reader's language with the services whose catalogue entry says ``emergency=True`` (the
portal never names them), and the catalogue lists those services first.

A switch is audited and changes what cached pages show, so it bumps the page cache and clears
the home page's fragment (as news do) and the version of :data:`CURRENT`: the banner appears or
goes on the next request. A start or an end in the future shows within a minute of it (the
longest any of these is kept).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core import audit
from dimos.core.cached import CachedAnswer, Version
from dimos.portal.models import Emergency

if TYPE_CHECKING:
    from django.http import HttpRequest

PERMISSION = "portal.switch_emergency"
VERSION = Version("emergency")


class EmergencyError(Exception):
    """What the switch refuses; its message is shown to the administrator."""


def _current() -> Emergency | None:
    return Emergency.objects.in_force().first()


CURRENT = CachedAnswer("portal.emergency", seconds=60, version=VERSION, compute=_current)


def current() -> Emergency | None:
    """The emergency in force now, or None (read from the cache: one read per page)."""
    found: Emergency | None = CURRENT.get().value
    if found is not None:
        now = timezone.now()
        if found.starts_at > now or (found.ends_at is not None and found.ends_at <= now):
            return None
    return found


def _changed() -> None:
    from dimos.portal.selectors import clear_home_cache

    VERSION.changed()
    clear_home_cache()
    transaction.on_commit(clear_home_cache)


def switch_on(
    *,
    actor: Any,
    message_el: str,
    message_en: str,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Emergency:
    """Switch the emergency on (from ``starts_at``, now by default, until ``ends_at`` or until
    switched off); one already on or planned is replaced."""
    if actor is None or not actor.has_perm(PERMISSION):
        raise EmergencyError(_("You do not have permission to do this."))
    message_el, message_en = message_el.strip(), message_en.strip()
    if not message_el or not message_en:
        raise EmergencyError(_("Write the message in Greek and in English."))
    now = timezone.now()
    starts_at = starts_at or now
    if ends_at is not None and ends_at <= max(starts_at, now):
        raise EmergencyError(_("The end must be after the start and in the future."))
    with transaction.atomic():
        replaced = list(
            Emergency.objects.select_for_update()
            .filter(switched_off_at__isnull=True)
            .exclude(ends_at__lte=now)
            .values_list("pk", flat=True)
        )
        Emergency.objects.filter(pk__in=replaced).update(switched_off_at=now, switched_off_by=actor)
        emergency = Emergency.objects.create(
            message_el=message_el[:500],
            message_en=message_en[:500],
            starts_at=starts_at,
            ends_at=ends_at,
            switched_on_by=actor,
        )
        audit.record(
            action="emergency.switched_on",
            actor=actor,
            target=emergency,
            request=request,
            details={
                "starts_at": starts_at.isoformat(),
                "ends_at": ends_at.isoformat() if ends_at else None,
                "replaced": replaced,
            },
        )
        _changed()
    return emergency


def switch_off(*, actor: Any, request: HttpRequest | None = None) -> int:
    """Switch off the emergency in force and any planned; answers how many were."""
    if actor is None or not actor.has_perm(PERMISSION):
        raise EmergencyError(_("You do not have permission to do this."))
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            Emergency.objects.select_for_update()
            .filter(switched_off_at__isnull=True)
            .exclude(ends_at__lte=now)
        )
        if not rows:
            raise EmergencyError(_("No emergency is switched on."))
        for emergency in rows:
            emergency.switched_off_at = now
            emergency.switched_off_by = actor
            emergency.save(update_fields=["switched_off_at", "switched_off_by"])
            audit.record(
                action="emergency.switched_off", actor=actor, target=emergency, request=request
            )
        _changed()
    return len(rows)


class EmergencyForm(forms.Form):
    message_el = forms.CharField(
        label=_("Message in Greek"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What people must do, in a sentence or two."),
    )
    message_en = forms.CharField(
        label=_("Message in English"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Empty: now."),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Empty: until it is switched off."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if ends is not None and ends <= max(starts or timezone.now(), timezone.now()):
            self.add_error("ends_at", _("The end must be after the start and in the future."))
        return data
