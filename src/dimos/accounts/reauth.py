"""Asking a person to prove again that it is them before an irreversible act (deleting the
account), with allauth's reauthentication.

- With a password: allauth's "confirm it is you" page (password, or the second factor); the
  request that needed it is kept and carried out once they have confirmed.
- Without a password (signed up through the national eID): a fresh eID login within the
  same window counts; they are offered the eID login again, and allauth's emailed code when
  they have a verified address.

The window is allauth's ``ACCOUNT_REAUTHENTICATION_TIMEOUT`` (5 minutes).
"""

from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings
from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.internal.flows.reauthentication import did_recently_reauthenticate
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.models import SocialAccount
from django.http import HttpRequest


def _recent_eid_login(request: HttpRequest) -> bool:
    now = time.time()
    return any(
        record.get("method") == "socialaccount"
        and now - float(record.get("at", 0)) < app_settings.REAUTHENTICATION_TIMEOUT
        for record in get_authentication_records(request, request.user)  # type: ignore[arg-type]
    )


def confirmed_recently(request: HttpRequest) -> bool:
    """Whether the person proved it is them a moment ago (see the module docstring)."""
    user: Any = request.user
    if not user.is_authenticated:
        return False
    if did_recently_reauthenticate(request):
        return True
    return not user.has_usable_password() and _recent_eid_login(request)


def uses_password(user: Any) -> bool:
    return bool(user.has_usable_password())


def eid_providers(request: HttpRequest) -> list[Any]:
    """The national-eID providers this account logs in with, to log in with again."""
    linked = set(SocialAccount.objects.filter(user=request.user).values_list("provider", flat=True))
    return [p for p in get_social_adapter().list_providers(request) if p.sub_id in linked]


def code_by_email(user: Any) -> bool:
    """Whether allauth can confirm the person with a code sent to their verified address."""
    return any(
        method["id"] == "reauthenticate_by_code"
        for method in get_adapter().get_reauthentication_methods(user)
    )
