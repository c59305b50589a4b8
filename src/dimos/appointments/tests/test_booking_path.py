"""The booking path kept lean for rushes (issue 11): same answers, less work per try."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dimos.appointments import services
from dimos.appointments.models import Booking, Closure
from dimos.appointments.slots import next_free
from dimos.appointments.tests.factories import make_setup, working_day
from dimos.core.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(municipality: Any) -> Any:
    return make_setup(desks=1)


def _person(user: Any) -> services.Person:
    return services.Person(user=user)


def test_a_try_for_a_full_time_writes_nothing(citizen: Any, other_citizen: Any, setup: Any) -> None:
    slot = setup.slot()
    services.book_slot(slot_id=slot.slot_id, person=_person(other_citizen))
    with CaptureQueriesContext(connection) as ctx, pytest.raises(services.SlotTaken):
        services.book_slot(slot_id=slot.slot_id, person=_person(citizen))
    writes = [q["sql"] for q in ctx.captured_queries if q["sql"].split()[0] != "SELECT"]
    assert writes == []  # not even a write transaction: the refusal is a read


def test_a_held_seat_past_its_time_is_free_for_the_next_person(
    citizen: Any, other_citizen: Any, setup: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    slot = setup.slot()
    held = services.hold_slot(slot_id=slot.slot_id, person=_person(other_citizen))
    Booking.objects.filter(pk=held.pk).update(hold_expires_at=timezone.now() - timedelta(minutes=1))
    booking = services.book_slot(slot_id=slot.slot_id, person=_person(citizen))
    assert booking.seat == 1
    held.refresh_from_db()
    assert held.status == Booking.Status.EXPIRED


def test_a_suspended_resident_is_told_so_even_for_a_full_time(
    citizen: Any, other_citizen: Any, setup: Any, settings: Any
) -> None:
    settings.DIMOS_APPOINTMENTS_NO_SHOW_LIMIT = 1
    slot = setup.slot()
    services.book_slot(slot_id=slot.slot_id, person=_person(other_citizen))
    earlier = setup.slot(index=1)
    Booking.objects.create(
        slot_id=earlier.slot_id,
        seat=1,
        service=setup.service,
        centre=setup.centre,
        day=working_day(),
        starts_at=earlier.starts_at,
        status=Booking.Status.NO_SHOW,
        resident=citizen,
        person_key=f"user:{citizen.pk}",
    )
    with pytest.raises(services.BookingError) as refused:
        services.book_slot(slot_id=slot.slot_id, person=_person(citizen))
    assert refused.value.code == "suspended"


def test_the_next_free_times_follow_each_booking_at_once(
    citizen: Any, other_citizen: Any, admin_user: Any, setup: Any
) -> None:
    first = setup.slot()
    services.book_slot(slot_id=first.slot_id, person=_person(other_citizen))
    with pytest.raises(services.SlotTaken) as taken:
        services.book_slot(slot_id=first.slot_id, person=_person(citizen))
    offered = taken.value.offer_alternatives()
    assert offered == next_free(setup.service, setup.centre)
    services.book_slot(slot_id=offered[0].slot_id, person=_person(admin_user))
    with pytest.raises(services.SlotTaken) as again:
        services.book_slot(slot_id=first.slot_id, person=_person(citizen))
    now_offered = again.value.offer_alternatives()
    assert offered[0].slot_id not in [s.slot_id for s in now_offered]
    assert now_offered == next_free(setup.service, setup.centre)


def test_a_closure_added_after_a_booking_refuses_the_next_at_once(
    citizen: Any, other_citizen: Any, setup: Any
) -> None:
    first, second = setup.slot(index=0), setup.slot(index=1)
    services.book_slot(slot_id=first.slot_id, person=_person(other_citizen))
    Closure.objects.create(
        centre=setup.centre, starts_on=working_day(), ends_on=working_day(), reason_en="Strike"
    )
    with pytest.raises(services.BookingError) as closed:
        services.book_slot(slot_id=second.slot_id, person=_person(citizen))
    assert closed.value.code == "closed"


def test_the_confirmation_goes_after_the_commit_and_only_once(
    citizen: Any, setup: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as queued:
        booking = services.book_slot(slot_id=setup.slot().slot_id, person=_person(citizen))
    # Nothing rendered or stored while the booking's transaction was open.
    assert not Notification.objects.filter(kind="appointments.confirmed").exists()
    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:
            callback()
    assert Notification.objects.filter(kind="appointments.confirmed").count() == 1
    sent = len(mail.outbox)
    assert services.send_confirmation(booking_id=booking.pk) == "skipped"
    assert len(mail.outbox) == sent
