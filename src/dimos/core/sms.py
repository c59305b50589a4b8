"""Pluggable SMS sending. The default backend sends nothing and says so in the log.

A backend is a class built with ``timeout=`` (seconds, ``DIMOS_SMS_TIMEOUT``) whose
``send(*, to, body)`` sends one message and raises on failure, so the delivery is retried. A
backend that talks to a gateway must apply the timeout to every network call: a worker
waiting on a gateway that never answers sends nothing else.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("dimos.sms")


class SmsBackend(Protocol):
    def send(self, *, to: str, body: str) -> None:
        """Send one message; raise on failure so the delivery is retried."""


def mask_phone(number: str) -> str:
    """A phone number as it may appear in logs: its last three digits only."""
    digits = "".join(c for c in number if c.isdigit())
    return f"***{digits[-3:]}"


class LogSmsBackend:
    """Sends nothing: logs that a message was due, without its number or text.

    Messages carry links with secrets (a booking's manage key) and the numbers are personal
    data; logs are read by more people than the recipient and kept longer.
    """

    def __init__(self, *, timeout: float = 10) -> None:
        self.timeout = timeout

    def send(self, *, to: str, body: str) -> None:
        logger.info(
            "SMS to %s (%d characters) not sent: DIMOS_SMS_BACKEND only logs",
            mask_phone(to),
            len(body),
        )


class MemorySmsBackend:
    """Keeps messages in memory; for tests, like Django's locmem email backend."""

    outbox: list[tuple[str, str]] = []

    def __init__(self, *, timeout: float = 10) -> None:
        self.timeout = timeout

    def send(self, *, to: str, body: str) -> None:
        self.outbox.append((to, body))


def get_backend() -> SmsBackend:
    backend_class = import_string(settings.DIMOS_SMS_BACKEND)
    return backend_class(timeout=settings.DIMOS_SMS_TIMEOUT)  # type: ignore[no-any-return]
