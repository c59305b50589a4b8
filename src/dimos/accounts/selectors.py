"""Reads about accounts, for other apps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.mfa.models import Authenticator

if TYPE_CHECKING:
    from dimos.accounts.models import User


def has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def staff_members():  # type: ignore[no-untyped-def]
    from dimos.accounts.models import User

    return (
        User.objects.filter(is_staff=True).prefetch_related("groups").order_by("last_name", "email")
    )
