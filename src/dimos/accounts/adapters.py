"""allauth adapters: our rules for sign-up, and eID identities marked as verified."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.internal import ratelimit
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.html import strip_tags

from dimos.accounts.selectors import oidc_claims
from dimos.core import audit, notifications

if TYPE_CHECKING:
    from allauth.socialaccount.models import SocialLogin
    from django.http import HttpRequest

    from dimos.accounts.models import User


def _account_rates() -> dict[str, str]:
    return {"login_failed_account": settings.DIMOS_RATE_LOGIN_FAILED_ACCOUNT}


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        # The one reading of DIMOS_TRUSTED_PROXIES (allauth's own raises, a 500, on a short
        # X-Forwarded-For): login limits count the same address the audit log records.
        ip = audit.client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine the client's address.")
        return ip

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth sends in the web request, where a slow or dead mail server would hold the
        # worker for EMAIL_TIMEOUT: the message is rendered here and sent by a task worker,
        # with retries, its one-time keys stored only sealed (ADR 0011).
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": get_current_site(request)}
            | context,
        )
        html = next(
            (body for body, kind in getattr(message, "alternatives", []) if kind == "text/html"),
            "",
        )
        text = message.body
        if message.content_subtype == "html":
            html, text = text, strip_tags(text)
        notifications.send_email_later(
            kind="accounts.account_email",
            to=email,
            subject=message.subject,
            text=text,
            html=str(html),
        )

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(settings.DIMOS_SIGNUP_OPEN)

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        user.preferred_language = (getattr(request, "LANGUAGE_CODE", "") or settings.LANGUAGE_CODE)[
            :2
        ]
        if commit:
            user.save()
            audit.record(action="account.signup", actor=user, target=user, request=request)
        return user

    # Failed logins (ADR 0015). allauth counts them per address and per "key"; we make the key
    # the pair (account, address), so an attacker's failures lock the attacker's address out of
    # that account, not the owner elsewhere, and add a high limit per account across every
    # address against guessing from many addresses. The counters live in the default cache.

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{ratelimit.get_ip(request)}"

    def _account_key(self, request: HttpRequest, **credentials: Any) -> str:
        return super()._get_login_attempts_cache_key(request, **credentials)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        super().pre_authenticate(request, **credentials)  # refuses when the pair is over
        across = ratelimit.consume(
            request,
            app="dimos.accounts",
            action="login_failed_account",
            config=_account_rates(),
            key=self._account_key(request, **credentials),
        )
        if across is None:
            self._rollback_login_failed_rl_usage()
            raise self.validation_error("too_many_login_attempts")
        # allauth rolls this back when the password is right: only failures stay counted.
        self._login_failed_rl_usage.usage.extend(across.usage)  # type: ignore[has-type]

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials: Any) -> None:
        # A successful password reset proves the owner: clear both counters.
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.clear(
            request,
            app="dimos.accounts",
            action="login_failed_account",
            config=_account_rates(),
            key=self._account_key(request, **credentials),
        )

    def login(self, request: HttpRequest, user: Any) -> None:
        super().login(request, user)
        audit.record(action="account.login", actor=user, target=user, request=request)

    def logout(self, request: HttpRequest) -> None:
        user = request.user
        if user.is_authenticated:
            audit.record(action="account.logout", actor=user, target=user, request=request)  # type: ignore[arg-type]
        super().logout(request)

    def confirm_email(self, request: HttpRequest, email_address: Any) -> bool:
        first_time = not email_address.user.emailaddress_set.filter(verified=True).exists()
        confirmed = super().confirm_email(request, email_address)
        if confirmed and first_time:
            from dimos.accounts.services import welcome

            welcome(user=email_address.user, request=request)
        return bool(confirmed)


def mark_identity_verified(user: User, provider: str) -> None:
    """Record that this person's identity was confirmed by a national eID provider."""
    if provider not in settings.DIMOS_OIDC_VERIFIED_PROVIDERS:
        return
    user.identity_verified = True
    user.identity_provider = provider
    user.identity_verified_at = timezone.now()
    if user.pk:
        user.save(update_fields=["identity_verified", "identity_provider", "identity_verified_at"])


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Identities from a configured eID gateway count as verified."""

    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: dict) -> Any:
        user = super().populate_user(request, sociallogin, data)
        # allauth took given_name/family_name already; this covers a provider that sends them
        # only inside the ID token.
        claims = oidc_claims(sociallogin.account.extra_data)
        user.first_name = user.first_name or str(claims.get("given_name") or "")[:150]
        user.last_name = user.last_name or str(claims.get("family_name") or "")[:150]
        return user

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form: Any = None) -> Any:
        user = super().save_user(request, sociallogin, form)
        mark_identity_verified(user, sociallogin.account.provider)
        audit.record(
            action="account.eid_linked",
            actor=user,
            target=user,
            request=request,
            details={"provider": sociallogin.account.provider},
        )
        return user

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        # An existing link: every eID login refreshes the verification time.
        if sociallogin.is_existing:
            mark_identity_verified(sociallogin.user, sociallogin.account.provider)


def eid_connected(
    sender: Any, request: HttpRequest, sociallogin: SocialLogin, **kwargs: Any
) -> None:
    """A person logged in with an email account linked their national eID: the identity is now
    verified. allauth's connect flow calls no adapter method once the link is saved, so this
    listens to its ``social_account_added`` signal (connected in ``AccountsConfig.ready``)."""
    provider = sociallogin.account.provider
    if provider not in settings.DIMOS_OIDC_VERIFIED_PROVIDERS:
        return
    mark_identity_verified(sociallogin.user, provider)
    audit.record(
        action="account.eid_linked",
        actor=sociallogin.user,
        target=sociallogin.user,
        request=request,
        details={"provider": provider},
    )
