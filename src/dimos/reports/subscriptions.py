"""Following reports: residents follow a report ("me too") or a district, and are told."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction

from dimos.core import audit
from dimos.reports.models import Report, ReportUpdate, Subscription

if TYPE_CHECKING:
    from django.http import HttpRequest

    from dimos.accounts.models import User
    from dimos.core.models import District


def follow_report(
    *, report: Report, user: User, request: HttpRequest | None = None
) -> tuple[Subscription, bool]:
    """Follow a report (idempotent); the first time counts as "someone has the same problem"."""
    existing = Subscription.objects.filter(report=report, user=user).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            subscription = Subscription.objects.create(report=report, user=user)
            ReportUpdate.objects.create(
                report=report, kind=ReportUpdate.Kind.FOLLOWED, actor=user, is_public=True
            )
            audit.record(action="report.followed", actor=user, target=report, request=request)
    except IntegrityError:  # a double click raced the first one
        return Subscription.objects.get(report=report, user=user), False
    return subscription, True


def follow_district(
    *, district: District, user: User, request: HttpRequest | None = None
) -> tuple[Subscription, bool]:
    subscription, created = Subscription.objects.get_or_create(district=district, user=user)
    if created:
        audit.record(action="district.followed", actor=user, target=district, request=request)
    return subscription, created


def unsubscribe(*, subscription: Subscription, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        audit.record(
            action="subscription.ended",
            target=subscription.report or subscription.district,
            request=request,
        )
        subscription.delete()


def notify_followers(*, report: Report, update: ReportUpdate) -> int:
    """Tell everyone following the report or its district (not the reporter, told already)."""
    from django.db.models import Q
    from django.urls import reverse

    from dimos.core.notifications import notify
    from dimos.reports.models import Status

    if not update.is_public:
        return 0
    followers = Subscription.objects.filter(
        Q(report=report) | Q(district_id=report.district_id, district__isnull=False)
    ).select_related("user")
    told = set()
    context = {"report": report, "update": update, "status": Status(report.status).label}
    url = reverse("reports:detail", kwargs={"pk": report.pk})
    for subscription in followers:
        user = subscription.user
        key = user.pk if user else subscription.email
        if key in told or (user is not None and user.pk == report.reporter_id):
            continue
        told.add(key)
        personal = {
            **context,
            "unsubscribe_url": settings.SITE_URL
            + reverse("reports:unsubscribe", kwargs={"token": subscription.token}),
        }
        if user is not None and user.is_active:
            notify(kind="reports.followed_update", recipient=user, context=personal, url=url)
        elif subscription.email:
            notify(
                kind="reports.followed_update", email=subscription.email, context=personal, url=url
            )
    return len(told)
