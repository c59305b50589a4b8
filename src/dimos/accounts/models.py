"""People: residents, staff and the API tokens of integrations."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any, ClassVar

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DimosUserManager(UserManager["User"]):
    """Users are identified by email; there is no username."""

    use_in_migrations = True

    def _create_user_by_email(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user_by_email(email, password, **extra)

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user_by_email(email, password, **extra)


class IdentityDocument(models.TextChoices):
    """An identity document a clerk sees at the desk: to confirm that an account is its
    owner's, or before filing a request for someone."""

    ID_CARD = "id_card", _("police identity card")
    PASSPORT = "passport", _("passport")
    RESIDENCE_PERMIT = "residence_permit", _("residence permit")
    EU_ID_CARD = "eu_id_card", _("identity card of another EU country")


class User(AbstractUser):
    """A person with an account: a resident, a business representative or a staff member."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    phone = models.CharField(_("mobile phone"), max_length=30, blank=True)
    address = models.CharField(_("postal address"), max_length=300, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    notify_email = models.BooleanField(_("send me notifications by email"), default=True)
    notify_sms = models.BooleanField(_("send me notifications by SMS"), default=False)
    identity_verified = models.BooleanField(
        _("identity verified"),
        default=False,
        help_text=_("Set when the person logged in through a national eID provider."),
    )
    identity_provider = models.CharField(_("identity provider"), max_length=100, blank=True)
    identity_verified_at = models.DateTimeField(_("identity verified at"), null=True, blank=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[DimosUserManager] = DimosUserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [
            ("manage_staff", "Can add staff members and give them roles"),
            ("confirm_identity", "Can confirm a resident's identity in person"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email.split("@")[0]


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for an integration, acting as its user. Only a hash is stored."""

    PREFIX = "dmt_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    key_prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def generate(cls) -> tuple[str, str, str]:
        """A new raw token, its display prefix and its hash."""
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        return raw, raw[:12], _hash_token(raw)

    @classmethod
    def find(cls, raw: str) -> ApiToken | None:
        token = cls.objects.select_related("user").filter(key_hash=_hash_token(raw)).first()
        if token is None or token.revoked_at is not None or not token.user.is_active:
            return None
        if token.expires_at is not None and token.expires_at <= timezone.now():
            return None
        return token


class TwoStepMethod(Authenticator):
    """allauth's two-step verification methods (authenticator apps, recovery codes) as the
    admin lists them: a proxy, so that the admin's names are translatable (allauth's model
    has none: "Authenticators", "Created at")."""

    class Meta:
        proxy = True
        verbose_name = _("two-step verification method")
        verbose_name_plural = _("two-step verification methods")
