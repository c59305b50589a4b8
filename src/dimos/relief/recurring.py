"""Recurring requests: a coordinator's "every Tuesday until March" (issue 12).

A coordinator makes a request recurring (:func:`make_recurring`): its needs become a template
(kind, details, ceiling, pharmacy; never a prescription's barcodes — a new prescription each
time), on one or more weekdays, until a date or for a number of times (at most
``DIMOS_RELIEF_RECURRING_MAX_WEEKS`` ahead). :func:`generate` makes the requests of the next
``DIMOS_RELIEF_RECURRING_DAYS_AHEAD`` days through :func:`services.ask_for_help`, so that a day
the person already asked for is joined, never doubled, and accepts them at once (the
coordinator already triaged) — except a food parcel without a social grocery decision in
force, left received with the reason in its history. It runs when the recurrence is made and
then once a day (the task :func:`dimos.relief.tasks.generate_recurrence`, planned with
``run_after``); the last day made is kept, so running it twice makes nothing twice.

Nobody is told that a generated request was received or accepted; the requester hears, as
usual, when a coordinator schedules it (with the code) and how the visit went. A stopped
recurrence makes nothing more; the requests it made stay (declined one by one if needed).
An erased or merged-away beneficiary's recurrences stop (``services.erase_beneficiary``,
``services.merge_beneficiaries``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from dimos.core import audit
from dimos.core.tasks import enqueue_on_commit
from dimos.relief import services
from dimos.relief.conf import conf
from dimos.relief.models import (
    EventKind,
    NeedKind,
    Recurrence,
    ReliefRequest,
    RequestEvent,
    Status,
    Weekday,
)
from dimos.relief.services import CHANGE, NeedData, ReliefError

if TYPE_CHECKING:
    from django.http import HttpRequest

    from dimos.accounts.models import User

# When the daily run is planned: a little after midnight, local time.
RUN_AT = dt.time(0, 30)


def first_day(today: dt.date | None = None) -> dt.date:
    """The first day a new recurrence may make: tomorrow (today's help is asked as usual)."""
    return (today or timezone.localdate()) + dt.timedelta(days=1)


def last_allowed(today: dt.date | None = None) -> dt.date:
    return (today or timezone.localdate()) + dt.timedelta(weeks=conf.RECURRING_MAX_WEEKS)


def occurrences(weekdays: list[int], start: dt.date, until: dt.date) -> Iterator[dt.date]:
    """The days from ``start`` to ``until`` (both included) that fall on ``weekdays``."""
    day = start
    while day <= until:
        if day.weekday() in weekdays:
            yield day
        day += dt.timedelta(days=1)


def until_for_count(weekdays: list[int], start: dt.date, count: int) -> dt.date | None:
    """The day of the ``count``-th occurrence from ``start``, or None beyond the limit."""
    limit = last_allowed(start - dt.timedelta(days=1))
    for n, day in enumerate(occurrences(weekdays, start, limit), start=1):
        if n == count:
            return day
    return None


@dataclass(frozen=True)
class Plan:
    """What a recurrence would make: its weekdays, its last day and its days."""

    weekdays: list[int]
    starts_on: dt.date
    until: dt.date
    count: int | None
    days: list[dt.date]


def plan(
    *,
    weekdays: list[int],
    until: dt.date | None = None,
    count: int | None = None,
    today: dt.date | None = None,
) -> Plan:
    """Check the choice (one or more weekdays; an end, by date or by a number of times, within
    the limit) and answer the days it makes. Refusals are :class:`ReliefError`."""
    days_chosen = sorted({int(d) for d in weekdays})
    if not days_chosen or not set(days_chosen) <= set(Weekday.values):
        raise ReliefError(_("Choose one or more days of the week."), code="weekdays")
    start = first_day(today)
    limit = last_allowed(today)
    if (until is None) == (count is None):
        raise ReliefError(
            _("Say when it ends: a last day or a number of times, one of the two."), code="end"
        )
    if count is not None:
        if count < 1:
            raise ReliefError(_("Give a number of times of 1 or more."), code="count")
        found = until_for_count(days_chosen, start, count)
        if found is None:
            raise ReliefError(
                _("That many times goes past %(limit)s: choose fewer times.")
                % {"limit": formats.date_format(limit, "j E Y")},
                code="count",
            )
        until = found
    assert until is not None
    if until < start:
        raise ReliefError(
            _("The last day must be after today (from %(start)s).")
            % {"start": formats.date_format(start, "j E Y")},
            code="until",
        )
    if until > limit:
        raise ReliefError(
            _("The last day may be at most %(limit)s (%(weeks)s weeks ahead).")
            % {"limit": formats.date_format(limit, "j E Y"), "weeks": conf.RECURRING_MAX_WEEKS},
            code="until",
        )
    days = list(occurrences(days_chosen, start, until))
    if not days:
        raise ReliefError(
            _("None of the chosen days of the week falls before the last day."), code="until"
        )
    return Plan(weekdays=days_chosen, starts_on=start, until=until, count=count, days=days)


def template_of(req: ReliefRequest) -> list[dict[str, Any]]:
    """The request's needs as a template: never the barcodes, nor a need not given."""
    return [
        {
            "kind": n.kind,
            "description": n.description,
            "ceiling": str(n.ceiling) if n.ceiling is not None else None,
            "pharmacy": n.pharmacy,
        }
        for n in req.needs.all()
        if not n.declined_reason
    ]


def needs_of(recurrence: Recurrence) -> list[NeedData]:
    return [
        NeedData(
            kind=n["kind"],
            description=n.get("description") or "",
            ceiling=Decimal(n["ceiling"]) if n.get("ceiling") else None,
            pharmacy=n.get("pharmacy") or "",
        )
        for n in recurrence.needs
    ]


def current(req: ReliefRequest) -> Recurrence | None:
    """The recurrence the request belongs to (made from it or by it), if any."""
    if req.recurrence_id is None:
        return None
    return Recurrence.objects.select_related("created_by", "stopped_by").get(pk=req.recurrence_id)


def make_recurring(
    *,
    req: ReliefRequest,
    weekdays: list[int],
    until: dt.date | None = None,
    count: int | None = None,
    window_start: dt.time | None = None,
    window_end: dt.time | None = None,
    actor: User,
    request: HttpRequest | None = None,
) -> tuple[Recurrence, list[ReliefRequest]]:
    """A coordinator makes ``req`` recurring; the requests of the next days are made at once
    and the daily run planned. Audited. Answers the recurrence and the requests it made."""
    if actor is None or not actor.has_perm(CHANGE):
        raise ReliefError(_("You do not have permission to do this."))
    chosen = plan(weekdays=weekdays, until=until, count=count)
    start = window_start or req.window_start
    end = window_end or req.window_end
    if end <= start:
        raise ReliefError(_("The time window must end after it starts."), code="window")
    with transaction.atomic():
        locked = (
            ReliefRequest.objects.select_for_update(of=("self",))
            .select_related("beneficiary")
            .get(pk=req.pk)
        )
        if locked.beneficiary.erased_at is not None:
            raise ReliefError(_("This person's data was erased: add them again."))
        if locked.recurrence_id is not None:
            other = Recurrence.objects.get(pk=locked.recurrence_id)
            if other.active:
                raise ReliefError(
                    _("This request is already recurring: stop that first."), code="recurring"
                )
        needs = template_of(locked)
        if not needs:
            raise ReliefError(_("Nothing of this request is to be brought again."))
        recurrence = Recurrence.objects.create(
            request=locked,
            beneficiary=locked.beneficiary,
            needs=needs,
            weekdays=chosen.weekdays,
            window_start=start,
            window_end=end,
            starts_on=chosen.starts_on,
            until=chosen.until,
            count=chosen.count,
            created_by=actor,
        )
        locked.recurrence = recurrence
        locked.save(update_fields=["recurrence", "updated_at"])
        RequestEvent.objects.create(
            request=locked,
            kind=EventKind.NOTE,
            status=locked.status,
            message=str(
                _("Made recurring: %(days)s, until %(until)s.")
                % {
                    "days": ", ".join(recurrence.weekday_labels()),
                    "until": formats.date_format(chosen.until, "j E Y"),
                }
            ),
            actor=actor,
        )
        audit.record(
            action="relief.recurrence_created",
            actor=actor,
            target=locked,
            request=request,
            details={
                "recurrence": recurrence.pk,
                "weekdays": chosen.weekdays,
                "until": chosen.until.isoformat(),
                "count": chosen.count,
            },
        )
        made = generate(recurrence, actor=actor, request=request)
        recurrence.refresh_from_db()
        _plan_next(recurrence, first_day())
    return recurrence, made


def stop(*, recurrence: Recurrence, actor: User, request: HttpRequest | None = None) -> Recurrence:
    """Nothing more is made; the requests already made stay. Stopping twice does nothing."""
    if actor is None or not actor.has_perm(CHANGE):
        raise ReliefError(_("You do not have permission to do this."))
    with transaction.atomic():
        locked = Recurrence.objects.select_for_update().get(pk=recurrence.pk)
        if locked.stopped_at is not None:
            return locked
        locked.stopped_at = timezone.now()
        locked.stopped_by = actor
        locked.planned_for = None
        locked.save(update_fields=["stopped_at", "stopped_by", "planned_for"])
        origin = ReliefRequest.objects.get(pk=locked.request_id)
        RequestEvent.objects.create(
            request=origin,
            kind=EventKind.NOTE,
            status=origin.status,
            message=str(_("The recurring request was stopped.")),
            actor=actor,
        )
        audit.record(
            action="relief.recurrence_stopped",
            actor=actor,
            target=origin,
            request=request,
            details={"recurrence": locked.pk},
        )
    return locked


def _note(req: ReliefRequest, message: str, actor: Any) -> None:
    RequestEvent.objects.create(
        request=req,
        kind=EventKind.NOTE,
        status=req.status,
        message=message,
        actor=actor if actor is not None and actor.pk else None,
    )


def _accept_made(req: ReliefRequest, actor: Any, request: HttpRequest | None) -> None:
    """Accept a request just made (quietly); a food parcel needs a decision in force."""
    needs = list(req.needs.all())
    if any(n.kind == NeedKind.FOOD for n in needs) and not req.beneficiary.food_eligible():
        _note(
            req,
            str(
                _(
                    "Not accepted by itself: a food parcel needs a social grocery decision in "
                    "force. Record it and accept the request."
                )
            ),
            actor,
        )
        return
    try:
        with transaction.atomic():
            services.WORKFLOW.apply(
                req,
                "accept",
                actor=actor,
                note=str(_("Recurring request: accepted when made.")),
                request=request,
                authorised=True,
                quiet=True,
            )
    except ReliefError as exc:
        _note(req, str(_("Not accepted by itself: %(why)s") % {"why": exc.message}), actor)
        return
    if any(n.kind == NeedKind.MEDICINE for n in needs):
        _note(
            req,
            str(
                _(
                    "A new prescription is needed for this day: ask for its barcodes before "
                    "the visit."
                )
            ),
            actor,
        )


def generate(
    recurrence: Recurrence,
    *,
    today: dt.date | None = None,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> list[ReliefRequest]:
    """Make the requests of the next ``DIMOS_RELIEF_RECURRING_DAYS_AHEAD`` days not made yet
    (from tomorrow). A day the person already has a request for is joined; a day whose
    request no longer takes needs (on its way, done) is skipped with a note in its history.
    Safe to run twice: the last day made is kept."""
    today = today or timezone.localdate()
    made: list[ReliefRequest] = []
    with transaction.atomic():
        rec = (
            Recurrence.objects.select_for_update(of=("self",))
            .select_related("request", "request__requester", "beneficiary")
            .get(pk=recurrence.pk)
        )
        if rec.stopped_at is not None:
            return made
        if rec.beneficiary.erased_at is not None:
            rec.stopped_at = timezone.now()
            rec.save(update_fields=["stopped_at"])
            return made
        start = max(first_day(today), rec.starts_on)
        if rec.last_generated is not None:
            start = max(start, rec.last_generated + dt.timedelta(days=1))
        end = min(today + dt.timedelta(days=conf.RECURRING_DAYS_AHEAD), rec.until)
        if end < start:
            return made
        origin = rec.request
        needs = needs_of(rec)
        for day in occurrences(rec.weekdays, start, end):
            there = (
                ReliefRequest.objects.filter(beneficiary=rec.beneficiary, day=day)
                .exclude(status=Status.DECLINED)
                .values_list("recurrence", flat=True)
                .first()
            )
            if there is not None and there == rec.pk:
                continue  # the request it was made from, or one it made already
            try:
                with transaction.atomic():
                    asked = services.ask_for_help(
                        needs=needs,
                        day=day,
                        window_start=rec.window_start,
                        window_end=rec.window_end,
                        actor=actor,
                        channel=origin.channel,
                        beneficiary=rec.beneficiary,
                        relation=origin.relation,
                        consent_version=rec.beneficiary.consent_version,
                        caller_name=origin.caller_name,
                        caller_phone=origin.caller_phone,
                        food_claim=origin.food_claim,
                        request=request,
                        recurrence=rec,
                    )
            except ReliefError as exc:
                other = (
                    ReliefRequest.objects.filter(beneficiary=rec.beneficiary, day=day)
                    .exclude(status=Status.DECLINED)
                    .first()
                )
                if other is not None:
                    _note(
                        other,
                        str(
                            _("The recurring request's needs were not added: %(why)s")
                            % {"why": exc.message}
                        ),
                        actor,
                    )
                continue
            if not asked.merged:
                _accept_made(asked.request, actor, request)
            asked.request.refresh_from_db()
            made.append(asked.request)
        rec.last_generated = end
        rec.save(update_fields=["last_generated"])
    return made


def _plan_next(rec: Recurrence, day: dt.date) -> None:
    """Plan the run of ``day`` (a little after its midnight) unless nothing is left to make."""
    from dimos.relief.tasks import generate_recurrence

    if rec.stopped_at is not None or (
        rec.last_generated is not None and rec.last_generated >= rec.until
    ):
        rec.planned_for = None
        rec.save(update_fields=["planned_for"])
        return
    rec.planned_for = day
    rec.save(update_fields=["planned_for"])
    when = timezone.make_aware(dt.datetime.combine(day, RUN_AT))
    enqueue_on_commit(generate_recurrence, rec.pk, day.isoformat(), run_after=when)


def run_planned(*, recurrence_id: int, day: dt.date) -> int:
    """The daily run (the task): make what is due and plan the next day's run. A run that is
    not the one planned (run twice, or a recurrence stopped since) does nothing, so the
    chain never doubles. Answers how many requests were made or joined."""
    with transaction.atomic():
        rec = Recurrence.objects.select_for_update().filter(pk=recurrence_id).first()
        if rec is None or rec.planned_for != day:
            return 0
        made = generate(rec)
        rec.refresh_from_db()
        _plan_next(rec, max(day, timezone.localdate()) + dt.timedelta(days=1))
    return len(made)
