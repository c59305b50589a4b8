"""Reads about accounts, for other apps."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from dimos.accounts.models import User as _User
from dimos.core.cached import Version

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from dimos.accounts.models import User


# What people may do, and whether they set up a second step, are asked on every staff page:
# both are cached, under versions that every change of them replaces (cache invalidation is
# the one use of signals the style guide allows). Any save of an account replaces the
# permissions' version too: deactivating or making someone a superuser applies at once.
PERMISSIONS_VERSION = Version("accounts:permissions")
AUTHENTICATORS_VERSION = Version("accounts:authenticators")


def _permissions_changed(**kwargs: object) -> None:
    PERMISSIONS_VERSION.changed()


def _authenticators_changed(**kwargs: object) -> None:
    AUTHENTICATORS_VERSION.changed()


for _model in (_User, Group, Permission):
    _uid = f"accounts-permissions-{_model.__name__}"
    post_save.connect(_permissions_changed, sender=_model, dispatch_uid=f"{_uid}-save")
    post_delete.connect(_permissions_changed, sender=_model, dispatch_uid=f"{_uid}-delete")
for _through in (_User.groups.through, _User.user_permissions.through, Group.permissions.through):
    m2m_changed.connect(
        _permissions_changed, sender=_through, dispatch_uid=f"accounts-permissions-{_through}"
    )
post_save.connect(_authenticators_changed, sender=Authenticator, dispatch_uid="accounts-mfa-save")
post_delete.connect(
    _authenticators_changed, sender=Authenticator, dispatch_uid="accounts-mfa-delete"
)


def has_totp(user: User) -> bool:
    key = f"dimos:totp:{user.pk}:{AUTHENTICATORS_VERSION()}"
    found = cache.get(key)
    if found is None:
        found = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        cache.set(key, found, 300)
    return bool(found)


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
    """Every staff account, active or not, in name order (the team list)."""
    from dimos.accounts.models import User

    return (
        User.objects.filter(is_staff=True).prefetch_related("groups").order_by("last_name", "email")
    )


def active_staff(*, permission: str = "", app_label: str = "") -> QuerySet[User]:
    """Staff who can sign in now, in name order: the one query behind every "whom can this go
    to" list. With ``permission`` (a codename), only those who hold it through a role or
    directly, and superusers."""
    from django.db.models import Q

    from dimos.accounts.models import User

    staff = User.objects.filter(is_active=True, is_staff=True).order_by("last_name", "email")
    if not permission:
        return staff
    by_role = Q(groups__permissions__codename=permission)
    direct = Q(user_permissions__codename=permission)
    if app_label:
        by_role &= Q(groups__permissions__content_type__app_label=app_label)
        direct &= Q(user_permissions__content_type__app_label=app_label)
    return staff.filter(by_role | direct | Q(is_superuser=True)).distinct()


def department_staff(department: Any) -> QuerySet[User]:
    """Active staff of a department (a role group), in name order."""
    return active_staff().filter(groups=department)


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


# Claims an eID gateway may send, by what they hold (OpenID Connect's standard names first,
# then the names the Greek public-administration gateways use).
_FATHER_CLAIMS = ("father_name", "fathername", "father_given_name")
_BIRTH_CLAIMS = ("birthdate", "birth_date")


def identity_details(user: User) -> dict[str, Any]:
    """What the account knows of its holder, to fill in forms about themselves.

    From the profile (full name, postal address) and, for a national-eID login, from the
    gateway's claims (father's name, date of birth, address). Keys: ``full_name``,
    ``father_name``, ``birth_date`` (a date), ``address``; missing ones are left out.
    """
    import datetime as dt

    from django.conf import settings

    details: dict[str, Any] = {}
    if user.get_full_name().strip():
        details["full_name"] = user.get_full_name().strip()
    if user.address.strip():
        details["address"] = user.address.strip()
    if not user.identity_verified:
        return details
    from allauth.socialaccount.models import SocialAccount

    accounts = SocialAccount.objects.filter(
        user=user, provider__in=settings.DIMOS_OIDC_VERIFIED_PROVIDERS
    ).order_by("-last_login")
    for account in accounts[:1]:
        claims = oidc_claims(account.extra_data)
        for name in _FATHER_CLAIMS:
            if isinstance(claims.get(name), str) and claims[name].strip():
                details.setdefault("father_name", claims[name].strip()[:100])
                break
        for name in _BIRTH_CLAIMS:
            try:
                details.setdefault("birth_date", dt.date.fromisoformat(str(claims[name])))
                break
            except (KeyError, ValueError):
                continue
        address = claims.get("address")
        if isinstance(address, dict) and str(address.get("formatted", "")).strip():
            details.setdefault("address", str(address["formatted"]).strip()[:300])
    return details


def oidc_claims(extra_data: Any) -> dict[str, Any]:
    """An eID account's claims, flat: allauth keeps OpenID Connect claims as
    ``{"userinfo": …, "id_token": …}`` (older links kept them at the top level)."""
    raw = extra_data if isinstance(extra_data, dict) else {}
    claims = dict(raw)
    for part in ("id_token", "userinfo"):
        if isinstance(raw.get(part), dict):
            claims.update(raw[part])
    return claims
