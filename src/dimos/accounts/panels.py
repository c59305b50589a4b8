"""What accounts contributes to "My account" and the staff home."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from allauth.mfa.models import Authenticator
from django.utils import timezone

from dimos.accounts.selectors import active_staff
from dimos.core.registry import QueueCounts

if TYPE_CHECKING:
    from django.http import HttpRequest

    from dimos.accounts.models import User


def profile_panel(request: HttpRequest) -> dict[str, Any]:
    return {"profile_user": request.user}


def staff_without_mfa_counts(user: User) -> QueueCounts:

    missing = active_staff().exclude(
        pk__in=Authenticator.objects.filter(type=Authenticator.Type.TOTP).values("user_id")
    )
    week_ago = timezone.now() - timedelta(days=7)
    return QueueCounts(
        open=missing.count(), overdue=missing.filter(date_joined__lt=week_ago).count()
    )
