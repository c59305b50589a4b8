"""The engine: places, the waitlist and its promotions, the schedule, bad input, retention."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone, translation

from dimos.activities import services
from dimos.activities.models import (
    Attendance,
    Audience,
    Child,
    Programme,
    Registration,
    RegistrationStatus,
    Repeat,
    Session,
)
from dimos.activities.tests.conftest import child_of, family, make_programme
from dimos.core.models import AuditEntry, Notification

pytestmark = pytest.mark.django_db


def _message(exc: Any) -> str:
    with translation.override("en"):
        return str(exc.value.message)


def test_places_then_waitlist_then_promotion_with_a_time_to_confirm(
    programme: Programme, django_capture_on_commit_callbacks: Any
) -> None:
    parents = [family(f"p{i}@example.org") for i in range(4)]
    kids = [child_of(p, f"Παιδί{i}") for i, p in enumerate(parents)]
    with django_capture_on_commit_callbacks(execute=True):
        regs = [
            services.register(programme=programme, account=p, child=c)
            for p, c in zip(parents, kids, strict=True)
        ]
    assert [r.status for r in regs] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert [services.waitlist_position(r) for r in regs] == [None, None, 1, 2]
    assert services.seats_left(programme) == 0
    # Each family was told after the commit (a task): a place, or the number in line.
    registered = list(Notification.objects.filter(kind="activities.registered").order_by("pk"))
    assert [n.recipient for n in registered] == parents
    assert "αριθμός 2" in registered[3].subject

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration=regs[0], actor=parents[0])
    regs[2].refresh_from_db()
    assert regs[2].status == RegistrationStatus.OFFERED
    assert regs[2].offer_expires_at is not None
    assert services.waitlist_position(regs[3]) == 1
    told = Notification.objects.get(recipient=parents[2], kind="activities.offered")
    assert "Παιδί2" in told.body

    services.confirm_offer(registration=regs[2], actor=parents[2])
    regs[2].refresh_from_db()
    assert regs[2].status == RegistrationStatus.CONFIRMED


def test_an_offer_not_confirmed_in_time_passes_to_the_next(programme: Programme) -> None:
    parents = [family(f"q{i}@example.org") for i in range(4)]
    kids = [child_of(p, f"Κ{i}") for i, p in enumerate(parents)]
    regs = [
        services.register(programme=programme, account=p, child=c)
        for p, c in zip(parents, kids, strict=True)
    ]
    services.cancel_registration(registration=regs[0], actor=parents[0])
    regs[2].refresh_from_db()
    assert regs[2].status == "offered"
    Registration.objects.filter(pk=regs[2].pk).update(
        offer_expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    with pytest.raises(services.ActivityError) as exc:
        services.confirm_offer(registration=regs[2], actor=parents[2])
    assert "passed" in _message(exc)
    regs[2].refresh_from_db()
    regs[3].refresh_from_db()
    assert regs[2].status == RegistrationStatus.EXPIRED
    assert regs[3].status == RegistrationStatus.OFFERED
    assert Notification.objects.filter(
        recipient=parents[2], kind="activities.offer_expired"
    ).exists()


def test_the_expiry_task_passes_the_seat_on(programme: Programme) -> None:
    parents = [family(f"t{i}@example.org") for i in range(3)]
    kids = [child_of(p, f"Τ{i}") for i, p in enumerate(parents)]
    regs = [
        services.register(programme=programme, account=p, child=c)
        for p, c in zip(parents, kids, strict=True)
    ]
    services.cancel_registration(registration=regs[1], actor=parents[1])
    regs[2].refresh_from_db()
    assert not services.expire_offer(registration_id=regs[2].pk)  # not due yet
    Registration.objects.filter(pk=regs[2].pk).update(
        offer_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert services.expire_offer(registration_id=regs[2].pk)
    regs[2].refresh_from_db()
    assert regs[2].status == "expired" and regs[2].seat is None
    assert services.seats_left(programme) == 1


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("too_young", "outside the ages"),
        ("twice", "Already registered"),
        ("closed", "Registration has closed"),
        ("not_open", "has not opened"),
        ("someone_elses_child", "your own children"),
        ("adult_in_childrens", "choose which child"),
    ],
)
def test_bad_registrations_are_refused_with_a_clear_message(
    programme: Programme, case: str, expected: str
) -> None:
    parent = family("bad@example.org")
    child = child_of(parent, "Άννα", age=8)
    if case == "too_young":
        child = child_of(parent, "Μικρός", age=3)
    elif case == "twice":
        services.register(programme=programme, account=parent, child=child)
    elif case == "closed":
        Programme.objects.filter(pk=programme.pk).update(
            registration_closes=timezone.now() - dt.timedelta(minutes=1),
            registration_opens=timezone.now() - dt.timedelta(days=2),
        )
    elif case == "not_open":
        Programme.objects.filter(pk=programme.pk).update(
            registration_opens=timezone.now() + dt.timedelta(hours=1)
        )
    elif case == "someone_elses_child":
        child = child_of(family("other@example.org"), "Ξένος")
    elif case == "adult_in_childrens":
        child = None
    before = Registration.objects.count()
    with pytest.raises(services.ActivityError) as exc:
        services.register(programme=programme, account=parent, child=child)
    assert expected in _message(exc)
    assert Registration.objects.count() == before - 0 if case != "twice" else before


def test_a_full_programme_offers_the_waitlist_and_nobody_jumps_the_queue(
    organiser: Any,
) -> None:
    programme = make_programme(organiser, capacity=1)
    a, b, c = (family(f"{x}@example.org") for x in "abc")
    first = services.register(programme=programme, account=a, child=child_of(a))
    second = services.register(programme=programme, account=b, child=child_of(b))
    assert (first.status, second.status) == ("confirmed", "waitlisted")
    # A seat frees and is offered to b; c, arriving now, queues behind.
    services.cancel_registration(registration=first, actor=a)
    third = services.register(programme=programme, account=c, child=child_of(c))
    assert third.status == "waitlisted"
    second.refresh_from_db()
    assert second.status == "offered"


def test_adults_register_themselves_with_a_team_name(organiser: Any) -> None:
    event = make_programme(
        organiser,
        audience=Audience.ADULTS,
        age_min=None,
        age_max=None,
        teams=True,
        check_in=True,
        kind="event",
    )
    person = family("hacker@example.org")
    with pytest.raises(services.ActivityError) as exc:
        services.register(programme=event, account=person)
    assert "team" in _message(exc)
    registration = services.register(programme=event, account=person, team_name="  Οι  Ψηφιακοί ")
    assert registration.team_name == "Οι Ψηφιακοί"
    with pytest.raises(services.ActivityError):
        services.register(programme=event, account=person, team_name="Άλλη")
    done = services.check_in(code=registration.check_in_code, actor=organiser)
    assert done.checked_in_at is not None
    with pytest.raises(services.ActivityError):
        services.check_in(code=registration.check_in_code, actor=organiser)
    with pytest.raises(services.ActivityError):
        services.check_in(code="nonsense", actor=organiser)


def test_weekly_sessions_skip_holidays_and_exceptions(organiser: Any) -> None:
    tz = timezone.get_current_timezone()
    # Mondays of spring 2027: Clean Monday (15 March) and Easter Monday (3 May) are holidays.
    start = dt.datetime(2027, 3, 1, 17, 0, tzinfo=tz)
    starts = services.occurrences(
        first_start=start,
        repeat=Repeat.WEEKLY,
        repeat_until=dt.date(2027, 5, 10),
        skip_holidays=True,
        exceptions=["2027-04-05"],
    )
    days = [s.date().isoformat() for s in starts]
    assert "2027-03-15" not in days and "2027-05-03" not in days
    assert "2027-04-05" not in days
    assert "2027-03-08" in days and "2027-05-10" in days
    # The wall clock stays at 17:00 across the change to summer time (28 March 2027).
    assert {timezone.localtime(s).hour for s in starts} == {17}


def test_a_schedule_change_keeps_moved_sessions_and_attendance(
    organiser: Any, django_capture_on_commit_callbacks: Any
) -> None:
    start = timezone.now() + dt.timedelta(days=1)
    programme = make_programme(
        organiser,
        first_start=start,
        repeat=Repeat.WEEKLY,
        repeat_until=(start + dt.timedelta(days=21)).date(),
        skip_holidays=False,
    )
    assert programme.sessions.count() == 4
    parent = family("moved@example.org")
    services.register(programme=programme, account=parent, child=child_of(parent))
    session = programme.sessions.order_by("starts_at").last()
    assert session is not None
    with django_capture_on_commit_callbacks(execute=True):
        services.move_session(
            session=session,
            starts_at=session.starts_at + dt.timedelta(hours=2),
            reason="Η αίθουσα είναι κλειστή",
            actor=organiser,
        )
    assert Notification.objects.filter(recipient=parent, kind="activities.session_changed").exists()
    services.update_programme(programme=programme, actor=organiser, capacity=5)
    assert programme.sessions.count() == 4
    assert programme.sessions.filter(moved_from__isnull=False).count() == 1


def test_capacity_cannot_drop_below_the_places_taken(programme: Programme, organiser: Any) -> None:
    for i in range(2):
        p = family(f"c{i}@example.org")
        services.register(programme=programme, account=p, child=child_of(p))
    with pytest.raises(services.ActivityError):
        services.update_programme(programme=programme, actor=organiser, capacity=1)


def test_a_larger_capacity_offers_the_new_places(programme: Programme, organiser: Any) -> None:
    regs = []
    for i in range(3):
        p = family(f"l{i}@example.org")
        regs.append(services.register(programme=programme, account=p, child=child_of(p)))
    services.update_programme(programme=programme, actor=organiser, capacity=3)
    regs[2].refresh_from_db()
    assert regs[2].status == "offered"


def test_adding_a_child_needs_consent_and_a_plausible_year(db: Any) -> None:
    from dimos.activities.conf import conf

    parent = family("consent@example.org")
    year = timezone.localdate().year
    with pytest.raises(services.ActivityError):
        services.add_child(
            guardian=parent,
            first_name="Άλκης",
            birth_year=year - 5,
            consent=False,
            consent_version=conf.CONSENT_VERSION,
        )
    with pytest.raises(services.ActivityError):
        services.add_child(
            guardian=parent,
            first_name="Άλκης",
            birth_year=year - 30,
            consent=True,
            consent_version=conf.CONSENT_VERSION,
        )
    with pytest.raises(services.ActivityError) as exc:
        services.add_child(
            guardian=parent,
            first_name="Άλκης",
            birth_year=year - 5,
            consent=True,
            consent_version=conf.CONSENT_VERSION + 1,
        )
    assert "consent text has just changed" in _message(exc)
    child = services.add_child(
        guardian=parent,
        first_name=" Άλκης ",
        birth_year=year - 5,
        consent=True,
        consent_version=conf.CONSENT_VERSION,
    )
    assert (child.first_name, child.consent_version) == ("Άλκης", conf.CONSENT_VERSION)
    assert child.consent_at is not None
    assert AuditEntry.objects.filter(action="activity.child_added").exists()


def test_attendance_only_by_the_programmes_organisers(programme: Programme, organiser: Any) -> None:
    from dimos.testing.personas import staff

    parent = family("att@example.org")
    reg = services.register(programme=programme, account=parent, child=child_of(parent))
    session = programme.sessions.first()
    assert session is not None
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=1), ends_at=timezone.now()
    )
    session.refresh_from_db()
    coordinator = staff("coord@example.org", "activities_coordinator")
    with pytest.raises(services.ActivityError):
        services.record_attendance(session=session, present={reg.pk}, actor=coordinator)
    assert (
        services.record_attendance(session=session, present={reg.pk, 99999}, actor=organiser) == 1
    )
    assert Attendance.objects.get(registration=reg).present


@override_settings(DIMOS_ACTIVITIES_RETENTION_DAYS=30)
def test_retention_erases_participants_and_keeps_counts(programme: Programme) -> None:
    parent = family("ret@example.org")
    services.register(programme=programme, account=parent, child=child_of(parent))
    assert not services.erase_participants(programme_id=programme.pk)
    assert programme.ends_at is not None
    later = programme.ends_at + dt.timedelta(days=31)
    assert services.erase_due(now=later) == 1
    programme.refresh_from_db()
    assert not Registration.objects.filter(programme=programme).exists()
    assert programme.kept_counts["confirmed"] == 1
    assert programme.participants_erased_at is not None
    # The family keeps their child in their account (they remove it themselves).
    assert Child.objects.filter(guardian=parent).exists()


def test_reminders_carry_the_link_sealed_and_go_once(programme: Programme) -> None:
    parent = family("rem@example.org")
    services.register(programme=programme, account=parent, child=child_of(parent))
    Session.objects.filter(programme=programme).update(
        starts_at=timezone.now() + dt.timedelta(hours=2),
        ends_at=timezone.now() + dt.timedelta(hours=3),
    )
    assert services.send_reminders(programme_id=programme.pk) == 1
    assert services.send_reminders(programme_id=programme.pk) == 0
    note = Notification.objects.get(recipient=parent, kind="activities.reminder")
    assert "meet.jit.si" not in note.body and note.sealed_url


def test_erasing_a_guardian_frees_the_seat_for_the_waitlist(programme: Programme) -> None:
    from dimos.activities.personal_data import erase_for, export_for

    parents = [family(f"e{i}@example.org") for i in range(3)]
    regs = [services.register(programme=programme, account=p, child=child_of(p)) for p in parents]
    exported = export_for(parents[0])
    assert exported is not None and exported["children"][0]["first_name"] == "Νίκος"
    erase_for(parents[0])
    regs[2].refresh_from_db()
    assert regs[2].status == "offered"
    assert not Child.objects.filter(guardian=parents[0]).exists()
