"""Reads about accounts, for other apps."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from allauth.mfa.models import Authenticator

if TYPE_CHECKING:
    from dimos.accounts.models import User


def has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def needs_staff_mfa(user: Any) -> bool:
    """Whether this user is staff who must set up TOTP before reaching staff data (ADR 0007).

    One rule for the staff pages (``StaffMFAMiddleware``) and the API's session login.
    """
    from django.conf import settings

    return bool(
        settings.DIMOS_STAFF_MFA_REQUIRED
        and user is not None
        and user.is_authenticated
        and user.is_staff
        and not has_totp(user)
    )


def staff_members():  # type: ignore[no-untyped-def]
    from dimos.accounts.models import User

    return (
        User.objects.filter(is_staff=True).prefetch_related("groups").order_by("last_name", "email")
    )


def national_eid_providers(request: Any) -> list[Any]:
    """The national-eID gateways this site is configured with (``OIDC_CLIENT_ID`` …, or an
    app added in the admin) whose identities count as verified; empty when there is none."""
    from allauth.socialaccount.adapter import get_adapter
    from django.conf import settings

    verified = set(settings.DIMOS_OIDC_VERIFIED_PROVIDERS)
    return [p for p in get_adapter().list_providers(request) if p.sub_id in verified]


def eid_configured() -> bool:
    """Whether residents can log in with a national eID here (for texts that promise it)."""
    return bool(national_eid_providers(None))
