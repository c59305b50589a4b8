"""Recurring requests: a coordinator's "every Tuesday" makes the requests of the next days
through ask_for_help (joined, never doubled), accepted at once unless a food parcel lacks a
social grocery decision; idempotent, stoppable, ended by a date or a number of times, re-run
daily by a task that plans itself."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dimos.core.audit import AuditEntry
from dimos.core.models import Notification
from dimos.relief import recurring, services
from dimos.relief.models import EventKind, Need, Recurrence, ReliefRequest, Status
from dimos.relief.tests.conftest import ask, shopping, tomorrow
from dimos.testing.personas import login

pytestmark = pytest.mark.django_db


def _today() -> dt.date:
    return timezone.localdate()


def _every_day() -> list[int]:
    return list(range(7))


@pytest.fixture
def shopping_asked(citizen: Any, municipality: Any) -> ReliefRequest:
    citizen.preferred_language = "en"
    citizen.save()
    return ask(citizen, needs=shopping()).request  # type: ignore[no-any-return]


def _made(rec: Recurrence) -> list[ReliefRequest]:
    return list(ReliefRequest.objects.filter(recurrence=rec).exclude(pk=rec.request_id))


def test_making_recurring_makes_the_next_days_accepted_quietly_and_audited(
    asked: ReliefRequest, coordinator: Any, settings: Any
) -> None:
    settings.DIMOS_RELIEF_RECURRING_DAYS_AHEAD = 7
    weekday = (_today() + dt.timedelta(days=3)).weekday()
    before = Notification.objects.count()
    rec, made = recurring.make_recurring(req=asked, weekdays=[weekday], count=3, actor=coordinator)
    assert [r.day for r in made] == [_today() + dt.timedelta(days=3)]
    new = made[0]
    assert new.recurrence == rec and new.status == Status.ACCEPTED
    assert new.requester == asked.requester and new.channel == asked.channel
    need = new.needs.get()
    # The medicine from the same pharmacy, never the old prescription's barcodes.
    assert need.kind == "medicine" and need.pharmacy == "Pharmacy of the square"
    assert need.barcodes == []
    assert new.events.filter(kind=EventKind.NOTE, message__contains="prescription").exists()
    assert Notification.objects.count() == before  # nobody told "received" or "accepted"
    asked.refresh_from_db()
    assert asked.recurrence == rec  # the request it was made from carries the mark
    assert rec.until == _today() + dt.timedelta(days=3 + 14)  # the third time
    assert rec.last_generated == _today() + dt.timedelta(days=7)
    assert AuditEntry.objects.filter(
        action="relief.recurrence_created", target_id=str(asked.pk)
    ).exists()


def test_generating_twice_makes_nothing_twice(
    shopping_asked: ReliefRequest, coordinator: Any
) -> None:
    rec, made = recurring.make_recurring(
        req=shopping_asked, weekdays=_every_day(), count=20, actor=coordinator
    )
    # Every day of the next week but the request's own day (tomorrow): not doubled.
    assert len(made) == 6
    assert recurring.generate(rec) == []
    assert recurring.generate(rec, today=_today()) == []
    assert len(_made(rec)) == 6
    assert Need.objects.filter(request=shopping_asked).count() == 1
    # A day later: only the one new day.
    later = recurring.generate(rec, today=_today() + dt.timedelta(days=1))
    assert [r.day for r in later] == [_today() + dt.timedelta(days=8)]
    assert recurring.generate(rec, today=_today() + dt.timedelta(days=1)) == []


def test_a_day_already_asked_for_is_joined_not_doubled(
    asked: ReliefRequest, citizen: Any, coordinator: Any
) -> None:
    day = _today() + dt.timedelta(days=4)
    other = ask(citizen, beneficiary=asked.beneficiary, person=None, day=day, needs=shopping())
    rec, made = recurring.make_recurring(
        req=asked, weekdays=[day.weekday()], count=2, actor=coordinator
    )
    assert [r.pk for r in made] == [other.request.pk]
    joined = ReliefRequest.objects.get(pk=other.request.pk)
    assert joined.recurrence == rec
    assert sorted(joined.needs.values_list("kind", flat=True)) == ["medicine", "shopping"]
    assert ReliefRequest.objects.filter(beneficiary=asked.beneficiary, day=day).count() == 1
    assert joined.events.filter(kind=EventKind.MERGED).exists()


def test_a_day_on_its_way_is_skipped_with_a_note(
    asked: ReliefRequest, citizen: Any, coordinator: Any, courier: Any
) -> None:
    day = _today() + dt.timedelta(days=2)
    other = ask(citizen, beneficiary=asked.beneficiary, person=None, day=day).request
    services.accept(req=other, actor=coordinator)
    services.schedule(req=other, actor=coordinator, courier=courier)
    other.refresh_from_db()
    ReliefRequest.objects.filter(pk=other.pk).update(status=Status.OUT)
    _rec, made = recurring.make_recurring(
        req=asked, weekdays=[day.weekday()], count=2, actor=coordinator
    )
    assert made == []
    assert other.events.filter(kind=EventKind.NOTE, message__contains="not added").exists()
    assert Need.objects.filter(request=other).count() == 1


def test_stopping_makes_nothing_more_and_keeps_what_was_made(
    shopping_asked: ReliefRequest, coordinator: Any
) -> None:
    rec, made = recurring.make_recurring(
        req=shopping_asked, weekdays=_every_day(), count=20, actor=coordinator
    )
    recurring.stop(recurrence=rec, actor=coordinator)
    recurring.stop(recurrence=rec, actor=coordinator)  # twice: nothing more
    rec.refresh_from_db()
    assert rec.stopped_at is not None and rec.stopped_by == coordinator and not rec.active
    assert recurring.generate(rec, today=_today() + dt.timedelta(days=3)) == []
    assert len(_made(rec)) == len(made) == 6
    assert all(r.status == Status.ACCEPTED for r in _made(rec))
    assert AuditEntry.objects.filter(action="relief.recurrence_stopped").count() == 1


def test_it_ends_after_the_number_of_times(
    shopping_asked: ReliefRequest, coordinator: Any, settings: Any
) -> None:
    settings.DIMOS_RELIEF_RECURRING_DAYS_AHEAD = 3
    weekday = (_today() + dt.timedelta(days=2)).weekday()
    rec, _made_now = recurring.make_recurring(
        req=shopping_asked, weekdays=[weekday], count=3, actor=coordinator
    )
    for offset in range(0, 30):
        recurring.generate(rec, today=_today() + dt.timedelta(days=offset))
    days = sorted(r.day for r in _made(rec))
    first = _today() + dt.timedelta(days=2)
    assert days == [first, first + dt.timedelta(weeks=1), first + dt.timedelta(weeks=2)]
    rec.refresh_from_db()
    assert not rec.active


def test_it_ends_on_the_last_day(shopping_asked: ReliefRequest, coordinator: Any) -> None:
    until = _today() + dt.timedelta(days=10)
    rec, _made_now = recurring.make_recurring(
        req=shopping_asked, weekdays=_every_day(), until=until, actor=coordinator
    )
    for offset in range(0, 20):
        recurring.generate(rec, today=_today() + dt.timedelta(days=offset))
    days = sorted(r.day for r in _made(rec))
    assert days[-1] == until and len(days) == 9  # days 2..10 (day 1 is the request's own)


def test_the_choice_is_checked() -> None:
    with pytest.raises(services.ReliefError) as no_day:
        recurring.plan(weekdays=[], count=2)
    assert no_day.value.code == "weekdays"
    with pytest.raises(services.ReliefError) as too_far:
        recurring.plan(weekdays=[1], until=_today() + dt.timedelta(weeks=27))
    assert too_far.value.code == "until"
    with pytest.raises(services.ReliefError) as too_many:
        recurring.plan(weekdays=[1], count=27)
    assert too_many.value.code == "count"
    with pytest.raises(services.ReliefError) as both:
        recurring.plan(weekdays=[1], count=2, until=_today() + dt.timedelta(days=20))
    assert both.value.code == "end"
    with pytest.raises(services.ReliefError) as past:
        recurring.plan(weekdays=[1], until=_today())
    assert past.value.code == "until"
    assert len(recurring.plan(weekdays=[0, 3], count=5).days) == 5


def test_the_database_refuses_an_end_before_the_start(
    asked: ReliefRequest, coordinator: Any
) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Recurrence.objects.create(
            request=asked,
            beneficiary=asked.beneficiary,
            weekdays=[1],
            window_start=dt.time(9),
            window_end=dt.time(13),
            starts_on=tomorrow(),
            until=_today(),
        )


def test_a_food_parcel_without_a_decision_stays_received_and_says_why(
    citizen: Any, coordinator: Any, municipality: Any
) -> None:
    req = ask(citizen, needs=[services.NeedData(kind="food")], food_claim="kea").request
    services.record_eligibility(beneficiary=req.beneficiary, decision="kea", actor=coordinator)
    services.accept(req=req, actor=coordinator)
    rec, made = recurring.make_recurring(
        req=req, weekdays=[(_today() + dt.timedelta(days=2)).weekday()], count=2, actor=coordinator
    )
    assert made[0].status == Status.ACCEPTED  # a decision in force: accepted
    # The decision lapses: the next one made stays received, its history saying why.
    req.beneficiary.food_eligible_until = _today() - dt.timedelta(days=1)
    req.beneficiary.save()
    later = recurring.generate(rec, today=_today() + dt.timedelta(days=7))
    assert len(later) == 1 and later[0].status == Status.RECEIVED
    assert later[0].events.filter(kind=EventKind.NOTE, message__contains="social grocery").exists()


def test_an_erased_or_merged_person_stops_the_recurrence(
    shopping_asked: ReliefRequest, coordinator: Any
) -> None:
    rec, _made_now = recurring.make_recurring(
        req=shopping_asked, weekdays=_every_day(), count=20, actor=coordinator
    )
    services.erase_beneficiary(shopping_asked.beneficiary)
    rec.refresh_from_db()
    assert rec.stopped_at is not None and rec.needs == []
    assert recurring.generate(rec, today=_today() + dt.timedelta(days=3)) == []


def test_the_daily_task_plans_itself_once(
    shopping_asked: ReliefRequest, coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks import default_task_backend

    backend: Any = default_task_backend
    backend.deferred.clear()
    with django_capture_on_commit_callbacks(execute=True):
        rec, _made_now = recurring.make_recurring(
            req=shopping_asked, weekdays=_every_day(), count=20, actor=coordinator
        )
    planned = [item for item in backend.deferred if item[0].name == "generate_recurrence"]
    first = tomorrow()
    assert [(item[0].run_after, item[1]) for item in planned] == [
        (
            timezone.make_aware(dt.datetime.combine(first, recurring.RUN_AT)),
            [rec.pk, first.isoformat()],
        )
    ]
    # The planned run, twice (a retry): the second finds itself not planned and does nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert recurring.run_planned(recurrence_id=rec.pk, day=first) >= 0
        assert recurring.run_planned(recurrence_id=rec.pk, day=first) == 0
    rec.refresh_from_db()
    after = first + dt.timedelta(days=1)
    assert rec.planned_for == after
    chain = [item for item in backend.deferred if item[0].name == "generate_recurrence"]
    assert [item[1][1] for item in chain] == [first.isoformat(), after.isoformat()]
    # A stopped recurrence's planned run makes nothing and plans nothing.
    recurring.stop(recurrence=rec, actor=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        assert recurring.run_planned(recurrence_id=rec.pk, day=after) == 0
    assert len([i for i in backend.deferred if i[0].name == "generate_recurrence"]) == 2
    backend.deferred.clear()


# --- The pages --------------------------------------------------------------------------------


def test_the_form_shows_the_days_and_makes_it_recurring(
    coordinator_client: Client, shopping_asked: ReliefRequest
) -> None:
    url = f"/staff/relief/{shopping_asked.pk}/recurring/"
    page = coordinator_client.get(url)
    assert page.status_code == 200
    assert "It will make 4 requests" in page.content.decode()
    weekday = (_today() + dt.timedelta(days=3)).weekday()
    data = {"weekdays": [weekday], "window": "morning", "end": "count", "count": "2"}
    preview = coordinator_client.post(url, {**data, "preview": "1"})
    assert preview.status_code == 200 and "It will make 2 requests" in preview.content.decode()
    assert not Recurrence.objects.exists()
    done = coordinator_client.post(url, {**data, "confirm": "1"})
    assert done.status_code == 302
    rec = Recurrence.objects.get()
    assert rec.weekdays == [weekday] and rec.count == 2
    detail = coordinator_client.get(f"/staff/relief/{shopping_asked.pk}/").content.decode()
    assert "Recurring request" in detail and "Stop repeating" in detail
    assert "decline them one by one" in detail
    made = _made(rec)[0]
    text = coordinator_client.get(f"/staff/relief/{made.pk}/").content.decode()
    assert "recurring" in text and "the request it was made from" in text
    # The board (today and tomorrow) marks the request it was made from, tomorrow's.
    board = coordinator_client.get("/staff/relief/").content.decode()
    assert f"{shopping_asked.reference}</a> · recurring" in board
    stop = coordinator_client.post(f"/staff/relief/{shopping_asked.pk}/recurring/stop/")
    assert stop.status_code == 302
    rec.refresh_from_db()
    assert rec.stopped_at is not None


@pytest.mark.parametrize(
    ("language", "words", "too_far_words", "count_words"),
    [
        (
            "en",
            "Choose one or more days of the week.",
            "The last day may be at most",
            "Give the number of times.",
        ),
        (
            "el",
            "Επιλέξτε μία ή περισσότερες ημέρες της εβδομάδας.",
            "Η τελευταία ημέρα μπορεί να είναι το αργότερο",
            "Δώστε τον αριθμό των φορών.",
        ),
    ],
)
def test_bad_input_gives_field_errors_in_the_language(
    coordinator: Any,
    shopping_asked: ReliefRequest,
    language: str,
    words: str,
    too_far_words: str,
    count_words: str,
) -> None:
    client = login(coordinator)
    client.cookies["dimos_language"] = language
    url = f"/staff/relief/{shopping_asked.pk}/recurring/"
    page = client.post(url, {"window": "morning", "end": "count", "count": "2", "confirm": "1"})
    assert page.status_code == 400 and words in page.content.decode()
    too_far = (_today() + dt.timedelta(weeks=30)).isoformat()
    page = client.post(
        url, {"weekdays": ["1"], "window": "morning", "end": "until", "until": too_far}
    )
    assert page.status_code == 400 and too_far_words in page.content.decode()
    page = client.post(url, {"weekdays": ["1"], "window": "morning", "end": "count"})
    assert page.status_code == 400 and count_words in page.content.decode()
    assert not Recurrence.objects.exists()


def test_only_coordinators_make_or_stop_it(
    shopping_asked: ReliefRequest, coordinator: Any, courier: Any, citizen: Any
) -> None:
    rec, _made_now = recurring.make_recurring(
        req=shopping_asked, weekdays=[1], count=2, actor=coordinator
    )
    for user in (courier, citizen):
        client = login(user)
        url = f"/staff/relief/{shopping_asked.pk}/recurring/"
        assert client.get(url).status_code in (302, 403)
        assert client.post(f"{url}stop/").status_code in (302, 403)
        rec.refresh_from_db()
        assert rec.stopped_at is None
    with pytest.raises(services.ReliefError):
        recurring.stop(recurrence=rec, actor=courier)
    with pytest.raises(services.ReliefError):
        recurring.make_recurring(req=shopping_asked, weekdays=[1], count=2, actor=courier)


def test_the_coordinator_api_shows_the_recurrence(
    coordinator: Any, coordinator_client: Client, shopping_asked: ReliefRequest
) -> None:
    rec, _made_now = recurring.make_recurring(
        req=shopping_asked, weekdays=[2, 4], count=3, actor=coordinator
    )
    body = coordinator_client.get(f"/api/v1/relief/staff/requests/{shopping_asked.pk}").json()
    assert body["recurrence"] == {
        "id": rec.pk,
        "weekdays": [2, 4],
        "until": rec.until.isoformat(),
        "stopped": False,
    }
