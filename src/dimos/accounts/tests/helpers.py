"""Test helpers of the accounts app."""

from __future__ import annotations

import time
from typing import Any

from django.test import Client


def confirmed_it_is_them(
    client: Client, user: Any, *, method: str = "password", ago: int = 0
) -> None:
    """Record in the client's session that ``user`` just proved it is them, as allauth does
    after its reauthentication page (``method="password"``) or an eID login
    (``method="socialaccount"``), ``ago`` seconds back."""
    record: dict[str, Any] = {"method": method, "at": time.time() - ago}
    if method == "password":
        record["reauthenticated"] = True
    session = client.session
    session["account_authentication_methods"] = [record]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
