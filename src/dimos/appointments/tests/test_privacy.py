"""Confidential counselling stays confidential: the audit log, stored notifications, the desk."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dimos.appointments import services
from dimos.appointments.tests.factories import make_setup
from dimos.conftest import _staff
from dimos.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    c.cookies["dimos_language"] = "en"
    return c


@pytest.fixture
def counselling(municipality: Any) -> Any:
    counsellor = _staff("counsellor@example.org", "counsellor")
    counsellor.first_name, counsellor.last_name = "Eleni", "Counsellor"
    counsellor.save()
    supervisor = _staff("supervisor@example.org", "counselling_supervisor")
    setup = make_setup(
        desks=1, slug="counselling", centre_slug="community", confidential=True, staff=counsellor
    )
    setup.service.supervisors.add(supervisor)
    return setup, counsellor, supervisor


@pytest.fixture
def session(counselling: Any, citizen: Any) -> Any:
    setup, counsellor, _supervisor = counselling
    booking = services.book_slot(
        slot_id=setup.slot().slot_id, person=services.Person(user=citizen), reason="Grief"
    )
    assert _client(counsellor).get(reverse("appointments_staff:session", args=[booking.pk]))
    return booking


def _log_for(client: Client, booking: Any, url_name: str = "core:audit_log") -> Any:
    return client.get(
        reverse(url_name), {"target_type": "appointments.booking", "target_id": booking.pk}
    )


def test_who_booked_and_who_opened_a_session_is_not_in_the_audit_log(
    session: Any, admin_user: Any, citizen: Any
) -> None:
    page = _log_for(_client(admin_user), session).content.decode()
    assert "0 entries" in page
    assert citizen.get_full_name() not in page and "Eleni Counsellor" not in page
    admin_list = _client(admin_user).get(
        reverse("admin:core_auditentry_changelist"), {"target_type": "appointments.booking"}
    )
    assert admin_list.status_code == 200
    assert citizen.email not in admin_list.content.decode()
    assert "appointment.booked" not in admin_list.content.decode()


def test_the_supervisor_reads_the_confidential_stream(
    session: Any, counselling: Any, citizen: Any
) -> None:
    _setup, _counsellor, supervisor = counselling
    page = _log_for(_client(supervisor), session, "core:confidential_audit_log")
    assert page.status_code == 200
    text = page.content.decode()
    assert f"{citizen.get_full_name()} booked appointment {session.pk}" in text
    assert f"Eleni Counsellor opened session {session.pk}" in text
    reading = AuditEntry.objects.get(action="audit.confidential_viewed", actor=supervisor)
    assert reading.confidential


def test_nobody_else_opens_the_confidential_stream_not_even_a_superuser(
    session: Any, counselling: Any, admin_user: Any, clerk: Any
) -> None:
    _setup, counsellor, _supervisor = counselling
    for user in (admin_user, counsellor, clerk):
        assert _log_for(_client(user), session, "core:confidential_audit_log").status_code == 403


def test_entries_on_a_kep_booking_stay_in_the_ordinary_log(citizen: Any, municipality: Any) -> None:
    setup = make_setup(desks=1)
    booking = services.book_slot(slot_id=setup.slot().slot_id, person=services.Person(user=citizen))
    entry = AuditEntry.objects.get(action="appointment.booked", target_id=str(booking.pk))
    assert not entry.confidential


# --- Stored notifications carry no secret -----------------------------------------------------


@pytest.fixture
def sms_outbox(settings: Any) -> Any:
    from dimos.core.sms import MemorySmsBackend

    settings.DIMOS_SMS_BACKEND = "dimos.core.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    yield MemorySmsBackend.outbox
    MemorySmsBackend.outbox.clear()


def _guest_session(counselling: Any, capture: Any) -> Any:
    setup, _counsellor, _supervisor = counselling
    with capture(execute=True):
        return services.book_slot(
            slot_id=setup.slot().slot_id,
            person=services.Person(name="Guest", email="guest@example.org", phone="6900000009"),
            source="phone",
        )


def test_the_manage_key_goes_out_by_email_and_sms_but_is_never_stored_readable(
    counselling: Any,
    admin_user: Any,
    sms_outbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.core import mail

    from dimos.core.models import Notification

    booking = _guest_session(counselling, django_capture_on_commit_callbacks)
    key = booking.manage_token
    assert key in mail.outbox[-1].body
    assert any(key in body for _to, body in sms_outbox)
    stored = Notification.objects.get(kind="appointments.confirmed")
    assert key not in f"{stored.subject} {stored.body} {stored.url} {stored.sealed_url}"
    assert stored.sealed_url == ""  # every delivery was sent: the sealed link is gone too
    admin = _client(admin_user)
    for url in (
        reverse("admin:core_notification_change", args=[stored.pk]),
        reverse("admin:core_notification_changelist"),
        reverse("core:deliveries") + "?status=sent",
    ):
        page = admin.get(url)
        assert page.status_code == 200 and key not in page.content.decode(), url


def test_a_failed_delivery_keeps_the_link_sealed_until_it_is_sent(
    counselling: Any, settings: Any, sms_outbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from dimos.core import notifications
    from dimos.core.models import Delivery, Notification

    settings.DIMOS_SMS_BACKEND = "dimos.core.tests.test_notifications.BrokenSmsBackend"
    booking = _guest_session(counselling, django_capture_on_commit_callbacks)
    stored = Notification.objects.get(kind="appointments.confirmed")
    assert stored.sealed_url and booking.manage_token not in stored.sealed_url
    settings.DIMOS_SMS_BACKEND = "dimos.core.sms.MemorySmsBackend"
    sms = stored.deliveries.get(channel=Delivery.Channel.SMS)
    assert notifications.deliver(delivery_id=sms.pk) == "sent"
    assert booking.manage_token in sms_outbox[-1][1]
    stored.refresh_from_db()
    assert stored.sealed_url == ""


def test_the_admin_does_not_show_a_bookings_manage_key(
    admin_user: Any, citizen: Any, municipality: Any
) -> None:
    setup = make_setup(desks=1)
    booking = services.book_slot(slot_id=setup.slot().slot_id, person=services.Person(user=citizen))
    page = _client(admin_user).get(reverse("admin:appointments_booking_change", args=[booking.pk]))
    assert page.status_code == 200 and booking.manage_token not in page.content.decode()
