"""Notifying people: one API for in-app, email and SMS messages.

``notify`` renders the kind's templates in the recipient's language, stores the in-app
notification and one :class:`Delivery` per channel, and enqueues their sending after commit.
Failed sends are retried with back-off; after the last attempt they show as failed to
administrators, who can retry them.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from dimos.core import audit
from dimos.core.models import Delivery, Municipality, Notification, NotificationAttachment
from dimos.core.registry import registry
from dimos.core.sms import get_backend

if TYPE_CHECKING:
    from dimos.accounts.models import User

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    """A file to send with a notification's email."""

    filename: str
    content: bytes
    content_type: str = "application/octet-stream"


def _render(kind: str, part: str, context: dict[str, Any]) -> str:
    return render_to_string(f"notifications/{kind}/{part}.txt", context).strip()


def notify(
    *,
    kind: str,
    recipient: User | None = None,
    email: str = "",
    phone: str = "",
    context: dict[str, Any] | None = None,
    url: str = "",
    private_url: str = "",
    language: str = "",
    attachments: list[Attachment] | None = None,
) -> Notification:
    """Tell a user (or an email address / phone number) something, in their language.

    ``url`` is a path on this site that the message links to. A registered user gets the
    message in the in-app inbox and over the channels they chose; bare addresses get email
    and/or SMS. ``attachments`` go with the email only (an SMS carries the subject and link).
    ``private_url`` is a link carrying a secret (a booking's manage key): the email and SMS
    link to it instead of ``url``, and it is stored only sealed, never readable in a page or
    the admin (:func:`seal`). Call inside the transaction of the write that caused it.
    """
    if kind not in registry.notification_kinds:
        raise ValueError(f"Unknown notification kind {kind!r}")
    if recipient is None and not (email or phone):
        raise ValueError("A recipient, an email address or a phone number is needed.")
    kind_def = registry.notification_kinds[kind]
    language = (
        language or (recipient.preferred_language if recipient else "") or settings.LANGUAGE_CODE
    )
    full_url = f"{settings.SITE_URL}{url}" if url.startswith("/") else url
    ctx = {
        "recipient": recipient,
        "municipality": Municipality.current(),
        "site_url": settings.SITE_URL,
        "url": full_url,
        **(context or {}),
    }
    with translation.override(language):
        subject = " ".join(_render(kind, "subject", ctx).split())
        body = _render(kind, "body", ctx)

    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        subject=subject[:300],
        body=body,
        url=url,
        sealed_url=seal(private_url) if private_url else "",
        language=language,
    )
    for attachment in attachments or []:
        NotificationAttachment.objects.create(
            notification=notification,
            filename=attachment.filename[:200],
            content_type=attachment.content_type[:100],
            content=attachment.content,
        )
    targets: list[tuple[str, str]] = []
    if recipient is not None:
        if recipient.email and (recipient.notify_email or kind_def.mandatory):
            targets.append((Delivery.Channel.EMAIL, recipient.email))
        if recipient.phone and recipient.notify_sms:
            targets.append((Delivery.Channel.SMS, recipient.phone))
    if email and (Delivery.Channel.EMAIL, email) not in targets:
        targets.append((Delivery.Channel.EMAIL, email))
    if phone and (Delivery.Channel.SMS, phone) not in targets:
        targets.append((Delivery.Channel.SMS, phone))

    from dimos.core.tasks import deliver, enqueue_on_commit

    for channel, address in targets:
        delivery = Delivery.objects.create(
            notification=notification, channel=channel, address=address
        )
        enqueue_on_commit(deliver, delivery.pk)
    return notification


def _fernet() -> MultiFernet:
    # One key per SECRET_KEY (the current one first, then SECRET_KEY_FALLBACKS), derived for
    # this use only, so rotating SECRET_KEY the Django way keeps pending links readable.
    keys = []
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        derived = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"dimos.notifications.sealed"
        ).derive(str(secret).encode())
        keys.append(Fernet(base64.urlsafe_b64encode(derived)))
    return MultiFernet(keys)


def seal(value: str) -> str:
    """Encrypt a secret link for storage until its message is sent."""
    return _fernet().encrypt(value.encode()).decode()


def outgoing_link(notification: Notification) -> str:
    """The absolute link an email or SMS carries: the sealed private one, else ``url``."""
    path = notification.url
    if notification.sealed_url:
        try:
            path = _fernet().decrypt(notification.sealed_url.encode()).decode()
        except InvalidToken:
            # SECRET_KEY changed without a fallback: the public link still works after login.
            logger.warning("Notification %s: sealed link unreadable", notification.pk)
    if not path:
        return ""
    return f"{settings.SITE_URL}{path}" if path.startswith("/") else path


def _forget_sealed_when_sent(notification: Notification) -> None:
    if (
        notification.sealed_url
        and not notification.deliveries.exclude(status=Delivery.Status.SENT).exists()
    ):
        Notification.objects.filter(pk=notification.pk).update(sealed_url="")


def _sms_text(notification: Notification) -> str:
    # SMS carries the subject and the link only: bodies may be long, and phones are shared.
    text = notification.subject
    link = outgoing_link(notification)
    if link:
        text += f" {link}"
    return text[:480]


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** (attempts - 1), 60))


def deliver(*, delivery_id: int) -> str:
    """Send one delivery; on failure record the error and schedule a retry. Safe to re-run."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("notification")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status == Delivery.Status.SENT:
            return "skipped"
        notification = delivery.notification
        delivery.attempts += 1
        try:
            if delivery.channel == Delivery.Channel.EMAIL:
                body = notification.body
                link = outgoing_link(notification)
                if link:
                    body += f"\n\n{link}"
                message = EmailMessage(
                    subject=notification.subject, body=body, to=[delivery.address]
                )
                for attachment in notification.attachments.all():
                    message.attach(
                        attachment.filename, bytes(attachment.content), attachment.content_type
                    )
                message.send()
            else:
                get_backend().send(to=delivery.address, body=_sms_text(notification))
        except Exception as exc:
            logger.warning("Delivery %s failed: %s", delivery.pk, exc)
            delivery.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if delivery.attempts >= settings.DIMOS_NOTIFICATION_MAX_ATTEMPTS:
                delivery.status = Delivery.Status.FAILED
                delivery.next_attempt_at = None
            else:
                delivery.next_attempt_at = timezone.now() + _backoff(delivery.attempts)
                from dimos.core.tasks import deliver as deliver_task
                from dimos.core.tasks import enqueue_on_commit

                enqueue_on_commit(deliver_task, delivery.pk, run_after=delivery.next_attempt_at)
            delivery.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return "failed"
        delivery.status = Delivery.Status.SENT
        delivery.sent_at = timezone.now()
        delivery.next_attempt_at = None
        delivery.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at"])
        _forget_sealed_when_sent(notification)
        return "sent"


def retry_delivery(*, delivery: Delivery, actor: User) -> None:
    """Send a failed delivery again (an administrator's action)."""
    from dimos.core.tasks import deliver as deliver_task
    from dimos.core.tasks import enqueue_on_commit

    with transaction.atomic():
        delivery.status = Delivery.Status.PENDING
        delivery.next_attempt_at = timezone.now()
        delivery.save(update_fields=["status", "next_attempt_at"])
        audit.record(action="notification.retry", actor=actor, target=delivery)
        enqueue_on_commit(deliver_task, delivery.pk)


def mark_read(*, user: User, notification_ids: list[int] | None = None) -> int:
    """Mark some (or all) of the user's unread notifications as read."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())
