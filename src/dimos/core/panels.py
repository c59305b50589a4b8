"""What the core contributes to "My account" and the staff home."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import checks
from django.utils import timezone

from dimos.core.models import Delivery
from dimos.core.registry import QueueCounts

if TYPE_CHECKING:
    from django.http import HttpRequest

    from dimos.accounts.models import User


def notifications_panel(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {"notifications": list(user.notifications.all()[:5])}  # type: ignore[union-attr]


def delivery_queue_counts(user: User) -> QueueCounts:
    failed = Delivery.objects.filter(status=Delivery.Status.FAILED)
    day_ago = timezone.now() - timedelta(days=1)
    return QueueCounts(open=failed.count(), overdue=failed.filter(created_at__lt=day_ago).count())


def operations_queue_counts(user: User) -> QueueCounts:
    from dimos.core.workers import queue_health

    health = queue_health()
    late = health.waiting + health.long_running + health.overdue_deliveries
    return QueueCounts(open=late, overdue=late)


def register_core_checks() -> None:
    @checks.register(checks.Tags.security, deploy=True)
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

    @checks.register(checks.Tags.security)
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

    @checks.register()
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
