"""Notifying people: one API for in-app, email and SMS messages.

``notify`` renders the kind's templates in the recipient's language, stores the in-app
notification and one :class:`Delivery` per channel, and enqueues their sending after commit.
Failed sends are retried with back-off; after the last attempt they show as failed to
administrators, who can retry them.
"""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.db.models import QuerySet
from django.template import Context, engines
from django.utils import timezone, translation

from dimos.core import audit
from dimos.core.models import Delivery, Municipality, Notification, NotificationAttachment
from dimos.core.registry import registry
from dimos.core.selectors import unread_changed
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
    """A message's subject or text: plain text, so nothing is HTML-escaped (an apostrophe in a
    reason stays an apostrophe); pages that show it escape it when they do."""
    template = engines["django"].engine.get_template(f"notifications/{kind}/{part}.txt")  # type: ignore[attr-defined]
    return str(template.render(Context(context, autoescape=False))).strip()


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
    sealed: bool = False,
) -> Notification | None:
    """Tell a user (or an email address / phone number) something, in their language.

    ``url`` is a path on this site that the message links to. A registered user gets the
    message in the in-app inbox and over the channels they chose; bare addresses get email
    and/or SMS. ``attachments`` go with the email only (an SMS carries the subject and link).
    ``private_url`` is a link carrying a secret (a booking's manage key): the email and SMS
    link to it instead of ``url``, and it is stored only sealed, never readable in a page or
    the admin (:func:`seal`). ``sealed`` does the same for the whole message (a code the
    person must tell a courier): what is stored readable is the kind's title, the subject and
    body only sealed, and forgotten once every channel has sent it. Call inside the
    transaction of the write that caused it.
    Answers the stored notification, or None for an erased account (nothing is sent to it).
    """
    if kind not in registry.notification_kinds:
        raise ValueError(f"Unknown notification kind {kind!r}")
    if recipient is None and not (email or phone):
        raise ValueError("A recipient, an email address or a phone number is needed.")
    if recipient is not None and recipient.erased_at is not None:
        # An erased account has no address left: nothing is stored, nothing is sent.
        return None
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

    sealed_body = ""
    if sealed:
        sealed_body = seal(json.dumps({"subject": subject, "text": body}))
        with translation.override(language):
            subject, body = str(kind_def.title), ""
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        subject=subject[:300],
        body=body,
        url=url,
        sealed_url=seal(private_url) if private_url else "",
        sealed_body=sealed_body,
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


def send_email_later(
    *, kind: str, to: str, subject: str, text: str, html: str = "", language: str = ""
) -> Notification:
    """Queue an email rendered elsewhere, whose text carries a secret, for a worker to send.

    For allauth's messages (sign-up confirmation, password reset, security notices): the web
    request never waits on the mail server, the message is retried like every notification,
    and its text, which carries one-time keys, is stored only sealed and forgotten once sent.
    Call it in or out of a transaction: the sending is enqueued after commit.
    """
    if kind not in registry.notification_kinds:
        raise ValueError(f"Unknown notification kind {kind!r}")
    from dimos.core.tasks import deliver, enqueue_on_commit

    with transaction.atomic():
        notification = Notification.objects.create(
            kind=kind,
            subject=subject[:300],
            body="",
            sealed_body=seal(json.dumps({"text": text, "html": html})),
            language=language or translation.get_language() or settings.LANGUAGE_CODE,
        )
        delivery = Delivery.objects.create(
            notification=notification, channel=Delivery.Channel.EMAIL, address=to
        )
        enqueue_on_commit(deliver, delivery.pk)
    return notification


def _unseal(value: str) -> str | None:
    try:
        return _fernet().decrypt(value.encode()).decode()
    except InvalidToken:
        return None


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
        unsealed = _unseal(notification.sealed_url)
        if unsealed is None:
            # SECRET_KEY changed without a fallback: the public link still works after login.
            logger.warning("Notification %s: sealed link unreadable", notification.pk)
        else:
            path = unsealed
    if not path:
        return ""
    return f"{settings.SITE_URL}{path}" if path.startswith("/") else path


def _forget_sealed_when_sent(notification: Notification) -> None:
    if (
        notification.sealed_url or notification.sealed_body
    ) and not notification.deliveries.exclude(status=Delivery.Status.SENT).exists():
        Notification.objects.filter(pk=notification.pk).update(sealed_url="", sealed_body="")


def _sms_text(notification: Notification) -> str:
    # SMS carries the subject and the link only: bodies may be long, and phones are shared.
    text = notification.subject
    if notification.sealed_body:
        unsealed = _unseal(notification.sealed_body)
        if unsealed is None:
            raise ValueError("The sealed message cannot be read (SECRET_KEY changed).")
        text = json.loads(unsealed).get("subject") or text
    link = outgoing_link(notification)
    if link:
        text += f" {link}"
    return text[:480]


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** (attempts - 1), 60))


# How long a worker's claim on a delivery holds. Sending takes at most a few EMAIL_TIMEOUTs; a
# claim older than this was left by a worker that died mid-send, and another worker takes
# the delivery over (the message may then go twice: at least once beats never).
SEND_LEASE = timedelta(minutes=5)


def deliver(*, delivery_id: int) -> str:
    """Send one delivery; on failure record the error and schedule a retry. Safe to re-run.

    No transaction is open while the mail server or the SMS gateway is talked to (with
    SQLite that would hold the database's only write lock for as long as they take): the
    delivery is claimed in one short transaction, sent, and the outcome recorded in another.
    The claim (status SENDING, ``claimed_at``) keeps a second worker from sending it too.
    """
    claimed = _claim(delivery_id)
    if isinstance(claimed, str):
        return claimed
    delivery, claimed_at = claimed
    try:
        _send(delivery)
    except Exception as exc:
        return _record_failure(delivery, claimed_at, exc)
    except BaseException:
        # The worker is stopping (SIGTERM past its grace period): give the delivery back at
        # once rather than leave it to the lease.
        _mine(delivery, claimed_at).update(
            status=Delivery.Status.PENDING, claimed_at=None, attempts=delivery.attempts - 1
        )
        raise
    return _record_sent(delivery, claimed_at)


def _claim(delivery_id: int) -> tuple[Delivery, datetime] | str:
    from dimos.core.tasks import deliver as deliver_task
    from dimos.core.tasks import enqueue_on_commit

    now = timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("notification")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status in (Delivery.Status.SENT, Delivery.Status.FAILED):
            return "skipped"
        if (
            delivery.status == Delivery.Status.SENDING
            and delivery.claimed_at is not None
            and delivery.claimed_at > now - SEND_LEASE
        ):
            # Another worker is sending it now; look again when its claim runs out.
            enqueue_on_commit(deliver_task, delivery.pk, run_after=delivery.claimed_at + SEND_LEASE)
            return "busy"
        delivery.status = Delivery.Status.SENDING
        delivery.claimed_at = now
        delivery.attempts += 1
        delivery.save(update_fields=["status", "claimed_at", "attempts"])
    return delivery, now


def _send(delivery: Delivery) -> None:
    notification = delivery.notification
    if delivery.channel == Delivery.Channel.EMAIL and notification.sealed_body:
        unsealed = _unseal(notification.sealed_body)
        if unsealed is None:
            raise ValueError("The sealed message cannot be read (SECRET_KEY changed).")
        parts = json.loads(unsealed)
        sealed = EmailMultiAlternatives(
            subject=parts.get("subject") or notification.subject,
            body=parts["text"],
            to=[delivery.address],
        )
        if parts.get("html"):
            sealed.attach_alternative(parts["html"], "text/html")
        sealed.send()  # bounded by EMAIL_TIMEOUT
    elif delivery.channel == Delivery.Channel.EMAIL:
        body = notification.body
        link = outgoing_link(notification)
        if link:
            body += f"\n\n{link}"
        message = EmailMessage(subject=notification.subject, body=body, to=[delivery.address])
        for attachment in notification.attachments.all():
            message.attach(attachment.filename, bytes(attachment.content), attachment.content_type)
        message.send()  # bounded by EMAIL_TIMEOUT
    else:
        get_backend().send(to=delivery.address, body=_sms_text(notification))


def _mine(delivery: Delivery, claimed_at: datetime) -> QuerySet[Delivery]:
    """The delivery, if this worker's claim on it still stands."""
    return Delivery.objects.filter(
        pk=delivery.pk, status=Delivery.Status.SENDING, claimed_at=claimed_at
    )


def _record_sent(delivery: Delivery, claimed_at: datetime) -> str:
    updated = _mine(delivery, claimed_at).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), next_attempt_at=None, claimed_at=None
    )
    if not updated:
        logger.warning("Delivery %s was sent after another worker took it over", delivery.pk)
    _forget_sealed_when_sent(delivery.notification)
    return "sent"


def _record_failure(delivery: Delivery, claimed_at: datetime, exc: Exception) -> str:
    from dimos.core.tasks import deliver as deliver_task
    from dimos.core.tasks import enqueue_on_commit

    logger.warning("Delivery %s failed: %s", delivery.pk, type(exc).__name__)
    error = f"{type(exc).__name__}: {exc}"[:2000]
    next_attempt_at = None
    status = Delivery.Status.FAILED
    if delivery.attempts < settings.DIMOS_NOTIFICATION_MAX_ATTEMPTS:
        status = Delivery.Status.PENDING
        next_attempt_at = timezone.now() + _backoff(delivery.attempts)
    with transaction.atomic():
        updated = _mine(delivery, claimed_at).update(
            status=status, last_error=error, next_attempt_at=next_attempt_at, claimed_at=None
        )
        if updated and next_attempt_at is not None:
            enqueue_on_commit(deliver_task, delivery.pk, run_after=next_attempt_at)
    return "failed"


def retry_delivery(*, delivery: Delivery, actor: User) -> bool:
    """Send a failed or waiting delivery again (an administrator's action).

    Refused (False) for one already sent, or being sent by a worker right now.
    """
    from dimos.core.tasks import deliver as deliver_task
    from dimos.core.tasks import enqueue_on_commit

    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.status == Delivery.Status.SENT or (
            delivery.status == Delivery.Status.SENDING
            and delivery.claimed_at is not None
            and delivery.claimed_at > timezone.now() - SEND_LEASE
        ):
            return False
        delivery.status = Delivery.Status.PENDING
        delivery.claimed_at = None
        delivery.next_attempt_at = timezone.now()
        delivery.save(update_fields=["status", "claimed_at", "next_attempt_at"])
        audit.record(action="notification.retry", actor=actor, target=delivery)
        enqueue_on_commit(deliver_task, delivery.pk)
    return True


def mark_read(*, user: User, notification_ids: list[int] | None = None) -> int:
    """Mark some (or all) of the user's unread notifications as read."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    marked = qs.update(read_at=timezone.now())
    unread_changed(user.pk)
    return marked
