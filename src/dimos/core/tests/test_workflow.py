"""The case-workflow kit: the transition table, apply(), deadlines with pause, the action view.

The kit is tried on a model of core itself (a notification's delivery, which has a status) with
a workflow declared here, so these tests need no domain app.
"""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils import translation

from dimos.core.models import AuditEntry, Delivery, Notification
from dimos.core.workflow import (
    PAUSE,
    RESUME,
    START,
    STOP,
    Action,
    Clock,
    Deadline,
    Move,
    Refused,
    StaffActionView,
    Transition,
    Workflow,
    apply,
    calls,
    workflow_of,
)

ATHENS = ZoneInfo("Europe/Athens")
Status = Delivery.Status


class CaseError(Refused):
    pass


class FakeTimeline:
    """Stands in for a TimelineEntry subclass: keeps the rows it was asked to write."""

    rows: list[FakeTimeline] = []

    def __init__(self, move: Move) -> None:
        self.move = move

    @classmethod
    def for_move(cls, move: Move) -> FakeTimeline:
        return cls(move)

    def save(self) -> None:
        FakeTimeline.rows.append(self)


told: list[Move] = []


def _must_say_why(move: Move) -> None:
    if not move.data.get("reason"):
        raise CaseError("Say why.")
    move.set("last_error", move.data["reason"])


WORKFLOW = Workflow(
    model=Delivery,
    error=CaseError,
    transitions={
        "claim": Transition(
            sources=(Status.PENDING,), target=Status.SENDING, stamp=("claimed_at",)
        ),
        "sent": Transition(
            sources=(Status.PENDING, Status.SENDING),
            target=Status.SENT,
            stamp=("sent_at",),
            permission="core.change_delivery",
        ),
        "fail": Transition(
            sources=(Status.SENDING,),
            target=Status.FAILED,
            effect=_must_say_why,
            allowed=lambda case, actor: None if actor.is_staff else "Only staff.",
            audit_action="delivery.gave_up",
            details=lambda move: {"reason": move.data["reason"]},
        ),
    },
    timeline=FakeTimeline,  # type: ignore[arg-type]
    notify=told.append,
    audit_details=lambda move: {"from": move.previous, "to": move.target},
)


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def case(db: Any) -> Delivery:
    FakeTimeline.rows.clear()
    told.clear()
    notification = Notification.objects.create(kind="test", subject="s", body="b")
    return Delivery.objects.create(notification=notification, channel="email", address="a@b.gr")


# --- The table ---------------------------------------------------------------------------------


def test_the_table_answers_actions_and_targets():
    assert WORKFLOW.actions_from(Status.SENDING) == ["sent", "fail"]
    assert WORKFLOW.targets([Status.PENDING, Status.SENT]) == {
        Status.PENDING: frozenset({Status.SENDING, Status.SENT}),
        Status.SENT: frozenset(),
    }
    assert workflow_of(Delivery) is WORKFLOW


def test_apply_moves_stamps_writes_the_timeline_the_audit_and_notifies(case, clerk):
    move = apply(case, "claim", actor=clerk, note="  picked up ")
    case.refresh_from_db()
    assert case.status == Status.SENDING and case.claimed_at == move.now
    assert move.previous == Status.PENDING and move.note == "picked up"
    assert [row.move for row in FakeTimeline.rows] == [move]
    assert told == [move]
    entry = AuditEntry.objects.get(target_id=str(case.pk), target_type="core.delivery")
    assert entry.action == "delivery.claim" and entry.actor == clerk
    assert entry.details == {"from": "pending", "to": "sending"}


def test_a_move_from_a_state_the_table_does_not_allow_is_refused_in_the_persons_language(
    case, clerk
):
    case.status = Status.SENT
    case.save()
    with translation.override("el"), pytest.raises(CaseError) as refused:
        apply(case, "claim", actor=clerk)
    assert str(refused.value).startswith("Αυτό δεν γίνεται όσο είναι «")
    assert not AuditEntry.objects.filter(target_type="core.delivery").exists()
    assert FakeTimeline.rows == [] and told == []


def test_the_state_is_checked_again_on_the_locked_row(case, clerk):
    stale = Delivery.objects.get(pk=case.pk)
    apply(case, "claim", actor=clerk)
    with pytest.raises(CaseError):
        apply(stale, "claim", actor=clerk)  # the copy still says pending; the row does not


def test_an_unknown_action_is_refused(case, clerk):
    with pytest.raises(CaseError, match="Unknown action"):
        apply(case, "explode", actor=clerk)


def test_a_permission_in_the_table_is_required(case, citizen, admin_user):
    with pytest.raises(CaseError, match="permission"):
        apply(case, "sent", actor=citizen)
    with pytest.raises(CaseError, match="permission"):
        apply(case, "sent", actor=None)
    apply(case, "sent", actor=admin_user)
    assert Delivery.objects.get(pk=case.pk).status == Status.SENT


def test_a_predicate_in_the_table_says_why_not(case, citizen, clerk):
    apply(case, "claim", actor=clerk)
    with pytest.raises(CaseError, match="Only staff"):
        apply(case, "fail", actor=citizen, reason="bounced")
    assert WORKFLOW.allows(Delivery.objects.get(pk=case.pk), "fail", clerk)
    assert not WORKFLOW.allows(Delivery.objects.get(pk=case.pk), "fail", citizen)


def test_an_effect_sets_fields_and_its_refusal_leaves_everything_as_it_was(case, clerk):
    apply(case, "claim", actor=clerk)
    with pytest.raises(CaseError, match="Say why"):
        apply(case, "fail", actor=clerk)
    assert Delivery.objects.get(pk=case.pk).status == Status.SENDING
    assert AuditEntry.objects.filter(target_type="core.delivery").count() == 1
    apply(case, "fail", actor=clerk, reason="bounced")
    case.refresh_from_db()
    assert case.status == Status.FAILED and case.last_error == "bounced"
    entry = AuditEntry.objects.filter(target_type="core.delivery").latest("pk")
    assert entry.action == "delivery.gave_up"
    assert entry.details == {"from": "sending", "to": "failed", "reason": "bounced"}


def test_authorised_skips_the_who_check_of_a_later_step(case):
    apply(case, "claim", actor=None)
    WORKFLOW.apply(case, "sent", actor=None, authorised=True)
    assert Delivery.objects.get(pk=case.pk).status == Status.SENT


# --- Deadlines in working days, with pauses ------------------------------------------------


def test_a_deadline_counts_working_days_without_weekends_and_holidays():
    # Friday 23 Oct 2026 + 3 working days: Mon 26, Tue 27, (Wed 28 Ohi Day), Thu 29.
    assert Deadline.starting(date(2026, 10, 23), 3).due == date(2026, 10, 29)
    start = datetime(2026, 10, 23, 23, 30, tzinfo=ATHENS)  # a late hour counts as that day
    assert Deadline.starting(start, 3).due == date(2026, 10, 29)


def test_a_pause_and_resume_on_the_same_day_costs_nothing():
    deadline = Deadline(due=date(2026, 11, 30)).pause(date(2026, 11, 23))
    assert deadline.is_paused and not deadline.is_overdue(date(2026, 12, 31))
    assert deadline.resume(date(2026, 11, 23)) == Deadline(due=date(2026, 11, 30))


def test_resuming_moves_the_due_date_by_the_working_days_paused():
    # Paused Friday 23 Oct, resumed Thursday 29 Oct: Mon, Tue, Thu (Wed is Ohi Day) = 3.
    paused = Deadline(due=date(2026, 11, 2)).pause(datetime(2026, 10, 23, 10, tzinfo=ATHENS))
    assert paused.paused_days(date(2026, 10, 29)) == 3
    resumed = paused.resume(datetime(2026, 10, 29, 9, tzinfo=ATHENS))
    assert resumed == Deadline(due=date(2026, 11, 5)) and not resumed.is_paused


def test_pausing_twice_keeps_the_first_pause():
    first = Deadline(due=date(2026, 11, 30)).pause(date(2026, 11, 2))
    assert first.pause(date(2026, 11, 20)).paused_since == date(2026, 11, 2)


def test_remaining_working_days_and_overdue():
    deadline = Deadline(due=date(2026, 11, 27))  # a Friday
    assert deadline.remaining(date(2026, 11, 23)) == 4
    assert deadline.remaining(date(2026, 11, 27)) == 0
    assert deadline.remaining(date(2026, 12, 1)) == -2  # Mon 30, Tue 1
    assert deadline.is_overdue(date(2026, 11, 30)) and not deadline.is_overdue(date(2026, 11, 27))
    # Paused, the days do not run out: the five left when it paused (Fri 20) are still left.
    assert deadline.pause(date(2026, 11, 20)).remaining(date(2026, 12, 1)) == 5


def test_a_thirty_working_day_mediation_paused_for_a_week():
    start = date(2026, 9, 1)
    deadline = Deadline.starting(start, 30)
    assert deadline.due == date(2026, 10, 13)
    # Waiting on the service from Mon 5 to Mon 12 Oct: five working days stand still.
    later = deadline.pause(date(2026, 10, 5)).resume(date(2026, 10, 12))
    assert later.due == date(2026, 10, 20)


def _clock_move(how: str, **case: Any) -> Move:
    clock = Clock(due="due_on", paused_since="waiting_since", working_days=lambda c: 3)
    workflow = SimpleNamespace(clock=clock)
    move = Move(
        workflow=workflow,  # type: ignore[arg-type]
        action="x",
        transition=Transition(sources=(), target="y", clock=how),
        case=SimpleNamespace(**case),
        previous="x",
        actor=None,
        now=datetime(2026, 10, 29, 9, tzinfo=ATHENS),
        note="",
        request=None,
        data={},
    )
    Workflow._run_clock(workflow, move)  # type: ignore[arg-type]
    return move


def test_the_clock_of_a_transition_starts_pauses_resumes_and_stops():
    started = _clock_move(START, due_on=None, waiting_since=None)
    assert started.case.due_on == date(2026, 11, 3) and started.changed == {
        "due_on",
        "waiting_since",
    }
    paused = _clock_move(PAUSE, due_on=date(2026, 11, 2), waiting_since=None)
    assert paused.case.waiting_since == paused.now and paused.changed == {"waiting_since"}
    since = datetime(2026, 10, 23, 10, tzinfo=ATHENS)
    resumed = _clock_move(RESUME, due_on=date(2026, 11, 2), waiting_since=since)
    assert resumed.case.due_on == date(2026, 11, 5) and resumed.case.waiting_since is None
    assert resumed.paused_days == 3
    stopped = _clock_move(STOP, due_on=date(2026, 11, 2), waiting_since=since)
    assert stopped.case.due_on == date(2026, 11, 2) and stopped.case.waiting_since is None


# --- The staff action view -------------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField()


class CaseAction(StaffActionView):
    error = CaseError
    actions = {
        "claim": Action(run=lambda request, case, form: _do(request, case, "claim")),
        "fail": Action(
            form=lambda request, case: ReasonForm(request.POST),
            run=lambda request, case, form: _do(
                request, case, "fail", reason=form.cleaned_data["reason"]
            ),
            invalid="Write why.",
        ),
        "sent": Action(
            run=lambda request, case, form: _do(request, case, "sent"),
            permission="core.change_delivery",
        ),
        "look": Action(
            form=lambda request, case: ReasonForm(request.POST),
            run=lambda request, case, form: HttpResponse("looked"),
        ),
    }

    def get_case(self, request: HttpRequest, **kwargs: Any) -> Delivery:
        return Delivery.objects.get(pk=kwargs["pk"])

    def done(self, request: HttpRequest, case: Delivery) -> HttpResponse:
        return HttpResponse(f"back to {case.pk}", status=302)

    def form_invalid(self, request: HttpRequest, case: Any, action: str, form: Any) -> Any:
        return HttpResponse(str(form.errors), status=400)


def _do(request: HttpRequest, case: Delivery, action: str, **data: Any) -> None:
    apply(case, action, actor=request.user, request=request, **data)


def _post(user: Any, case: Delivery, action: str, data: dict[str, str] | None = None) -> Any:
    request = RequestFactory().post("/", data or {})
    request.user = user
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    response = CaseAction.as_view()(request, pk=case.pk, action=action)
    return response, [str(m) for m in get_messages(request)]


def test_the_action_view_calls_the_service_and_says_it_is_saved(case, clerk):
    response, said = _post(clerk, case, "claim")
    assert response.status_code == 302 and said == ["Saved."]
    assert Delivery.objects.get(pk=case.pk).status == Status.SENDING


def test_the_action_view_shows_a_refusal_as_a_message(case, clerk):
    _post(clerk, case, "claim")
    response, said = _post(clerk, case, "claim")
    assert response.status_code == 302 and len(said) == 1 and "cannot be done" in said[0]


def test_the_action_view_shows_an_invalid_form_as_a_message_or_the_form(case, clerk):
    _post(clerk, case, "claim")
    response, said = _post(clerk, case, "fail")
    assert response.status_code == 302 and said == ["Write why."]
    response, said = _post(clerk, case, "look")
    assert response.status_code == 400 and b"reason" in response.content
    response, said = _post(clerk, case, "fail", {"reason": "bounced"})
    assert said == ["Saved."] and Delivery.objects.get(pk=case.pk).status == Status.FAILED


def test_the_action_view_checks_the_actions_permission(case, clerk):
    with pytest.raises(PermissionDenied):
        _post(clerk, case, "sent")


def test_the_action_view_answers_404_to_an_unknown_action(case, clerk):
    with pytest.raises(Http404):
        _post(clerk, case, "explode")


def test_an_action_may_answer_its_own_response(case, clerk):
    response, said = _post(clerk, case, "look", {"reason": "x"})
    assert response.content == b"looked" and said == []


def test_calls_passes_the_case_the_actor_the_request_and_the_forms_fields(clerk):
    seen: dict[str, Any] = {}
    run = calls(
        lambda **kwargs: seen.update(kwargs), "thing", reason="reason", fixed=lambda r, f: 7
    )
    request = RequestFactory().post("/", {"reason": "bounced"})
    request.user = clerk
    form = ReasonForm(request.POST)
    assert form.is_valid()
    assert run(request, "the case", form) is None
    assert seen == {
        "thing": "the case",
        "actor": clerk,
        "request": request,
        "reason": "bounced",
        "fixed": 7,
    }
