"""The SMS backends: what the log backend may write, and the timeout every backend gets."""

import logging

import pytest

from dimos.core import sms
from dimos.core.models import Delivery

SECRET_LINK = "https://dimos.example.org/appointments/manage/KEP-7Q2?key=Zq8s3cr3tK3y"


def test_log_backend_writes_neither_the_number_nor_the_text(caplog):
    caplog.set_level(logging.DEBUG)
    sms.LogSmsBackend().send(to="+30 690 123 4567", body=f"Your booking: {SECRET_LINK}")
    logged = caplog.text
    assert "***567" in logged
    for secret in ("1234567", "690 123", "Zq8s3cr3tK3y", "manage", "booking"):
        assert secret not in logged


def test_mask_phone_keeps_the_last_three_digits_only():
    assert sms.mask_phone("+30 6901234567") == "***567"
    assert sms.mask_phone("12") == "***12"


@pytest.mark.django_db
def test_a_notification_by_sms_leaves_no_number_or_link_in_the_log(
    caplog, settings, django_capture_on_commit_callbacks
):
    from dimos.core.notifications import notify

    settings.DIMOS_SMS_BACKEND = "dimos.core.sms.LogSmsBackend"
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind="accounts.welcome", phone="+306901234567", url="/my/?key=Zq8s3cr3tK3y")
    assert Delivery.objects.get().status == Delivery.Status.SENT
    assert "***567" in caplog.text
    assert "6901234567" not in caplog.text
    assert "Zq8s3cr3tK3y" not in caplog.text


class RecordingBackend:
    timeouts: list[float] = []

    def __init__(self, *, timeout: float) -> None:
        self.timeouts.append(timeout)

    def send(self, *, to: str, body: str) -> None:
        pass


def test_backends_are_built_with_the_configured_timeout(settings):
    settings.DIMOS_SMS_BACKEND = f"{__name__}.RecordingBackend"
    settings.DIMOS_SMS_TIMEOUT = 7
    RecordingBackend.timeouts.clear()
    sms.get_backend().send(to="+306900000000", body="x")
    assert RecordingBackend.timeouts == [7]
