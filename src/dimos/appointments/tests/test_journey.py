"""The resident's journey, the rules and bad input, the desk and confidential sessions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend
from icalendar import Calendar

from dimos.appointments import services
from dimos.appointments.models import Booking, Closure, SessionNote
from dimos.appointments.tests.factories import make_setup, working_day
from dimos.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(citizen: Any) -> None:
    citizen.preferred_language = "en"
    citizen.save()
    default_task_backend.deferred.clear()  # type: ignore[attr-defined]


@pytest.fixture
def setup(municipality: Any) -> Any:
    return make_setup(desks=2)


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    c.cookies["dimos_language"] = "en"
    return c


def _book(client: Client, slot_id: int, capture: Any) -> Booking:
    response = client.post(reverse("appointments:hold"), {"slot": slot_id})
    assert response.status_code == 302, response.content
    booking = Booking.objects.get(slot_id=slot_id, status="held")
    with capture(execute=True):
        response = client.post(reverse("appointments:confirm", args=[booking.reference]), {})
    assert response.status_code == 302
    booking.refresh_from_db()
    return booking


def test_resident_books_gets_email_with_ics_and_sees_it_in_my_account(
    citizen: Any, setup: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = _client(citizen)
    assert client.get(reverse("appointments:start")).status_code == 200
    page = client.get(reverse("appointments:calendar", args=["certificates", "kep-a"]))
    assert page.status_code == 200 and b"free time" in page.content
    day = working_day()
    page = client.get(reverse("appointments:day", args=["certificates", "kep-a", day.isoformat()]))
    assert b'name="slot"' in page.content
    booking = _book(client, setup.slot().slot_id, django_capture_on_commit_callbacks)
    assert booking.status == "confirmed" and booking.desk is not None
    email = mail.outbox[-1]
    assert booking.reference in email.body and "Identity card" in email.body
    name, content, mimetype = email.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == booking.starts_at
    assert reverse("appointments:manage", args=[booking.reference]) in email.body
    # The reminder waits for the day before.
    deferred = default_task_backend.deferred  # type: ignore[attr-defined]
    assert len(deferred) == 1 and deferred[0][0].run_after < booking.starts_at
    assert booking.reference in client.get("/my/").content.decode()


def test_reminder_is_sent_the_day_before_and_not_after_a_move(
    citizen: Any, setup: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = _client(citizen)
    booking = _book(client, setup.slot().slot_id, django_capture_on_commit_callbacks)
    sent = len(mail.outbox)
    backend = default_task_backend
    with django_capture_on_commit_callbacks(execute=True):
        backend.run_due(booking.starts_at)  # type: ignore[attr-defined]
    assert len(mail.outbox) == sent + 1 and "Reminder" in mail.outbox[-1].subject
    assert (
        services.send_reminder(booking_id=booking.pk, starts_at=booking.starts_at.isoformat())
        == "skipped"
    )


def test_slot_just_taken_offers_the_next_free_ones(
    citizen: Any, other_citizen: Any, municipality: Any, django_capture_on_commit_callbacks: Any
) -> None:
    setup = make_setup(desks=1)
    slot = setup.slot()
    services.book_slot(slot_id=slot.slot_id, person=services.Person(user=other_citizen))
    response = _client(citizen).post(reverse("appointments:hold"), {"slot": slot.slot_id})
    assert response.status_code == 409
    text = response.content.decode()
    assert "just taken" in text and 'name="slot"' in text
    assert not Booking.objects.filter(resident=citizen).exists()


@pytest.mark.parametrize("value", ["abc", "999999", "", "1 OR 1=1", "-1"])
def test_tampered_slot_ids_get_a_clear_error(citizen: Any, setup: Any, value: str) -> None:
    response = _client(citizen).post(reverse("appointments:hold"), {"slot": value})
    assert response.status_code == 400
    assert b"does not exist" in response.content
    assert not Booking.objects.exists()


def test_past_closed_and_beyond_window_are_refused(citizen: Any, setup: Any) -> None:
    from dimos.appointments.models import Slot

    person = services.Person(user=citizen)
    slot = setup.slot()
    Closure.objects.create(
        centre=setup.centre, starts_on=working_day(), ends_on=working_day(), reason_en="Strike"
    )
    with pytest.raises(services.BookingError) as closed:
        services.hold_slot(slot_id=slot.slot_id, person=person)
    assert closed.value.code == "closed"
    row = Slot.objects.get(pk=slot.slot_id)
    past = Slot.objects.create(
        centre=row.centre,
        service=row.service,
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() - timedelta(days=1) + timedelta(minutes=15),
        capacity=2,
    )
    with pytest.raises(services.BookingError) as in_past:
        services.hold_slot(slot_id=past.pk, person=person)
    assert in_past.value.code == "past"
    far = timezone.now() + timedelta(days=90)
    beyond = Slot.objects.create(
        centre=row.centre,
        service=row.service,
        starts_at=far,
        ends_at=far + timedelta(minutes=15),
        capacity=2,
    )
    with pytest.raises(services.BookingError) as too_far:
        services.hold_slot(slot_id=beyond.pk, person=person)
    assert too_far.value.code == "beyond_window"
    assert not Booking.objects.exists()


def test_day_page_explains_closed_and_past_days(citizen: Any, setup: Any) -> None:
    client = _client(citizen)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    page = client.get(reverse("appointments:day", args=["certificates", "kep-a", yesterday]))
    assert b"in the past" in page.content
    bad = client.get(reverse("appointments:day", args=["certificates", "kep-a", "2026-13-45"]))
    assert bad.status_code == 404


def test_twice_the_same_day_is_refused_and_nothing_is_left_behind(citizen: Any, setup: Any) -> None:
    person = services.Person(user=citizen)
    first, second = setup.slots()[:2]
    services.book_slot(slot_id=first.slot_id, person=person)
    with pytest.raises(services.BookingError) as exc:
        services.book_slot(slot_id=second.slot_id, person=person)
    assert exc.value.code == "already_booked"
    assert Booking.objects.count() == 1


def test_a_new_hold_replaces_the_persons_earlier_hold(citizen: Any, setup: Any) -> None:
    person = services.Person(user=citizen)
    first, second = setup.slots()[:2]
    services.hold_slot(slot_id=first.slot_id, person=person)
    services.hold_slot(slot_id=second.slot_id, person=person)
    assert list(Booking.objects.active().values_list("slot_id", flat=True)) == [second.slot_id]


def test_an_expired_hold_frees_the_seat(
    citizen: Any, other_citizen: Any, municipality: Any
) -> None:
    setup = make_setup(desks=1)
    slot = setup.slot()
    held = services.hold_slot(slot_id=slot.slot_id, person=services.Person(user=citizen))
    assert setup.slot().free == 0
    Booking.objects.filter(pk=held.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))
    assert setup.slot().free == 1
    services.book_slot(slot_id=slot.slot_id, person=services.Person(user=other_citizen))
    held.refresh_from_db()
    assert held.status == "expired"
    with pytest.raises(services.BookingError) as exc:
        services.confirm_hold(booking=held)
    assert exc.value.code == "hold_expired"


def test_cancel_and_reschedule_within_the_rules(
    citizen: Any, setup: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = _client(citizen)
    booking = _book(client, setup.slot().slot_id, django_capture_on_commit_callbacks)
    new_slot = setup.slots(working_day(after=5))[3]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("appointments:reschedule", args=[booking.reference]),
            {"slot": new_slot.slot_id},
        )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.slot_id == new_slot.slot_id and booking.ics_sequence == 1
    assert "moved" in mail.outbox[-1].subject
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("appointments:cancel", args=[booking.reference]))
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    cal = Calendar.from_ical(mail.outbox[-1].attachments[0][1])
    assert str(cal["method"]) == "CANCEL"


def test_cancelling_after_the_deadline_is_refused(citizen: Any, municipality: Any) -> None:
    setup = make_setup(desks=1, change_deadline_hours=24 * 40)
    booking = services.book_slot(slot_id=setup.slot().slot_id, person=services.Person(user=citizen))
    response = _client(citizen).post(
        reverse("appointments:cancel", args=[booking.reference]), follow=True
    )
    assert b"too late" in response.content
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_someone_elses_reference_gets_a_clear_error(
    citizen: Any, other_citizen: Any, setup: Any
) -> None:
    booking = services.book_slot(slot_id=setup.slot().slot_id, person=services.Person(user=citizen))
    other = _client(other_citizen)
    for name in ("manage", "ics", "reschedule"):
        response = other.get(reverse(f"appointments:{name}", args=[booking.reference]))
        assert response.status_code == 404
        assert b"only by the person who booked it" in response.content
    assert other.post(reverse("appointments:cancel", args=[booking.reference])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    # The link in the email works without signing in.
    anonymous = Client()
    anonymous.cookies["dimos_language"] = "en"
    page = anonymous.get(services.manage_path(booking))
    assert page.status_code == 200 and booking.reference.encode() in page.content


def test_no_shows_suspend_online_booking(
    citizen: Any, setup: Any, clerk: Any, settings: Any
) -> None:
    settings.DIMOS_APPOINTMENTS_NO_SHOW_LIMIT = 1
    person = services.Person(user=citizen)
    booking = services.book_slot(slot_id=setup.slot().slot_id, person=person)
    Booking.objects.filter(pk=booking.pk).update(status="no_show")
    with pytest.raises(services.BookingError) as exc:
        services.book_slot(slot_id=setup.slots(working_day(after=6))[0].slot_id, person=person)
    assert exc.value.code == "suspended"


def test_holidays_are_closed(setup: Any) -> None:
    from datetime import date

    from dimos.appointments.slots import Rules

    rules = Rules.load(setup.service, setup.centre, date(2027, 3, 25), date(2027, 3, 25))
    assert rules.closed_reason(date(2027, 3, 25)) == "holiday"  # Independence Day, a Thursday


# --- Staff ----------------------------------------------------------------------------------


@pytest.fixture
def kep_clerk(clerk: Any, setup: Any) -> Any:
    from django.contrib.auth.models import Group

    clerk.groups.add(Group.objects.get(name="kep_clerk"))
    clerk.preferred_language = "en"
    clerk.save()
    setup.centre.clerks.add(clerk)
    return clerk


def test_clerk_sees_the_day_checks_in_and_marks_served(
    kep_clerk: Any, citizen: Any, setup: Any
) -> None:
    booking = services.book_slot(slot_id=setup.slot().slot_id, person=services.Person(user=citizen))
    client = _client(kep_clerk)
    url = reverse("appointments_staff:day") + f"?centre=kep-a&day={booking.day.isoformat()}"
    page = client.get(url)
    assert booking.reference.encode() in page.content
    client.post(reverse("appointments_staff:action", args=[booking.pk, "check_in"]))
    booking.refresh_from_db()
    assert booking.status == "checked_in"
    client.post(reverse("appointments_staff:action", args=[booking.pk, "served"]))
    booking.refresh_from_db()
    assert booking.status == "served"
    assert AuditEntry.objects.filter(action="appointment.served").count() == 1


def test_no_show_only_after_the_start(kep_clerk: Any, citizen: Any, setup: Any) -> None:
    booking = services.book_slot(slot_id=setup.slot().slot_id, person=services.Person(user=citizen))
    with pytest.raises(services.BookingError):
        services.desk_action(booking=booking, action="no_show", actor=kep_clerk)


def test_clerk_blocks_a_slot_and_a_day(kep_clerk: Any, setup: Any) -> None:
    client = _client(kep_clerk)
    slot = setup.slot()
    client.post(reverse("appointments_staff:block_slot", args=[slot.slot_id]), {"blocked": "1"})
    assert slot.slot_id not in [s.slot_id for s in setup.slots()]
    day = working_day()
    client.post(
        reverse("appointments_staff:block_day", args=["kep-a", day.isoformat()]),
        {"reason": "Training"},
    )
    assert setup.slots() == []


def test_clerk_books_for_a_phone_caller(
    kep_clerk: Any, setup: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = _client(kep_clerk)
    day = working_day()
    page = client.get(
        reverse("appointments_staff:caller"),
        {"service": setup.service.pk, "centre": setup.centre.pk, "day": day.isoformat()},
    )
    assert b'name="slot"' in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("appointments_staff:caller")
            + f"?service={setup.service.pk}&centre={setup.centre.pk}&day={day.isoformat()}",
            {
                "slot": setup.slot().slot_id,
                "name": "Caller",
                "phone": "6900000001",
                "email": "caller@example.org",
            },
        )
    assert response.status_code == 302
    booking = Booking.objects.get(source="phone")
    assert booking.person_key == "phone:6900000001" and mail.outbox[-1].to == ["caller@example.org"]


def test_staff_calendar_feed_needs_its_token(kep_clerk: Any, citizen: Any, setup: Any) -> None:
    booking = services.book_slot(slot_id=setup.slot().slot_id, person=services.Person(user=citizen))
    url = reverse("appointments_staff:feed", args=[services.make_feed_link(user=kep_clerk)])
    response = Client().get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert booking.reference in response.content.decode()
    assert citizen.email not in response.content.decode()
    assert Client().get(url.replace(".ics", "x.ics")).status_code == 404


def test_residents_and_clerks_without_the_role_get_403(citizen: Any, clerk: Any) -> None:
    assert _client(citizen).get(reverse("appointments_staff:day")).status_code == 403
    assert _client(clerk).get(reverse("appointments_staff:day")).status_code == 403


# --- Confidential sessions ------------------------------------------------------------------


@pytest.fixture
def counselling(municipality: Any) -> Any:
    from dimos.testing.personas import staff

    counsellor = staff("counsellor@example.org", "counsellor")
    supervisor = staff("supervisor@example.org", "counselling_supervisor")
    other_counsellor = staff("other-counsellor@example.org", "counsellor")
    setup = make_setup(
        desks=1, slug="counselling", centre_slug="community", confidential=True, staff=counsellor
    )
    setup.service.supervisors.add(supervisor)
    return setup, counsellor, supervisor, other_counsellor


def test_only_the_counsellor_and_supervisor_see_a_session_and_every_access_is_logged(
    counselling: Any,
    citizen: Any,
    kep_clerk: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    setup, counsellor, supervisor, other_counsellor = counselling
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.book_slot(
            slot_id=setup.slot().slot_id,
            person=services.Person(user=citizen),
            reason="Anxiety after losing my job",
        )
    email = mail.outbox[-1]
    assert "Anxiety" not in email.body and "counselling" not in email.body.lower()
    assert "Service" not in email.body
    url = reverse("appointments_staff:session", args=[booking.pk])
    for user in (counsellor, supervisor):
        page = _client(user).get(url)
        assert page.status_code == 200 and b"Anxiety" in page.content
    assert _client(other_counsellor).get(url).status_code == 403
    assert _client(kep_clerk).get(url).status_code == 403
    day_view = _client(kep_clerk).get(
        reverse("appointments_staff:day") + f"?centre=community&day={booking.day.isoformat()}"
    )
    assert booking.reference.encode() not in day_view.content
    listed = _client(other_counsellor).get(reverse("appointments_staff:sessions"))
    assert booking.reference.encode() not in listed.content
    viewed = AuditEntry.objects.filter(action="appointment.session_viewed", target_id=booking.pk)
    assert viewed.count() == 2
    assert AuditEntry.objects.filter(action="appointment.session_denied").count() == 1


def test_session_notes_are_for_the_counsellor_and_supervisor_only(
    counselling: Any, citizen: Any
) -> None:
    setup, counsellor, supervisor, other_counsellor = counselling
    booking = services.book_slot(slot_id=setup.slot().slot_id, person=services.Person(user=citizen))
    url = reverse("appointments_staff:session", args=[booking.pk])
    _client(counsellor).post(url, {"text": "First session went well."})
    assert SessionNote.objects.filter(booking=booking).count() == 1
    assert b"First session" in _client(supervisor).get(url).content
    assert _client(other_counsellor).post(url, {"text": "x"}).status_code == 403
    note_audit = AuditEntry.objects.get(action="appointment.note_added")
    assert "First session" not in str(note_audit.details)


def test_public_support_page_shows_helplines(client: Client, counselling: Any) -> None:
    client.cookies["dimos_language"] = "en"
    page = client.get(reverse("appointments:support"))
    assert b"10306" in page.content and b"/appointments/book/counselling/" in page.content


def test_cancelling_asks_first_on_a_page_of_its_own(citizen: Any, setup: Any) -> None:
    booking = services.book_slot(slot_id=setup.slot().slot_id, person=services.Person(user=citizen))
    client = _client(citizen)
    manage = client.get(reverse("appointments:manage", args=[booking.reference])).content.decode()
    cancel_url = reverse("appointments:cancel", args=[booking.reference])
    # The manage page links to the question; it does not post the cancellation itself.
    assert f'href="{cancel_url}"' in manage and f'action="{cancel_url}"' not in manage
    question = client.get(cancel_url)
    assert question.status_code == 200
    page = question.content.decode()
    assert "Cancel the appointment?" in page and "No, keep the appointment" in page
    assert f'action="{cancel_url}"' in page
    booking.refresh_from_db()
    assert booking.status == "confirmed"  # asking is not cancelling


def test_the_question_keeps_the_key_of_a_booking_made_without_an_account(
    citizen: Any, setup: Any
) -> None:
    booking = services.book_slot(slot_id=setup.slot().slot_id, person=services.Person(user=citizen))
    url = reverse("appointments:cancel", args=[booking.reference])
    page = Client().get(f"{url}?key={booking.manage_token}").content.decode()
    assert f'name="key" value="{booking.manage_token}"' in page
    assert Client().get(f"{url}?key=wrong").status_code == 404


def test_a_days_times_are_grouped_by_part_of_the_day_and_none_is_chosen(
    citizen: Any, setup: Any
) -> None:
    day = working_day()
    page = _client(citizen).get(
        reverse("appointments:day", args=["certificates", "kep-a", day.isoformat()])
    )
    html = page.content.decode()
    assert html.count('type="radio" name="slot"') > 4
    assert " checked" not in html
    assert "<legend" in html and "Morning" in html and "(until 12:00)" in html
    # Each time is a radio inside its label.
    assert '<label class="dimos-time"><input class="dimos-time__input" type="radio"' in html
