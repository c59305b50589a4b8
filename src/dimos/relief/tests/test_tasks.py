"""Volunteers' tasks: who is offered what, taking, declining, handing back, completing with
the code, hours, what the holder sees and for how long, reminders and the coordinators' alert."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from dimos.core.models import AuditEntry, Notification
from dimos.relief import services, volunteering
from dimos.relief.models import ClaimStatus, RequestEvent, TaskClaim
from dimos.relief.tests.conftest import ask, make_volunteer, mother, shopping
from dimos.volunteers.models import VolunteerHours, slot_bit

pytestmark = pytest.mark.django_db


def test_a_task_is_offered_to_the_volunteers_it_suits(
    open_task: Any, volunteer: Any, municipality: Any
) -> None:
    req, _code = open_task
    assert list(volunteering.offered_to(volunteer)) == [req]
    day = req.delivery.date.weekday()
    # No pharmacy skill, another district, not free that morning, not approved: not offered.
    assert not volunteering.offered_to(make_volunteer("a@example.org", skills=("shopping",)))
    assert not volunteering.offered_to(make_volunteer("b@example.org", district="lefkonas"))
    evenings = make_volunteer("c@example.org", availability=slot_bit(day, 2))
    assert not volunteering.offered_to(evenings)
    mornings = make_volunteer("d@example.org", availability=slot_bit(day, 0))
    assert list(volunteering.offered_to(mornings)) == [req]
    paused = make_volunteer("e@example.org")
    paused.status = "paused"
    paused.save()
    assert not volunteering.offered_to(paused)
    # An errand asks for no particular skill; shopping asks for the shopping skill.
    assert volunteering.kinds_for(set()) == {"errand"}
    assert volunteering.kinds_for({"shopping"}) == {"errand", "shopping"}


def test_urgent_tasks_come_first_and_the_summary_names_no_one(
    open_task: Any, volunteer: Any, citizen: Any, coordinator: Any
) -> None:
    req, _code = open_task
    later = ask(
        citizen,
        person=mother(full_name="Another Person", phone=""),
        needs=shopping("35"),
        day=req.day,
    ).request
    services.accept(req=later, actor=coordinator)
    services.schedule(req=later, actor=coordinator)
    offered = list(volunteering.offered_to(volunteer))
    assert offered == [req, later]  # medicine is urgent
    told = volunteering.summary(offered[1])
    assert told.district and told.needs == [("shopping", "Shopping, paid on delivery", 35)]
    assert "Another Person" not in repr(told) and "Μεραρχίας" not in repr(told)


def test_taking_a_task_makes_the_volunteer_its_courier(
    open_task: Any, volunteer: Any, other_volunteer: Any
) -> None:
    req, _code = open_task
    held = volunteering.claim(req=req, volunteer=volunteer, actor=volunteer.user)
    req.delivery.refresh_from_db()
    assert held.status == ClaimStatus.ACTIVE and req.delivery.assigned_to == volunteer.user
    assert services.may_deliver(req, volunteer.user)
    assert not volunteering.offered_to(other_volunteer)
    events = RequestEvent.objects.count()
    audits = AuditEntry.objects.count()
    with pytest.raises(volunteering.TaskTaken, match="Someone else has already taken"):
        volunteering.claim(req=req, volunteer=other_volunteer, actor=other_volunteer.user)
    # Nothing half-written by the refused attempt.
    assert TaskClaim.objects.count() == 1 and RequestEvent.objects.count() == events
    assert AuditEntry.objects.count() == audits
    req.delivery.refresh_from_db()
    assert req.delivery.assigned_to == volunteer.user


def test_the_database_refuses_a_second_holder(
    open_task: Any, volunteer: Any, other_volunteer: Any
) -> None:
    from django.db import IntegrityError, transaction

    req, _code = open_task
    TaskClaim.objects.create(request=req, delivery=req.delivery, volunteer=volunteer)
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskClaim.objects.create(request=req, delivery=req.delivery, volunteer=other_volunteer)


def test_a_task_a_courier_has_is_not_offered(scheduled: Any, volunteer: Any) -> None:
    req, _code = scheduled
    assert not volunteering.offered_to(volunteer)
    with pytest.raises(volunteering.TaskTaken):
        volunteering.claim(req=req, volunteer=volunteer, actor=volunteer.user)


def test_declining_hides_it_from_me_only(
    open_task: Any, volunteer: Any, other_volunteer: Any
) -> None:
    req, _code = open_task
    volunteering.dismiss(req=req, volunteer=volunteer)
    volunteering.dismiss(req=req, volunteer=volunteer)  # twice is harmless
    assert not volunteering.offered_to(volunteer)
    assert list(volunteering.offered_to(other_volunteer)) == [req]


def test_the_holder_sees_the_address_until_a_day_after_and_every_reading_is_audited(
    open_task: Any, volunteer: Any, other_volunteer: Any
) -> None:
    req, code = open_task
    held = volunteering.claim(req=req, volunteer=volunteer, actor=volunteer.user)
    seen = volunteering.seen_by_holder(held, volunteer.user)
    assert seen is not None and seen["address"] == "Μεραρχίας 40, Σέρρες"
    assert seen["access_notes"] == "Ring twice, third floor"
    assert AuditEntry.objects.filter(
        action="relief.viewed", actor=volunteer.user, target_id=str(req.pk)
    ).exists()
    # Another volunteer never: they hold no claim.
    assert volunteering.claim_for(other_volunteer, req) is None
    assert volunteering.seen_by_holder(held, other_volunteer.user) is None
    volunteering.complete_with_code(req=req, volunteer=volunteer, code=code)
    held.refresh_from_db()
    assert held.status == ClaimStatus.DELIVERED and held.ended_at is not None
    # The clock moved: 23 hours after the visit still shown, 25 hours after hidden again.
    assert volunteering.details_visible(held, now=held.ended_at + dt.timedelta(hours=23))
    assert not volunteering.details_visible(held, now=held.ended_at + dt.timedelta(hours=25))


def test_handing_back_opens_it_again_and_tells_the_coordinator(
    open_task: Any, volunteer: Any, other_volunteer: Any, coordinator: Any
) -> None:
    req, _code = open_task
    volunteering.claim(req=req, volunteer=volunteer, actor=volunteer.user)
    with pytest.raises(services.ReliefError, match="Say why"):
        volunteering.hand_back(req=req, volunteer=volunteer, reason="  ")
    with pytest.raises(services.ReliefError, match="do not hold"):
        volunteering.hand_back(req=req, volunteer=other_volunteer, reason="mine now")
    held = volunteering.hand_back(req=req, volunteer=volunteer, reason="My car broke down")
    assert held.status == ClaimStatus.HANDED_BACK
    req.delivery.refresh_from_db()
    assert req.delivery.assigned_to is None
    assert volunteering.seen_by_holder(held, volunteer.user) is None  # hidden at once
    told = Notification.objects.get(kind="relief.task_handed_back")
    assert told.recipient == coordinator and req.reference in told.subject
    assert RequestEvent.objects.filter(message__contains="My car broke down").exists()
    assert list(volunteering.offered_to(other_volunteer)) == [req]
    volunteering.claim(req=req, volunteer=other_volunteer, actor=other_volunteer.user)


def test_completing_twice_and_wrong_codes_are_clear(open_task: Any, volunteer: Any) -> None:
    req, code = open_task
    with pytest.raises(services.ReliefError, match="do not hold"):
        volunteering.complete_with_code(req=req, volunteer=volunteer, code=code)
    volunteering.claim(req=req, volunteer=volunteer, actor=volunteer.user)
    wrong = "0000" if code != "0000" else "1111"
    with pytest.raises(services.ReliefError, match="Tries left: 4"):
        volunteering.complete_with_code(req=req, volunteer=volunteer, code=wrong)
    done = volunteering.complete_with_code(req=req, volunteer=volunteer, code=code)
    assert done.status == "delivered"
    with pytest.raises(services.ReliefError, match="already done") as refused:
        volunteering.complete_with_code(req=req, volunteer=volunteer, code=code)
    assert refused.value.code == "done"


def test_hours_are_logged_once_a_task_is_done(open_task: Any, volunteer: Any) -> None:
    req, _code = open_task
    volunteering.claim(req=req, volunteer=volunteer, actor=volunteer.user)
    with pytest.raises(services.ReliefError, match="once its visit is over"):
        volunteering.log_hours(req=req, volunteer=volunteer, hours=Decimal("1.5"))
    volunteering.complete_with_name(
        req=req, volunteer=volunteer, received_by="Her son", note="She was asleep"
    )
    entry = volunteering.log_hours(req=req, volunteer=volunteer, hours=Decimal("1.5"))
    assert (entry.source, entry.reference) == ("relief", req.reference)
    assert entry.date <= timezone.localdate()
    with pytest.raises(services.ReliefError, match="already logged"):
        volunteering.log_hours(req=req, volunteer=volunteer, hours=Decimal("1"))
    assert VolunteerHours.objects.filter(volunteer=volunteer).count() == 1
    with pytest.raises(services.ReliefError, match="24 hours"):
        other = make_volunteer("f@example.org")
        TaskClaim.objects.create(
            request=req, delivery=req.delivery, volunteer=other, status=ClaimStatus.DELIVERED
        )
        volunteering.log_hours(req=req, volunteer=other, hours=Decimal("30"))


def test_a_coordinator_gives_a_task_to_a_matching_volunteer(
    open_task: Any, volunteer: Any, coordinator: Any, citizen: Any
) -> None:
    req, _code = open_task
    unsuited = make_volunteer("g@example.org", skills=("driving",))
    assert volunteering.matching_volunteers(req) == [volunteer]
    assert unsuited not in volunteering.matching_volunteers(req)
    with pytest.raises(services.ReliefError, match="permission"):
        volunteering.claim(req=req, volunteer=volunteer, actor=citizen)
    held = volunteering.claim(req=req, volunteer=volunteer, actor=coordinator)
    assert held.assigned_by == coordinator
    told = Notification.objects.get(kind="relief.task_assigned")
    assert told.recipient == volunteer.user and req.reference in told.subject
    # The volunteer is told by SMS on their phone too; the message names no one.
    assert told.deliveries.filter(channel="sms", address="6977 000 111").exists()
    assert "Ευανθία" not in told.body and "Μεραρχίας" not in told.body
    # The requester is never given the volunteer's phone.
    for note in Notification.objects.filter(recipient=citizen):
        assert "6977" not in note.body + note.subject


def test_a_reminder_is_planned_before_the_task_and_sent_if_still_held(
    open_task: Any, volunteer: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    from django_tasks import default_task_backend

    settings.DIMOS_RELIEF_TASK_REMINDER_HOURS = 2
    backend: Any = default_task_backend
    backend.deferred.clear()
    req, _code = open_task
    with django_capture_on_commit_callbacks(execute=True):
        volunteering.claim(req=req, volunteer=volunteer, actor=volunteer.user)
    planned = [item for item in backend.deferred if item[0].name == "remind_volunteer"]
    assert len(planned) == 1
    due = planned[0][0].run_after
    assert due == volunteering.task_start(req.delivery) - dt.timedelta(hours=2)
    assert backend.run_due(due - dt.timedelta(minutes=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        backend.run_due(due)
    reminder = Notification.objects.get(kind="relief.task_reminder")
    assert reminder.recipient == volunteer.user and "09:00" in reminder.subject


def test_no_reminder_for_a_task_handed_back(open_task: Any, volunteer: Any) -> None:
    req, _code = open_task
    held = volunteering.claim(req=req, volunteer=volunteer, actor=volunteer.user)
    volunteering.hand_back(req=req, volunteer=volunteer, reason="Ill")
    assert not volunteering.remind(claim_id=held.pk)
    assert not Notification.objects.filter(kind="relief.task_reminder").exists()


def test_coordinators_are_alerted_on_the_day_when_a_task_has_no_one(
    asked: Any,
    coordinator: Any,
    volunteer: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: Any,
    settings: Any,
) -> None:
    from django_tasks import default_task_backend

    settings.DIMOS_RELIEF_TASK_ALERT_HOUR = 7
    backend: Any = default_task_backend
    backend.deferred.clear()
    services.accept(req=asked, actor=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule(req=asked, actor=coordinator)
    asked.refresh_from_db()
    planned = [item for item in backend.deferred if item[0].name == "alert_if_unassigned"]
    assert len(planned) == 1
    due = planned[0][0].run_after
    assert timezone.localtime(due).hour == 7 and timezone.localdate(due) == asked.day
    # The clock moves to the task's day: the check finds no one and alerts the coordinator.
    real = timezone.localdate
    monkeypatch.setattr(
        timezone,
        "localdate",
        lambda value=None, tz=None: asked.day if value is None else real(value),
    )
    with django_capture_on_commit_callbacks(execute=True):
        backend.run_due(due)
    alert = Notification.objects.get(kind="relief.task_unassigned")
    assert alert.recipient == coordinator and asked.reference in alert.subject
    # Given to someone meanwhile: the same check does nothing.
    volunteering.claim(req=asked, volunteer=volunteer, actor=coordinator)
    assert not volunteering.alert_if_unassigned(request_id=asked.pk, delivery_id=asked.delivery_id)
    assert Notification.objects.filter(kind="relief.task_unassigned").count() == 1


def test_a_task_given_to_a_courier_plans_no_alert(
    asked: Any, coordinator: Any, courier: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks import default_task_backend

    backend: Any = default_task_backend
    backend.deferred.clear()
    services.accept(req=asked, actor=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule(req=asked, actor=coordinator, courier=courier)
    assert not [item for item in backend.deferred if item[0].name == "alert_if_unassigned"]


def test_erasing_the_beneficiary_ends_the_claim(open_task: Any, volunteer: Any) -> None:
    req, _code = open_task
    held = volunteering.claim(req=req, volunteer=volunteer, actor=volunteer.user)
    services.erase_beneficiary(req.beneficiary)
    held.refresh_from_db()
    assert held.status == ClaimStatus.WITHDRAWN
    assert volunteering.seen_by_holder(held, volunteer.user) is None


def test_a_volunteer_must_accept_a_new_code_of_conduct_first(
    open_task: Any, volunteer: Any
) -> None:
    from dimos.volunteers.models import CodeOfConduct

    req, _code = open_task
    CodeOfConduct.objects.create(version=2, text_el="Νέος", published_at=timezone.now())
    with pytest.raises(services.ReliefError, match="code of conduct") as refused:
        volunteering.claim(req=req, volunteer=volunteer, actor=volunteer.user)
    assert refused.value.code == "conduct"


def test_a_run_given_to_a_courier_takes_the_task_from_its_volunteer_and_tells_them(
    open_task: Any, volunteer: Any, coordinator: Any, courier: Any
) -> None:
    """A coordinator batches the day's visits into a run for a staff courier: a volunteer who
    held one of them no longer holds it, stops seeing the address, and is told not to go."""
    from dimos.deliveries import services as deliveries

    req, _code = open_task
    volunteering.claim(req=req, volunteer=volunteer, actor=volunteer.user)
    req.delivery.refresh_from_db()
    deliveries.create_run(
        date=req.delivery.date,
        district=req.delivery.district,
        deliveries=[req.delivery],
        courier=courier,
        actor=coordinator,
    )
    req.delivery.refresh_from_db()
    assert req.delivery.assigned_to == courier
    held = TaskClaim.objects.get(request=req)
    assert held.status == ClaimStatus.WITHDRAWN
    assert volunteering.claim_for(volunteer, req).status == ClaimStatus.WITHDRAWN
    told = Notification.objects.get(recipient=volunteer.user, kind="relief.task_withdrawn")
    assert req.reference in told.subject and "Μεραρχίας" not in told.body
    # Re-planned to the volunteer again by the coordinator: nothing more is withdrawn.
    deliveries.plan_delivery(
        delivery=req.delivery,
        date=req.delivery.date,
        window_start=req.delivery.window_start,
        window_end=req.delivery.window_end,
        assigned_to=courier,
        actor=coordinator,
    )
    assert Notification.objects.filter(kind="relief.task_withdrawn").count() == 1
