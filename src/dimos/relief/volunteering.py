"""Volunteers' tasks: a scheduled request's visit that has no courier, offered to the approved
volunteers it suits, taken by one of them (or given to one by a coordinator), completed with
the beneficiary's code, its hours logged.

**Who is offered a task.** An approved volunteer (``volunteers``) sees a task when

- the beneficiary lives in one of the volunteer's districts;
- the volunteer has, for every need of the request, one of the skills :data:`TASK_SKILLS`
  names for it (an errand asks for no particular skill);
- the visit's day and time window meet the volunteer's weekly availability: the window
  overlaps one of the periods (:data:`PERIOD_HOURS`) they said they are free that weekday;
- its day is today (its window not over yet) or one of the next ``DIMOS_RELIEF_TASK_DAYS_AHEAD``
  days, and they have not declined it. Urgent ones (medicine) come first.

Until a volunteer holds the task they see only its district, day, time window, the kinds of
help and the shopping's ceiling. Its holder sees the beneficiary's address, phone and notes
while they hold it and ``DIMOS_RELIEF_TASK_DETAILS_HOURS`` after the visit is over; every
such reading is audited (:func:`dimos.relief.services.record_view`).

**One holder.** A :class:`~dimos.relief.models.TaskClaim` row with a partial unique index
(one *active* claim per delivery) is the guarantee; the delivery's courier is set through
``deliveries.services.take_delivery``, a conditional update, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core import audit
from dimos.core.cached import CachedAnswer
from dimos.core.notifications import notify
from dimos.core.tasks import enqueue_on_commit
from dimos.relief.conf import conf
from dimos.relief.models import (
    ENDED_BY_VISIT,
    ClaimStatus,
    EventKind,
    NeedKind,
    ReliefRequest,
    RequestEvent,
    Status,
    TaskClaim,
    TaskDismissal,
)
from dimos.relief.selectors import offers_version
from dimos.relief.services import CHANGE, ReliefError, record_view
from dimos.volunteers.task_pages import TaskPage

if TYPE_CHECKING:
    from django.http import HttpRequest

    from dimos.accounts.models import User
    from dimos.volunteers.models import Volunteer

SOURCE = "relief"

# The skill codes (volunteers' Skill.code, seeded by volunteers/demo.py) that suit each kind of
# need: a volunteer needs one of them for each need of a request. An empty tuple: anyone.
TASK_SKILLS: dict[str, tuple[str, ...]] = {
    NeedKind.FOOD: ("carrying", "driving"),
    NeedKind.SHOPPING: ("shopping",),
    NeedKind.MEDICINE: ("pharmacy",),
    NeedKind.ERRAND: (),
}

# The hours of the volunteers' weekly periods (volunteers.models.PERIODS), cut where relief's
# time windows start (09–13 morning, 13–17 afternoon, 17–20 evening).
PERIOD_HOURS: tuple[tuple[dt.time, dt.time], ...] = (
    (dt.time(0), dt.time(13)),
    (dt.time(13), dt.time(17)),
    (dt.time(17), dt.time(23, 59, 59)),
)


# Registered on the volunteers' side (apps.py): their page links to "tasks near me".
TASK_PAGE = TaskPage(
    key="relief",
    title=_("Tasks near me"),
    url_name="relief:tasks",
    description=_("food, shopping and medicine for neighbours who must stay home"),
)


class TaskTaken(ReliefError):
    """Someone else holds the task (or it is no longer open)."""

    code = "taken"


# --- Reading ----------------------------------------------------------------------------------


def volunteer_of(user: Any) -> Volunteer | None:
    from dimos.volunteers.selectors import volunteer_of as own

    return own(user)


def is_approved(volunteer: Volunteer | None) -> bool:
    from dimos.volunteers.models import Status as VolunteerStatus

    return volunteer is not None and volunteer.status == VolunteerStatus.APPROVED


def kinds_for(skill_codes: set[str]) -> set[str]:
    """The kinds of need a volunteer with these skills can take."""
    return {kind for kind, codes in TASK_SKILLS.items() if not codes or set(codes) & skill_codes}


def periods_of(start: dt.time, end: dt.time) -> list[int]:
    """The volunteers' periods a time window overlaps."""
    return [p for p, (s, e) in enumerate(PERIOD_HOURS) if start < e and end > s]


def days_ahead() -> list[dt.date]:
    today = timezone.localdate()
    return [today + dt.timedelta(days=n) for n in range(conf.TASK_DAYS_AHEAD + 1)]


def open_tasks() -> QuerySet[ReliefRequest]:
    """Scheduled requests whose visit still has no courier, from now on."""
    now = timezone.localtime()
    return (
        ReliefRequest.objects.filter(
            status=Status.SCHEDULED,
            delivery__status="scheduled",
            delivery__assigned_to__isnull=True,
            delivery__date__gte=now.date(),
            beneficiary__erased_at__isnull=True,
        )
        .exclude(delivery__date=now.date(), delivery__window_end__lte=now.time())
        .select_related("beneficiary__district", "delivery")
        .defer("beneficiary__district__boundary")
        .prefetch_related("needs")
    )


def offered_to(volunteer: Volunteer) -> QuerySet[ReliefRequest]:
    """The open tasks that suit this volunteer (see the module's docstring), urgent first."""
    from dimos.volunteers.models import slot_bit

    if not is_approved(volunteer):
        return ReliefRequest.objects.none()
    skill_codes = set(volunteer.skills.values_list("code", flat=True))
    cannot = set(NeedKind.values) - kinds_for(skill_codes)
    free = Q(pk__in=[])
    for day in days_ahead():
        for period, (start, end) in enumerate(PERIOD_HOURS):
            if volunteer.availability & slot_bit(day.weekday(), period):
                free |= Q(
                    delivery__date=day,
                    delivery__window_start__lt=end,
                    delivery__window_end__gt=start,
                )
    dismissed = TaskDismissal.objects.filter(volunteer=volunteer, delivery=OuterRef("delivery"))
    return (
        open_tasks()
        .filter(free)
        .filter(beneficiary__district__in=volunteer.districts.all())
        .exclude(needs__kind__in=cannot)
        .exclude(Exists(dismissed))
        .order_by("-urgent", "delivery__date", "delivery__window_start", "pk")
    )


# The ids of the tasks offered to a volunteer, kept until a request, a delivery, a claim, a
# dismissal or a volunteer changes (selectors.offers_version), and for a quarter of an hour at
# most: a visit whose window has ended today leaves the list within that.
OFFERS = CachedAnswer("relief:offers", version=offers_version, seconds=900)
OFFERED_AT_MOST = 500


def offered_ids(volunteer: Volunteer) -> list[int]:
    """The ids of :func:`offered_to`, in its order (at most 500), cached."""
    now = timezone.localtime()
    question = {"volunteer": volunteer.pk, "at": f"{now:%Y-%m-%d %H}:{now.minute // 15}"}

    def compute() -> list[int]:
        return list(offered_to(volunteer).values_list("pk", flat=True)[:OFFERED_AT_MOST])

    ids: list[int] = OFFERS.get(question, compute=compute).value
    return ids


def offered_page(volunteer: Volunteer, ids: list[int]) -> list[ReliefRequest]:
    """The requests of ``ids``, in that order, still open tasks (a change since the ids were
    read drops a task rather than showing one that was taken)."""
    rows = (
        ReliefRequest.objects.filter(
            pk__in=ids,
            status=Status.SCHEDULED,
            delivery__status="scheduled",
            delivery__assigned_to__isnull=True,
        )
        .select_related("beneficiary__district", "delivery")
        .defer("beneficiary__district__boundary")
        .prefetch_related("needs")
    )
    found = {r.pk: r for r in rows}
    return [found[pk] for pk in ids if pk in found]


def suits(volunteer: Volunteer, req: ReliefRequest) -> bool:
    return offered_to(volunteer).filter(pk=req.pk).exists()


def claims_of(volunteer: Volunteer) -> QuerySet[TaskClaim]:
    """The volunteer's tasks, held and past, newest first."""
    return (
        TaskClaim.objects.filter(volunteer=volunteer)
        .select_related("request__beneficiary__district", "delivery")
        .prefetch_related("request__needs")
    )


def active_claim(req: ReliefRequest) -> TaskClaim | None:
    if req.delivery_id is None:
        return None
    return (
        TaskClaim.objects.filter(delivery_id=req.delivery_id, status=ClaimStatus.ACTIVE)
        .select_related("volunteer__user")
        .first()
    )


def holders(delivery_ids: list[int]) -> dict[int, TaskClaim]:
    """delivery id → its active claim (the coordinators' board)."""
    rows = TaskClaim.objects.filter(
        delivery_id__in=delivery_ids, status=ClaimStatus.ACTIVE
    ).select_related("volunteer__user")
    return {claim.delivery_id: claim for claim in rows}


def details_visible(claim: TaskClaim, now: dt.datetime | None = None) -> bool:
    """Whether the claim's volunteer may see the beneficiary's address, phone and notes:
    while they hold the visit, and for a while after it is over — then never again."""
    now = now or timezone.now()
    if claim.request.beneficiary.erased_at is not None:
        return False
    if claim.status == ClaimStatus.ACTIVE:
        return claim.delivery.assigned_to_id == claim.volunteer.user_id
    if claim.status in ENDED_BY_VISIT and claim.ended_at is not None:
        return now < claim.ended_at + dt.timedelta(hours=conf.TASK_DETAILS_HOURS)
    return False


def claim_for(volunteer: Volunteer, req: ReliefRequest) -> TaskClaim | None:
    """The volunteer's claim on the request's current visit (or their last one on it)."""
    return (
        claims_of(volunteer)
        .filter(request=req)
        .order_by(
            # The current delivery's claim first, then the newest.
            Exists(
                TaskClaim.objects.filter(pk=OuterRef("pk"), delivery_id=req.delivery_id or 0)
            ).desc(),
            "-claimed_at",
            "-pk",
        )
        .first()
    )


def seen_by_holder(
    claim: TaskClaim, actor: Any, request: HttpRequest | None = None
) -> dict[str, Any] | None:
    """The beneficiary's address, phone and access notes for the claim's volunteer, audited;
    None when they may not see them (any more)."""
    if claim.volunteer.user_id != getattr(actor, "pk", None) or not details_visible(claim):
        return None
    record_view(target=claim.request, actor=actor, request=request)
    beneficiary = claim.request.beneficiary
    return {
        "full_name": beneficiary.full_name,
        "address": beneficiary.address,
        "phone": beneficiary.phone,
        "access_notes": beneficiary.access_notes,
        "lat": beneficiary.lat,
        "lon": beneficiary.lon,
    }


def matching_volunteers(req: ReliefRequest) -> list[Volunteer]:
    """Approved volunteers a coordinator may give this task to: in its district, with the
    skills its needs ask for, free at its time (by name)."""
    from dimos.volunteers.selectors import available

    delivery = req.delivery
    district_id = req.beneficiary.district_id
    if delivery is None or district_id is None:
        return []
    ids: set[int] = set()
    for period in periods_of(delivery.window_start, delivery.window_end):
        ids.update(
            available(district=district_id, day=delivery.date.weekday(), period=period).values_list(
                "pk", flat=True
            )
        )
    from dimos.volunteers.models import Volunteer

    kinds = {n.kind for n in req.needs.all()}
    rows = Volunteer.objects.filter(pk__in=ids).select_related("user").prefetch_related("skills")
    suited = [v for v in rows if kinds <= kinds_for({s.code for s in v.skills.all()})]
    return sorted(suited, key=lambda v: (v.full_name.casefold(), v.pk))


def hours_logged(volunteer: Volunteer, req: ReliefRequest) -> Decimal | None:
    from dimos.volunteers.models import VolunteerHours

    rows = VolunteerHours.objects.filter(
        volunteer=volunteer, source=SOURCE, reference=req.reference
    ).values_list("hours", flat=True)
    return sum(rows, Decimal(0)) if rows else None


# --- Taking, declining, handing back ----------------------------------------------------------


def _check_volunteer(volunteer: Volunteer | None) -> Volunteer:
    from dimos.volunteers.services import needs_conduct

    if volunteer is None or not is_approved(volunteer):
        raise ReliefError(_("Only approved volunteers can take tasks."), code="not_volunteer")
    if needs_conduct(volunteer) is not None:
        raise ReliefError(
            _("Accept the new code of conduct on your volunteer page first."), code="conduct"
        )
    return volunteer


def claim(
    *,
    req: ReliefRequest,
    volunteer: Volunteer,
    actor: User,
    request: HttpRequest | None = None,
) -> TaskClaim:
    """Give the task to ``volunteer``: they take it themself (it must be offered to them),
    or a relief coordinator gives it to them. Refused with :class:`TaskTaken` when someone
    holds it already — nothing is written then."""
    from dimos.deliveries import services as deliveries  # a real need: see pyproject.toml

    _check_volunteer(volunteer)
    by_coordinator = actor.pk != volunteer.user_id
    if by_coordinator and not actor.has_perm(CHANGE):
        raise ReliefError(_("You do not have permission to do this."))
    if not by_coordinator and not suits(volunteer, req):
        if active_claim(req) is not None or _taken(req):
            raise TaskTaken(_("Someone else has already taken this task."))
        raise ReliefError(_("This task is not offered to you."), code="not_offered")
    try:
        with transaction.atomic():
            fresh = (
                ReliefRequest.objects.select_related("delivery", "beneficiary__district")
                .filter(pk=req.pk)
                .first()
            )
            if fresh is None or fresh.delivery is None or fresh.status != Status.SCHEDULED:
                raise ReliefError(_("This task is no longer open."), code="not_open")
            if fresh.delivery.assigned_to_id is not None:
                raise TaskTaken(_("Someone else has already taken this task."))
            # The guarantee: one active claim per delivery (a partial unique index). A second
            # INSERT waits for the first on PostgreSQL and fails once it commits.
            with transaction.atomic():
                held = TaskClaim.objects.create(
                    request=fresh,
                    delivery=fresh.delivery,
                    volunteer=volunteer,
                    assigned_by=actor if by_coordinator else None,
                )
            try:
                deliveries.take_delivery(
                    delivery_id=fresh.delivery.pk,
                    courier=volunteer.user,
                    actor=actor,
                    request=request,
                )
            except deliveries.DeliveryError as exc:
                raise TaskTaken(_("Someone else has already taken this task.")) from exc
            fresh.delivery.refresh_from_db(fields=["assigned_to", "updated_at"])
            RequestEvent.objects.create(
                request=fresh,
                kind=EventKind.NOTE,
                status=fresh.status,
                message=str(
                    _("Given to a volunteer") if by_coordinator else _("A volunteer took it")
                ),
                actor=actor,
            )
            audit.record(
                action="relief.task_assigned" if by_coordinator else "relief.task_taken",
                actor=actor,
                target=fresh,
                request=request,
                details={"volunteer": volunteer.pk, "delivery": fresh.delivery.pk},
            )
            _plan_reminder(held)
            if by_coordinator:
                _tell_volunteer(held, "relief.task_assigned")
    except IntegrityError as exc:
        raise TaskTaken(_("Someone else has already taken this task.")) from exc
    return held


def _taken(req: ReliefRequest) -> bool:
    return ReliefRequest.objects.filter(
        pk=req.pk, delivery__assigned_to__isnull=False, status=Status.SCHEDULED
    ).exists()


def dismiss(
    *, req: ReliefRequest, volunteer: Volunteer, request: HttpRequest | None = None
) -> None:
    """ "Not for me": the task leaves this volunteer's list. Saying it twice is harmless."""
    _check_volunteer(volunteer)
    if req.delivery_id is None:
        raise ReliefError(_("This task is no longer open."), code="not_open")
    _row, created = TaskDismissal.objects.get_or_create(
        request=req, delivery_id=req.delivery_id, volunteer=volunteer
    )
    if created:
        audit.record(
            action="relief.task_declined",
            actor=volunteer.user,
            target=req,
            request=request,
            details={"volunteer": volunteer.pk},
        )


def hand_back(
    *,
    req: ReliefRequest,
    volunteer: Volunteer,
    reason: str,
    request: HttpRequest | None = None,
) -> TaskClaim:
    """The volunteer cannot do a task they hold: it is open again and the coordinator who
    scheduled it (or, without one, every relief coordinator) is told why."""
    from dimos.deliveries import services as deliveries  # a real need: see pyproject.toml

    reason = " ".join(reason.split())
    if not reason:
        raise ReliefError(_("Say why you hand the task back."), code="reason")
    with transaction.atomic():
        held = (
            TaskClaim.objects.select_for_update(of=("self",))
            .select_related("request__beneficiary__district", "delivery", "volunteer__user")
            .filter(request=req, volunteer=volunteer, status=ClaimStatus.ACTIVE)
            .first()
        )
        if held is None:
            raise ReliefError(_("You do not hold this task."), code="not_yours")
        try:
            deliveries.release_delivery(
                delivery_id=held.delivery_id,
                courier=volunteer.user,
                actor=volunteer.user,
                request=request,
            )
        except deliveries.DeliveryError as exc:
            raise ReliefError(
                _("This task is on its way or done: it can no longer be handed back."),
                code="not_open",
            ) from exc
        held.status = ClaimStatus.HANDED_BACK
        held.reason = reason[:500]
        held.ended_at = timezone.now()
        held.save(update_fields=["status", "reason", "ended_at"])
        RequestEvent.objects.create(
            request=held.request,
            kind=EventKind.NOTE,
            status=held.request.status,
            message=f"{_('A volunteer handed it back')}: {held.reason}",
            actor=volunteer.user,
        )
        audit.record(
            action="relief.task_handed_back",
            actor=volunteer.user,
            target=held.request,
            request=request,
            details={"volunteer": volunteer.pk},
        )
        # The reason stays on the request's history (blanked if the volunteer is erased),
        # not in the message or the append-only audit log.
        _tell_coordinators(held.request, "relief.task_handed_back")
    return held


# --- Completing and hours ---------------------------------------------------------------------


def _held_for_completion(req: ReliefRequest, volunteer: Volunteer) -> ReliefRequest:
    current = ReliefRequest.objects.select_related("beneficiary", "delivery").get(pk=req.pk)
    if current.status in (Status.DELIVERED, Status.CLOSED):
        raise ReliefError(_("This task is already done."), code="done")
    held = TaskClaim.objects.filter(
        request=current, volunteer=volunteer, status=ClaimStatus.ACTIVE
    ).exists()
    if not held:
        raise ReliefError(_("You do not hold this task."), code="not_yours")
    return current


def complete_with_code(
    *,
    req: ReliefRequest,
    volunteer: Volunteer,
    code: str,
    money: Any = None,
    request: HttpRequest | None = None,
) -> ReliefRequest:
    """The holder enters the beneficiary's code: relief's own completion, with its limited
    tries and the coordinator's alert (:func:`dimos.relief.services.complete_with_code`)."""
    from dimos.relief import services

    current = _held_for_completion(req, volunteer)
    return services.complete_with_code(
        req=current, code=code, actor=volunteer.user, money=money, request=request
    )


def complete_with_name(
    *,
    req: ReliefRequest,
    volunteer: Volunteer,
    received_by: str,
    note: str,
    money: Any = None,
    request: HttpRequest | None = None,
) -> ReliefRequest:
    from dimos.relief import services

    current = _held_for_completion(req, volunteer)
    return services.complete_with_name(
        req=current,
        received_by=received_by,
        note=note,
        actor=volunteer.user,
        money=money,
        request=request,
    )


def log_hours(
    *,
    req: ReliefRequest,
    volunteer: Volunteer,
    hours: Decimal,
    description: str = "",
    request: HttpRequest | None = None,
) -> Any:
    """The hours a volunteer gave to a task they did (once per task), in their hours log
    with source ``relief`` and the request's reference."""
    from dimos.volunteers import services as volunteers
    from dimos.volunteers.models import Volunteer as VolunteerModel

    with transaction.atomic():
        # The volunteer's row is the lock: two submissions of the form log the hours once.
        VolunteerModel.objects.select_for_update().filter(pk=volunteer.pk).first()
        done = (
            TaskClaim.objects.filter(request=req, volunteer=volunteer, status__in=ENDED_BY_VISIT)
            .select_related("delivery")
            .order_by("-ended_at")
            .first()
        )
        if done is None:
            raise ReliefError(
                _("Hours can be logged for a task once its visit is over."), code="not_done"
            )
        if hours_logged(volunteer, req) is not None:
            raise ReliefError(_("The hours of this task are already logged."), code="logged")
        try:
            return volunteers.log_hours(
                volunteer=volunteer,
                date=min(done.delivery.date, timezone.localdate()),
                hours=hours,
                description=description.strip()
                or str(_("Help at home, request %(ref)s") % {"ref": req.reference}),
                actor=volunteer.user,
                source=SOURCE,
                reference=req.reference,
                request=request,
            )
        except volunteers.VolunteerError as exc:
            raise ReliefError(exc.message, code=exc.code) from exc


# --- Following the visit ----------------------------------------------------------------------


def follow_delivery(delivery: Any) -> None:
    """The delivery's listener calls this: a visit delivered or failed ends its claim (its
    holder then sees the address for ``DIMOS_RELIEF_TASK_DETAILS_HOURS`` more)."""
    if delivery.status == "scheduled":
        _withdraw_if_given_away(delivery)
        return
    ended = {"delivered": ClaimStatus.DELIVERED, "failed": ClaimStatus.FAILED}.get(delivery.status)
    if ended is None:
        return
    TaskClaim.objects.filter(delivery_id=delivery.pk, status=ClaimStatus.ACTIVE).update(
        status=ended, ended_at=timezone.now()
    )


def _withdraw_if_given_away(delivery: Any) -> None:
    """A coordinator gave a visit a volunteer held to another courier (a run of the day): the
    volunteer's claim ends (they no longer see the address) and they are told not to go."""
    given_away = (
        TaskClaim.objects.filter(delivery_id=delivery.pk, status=ClaimStatus.ACTIVE)
        .exclude(volunteer__user_id=delivery.assigned_to_id)
        .select_related("volunteer__user", "request__beneficiary__district", "delivery")
    )
    for held in given_away:
        held.status = ClaimStatus.WITHDRAWN
        held.ended_at = timezone.now()
        held.save(update_fields=["status", "ended_at"])
        _tell_volunteer(held, "relief.task_withdrawn")


def withdraw_claims(req_ids: list[int]) -> None:
    """The beneficiary's data was erased: their tasks' claims end at once."""
    TaskClaim.objects.filter(request_id__in=req_ids, status=ClaimStatus.ACTIVE).update(
        status=ClaimStatus.WITHDRAWN, ended_at=timezone.now()
    )


# --- Telling people, reminders and alerts -----------------------------------------------------


def _tell_volunteer(held: TaskClaim, kind: str) -> None:
    """The volunteer, by email and SMS on their volunteer's phone, in their language; the
    message names the district and the time, never the person helped."""
    volunteer = held.volunteer
    req = held.request
    delivery = held.delivery
    notify(
        kind=kind,
        recipient=volunteer.user,
        phone=volunteer.phone,
        context={
            "req": req,
            "day": delivery.date,
            "start": delivery.window_start,
            "end": delivery.window_end,
            "district": req.beneficiary.district.name if req.beneficiary.district else "",
        },
        url=reverse("relief:task", args=[req.pk]),
    )


def coordinators_to_tell(req: ReliefRequest) -> list[Any]:
    """The coordinator who scheduled the request, or every relief coordinator without one."""
    from dimos.accounts.selectors import active_staff

    if req.scheduled_by is not None and req.scheduled_by.is_active:
        return [req.scheduled_by]
    return list(active_staff(permission="change_reliefrequest", app_label="relief").distinct())


def _tell_coordinators(req: ReliefRequest, kind: str) -> None:
    delivery = req.delivery
    for coordinator in coordinators_to_tell(req):
        notify(
            kind=kind,
            recipient=coordinator,
            context={
                "req": req,
                "day": delivery.date if delivery else req.day,
                "start": delivery.window_start if delivery else req.window_start,
                "end": delivery.window_end if delivery else req.window_end,
                "district": req.beneficiary.district.name if req.beneficiary.district else "",
            },
            url=reverse("relief_staff:detail", args=[req.pk]),
        )


def task_start(delivery: Any) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(delivery.date, delivery.window_start))


def _plan_reminder(held: TaskClaim) -> None:
    """A reminder ``DIMOS_RELIEF_TASK_REMINDER_HOURS`` before the window; none when that
    time has passed already (the volunteer just took it)."""
    from dimos.relief.tasks import remind_volunteer

    if conf.TASK_REMINDER_HOURS <= 0:
        return
    due = task_start(held.delivery) - dt.timedelta(hours=conf.TASK_REMINDER_HOURS)
    if due > timezone.now():
        enqueue_on_commit(remind_volunteer, held.pk, run_after=due)


def remind(*, claim_id: int) -> bool:
    """The planned reminder: sent only if the volunteer still holds the task, not yet done."""
    held = (
        TaskClaim.objects.select_related(
            "request__beneficiary__district", "delivery", "volunteer__user"
        )
        .filter(pk=claim_id, status=ClaimStatus.ACTIVE, delivery__status="scheduled")
        .first()
    )
    if held is None or held.delivery.assigned_to_id != held.volunteer.user_id:
        return False
    with transaction.atomic():
        _tell_volunteer(held, "relief.task_reminder")
    return True


def plan_unassigned_check(req: ReliefRequest, delivery: Any) -> None:
    """At ``DIMOS_RELIEF_TASK_ALERT_HOUR`` on the visit's day (or now, if that hour has
    passed), a check that alerts coordinators if the visit still has no one."""
    from dimos.relief.tasks import alert_if_unassigned

    hour = min(max(conf.TASK_ALERT_HOUR, 0), 23)
    due = timezone.make_aware(dt.datetime.combine(delivery.date, dt.time(hour)))
    enqueue_on_commit(alert_if_unassigned, req.pk, delivery.pk, run_after=max(due, timezone.now()))


def alert_if_unassigned(*, request_id: int, delivery_id: int) -> bool:
    """Coordinators are told that today's visit has no one; nothing when it was given to
    someone meanwhile, was re-planned for another day or is no longer to be made."""
    req = (
        ReliefRequest.objects.select_related("beneficiary__district", "delivery", "scheduled_by")
        .filter(
            pk=request_id,
            delivery_id=delivery_id,
            status=Status.SCHEDULED,
            delivery__status="scheduled",
            delivery__assigned_to__isnull=True,
            delivery__date=timezone.localdate(),
        )
        .first()
    )
    if req is None:
        return False
    with transaction.atomic():
        _tell_coordinators(req, "relief.task_unassigned")
        audit.record(action="relief.task_unassigned", target=req)
    return True


@dataclass(frozen=True)
class Summary:
    """What anyone offered a task may know of it: never who, nor where exactly."""

    district: str
    day: dt.date
    start: dt.time
    end: dt.time
    urgent: bool
    needs: list[tuple[str, str, Decimal | None]]  # (kind, label, ceiling of shopping)


def summary(req: ReliefRequest) -> Summary:
    delivery = req.delivery
    return Summary(
        district=req.beneficiary.district.name if req.beneficiary.district else "",
        day=delivery.date if delivery else req.day,
        start=delivery.window_start if delivery else req.window_start,
        end=delivery.window_end if delivery else req.window_end,
        urgent=req.urgent,
        needs=[
            (
                n.kind,
                str(NeedKind(n.kind).label),
                n.ceiling if n.kind == NeedKind.SHOPPING else None,
            )
            for n in req.needs.all()
        ],
    )
