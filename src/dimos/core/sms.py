"""Pluggable SMS sending. The default backend writes messages to the log."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("dimos.sms")


class SmsBackend(Protocol):
    def send(self, *, to: str, body: str) -> None:
        """Send one message; raise on failure so the delivery is retried."""


class LogSmsBackend:
    """Writes each message to the ``dimos.sms`` logger instead of sending it."""

    def send(self, *, to: str, body: str) -> None:
        logger.info("SMS to %s: %s", to, body)


class MemorySmsBackend:
    """Keeps messages in memory; for tests, like Django's locmem email backend."""

    outbox: list[tuple[str, str]] = []

    def send(self, *, to: str, body: str) -> None:
        self.outbox.append((to, body))


def get_backend() -> SmsBackend:
    return import_string(settings.DIMOS_SMS_BACKEND)()  # type: ignore[no-any-return]
