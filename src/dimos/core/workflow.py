"""The case-workflow kit: one way to move a case (a report, a request, a booking at the desk)
from one state to another (ADR 0021).

An app declares its moves once, in a :class:`Workflow` — for each action the states it may be
taken from, the state it leads to, who may take it, what it stamps — and every move goes
through :func:`apply`, which

1. locks the case's row (``select_for_update``) and checks the move against the table again,
   so two people acting at once cannot both move it from the same state;
2. checks who acts (a permission, or a predicate that answers why not);
3. stamps the times (``closed_at``…), runs the deadline clock (start, pause, resume, stop),
   lets the action's ``effect`` set its own fields (or refuse), saves only what changed;
4. writes the timeline row (the app's :class:`dimos.core.models.TimelineEntry`), the audit
   entry (:mod:`dimos.core.audit`) and the notifications. ``notify()`` stores the inbox row
   with the write and enqueues the sending on commit, so no network call happens inside the
   transaction and a rolled-back move tells nobody.

Every refusal is a :class:`Refused` (an app's own error class derives from it) whose message
is translated and meant for the person who tried.

The staff pages use :class:`StaffActionView`: an action name → a form and the service call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from dimos.core import audit
from dimos.core.workdays import add_working_days, working_days_between


def _add_days(start: date, days: int, calendar: bool) -> date:
    return start + timedelta(days=days) if calendar else add_working_days(start, days)


def _days_between(start: date, end: date, calendar: bool) -> int:
    if calendar:
        return max((end - start).days, 0)
    return working_days_between(start, end)


if TYPE_CHECKING:
    from django import forms

    from dimos.core.models import TimelineEntry


class Refused(Exception):
    """A move the case (or the person) does not allow; ``message`` is shown to the person."""

    code = "invalid"

    def __init__(self, message: Any, code: str = "") -> None:
        # Kept lazy: str(exc) translates when it is shown (an API answers in its own language).
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


# --- Deadlines in working days, with pauses ------------------------------------------------


def _day(value: date | datetime) -> date:
    return timezone.localdate(value) if isinstance(value, datetime) else value


@dataclass(frozen=True)
class Deadline:
    """A due date counted in working days that stops while the case waits on someone else.

    Immutable: :meth:`pause` and :meth:`resume` answer a new deadline. ``paused_since`` is
    when the clock stopped (None while it runs). Resuming moves the due date on by the
    working days spent paused: the days after the pause began up to and including the day
    it ends, so a pause and a resume on the same day cost nothing. With ``calendar`` every
    day counts (a law's "within 30 days"), weekends and holidays included.
    """

    due: date
    paused_since: datetime | date | None = None
    calendar: bool = False

    @classmethod
    def starting(
        cls, start: date | datetime, working_days: int, calendar: bool = False
    ) -> Deadline:
        """The deadline ``working_days`` working (or, with ``calendar``, any) days after
        ``start``."""
        return cls(due=_add_days(_day(start), working_days, calendar), calendar=calendar)

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None

    def pause(self, at: date | datetime | None = None) -> Deadline:
        if self.paused_since is not None:
            return self
        return Deadline(
            due=self.due,
            paused_since=at if at is not None else timezone.now(),
            calendar=self.calendar,
        )

    def paused_days(self, until: date | datetime | None = None) -> int:
        """Working (or calendar) days the clock has stood still so far (0 when it runs)."""
        if self.paused_since is None:
            return 0
        end = _day(until) if until is not None else timezone.localdate()
        return _days_between(_day(self.paused_since), end, self.calendar)

    def resume(self, at: date | datetime | None = None) -> Deadline:
        """The clock runs again: the due date moves by the working days it was paused."""
        paused = self.paused_days(at)
        due = _add_days(self.due, paused, self.calendar) if paused else self.due
        return Deadline(due=due, calendar=self.calendar)

    def due_if_resumed(self, at: date | datetime | None = None) -> date:
        return self.resume(at).due

    def remaining(self, today: date | None = None) -> int:
        """Working days left (negative when overdue); a paused clock counts as resumed today."""
        today = today or timezone.localdate()
        due = self.due_if_resumed(today)
        if due >= today:
            return _days_between(today, due, self.calendar)
        return -_days_between(due, today, self.calendar)

    def is_overdue(self, today: date | None = None) -> bool:
        return not self.is_paused and self.due < (today or timezone.localdate())


@dataclass(frozen=True)
class Clock:
    """Where a workflow keeps its deadline: the due date field, the paused-since field, and
    how many working days a case gets when its clock starts (every day, with ``calendar``)."""

    due: str
    paused_since: str = ""
    working_days: Callable[[Any], int] | None = None
    calendar: bool = False

    def read(self, case: Any) -> Deadline | None:
        due = getattr(case, self.due)
        if due is None:
            return None
        paused = getattr(case, self.paused_since) if self.paused_since else None
        return Deadline(due=due, paused_since=paused, calendar=self.calendar)


# --- The transition table ------------------------------------------------------------------

START, PAUSE, RESUME, STOP = "start", "pause", "resume", "stop"


@dataclass(frozen=True)
class Transition:
    """One action of a workflow: from which states, to which state, by whom, with what.

    ``permission`` (a ``app.codename``) and ``allowed`` (``allowed(case, actor)`` answering a
    refusal message or None) say who may take it; ``stamp`` names the datetime fields set to
    now; ``clock`` starts, pauses, resumes or stops the deadline; ``effect(move)`` sets the
    action's own fields and may refuse; ``after(move)`` and ``notify(move)`` run once the row
    and its timeline entry are written (the workflow's own ``notify`` when not given).
    ``kind`` is the timeline entry's kind; ``audit_action`` overrides the workflow's code.
    """

    sources: Iterable[str]
    target: str
    permission: str = ""
    allowed: Callable[[Any, Any], str | None] | None = None
    stamp: tuple[str, ...] = ()
    clock: str = ""
    effect: Callable[[Move], None] | None = None
    after: Callable[[Move], None] | None = None
    notify: Callable[[Move], None] | None = None
    kind: str = "status"
    audit_action: str = ""
    details: Callable[[Move], dict[str, Any]] | None = None


@dataclass
class Move:
    """One move being applied: the locked case, who, when, the note and the action's data."""

    workflow: Workflow
    action: str
    transition: Transition
    case: Any
    previous: str
    actor: Any
    now: datetime
    note: str
    request: HttpRequest | None
    data: dict[str, Any]
    changed: set[str] = field(default_factory=set)
    details: dict[str, Any] = field(default_factory=dict)
    paused_days: int = 0
    entry: TimelineEntry | None = None

    @property
    def target(self) -> str:
        return self.transition.target

    def set(self, name: str, value: Any) -> None:
        """Set a field of the case, saved with the move."""
        setattr(self.case, name, value)
        self.changed.add(name)


_WORKFLOWS: dict[type[models.Model], Workflow] = {}


class Workflow:
    """The declared transitions of one kind of case, and the one way to apply them."""

    def __init__(
        self,
        *,
        model: type[models.Model],
        transitions: Mapping[str, Transition],
        error: type[Refused] = Refused,
        field: str = "status",
        audit_action: str = "",
        audit_details: Callable[[Move], dict[str, Any]] | None = None,
        timeline: type[TimelineEntry] | None = None,
        notify: Callable[[Move], None] | None = None,
        refusal: Callable[[Any, str, Transition], Any] | None = None,
        clock: Clock | None = None,
        touch: tuple[str, ...] = (),
        select_related: tuple[str, ...] = (),
    ) -> None:
        self.model = model
        self.transitions = dict(transitions)
        self.error = error
        self.field = field
        self.audit_action = audit_action or f"{model._meta.model_name}.{{action}}"
        self.audit_details = audit_details
        self.timeline = timeline
        self.notify = notify
        self.refusal = refusal
        self.clock = clock
        self.touch = touch
        self.select_related = select_related
        _WORKFLOWS[model] = self

    # -- reading the table

    def state(self, case: Any) -> str:
        return str(getattr(case, self.field))

    def sources(self, action: str) -> frozenset[str]:
        return frozenset(self.transitions[action].sources)

    def actions_from(self, state: str) -> list[str]:
        """The actions the table allows from ``state``, in the order declared."""
        return [name for name, t in self.transitions.items() if state in t.sources]

    def targets(self, states: Iterable[str]) -> dict[str, frozenset[str]]:
        """For each of ``states``, the states one move may lead to."""
        return {
            state: frozenset(self.transitions[name].target for name in self.actions_from(state))
            for state in states
        }

    # -- checking

    def _transition(self, action: str) -> Transition:
        try:
            return self.transitions[action]
        except KeyError:
            raise self.error(_("Unknown action.")) from None

    def _state_refusal(self, case: Any, action: str, transition: Transition) -> Any:
        if self.refusal is not None:
            return self.refusal(case, action, transition)
        display = getattr(case, f"get_{self.field}_display", None)
        return _("This cannot be done while it is “%(state)s”.") % {
            "state": display() if display else self.state(case)
        }

    def who_refusal(self, case: Any, action: str, actor: Any) -> Any:
        """Why ``actor`` may not take ``action`` on ``case``, or None."""
        transition = self._transition(action)
        if transition.permission and (actor is None or not actor.has_perm(transition.permission)):
            return _("You do not have permission to do this.")
        if transition.allowed is not None:
            return transition.allowed(case, actor)
        return None

    def check(self, case: Any, action: str, *, actor: Any = None) -> Transition:
        """Refuse unless the table allows ``action`` from the case's state (and, given an
        ``actor``, unless they may take it). Answers the transition."""
        transition = self._transition(action)
        if self.state(case) not in transition.sources:
            raise self.error(self._state_refusal(case, action, transition))
        if actor is not None:
            refusal = self.who_refusal(case, action, actor)
            if refusal is not None:
                raise self.error(refusal)
        return transition

    def allows(self, case: Any, action: str, actor: Any = None) -> bool:
        try:
            self.check(case, action, actor=actor)
        except Refused:
            return False
        return True

    # -- applying

    def lock(self, case: Any) -> Any:
        manager = self.model._default_manager
        if self.select_related:
            # Lock the case's row only (PostgreSQL refuses FOR UPDATE on an outer join's side).
            query = manager.select_for_update(of=("self",)).select_related(*self.select_related)
        else:
            query = manager.select_for_update()
        return query.get(pk=case.pk)

    def apply(
        self,
        case: Any,
        action: str,
        *,
        actor: Any,
        note: str = "",
        request: HttpRequest | None = None,
        authorised: bool = False,
        **data: Any,
    ) -> Move:
        """Apply ``action`` to ``case`` (see the module's docstring). ``authorised`` says the
        caller already checked who acts, in an earlier step of the same service."""
        transition = self._transition(action)
        with transaction.atomic():
            locked = self.lock(case)
            self.check(locked, action, actor=None if authorised else actor)
            if not authorised and actor is None and (transition.permission or transition.allowed):
                raise self.error(_("You do not have permission to do this."))
            move = Move(
                workflow=self,
                action=action,
                transition=transition,
                case=locked,
                previous=self.state(locked),
                actor=actor if actor is not None and actor.pk else None,
                now=timezone.now(),
                note=note.strip(),
                request=request,
                data=data,
            )
            for name in (*self.touch, *transition.stamp):
                move.set(name, move.now)
            self._run_clock(move)
            if transition.effect is not None:
                transition.effect(move)
            move.set(self.field, transition.target)
            locked.save(update_fields=sorted(move.changed))
            if self.timeline is not None:
                move.entry = self.timeline.for_move(move)
                move.entry.save()
            details = self.audit_details(move) if self.audit_details else {}
            if transition.details is not None:
                details.update(transition.details(move))
            details.update(move.details)
            audit.record(
                action=(transition.audit_action or self.audit_action).format(
                    action=action, target=transition.target
                ),
                actor=actor,
                target=locked,
                request=request,
                details=details or None,
            )
            if transition.after is not None:
                transition.after(move)
            tell = transition.notify or self.notify
            if tell is not None:
                tell(move)
        return move

    def _run_clock(self, move: Move) -> None:
        clock, how = self.clock, move.transition.clock
        if clock is None or not how:
            return
        case = move.case
        if how == START:
            days = clock.working_days(case) if clock.working_days else 0
            move.set(clock.due, Deadline.starting(move.now, days, clock.calendar).due)
        elif how == PAUSE:
            move.set(clock.paused_since, move.now)
        elif how == RESUME:
            deadline = clock.read(case)
            if deadline is not None and deadline.is_paused:
                move.paused_days = deadline.paused_days(move.now)
                move.set(clock.due, deadline.resume(move.now).due)
        if how in (START, RESUME, STOP) and clock.paused_since:
            move.set(clock.paused_since, None)


def workflow_of(case: models.Model | type[models.Model]) -> Workflow:
    model = case if isinstance(case, type) else type(case)
    for klass in model.__mro__:
        if klass in _WORKFLOWS:
            return _WORKFLOWS[klass]
    raise LookupError(f"No workflow is declared for {model.__name__}.")


def apply(
    case: models.Model,
    action: str,
    *,
    actor: Any,
    note: str = "",
    request: HttpRequest | None = None,
    **data: Any,
) -> Move:
    """Apply ``action`` to ``case`` through the workflow its model declared."""
    return workflow_of(case).apply(case, action, actor=actor, note=note, request=request, **data)


# --- The staff action view ---------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """One action of a staff page: the form that reads it and the service that does it.

    ``form(request, case)`` answers the bound form (None: the action reads no form);
    ``run(request, case, form)`` calls the service with the valid form (or None) and may answer
    a response of its own (a confirmation page, a redirect elsewhere). When the form is not
    valid, ``invalid`` is shown as an error message; without one, the view's
    :meth:`StaffActionView.form_invalid` answers (the page again, with the field errors).
    ``success`` is the message once done (the view's ``success_message`` when not given).
    """

    run: Callable[[HttpRequest, Any, Any], HttpResponse | None]
    form: Callable[[HttpRequest, Any], forms.Form] | None = None
    permission: str = ""
    invalid: Any = None
    success: Any = None


class StaffActionView(View):
    """POST ``…/<pk>/<action>/``: find the case, check the permission, read the action's
    form, call its service, then redirect with a message (or show the form's errors).

    Subclasses give ``actions``, :meth:`get_case` (from the URL's keyword arguments other
    than ``action``) and :meth:`done` (where to go back to); the app's own decorators (staff
    only, the base permission, POST only) wrap ``as_view()``. A URL without ``<action>``
    names it in its extra keyword arguments (``path(…, view, {"action": "revoke"})``).
    """

    actions: Mapping[str, Action] = {}
    error: type[Exception] = Refused
    success_message: Any = _("Saved.")

    def get_case(self, request: HttpRequest, **kwargs: Any) -> Any:
        raise NotImplementedError

    def done(self, request: HttpRequest, case: Any) -> HttpResponse:
        raise NotImplementedError

    def unknown(self, request: HttpRequest, case: Any) -> HttpResponse:
        raise Http404

    def forbidden(self, request: HttpRequest, case: Any) -> HttpResponse:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied

    def form_invalid(
        self, request: HttpRequest, case: Any, action: str, form: forms.Form
    ) -> HttpResponse:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return self.done(request, case)

    def refused(self, request: HttpRequest, case: Any, exc: Exception) -> HttpResponse:
        messages.error(request, str(getattr(exc, "message", exc)))
        return self.done(request, case)

    def post(self, request: HttpRequest, action: str, **kwargs: Any) -> HttpResponse:
        case = self.get_case(request, **kwargs)
        spec = self.actions.get(action)
        if spec is None:
            return self.unknown(request, case)
        if spec.permission and not request.user.has_perm(spec.permission):
            return self.forbidden(request, case)
        form = None
        try:
            if spec.form is not None:
                form = spec.form(request, case)
                if not form.is_valid():
                    if spec.invalid is None:
                        return self.form_invalid(request, case, action, form)
                    raise self.error(spec.invalid)
            response = spec.run(request, case, form)
        except self.error as exc:
            return self.refused(request, case, exc)
        if response is not None:
            return response
        success = spec.success or self.success_message
        if success:
            messages.success(request, str(success))
        return self.done(request, case)


def calls(
    service: Callable[..., Any], case: str, **fields: str | Callable[[HttpRequest, Any], Any]
) -> Callable[[HttpRequest, Any, Any], None]:
    """An :class:`Action`'s ``run`` that calls ``service(<case>=…, actor=…, request=…, **fields)``:
    each field is read from the form's cleaned data by its name, or computed by a callable of
    the request and the form."""

    def run(request: HttpRequest, obj: Any, form: Any) -> None:
        values = {
            name: source(request, form) if callable(source) else form.cleaned_data[source]
            for name, source in fields.items()
        }
        service(**{case: obj}, actor=request.user, request=request, **values)

    return run
