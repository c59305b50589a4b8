from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from django_tasks import default_task_backend as _backend

from dimos.core import notifications
from dimos.core.models import Delivery, Notification
from dimos.core.sms import MemorySmsBackend
from dimos.core.taskbackends import ImmediateBackend

default_task_backend: ImmediateBackend = _backend  # type: ignore[assignment]


class BrokenSmsBackend:
    def __init__(self, *, timeout: float) -> None:
        self.timeout = timeout

    def send(self, *, to: str, body: str) -> None:
        raise ConnectionError("gateway down")


@pytest.fixture(autouse=True)
def _clear_sms():
    MemorySmsBackend.outbox.clear()
    default_task_backend.deferred.clear()
    yield
    default_task_backend.deferred.clear()


def test_notify_creates_inbox_item_and_sends_email_in_recipients_language(
    citizen, django_capture_on_commit_callbacks
):
    citizen.preferred_language = "en"
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        n = notifications.notify(kind="accounts.welcome", recipient=citizen, url="/my/")
    assert Notification.objects.filter(recipient=citizen, kind="accounts.welcome").count() == 1
    assert n.language == "en"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [citizen.email]
    assert "Welcome" in mail.outbox[0].subject
    assert "http://" in mail.outbox[0].body and "/my/" in mail.outbox[0].body
    assert Delivery.objects.get(notification=n).status == Delivery.Status.SENT


def test_greek_is_used_for_greek_recipients(citizen, django_capture_on_commit_callbacks):
    citizen.preferred_language = "el"
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        n = notifications.notify(kind="accounts.welcome", recipient=citizen)
    assert n.language == "el"
    assert n.subject == mail.outbox[0].subject


def test_opted_out_email_is_not_sent_but_inbox_keeps_it(
    citizen, django_capture_on_commit_callbacks
):
    citizen.notify_email = False
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(kind="accounts.welcome", recipient=citizen)
    assert mail.outbox == []
    assert citizen.notifications.count() == 1


def test_mandatory_kinds_ignore_the_opt_out(citizen, django_capture_on_commit_callbacks):
    citizen.notify_email = False
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(kind="accounts.roles_changed", recipient=citizen)
    assert len(mail.outbox) == 1


@override_settings(DIMOS_SMS_BACKEND="dimos.core.sms.MemorySmsBackend")
def test_sms_goes_to_users_who_chose_it(citizen, django_capture_on_commit_callbacks):
    citizen.phone = "+306900000000"
    citizen.notify_sms = True
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(kind="accounts.welcome", recipient=citizen, url="/my/")
    assert len(MemorySmsBackend.outbox) == 1
    to, body = MemorySmsBackend.outbox[0]
    assert to == "+306900000000"
    assert "/my/" in body


def test_bare_email_address_gets_the_message(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        n = notifications.notify(kind="accounts.welcome", email="gone@example.org", language="en")
    assert n.recipient is None
    assert mail.outbox[0].to == ["gone@example.org"]


def test_unknown_kind_is_refused(citizen):
    with pytest.raises(ValueError):
        notifications.notify(kind="nope", recipient=citizen)


def test_nobody_to_notify_is_refused(db):
    with pytest.raises(ValueError):
        notifications.notify(kind="accounts.welcome")


def test_nothing_is_sent_when_the_transaction_rolls_back(
    citizen, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notifications.notify(kind="accounts.welcome", recipient=citizen)
                raise RuntimeError("the write failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert mail.outbox == []
    assert Notification.objects.count() == 0


def test_failed_delivery_is_retried_with_backoff_then_marked_failed(
    db, django_capture_on_commit_callbacks, settings
):
    settings.DIMOS_SMS_BACKEND = f"{__name__}.BrokenSmsBackend"
    settings.DIMOS_NOTIFICATION_MAX_ATTEMPTS = 3
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(kind="accounts.welcome", phone="+306900000001", language="el")
    delivery = Delivery.objects.get(channel=Delivery.Channel.SMS)
    assert delivery.attempts == 1
    assert delivery.status == Delivery.Status.PENDING
    assert "gateway down" in delivery.last_error
    assert len(default_task_backend.deferred) == 1

    # The worker runs the retries when they fall due.
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            default_task_backend.run_due(timezone.now() + timedelta(hours=2))
    delivery.refresh_from_db()
    assert delivery.attempts == 3
    assert delivery.status == Delivery.Status.FAILED
    assert default_task_backend.deferred == []


def test_delivery_task_is_idempotent(citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        n = notifications.notify(kind="accounts.welcome", recipient=citizen)
    delivery = n.deliveries.get()
    assert notifications.deliver(delivery_id=delivery.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_mark_read_only_touches_own_notifications(citizen, other_citizen):
    mine = notifications.notify(kind="accounts.welcome", recipient=citizen)
    theirs = notifications.notify(kind="accounts.welcome", recipient=other_citizen)
    assert notifications.mark_read(user=citizen, notification_ids=[mine.pk, theirs.pk]) == 1
    theirs.refresh_from_db()
    assert theirs.read_at is None


@override_settings(DIMOS_SMS_BACKEND="dimos.core.sms.MemorySmsBackend")
def test_attachments_go_with_the_email_but_not_the_sms(citizen, django_capture_on_commit_callbacks):
    citizen.phone = "+306900000000"
    citizen.notify_sms = True
    citizen.save()
    invite = notifications.Attachment("invite.ics", b"BEGIN:VCALENDAR\r\n", "text/calendar")
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(kind="accounts.welcome", recipient=citizen, attachments=[invite])
    assert mail.outbox[0].attachments == [("invite.ics", "BEGIN:VCALENDAR\r\n", "text/calendar")]
    assert len(MemorySmsBackend.outbox) == 1
    assert "VCALENDAR" not in str(MemorySmsBackend.outbox[0])


def test_the_inbox_badge_counts_at_once_though_it_is_cached(citizen):
    from dimos.core.selectors import unread_count
    from dimos.testing.personas import login

    client = login(citizen)
    assert unread_count(citizen.pk) == 0
    assert "dimos-badge" not in client.get("/relief/").content.decode()
    notifications.notify(kind="accounts.welcome", recipient=citizen)
    notifications.notify(kind="accounts.welcome", recipient=citizen)
    assert unread_count(citizen.pk) == 2
    badge = client.get("/relief/").content.decode()
    assert '<span class="dimos-badge">2<' in badge
    notifications.mark_read(user=citizen)
    assert unread_count(citizen.pk) == 0
    one = notifications.notify(kind="accounts.welcome", recipient=citizen)
    assert unread_count(citizen.pk) == 1
    one.delete()
    assert unread_count(citizen.pk) == 0


def test_messages_are_plain_text_nothing_escaped(citizen):
    """A reason with an apostrophe or an ampersand arrives as typed, in the inbox row, the
    email and the SMS (the texts are plain text; pages escape them when they show them)."""
    n = notifications.notify(
        kind="accounts.roles_changed",
        recipient=citizen,
        context={"roles": ["Coordinator's desk & <helpline>"]},
    )
    assert "- Coordinator's desk & <helpline>" in n.body
