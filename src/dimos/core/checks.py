"""The core's system checks (declared on its manifest, ``dimos.core.apps``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


def production_mode(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    if not settings.PRODUCTION:
        return [
            checks.Warning(
                "DIMOS_ENV is not 'production': cookies are not marked secure and "
                "HTTPS is not enforced.",
                id="dimos.W001",
            )
        ]
    return []


def production_email(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    if settings.PRODUCTION and settings.EMAIL_URL.startswith("console:"):
        return [
            checks.Warning(
                "EMAIL_URL is console:// in production: emails, with their sign-in and "
                "password-reset links, are printed to the log instead of being sent.",
                hint="Set EMAIL_URL to your SMTP server (see docs/deploy.md, Email).",
                id="dimos.W002",
            )
        ]
    return []


def legacy_private_dir(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    legacy = settings.DIMOS_LEGACY_CERTIFICATES_FILES_DIR
    if legacy:
        return [
            checks.Warning(
                f"DIMOS_CERTIFICATES_FILES_DIR is deprecated; the private files are kept "
                f"under DIMOS_PRIVATE_DIR={settings.DIMOS_PRIVATE_DIR} (its folder).",
                hint=f"Set DIMOS_PRIVATE_DIR={settings.DIMOS_PRIVATE_DIR} and unset "
                "DIMOS_CERTIFICATES_FILES_DIR.",
                id="dimos.W020",
            )
        ]
    return []
