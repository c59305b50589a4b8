"""Confidential counselling stays confidential: the audit log, stored notifications, the desk."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dimos.appointments import services
from dimos.appointments.tests.factories import make_setup
from dimos.core.models import AuditEntry
from dimos.testing.personas import staff

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    c.cookies["dimos_language"] = "en"
    return c


@pytest.fixture
def counselling(municipality: Any) -> Any:
    counsellor = staff("counsellor@example.org", "counsellor")
    counsellor.first_name, counsellor.last_name = "Eleni", "Counsellor"
    counsellor.save()
    supervisor = staff("supervisor@example.org", "counselling_supervisor")
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


# --- The desk: a clerk acts at their own centres, never on counselling ------------------------


@pytest.fixture
def desk(counselling: Any) -> Any:
    """A KEP clerk of kep-a; kep-b is another centre; counselling is at the community centre."""
    from django.contrib.auth.models import Group

    kep_a = make_setup(desks=1)
    kep_b = make_setup(desks=1, slug="registry", centre_slug="kep-b")
    clerk = staff("kep@example.org", "kep_clerk")
    clerk.groups.add(Group.objects.get(name="kep_clerk"))
    kep_a.centre.clerks.add(clerk)
    return clerk, kep_a, kep_b, counselling[0]


def _caller_url(setup: Any, day: Any) -> str:
    return (
        reverse("appointments_staff:caller")
        + f"?service={setup.service.pk}&centre={setup.centre.pk}&day={day.isoformat()}"
    )


def test_a_clerk_cannot_block_a_counselling_time_or_another_centres(desk: Any) -> None:
    from dimos.appointments.models import Slot

    clerk, _kep_a, kep_b, counselling = desk
    client = _client(clerk)
    for setup in (counselling, kep_b):
        slot_id = setup.slot().slot_id
        response = client.post(
            reverse("appointments_staff:block_slot", args=[slot_id]), {"blocked": "1"}
        )
        assert response.status_code == 404
        assert not Slot.objects.get(pk=slot_id).blocked


def test_a_clerk_sees_and_acts_only_at_their_own_centre(desk: Any, citizen: Any) -> None:
    clerk, _kep_a, kep_b, _counselling = desk
    elsewhere = services.book_slot(
        slot_id=kep_b.slot().slot_id, person=services.Person(user=citizen)
    )
    client = _client(clerk)
    response = client.post(reverse("appointments_staff:action", args=[elsewhere.pk, "cancel"]))
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == "confirmed"
    page = client.get(
        reverse("appointments_staff:day") + f"?centre=kep-b&day={elsewhere.day.isoformat()}"
    ).content.decode()
    assert elsewhere.reference not in page and "KEP kep-a" in page
    closing = client.post(
        reverse("appointments_staff:block_day", args=["kep-b", elsewhere.day.isoformat()]),
        {"reason": "Strike"},
    )
    assert closing.status_code == 404


def test_a_clerk_without_a_centre_is_told_how_to_get_one(municipality: Any) -> None:
    make_setup(desks=1)
    loose = staff("loose@example.org", "kep_clerk")
    page = _client(loose).get(reverse("appointments_staff:day")).content.decode()
    assert "You do not work at any service centre yet" in page


@pytest.mark.parametrize("which", ["counselling", "other_centre", "other_day", "not_a_number"])
def test_a_tampered_time_in_the_caller_form_is_a_clear_form_error(desk: Any, which: str) -> None:
    from dimos.appointments.models import Booking
    from dimos.appointments.tests.factories import working_day

    clerk, kep_a, kep_b, counselling = desk
    day = working_day()
    slot_id: Any = {
        "counselling": lambda: counselling.slot().slot_id,
        "other_centre": lambda: kep_b.slot().slot_id,
        "other_day": lambda: kep_a.slot(working_day(after=6)).slot_id,
        "not_a_number": lambda: "12; DROP TABLE",
    }[which]()
    response = _client(clerk).post(
        _caller_url(kep_a, day),
        {"slot": slot_id, "name": "Caller", "phone": "6900000001"},
    )
    assert response.status_code == 400
    assert "This time is not one of the free times shown" in response.content.decode()
    assert not Booking.objects.filter(source="phone").exists()


def test_a_clerk_cannot_pick_a_counselling_service_for_a_caller(desk: Any) -> None:
    from dimos.appointments.tests.factories import working_day

    clerk, _kep_a, _kep_b, counselling = desk
    page = _client(clerk).get(_caller_url(counselling, working_day()))
    text = page.content.decode()
    assert 'name="slot"' not in text and "Select a valid choice" in text
    assert counselling.service.name_en not in text.split('id="id_service"')[1].split("</select>")[0]


def test_the_counsellor_blocks_their_own_session_times_and_no_one_elses(
    counselling: Any,
) -> None:
    from dimos.appointments.models import Slot
    from dimos.appointments.tests.factories import working_day

    setup, counsellor, supervisor = counselling
    other = staff("other-counsellor@example.org", "counsellor")
    day = working_day()
    page = _client(counsellor).get(
        reverse("appointments_staff:counselling_times"), {"day": day.isoformat()}
    )
    slot_id = setup.slot().slot_id
    assert f"/staff/appointments/slot/{slot_id}/block/" in page.content.decode()
    block = reverse("appointments_staff:block_slot", args=[slot_id])
    assert _client(other).post(block, {"blocked": "1"}).status_code == 404
    assert _client(counsellor).post(block, {"blocked": "1"}).status_code == 302
    assert Slot.objects.get(pk=slot_id).blocked
    assert _client(supervisor).post(block, {"blocked": "0"}).status_code == 302
    assert not Slot.objects.get(pk=slot_id).blocked


def test_a_supervisor_books_a_counselling_session_for_a_caller(
    counselling: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from dimos.appointments.models import Booking
    from dimos.appointments.tests.factories import working_day

    setup, _counsellor, supervisor = counselling
    day = working_day()
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(supervisor).post(
            _caller_url(setup, day),
            {"slot": setup.slot().slot_id, "name": "Caller", "phone": "6900000002"},
        )
    assert response.status_code == 302
    booking = Booking.objects.get(source="phone")
    assert booking.service == setup.service
    assert AuditEntry.objects.get(action="appointment.booked", target_id=booking.pk).confidential


# --- Staff calendar feed links ----------------------------------------------------------------


def _feed(raw: str) -> Any:
    return Client().get(reverse("appointments_staff:feed", args=[raw]))


def _make_link(client: Client) -> str:
    page = client.post(reverse("appointments_staff:feed_link"), {"action": "new"})
    assert page["Cache-Control"] == "no-store"
    found = re.search(r"/staff/appointments/feed/([\w-]+)\.ics", page.content.decode())
    assert found is not None
    return found.group(1)


def test_the_feed_link_is_shown_once_and_stored_hashed(desk: Any) -> None:
    from dimos.appointments.models import FeedToken

    clerk = desk[0]
    client = _client(clerk)
    raw = _make_link(client)
    assert _feed(raw).status_code == 200
    stored = FeedToken.objects.get(user=clerk)
    assert raw not in stored.key_hash
    assert raw not in client.get(reverse("appointments_staff:feed_link")).content.decode()


def test_a_revoked_or_replaced_feed_link_stops_working_and_both_are_audited(desk: Any) -> None:
    clerk = desk[0]
    client = _client(clerk)
    first = _make_link(client)
    second = _make_link(client)
    assert _feed(first).status_code == 404 and _feed(second).status_code == 200
    client.post(reverse("appointments_staff:feed_link"), {"action": "revoke"})
    assert _feed(second).status_code == 404
    actions = list(
        AuditEntry.objects.filter(actor=clerk, action__startswith="appointment.feed_link")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "appointment.feed_link_created",
        "appointment.feed_link_created",
        "appointment.feed_link_revoked",
    ]


def test_a_feed_link_expires(desk: Any, settings: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    from dimos.appointments.models import FeedToken

    settings.DIMOS_APPOINTMENTS_FEED_DAYS = 30
    raw = services.make_feed_link(user=desk[0])
    token = FeedToken.objects.get(user=desk[0])
    assert dt.timedelta(days=29) < token.expires_at - timezone.now() <= dt.timedelta(days=30)
    FeedToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert _feed(raw).status_code == 404


def test_a_deactivated_staff_member_loses_the_feed_link_for_good(desk: Any) -> None:
    clerk = desk[0]
    raw = services.make_feed_link(user=clerk)
    clerk.is_active = False
    clerk.save()
    assert _feed(raw).status_code == 404
    clerk.is_active = True
    clerk.save()
    assert _feed(raw).status_code == 404


def test_an_old_signed_feed_link_no_longer_works(desk: Any) -> None:
    from django.core import signing

    old = signing.dumps({"u": desk[0].pk}, salt="dimos.appointments.feed", compress=True)
    assert _feed(old).status_code == 404


def test_the_migration_drops_manage_keys_from_messages_stored_before(citizen: Any) -> None:
    from importlib import import_module

    from django.apps import apps

    from dimos.core.models import Notification

    migration = import_module(
        "dimos.appointments.migrations.0003_forget_manage_keys_in_notifications"
    )
    old = Notification.objects.create(
        recipient=citizen,
        kind="appointments.confirmed",
        subject="Your appointment",
        body="Use the link below.",
        url="/appointments/booking/ABCD2345/?key=s3cret",
        language="en",
    )
    other = Notification.objects.create(
        recipient=citizen, kind="accounts.welcome", subject="Hi", body="", url="/my/?key=1"
    )
    migration.forget_keys(apps, None)
    old.refresh_from_db()
    other.refresh_from_db()
    assert old.url == "/appointments/booking/ABCD2345/"
    assert other.url == "/my/?key=1"


def test_the_staff_home_counts_only_the_clerks_own_centre(desk: Any, citizen: Any) -> None:
    from django.utils import timezone

    from dimos.appointments.models import Booking
    from dimos.appointments.panels import queue_counts

    clerk, _kep_a, kep_b, _counselling = desk
    elsewhere = services.book_slot(
        slot_id=kep_b.slot().slot_id, person=services.Person(user=citizen)
    )
    Booking.objects.filter(pk=elsewhere.pk).update(day=timezone.localdate())  # today's
    assert queue_counts(clerk).open == 0
    kep_b.centre.clerks.add(clerk)
    assert queue_counts(clerk).open == 1
