"""Sending a notification never holds the database while the mail server is waited on.

A real SMTP connection to a server that accepts and never answers (as a dead mail relay
does): the delivery must time out and be retried, and meanwhile other connections write.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend as _backend

from dimos.core import notifications
from dimos.core.models import Delivery, Notification
from dimos.core.taskbackends import ImmediateBackend

default_task_backend: ImmediateBackend = _backend  # type: ignore[assignment]

PASSWORD = "correct-horse-battery-9"  # the factories' password


class SilentServer:
    """A TCP server that accepts connections and never sends a byte."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.accepted = threading.Event()
        self.connections: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            self.connections.append(conn)
            self.accepted.set()

    def close(self) -> None:
        self.sock.close()
        for conn in self.connections:
            conn.close()


@pytest.fixture
def silent_smtp(settings) -> Iterator[SilentServer]:
    server = SilentServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 3
    default_task_backend.deferred.clear()
    yield server
    server.close()
    default_task_backend.deferred.clear()


def _pending_email(user) -> Delivery:
    # Rows made by hand, not by notify(): here nothing may send before the test says so.
    notification = Notification.objects.create(
        recipient=user, kind="accounts.welcome", subject="Welcome", body="Hello", language="en"
    )
    return Delivery.objects.create(
        notification=notification, channel=Delivery.Channel.EMAIL, address=user.email
    )


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_never_answers_blocks_no_write(citizen, silent_smtp, settings):
    delivery = _pending_email(citizen)
    sending = threading.Event()
    sending.set()
    seen: dict[str, Any] = {}

    def visitor() -> None:
        # Another connection, as a web request would be, while the worker waits on the server.
        try:
            silent_smtp.accepted.wait(10)
            started = time.monotonic()
            response = Client().post(
                reverse("account_login"), {"login": citizen.email, "password": PASSWORD}
            )
            seen["login"] = response.status_code
            seen["login_seconds"] = time.monotonic() - started
            if connection.features.has_select_for_update_nowait:
                with transaction.atomic():
                    Delivery.objects.select_for_update(nowait=True).get(pk=delivery.pk)
                seen["row_free"] = True
            seen["worker_still_waiting"] = sending.is_set()
        except Exception as exc:
            seen["error"] = repr(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=visitor)
    thread.start()
    started = time.monotonic()
    outcome = notifications.deliver(delivery_id=delivery.pk)
    took = time.monotonic() - started
    sending.clear()
    thread.join(30)

    assert "error" not in seen, seen["error"]
    assert seen["login"] == 302  # logged in, while the mail server hung
    assert seen["worker_still_waiting"] is True
    assert seen["login_seconds"] < 2
    assert seen.get("row_free", True) is True

    # The worker gave up after EMAIL_TIMEOUT and scheduled a retry.
    assert outcome == "failed"
    assert took < 3 + 5
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.attempts == 1
    assert "timed out" in delivery.last_error
    assert delivery.next_attempt_at is not None
    assert len(default_task_backend.deferred) == 1

    # The retry, once the mail server works again, sends it.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    default_task_backend.run_due(timezone.now() + timedelta(hours=1))
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.attempts == 2
    assert [m.to for m in mail.outbox] == [[citizen.email]]


class GateSmsBackend:
    """An SMS gateway that holds each message until the test opens the gate."""

    gate = threading.Event()
    entered = threading.Event()
    sent: list[str] = []

    def __init__(self, *, timeout: float) -> None:
        self.timeout = timeout

    def send(self, *, to: str, body: str) -> None:
        self.entered.set()
        assert self.gate.wait(10)
        self.sent.append(to)


@pytest.fixture
def gate_sms(settings) -> Iterator[type[GateSmsBackend]]:
    settings.DIMOS_SMS_BACKEND = f"{__name__}.GateSmsBackend"
    GateSmsBackend.gate.clear()
    GateSmsBackend.entered.clear()
    GateSmsBackend.sent.clear()
    default_task_backend.deferred.clear()
    yield GateSmsBackend
    GateSmsBackend.gate.set()
    default_task_backend.deferred.clear()


def _pending_sms() -> Delivery:
    notification = Notification.objects.create(
        kind="accounts.welcome", subject="Welcome", body="Hello", language="en"
    )
    return Delivery.objects.create(
        notification=notification, channel=Delivery.Channel.SMS, address="+306900000001"
    )


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_send_one_delivery_twice(gate_sms):
    delivery = _pending_sms()
    outcomes: list[str] = []

    def first_worker() -> None:
        try:
            outcomes.append(notifications.deliver(delivery_id=delivery.pk))
        finally:
            connection.close()

    thread = threading.Thread(target=first_worker)
    thread.start()
    assert gate_sms.entered.wait(10)
    # A second worker gets the same delivery (a duplicate task) while the first is sending.
    assert notifications.deliver(delivery_id=delivery.pk) == "busy"
    gate_sms.gate.set()
    thread.join(10)

    assert outcomes == ["sent"]
    assert gate_sms.sent == ["+306900000001"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 1)
    # The busy worker looks again when the claim would have run out, and finds it sent.
    assert len(default_task_backend.deferred) == 1
    default_task_backend.run_due(timezone.now() + notifications.SEND_LEASE + timedelta(seconds=1))
    assert gate_sms.sent == ["+306900000001"]


@pytest.mark.django_db
def test_a_claim_left_by_a_dead_worker_is_taken_over_after_the_lease(settings):
    settings.DIMOS_SMS_BACKEND = "dimos.core.sms.MemorySmsBackend"
    delivery = _pending_sms()
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENDING,
        attempts=1,
        claimed_at=timezone.now() - notifications.SEND_LEASE - timedelta(seconds=1),
    )
    assert notifications.deliver(delivery_id=delivery.pk) == "sent"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.claimed_at) == (
        Delivery.Status.SENT,
        2,
        None,
    )


class InterruptedSmsBackend:
    def __init__(self, *, timeout: float) -> None:
        pass

    def send(self, *, to: str, body: str) -> None:
        raise KeyboardInterrupt  # what a stopping worker raises inside the task


@pytest.mark.django_db
def test_a_send_interrupted_by_shutdown_is_given_back_at_once(settings):
    settings.DIMOS_SMS_BACKEND = f"{__name__}.InterruptedSmsBackend"
    delivery = _pending_sms()
    with pytest.raises(KeyboardInterrupt):
        notifications.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.claimed_at) == (
        Delivery.Status.PENDING,
        0,
        None,
    )


@pytest.mark.django_db
def test_operators_cannot_resend_a_delivery_being_sent(admin_client_, settings):
    delivery = _pending_sms()
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENDING, attempts=1, claimed_at=timezone.now()
    )
    response = admin_client_.post(
        reverse("core:retry_delivery", args=[delivery.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENDING


def test_account_emails_wait_for_a_worker_and_keep_their_keys_sealed(
    citizen, silent_smtp, settings, django_capture_on_commit_callbacks
):
    # allauth's password-reset email: the request never talks to the (dead) mail server.
    started = time.monotonic()
    with django_capture_on_commit_callbacks() as callbacks:
        response = Client().post(reverse("account_reset_password"), {"email": citizen.email})
    assert response.status_code == 302
    assert time.monotonic() - started < 2
    assert not silent_smtp.accepted.is_set()

    notification = Notification.objects.get(kind="accounts.account_email")
    assert notification.body == ""
    assert notification.sealed_body
    assert "/accounts/password/reset/key/" not in notification.sealed_body
    delivery = notification.deliveries.get()
    assert (delivery.address, delivery.status) == (citizen.email, Delivery.Status.PENDING)

    # A worker sends it once the mail server answers; the sealed text is then forgotten.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for callback in callbacks:
        callback()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert [m.to for m in mail.outbox] == [[citizen.email]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    notification.refresh_from_db()
    assert notification.sealed_body == ""
