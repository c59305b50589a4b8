"""Writes of activities — and the API other apps call (the ideas' hackathon, volunteers who
teach): create a programme, register, cancel, read seats left. Each write runs in one
transaction, audits and notifies after the commit.

A registration's states::

    register ──► confirmed  (a seat was free)
       │
       └──────► waitlisted ──(a seat frees: the first in line)──► offered ──confirm──► confirmed
                                                                     │
                                                       (not confirmed in time) ──► expired
    confirmed / offered / waitlisted ──cancel──► cancelled

Capacity is the database's (ADR 0028): a confirmed or offered registration owns a seat number
1…capacity under a partial unique index, so registrations racing for the last seat get exactly
one through; the others fall to the waitlist. A seat that frees is offered at once to the next
in line (:func:`fill_seats`), who has ``OFFER_HOURS`` to confirm before it passes on (a delayed
task, and every later write on the programme, expire an offer past its time).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from typing import TYPE_CHECKING, Any

from dateutil import rrule
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from dimos.activities.conf import conf
from dimos.activities.models import (
    ACTIVE,
    HOLDS_SEAT,
    Attendance,
    Audience,
    Child,
    Material,
    Programme,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
    Repeat,
    Session,
    SessionStatus,
)
from dimos.core import audit
from dimos.core.notifications import notify
from dimos.core.workdays import is_public_holiday
from dimos.core.workflow import Refused

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.http import HttpRequest

    from dimos.accounts.models import User

MANAGE_ALL = "activities.manage_all_programmes"
MAX_SESSIONS = 400


class ActivityError(Refused):
    """What the programme (or the input) does not allow; shown to the person."""


def _formatted(message: Any, **values: Any) -> Any:
    """A message with values, still translated when it is shown (an API in English)."""
    return lazy(lambda: str(message) % values, str)()


# --- Reads other apps may call --------------------------------------------------------------


def seats_taken(programme: Programme) -> int:
    return Registration.objects.filter(programme=programme, status__in=HOLDS_SEAT).count()


def seats_left(programme: Programme) -> int:
    """Places still free now (offers waiting for an answer hold theirs)."""
    return max(0, programme.capacity - seats_taken(programme))


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first in line; None when not on the waitlist."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    return (
        Registration.objects.filter(
            programme_id=registration.programme_id,
            status=RegistrationStatus.WAITLISTED,
            pk__lt=registration.pk,
        ).count()
        + 1
    )


def can_manage(user: Any, programme: Programme) -> bool:
    """Organisers manage their own programmes; coordinators any programme."""
    if not (user.is_authenticated and user.is_staff):
        return False
    return user.has_perm(MANAGE_ALL) or programme.organisers.filter(pk=user.pk).exists()


def sees_participants(user: Any, programme: Programme) -> bool:
    """Only the programme's own organisers see who takes part (coordinators included only
    when they are among them): children's data never leaves the programme."""
    return bool(
        user.is_authenticated and user.is_staff and programme.organisers.filter(pk=user.pk).exists()
    )


# --- Programmes and their sessions ------------------------------------------------------------


def occurrences(
    *,
    first_start: dt.datetime,
    repeat: str,
    repeat_until: dt.date | None,
    skip_holidays: bool,
    exceptions: list[str] | tuple[str, ...] = (),
) -> list[dt.datetime]:
    """The start times of a schedule: one-off, or every day / week until a day, without the
    exception days and (if asked) public holidays. Wall-clock times stay the same across the
    change to and from summer time."""
    local = timezone.localtime(first_start)
    zone = local.tzinfo
    if repeat == Repeat.ONCE or repeat_until is None:
        starts = [local.replace(tzinfo=None)]
    else:
        until = dt.datetime.combine(repeat_until, dt.time(23, 59, 59))
        rule = rrule.rrule(
            rrule.DAILY if repeat == Repeat.DAILY else rrule.WEEKLY,
            dtstart=local.replace(tzinfo=None),
            until=until,
        )
        starts = list(itertools.islice(rule, MAX_SESSIONS))
    skipped = {str(day) for day in exceptions}
    return [
        start.replace(tzinfo=zone)
        for start in starts
        if start.date().isoformat() not in skipped
        and not (skip_holidays and is_public_holiday(start.date()))
    ]


def _check_programme(programme: Programme) -> None:
    if programme.audience == Audience.CHILDREN:
        if programme.age_min is None or programme.age_max is None:
            raise ActivityError(_("Give the age range of the children the programme is for."))
        if programme.age_min > programme.age_max or programme.age_max > 18:
            raise ActivityError(_("The age range is not possible."))
    if programme.registration_closes <= programme.registration_opens:
        raise ActivityError(_("Registration must close after it opens."))
    if programme.capacity < 1:
        raise ActivityError(_("A programme needs at least one place."))
    if programme.repeat != Repeat.ONCE:
        if programme.repeat_until is None:
            raise ActivityError(_("Give the last day of a repeating schedule."))
        if programme.repeat_until < timezone.localdate(programme.first_start):
            raise ActivityError(_("The schedule cannot end before it starts."))
    if programme.online and not programme.video_url:
        raise ActivityError(_("An online programme needs the link of its sessions."))
    if programme.in_person and not (programme.place_name or programme.address):
        raise ActivityError(_("A programme in person needs its place."))


def schedule_sessions(programme: Programme) -> list[Session]:
    """Make the sessions the schedule asks for; future sessions it no longer asks for go
    (unless they were moved by hand or have attendance). Answers the programme's sessions."""
    now = timezone.now()
    length = dt.timedelta(minutes=programme.duration_minutes)
    wanted = occurrences(
        first_start=programme.first_start,
        repeat=programme.repeat,
        repeat_until=programme.repeat_until,
        skip_holidays=programme.skip_holidays,
        exceptions=programme.exceptions,
    )
    if not wanted:
        raise ActivityError(_("The schedule leaves no session: check its days."))
    existing = list(programme.sessions.all())
    have = {s.starts_at for s in existing} | {s.moved_from for s in existing if s.moved_from}
    wanted_set = set(wanted)
    for session in existing:
        if (
            session.starts_at > now
            and session.moved_from is None
            and session.starts_at not in wanted_set
            and not session.attendance.exists()
        ):
            session.delete()
    Session.objects.bulk_create(
        [
            Session(programme=programme, starts_at=start, ends_at=start + length)
            for start in wanted
            if start not in have
        ]
    )
    Session.objects.filter(programme=programme, moved_from__isnull=True, starts_at__gt=now).update(
        ends_at=F("starts_at") + length
    )
    sessions = list(programme.sessions.all())
    programme.ends_at = max((s.ends_at for s in sessions), default=None)
    programme.save(update_fields=["ends_at", "updated_at"])
    _plan_tasks(programme)
    return sessions


def _plan_tasks(programme: Programme) -> None:
    from dimos.activities import tasks
    from dimos.core.tasks import enqueue_on_commit

    now = timezone.now()
    upcoming = (
        programme.sessions.filter(
            status=SessionStatus.SCHEDULED, reminded_at__isnull=True, starts_at__gt=now
        )
        .order_by("starts_at")
        .first()
    )
    if upcoming is not None and programme.status == ProgrammeStatus.PUBLISHED:
        when = upcoming.starts_at - dt.timedelta(hours=conf.REMINDER_HOURS)
        enqueue_on_commit(
            tasks.send_reminders, programme.pk, run_after=when if when > now else None
        )
    if programme.ends_at is not None:
        enqueue_on_commit(
            tasks.erase_participants,
            programme.pk,
            run_after=max(now, programme.ends_at + dt.timedelta(days=conf.RETENTION_DAYS)),
        )


def create_programme(
    *,
    actor: User | None,
    title_el: str,
    organiser_name: str,
    capacity: int,
    first_start: dt.datetime,
    registration_opens: dt.datetime,
    registration_closes: dt.datetime,
    organisers: list[User] | tuple[User, ...] = (),
    publish: bool = False,
    request: HttpRequest | None = None,
    **fields: Any,
) -> Programme:
    """A new programme with its sessions. Other apps (a hackathon) call this too. Without
    ``organisers`` the actor, if staff, is its organiser."""
    programme = Programme(
        title_el=title_el,
        organiser_name=organiser_name,
        capacity=capacity,
        first_start=first_start,
        registration_opens=registration_opens,
        registration_closes=registration_closes,
        created_by=actor,
        status=ProgrammeStatus.PUBLISHED if publish else ProgrammeStatus.DRAFT,
        **fields,
    )
    _check_programme(programme)
    with transaction.atomic():
        programme.save()
        people = list(organisers)
        if actor is not None and actor.is_staff and not people:
            people.append(actor)
        programme.organisers.set(people)
        schedule_sessions(programme)
        audit.record(action="activity.created", actor=actor, target=programme, request=request)
    return programme


@transaction.atomic
def update_programme(
    *,
    programme: Programme,
    actor: User,
    organisers: Any = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> Programme:
    """Change a programme; the schedule makes its sessions again, a larger capacity offers the
    new places to the waitlist. A capacity below the seats taken is refused. ``organisers``
    (a coordinator's choice) replaces who sees the participants."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    for name, value in fields.items():
        setattr(programme, name, value)
    _check_programme(programme)
    if programme.capacity < seats_taken(programme):
        raise ActivityError(
            _("More people than that already have a place: cancel some places first.")
        )
    programme.save()
    details: dict[str, Any] = {}
    if organisers is not None:
        programme.organisers.set(organisers)
        details["organisers"] = sorted(u.pk for u in organisers)
    schedule_sessions(programme)
    audit.record(
        action="activity.changed",
        actor=actor,
        target=programme,
        request=request,
        details=details or None,
    )
    fill_seats(programme)
    return programme


@transaction.atomic
def publish_programme(
    *, programme: Programme, actor: User, request: HttpRequest | None = None
) -> Programme:
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.status != ProgrammeStatus.DRAFT:
        raise ActivityError(_("Only a draft can be published."))
    programme.status = ProgrammeStatus.PUBLISHED
    programme.save(update_fields=["status", "updated_at"])
    _plan_tasks(programme)
    audit.record(action="activity.published", actor=actor, target=programme, request=request)
    return programme


@transaction.atomic
def cancel_programme(
    *, programme: Programme, reason: str, actor: User, request: HttpRequest | None = None
) -> Programme:
    """Cancel the whole programme: every place ends and everyone registered is told."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.status == ProgrammeStatus.CANCELLED:
        raise ActivityError(_("The programme is already cancelled."))
    now = timezone.now()
    people = list(_registered(programme, statuses=ACTIVE))
    programme.status = ProgrammeStatus.CANCELLED
    programme.save(update_fields=["status", "updated_at"])
    programme.sessions.filter(starts_at__gt=now).update(status=SessionStatus.CANCELLED)
    Registration.objects.filter(programme=programme, status__in=ACTIVE).update(
        status=RegistrationStatus.CANCELLED, seat=None, ended_at=now
    )
    for registration in people:
        _tell(registration, "activities.programme_cancelled", reason=reason)
    audit.record(
        action="activity.cancelled",
        actor=actor,
        target=programme,
        request=request,
        details={"told": len(people)},
    )
    return programme


# --- Families ---------------------------------------------------------------------------------


def add_child(
    *,
    guardian: User,
    first_name: str,
    birth_year: int,
    consent: bool,
    consent_version: int,
    request: HttpRequest | None = None,
) -> Child:
    """A guardian adds a child: first name and year of birth only, with the parental consent
    they accepted (the version they were shown, and now)."""
    first_name = " ".join(first_name.split())
    this_year = timezone.localdate().year
    if not first_name or len(first_name) > 60:
        raise ActivityError(_("Give the child's first name."))
    if not this_year - 18 < birth_year <= this_year:
        raise ActivityError(_("Activities for children are for those under 18."))
    if not consent:
        raise ActivityError(_("Give your consent as the child's parent or guardian."))
    if consent_version != conf.CONSENT_VERSION:
        raise ActivityError(_("The consent text has just changed. Read it again and accept it."))
    with transaction.atomic():
        if Child.objects.filter(guardian=guardian).count() >= conf.MAX_CHILDREN:
            raise ActivityError(_("You cannot add more children to your account."))
        if Child.objects.filter(
            guardian=guardian, first_name__iexact=first_name, birth_year=birth_year
        ).exists():
            raise ActivityError(_("You have already added this child."))
        child = Child.objects.create(
            guardian=guardian,
            first_name=first_name,
            birth_year=birth_year,
            consent_version=consent_version,
            consent_at=timezone.now(),
        )
        audit.record(
            action="activity.child_added",
            actor=guardian,
            target=child,
            request=request,
            details={"consent_version": consent_version},
        )
    return child


@transaction.atomic
def remove_child(*, child: Child, actor: User, request: HttpRequest | None = None) -> None:
    """The guardian removes a child: their places end (and pass to the waitlist)."""
    for registration in Registration.objects.filter(child=child, status__in=ACTIVE):
        cancel_registration(registration=registration, actor=actor, request=request)
    audit.record(action="activity.child_removed", actor=actor, target=child, request=request)
    child.delete()


def _is_duplicate(exc: IntegrityError) -> bool:
    text = str(exc)
    return "once_per_programme" in text or (
        # SQLite names the columns, not the index.
        "activities_registration.child_id" in text or "activities_registration.account_id" in text
    )


def _expire_overdue(programme: Programme, now: dt.datetime) -> list[Registration]:
    overdue = list(
        Registration.objects.filter(
            programme=programme, status=RegistrationStatus.OFFERED, offer_expires_at__lte=now
        )
    )
    for registration in overdue:
        registration.status = RegistrationStatus.EXPIRED
        registration.seat = None
        registration.ended_at = now
        registration.save(update_fields=["status", "seat", "ended_at"])
        _tell(registration, "activities.offer_expired")
        audit.record(action="activity.offer_expired", target=registration)
    return overdue


def _free_seats(programme: Programme) -> list[int]:
    taken = set(
        Registration.objects.filter(programme=programme, status__in=HOLDS_SEAT).values_list(
            "seat", flat=True
        )
    )
    return [seat for seat in range(1, programme.capacity + 1) if seat not in taken]


def _check_registration(
    programme: Programme, account: User, child: Child | None, now: dt.datetime
) -> None:
    if programme.status != ProgrammeStatus.PUBLISHED:
        raise ActivityError(_("This programme does not take registrations."))
    if now < programme.registration_opens:
        raise ActivityError(_("Registration has not opened yet."))
    if now >= programme.registration_closes:
        raise ActivityError(_("Registration has closed."))
    if programme.for_children:
        if child is None:
            raise ActivityError(_("This programme is for children: choose which child."))
        if child.guardian_id != account.pk:
            raise ActivityError(_("Choose one of your own children."))
        age = child.age_in(timezone.localtime(programme.first_start).year)
        if not programme.age_fits(age):
            raise ActivityError(
                _formatted(
                    _("%(name)s is outside the ages of this programme (%(low)s–%(high)s)."),
                    name=child.first_name,
                    low=programme.age_min,
                    high=programme.age_max,
                )
            )
    elif child is not None:
        raise ActivityError(_("This programme is for adults: register yourself."))


def register(
    *,
    programme: Programme,
    account: User,
    child: Child | None = None,
    team_name: str = "",
    request: HttpRequest | None = None,
) -> Registration:
    """Register a child (or oneself): a seat while one is free, else the waitlist.

    Nobody jumps the queue: while people wait, newcomers join the end of the line. The seat
    is taken by an INSERT that the seat index allows once; losing a race for a seat tries the
    next free one, and with none left the registration joins the waitlist.
    """
    team_name = " ".join(team_name.split())[:100]
    if programme.teams and not team_name:
        raise ActivityError(_("Give the name of your team."))
    with transaction.atomic():
        now = timezone.now()
        programme = Programme.objects.get(pk=programme.pk)
        _check_registration(programme, account, child, now)
        mine = Registration.objects.filter(programme=programme, status__in=ACTIVE)
        mine = mine.filter(child=child) if child else mine.filter(account=account, child=None)
        if mine.exists():
            raise ActivityError(_("Already registered for this programme."), "duplicate")
        if _expire_overdue(programme, now):
            fill_seats(programme, now=now)
        queue = Registration.objects.filter(
            programme=programme, status=RegistrationStatus.WAITLISTED
        ).exists()
        fields = {
            "programme": programme,
            "account": account,
            "child": child,
            "team_name": team_name,
        }
        registration = None
        for seat in [] if queue else _free_seats(programme):
            try:
                with transaction.atomic():
                    registration = Registration.objects.create(
                        status=RegistrationStatus.CONFIRMED, seat=seat, confirmed_at=now, **fields
                    )
                break
            except IntegrityError as exc:
                if _is_duplicate(exc):
                    raise ActivityError(
                        _("Already registered for this programme."), "duplicate"
                    ) from exc
        if registration is None:
            try:
                with transaction.atomic():
                    registration = Registration.objects.create(
                        status=RegistrationStatus.WAITLISTED, **fields
                    )
            except IntegrityError as exc:
                raise ActivityError(
                    _("Already registered for this programme."), "duplicate"
                ) from exc
        audit.record(
            action="activity.registered",
            actor=account,
            target=registration,
            request=request,
            details={"programme": programme.pk, "status": registration.status},
        )
        # Told by a task after the commit: rendering the message stays out of the write
        # transaction, which a rush of families queues on (docs/performance.md, "Activities").
        from dimos.activities import tasks
        from dimos.core.tasks import enqueue_on_commit

        enqueue_on_commit(tasks.tell_registered, registration.pk)
    return registration


def tell_registered(*, registration_id: int) -> bool:
    """The message that a registration has a place or its number on the waitlist (the task
    after :func:`register`); nothing for a registration no longer active."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_related("programme", "account", "child")
            .filter(pk=registration_id, status__in=ACTIVE)
            .first()
        )
        if registration is None:
            return False
        _tell(registration, "activities.registered")
    return True


def fill_seats(programme: Programme, *, now: dt.datetime | None = None) -> list[Registration]:
    """Offer every free seat to the next in line, in arrival order; each is told and has
    ``OFFER_HOURS`` to confirm. Call inside the transaction that freed a seat."""
    now = now or timezone.now()
    offered: list[Registration] = []
    if programme.status != ProgrammeStatus.PUBLISHED or (
        programme.ends_at is not None and programme.ends_at <= now
    ):
        return offered
    # Promoters queue behind each other (PostgreSQL); registrations still race on seats.
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    expires = now + dt.timedelta(hours=conf.OFFER_HOURS)
    for seat in _free_seats(programme):
        while True:
            candidate = (
                Registration.objects.filter(
                    programme=programme, status=RegistrationStatus.WAITLISTED
                )
                .order_by("pk")
                .first()
            )
            if candidate is None:
                return offered
            try:
                with transaction.atomic():
                    moved = Registration.objects.filter(
                        pk=candidate.pk, status=RegistrationStatus.WAITLISTED
                    ).update(status=RegistrationStatus.OFFERED, seat=seat, offer_expires_at=expires)
            except IntegrityError:
                break  # someone took this seat meanwhile: try the next one
            if moved:
                candidate.refresh_from_db()
                offered.append(candidate)
                _tell(candidate, "activities.offered")
                audit.record(action="activity.offered", target=candidate)
                _plan_expiry(candidate)
                break
    return offered


def _plan_expiry(registration: Registration) -> None:
    from dimos.activities import tasks
    from dimos.core.tasks import enqueue_on_commit

    enqueue_on_commit(tasks.expire_offer, registration.pk, run_after=registration.offer_expires_at)


def _locked(registration: Registration) -> Registration:
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("programme", "child")
        .get(pk=registration.pk)
    )


def confirm_offer(
    *, registration: Registration, actor: User, request: HttpRequest | None = None
) -> Registration:
    """The person takes the place offered to them, in time. Too late, the offer expires (and
    passes on) for good, and the person is told so."""
    with transaction.atomic():
        registration = _locked(registration)
        now = timezone.now()
        if registration.status == RegistrationStatus.CONFIRMED:
            raise ActivityError(_("This place is already confirmed."))
        if registration.status != RegistrationStatus.OFFERED:
            raise ActivityError(_("There is no place offered to confirm."))
        late = registration.offer_expires_at is not None and registration.offer_expires_at <= now
        if late:
            _expire_overdue(registration.programme, now)
            fill_seats(registration.programme, now=now)
        else:
            registration.status = RegistrationStatus.CONFIRMED
            registration.confirmed_at = now
            registration.offer_expires_at = None
            registration.save(update_fields=["status", "confirmed_at", "offer_expires_at"])
            audit.record(
                action="activity.confirmed", actor=actor, target=registration, request=request
            )
    if late:
        raise ActivityError(_("The time to confirm has passed and the place went to the next."))
    return registration


@transaction.atomic
def cancel_registration(
    *, registration: Registration, actor: User, request: HttpRequest | None = None
) -> Registration:
    """Cancel a place (or leave the waitlist) at any time; a freed seat goes to the next."""
    registration = _locked(registration)
    if not registration.active:
        raise ActivityError(_("This registration is no longer active."))
    freed = registration.holds_seat
    registration.status = RegistrationStatus.CANCELLED
    registration.seat = None
    registration.offer_expires_at = None
    registration.ended_at = timezone.now()
    registration.save(update_fields=["status", "seat", "offer_expires_at", "ended_at"])
    audit.record(
        action="activity.cancelled_place", actor=actor, target=registration, request=request
    )
    if freed:
        fill_seats(registration.programme)
    return registration


def expire_offer(*, registration_id: int) -> bool:
    """The task at an offer's deadline: an offer not confirmed passes to the next in line."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("programme")
            .filter(pk=registration_id)
            .first()
        )
        if registration is None or registration.status != RegistrationStatus.OFFERED:
            return False
        now = timezone.now()
        if registration.offer_expires_at and registration.offer_expires_at > now:
            return False
        _expire_overdue(registration.programme, now)
        fill_seats(registration.programme, now=now)
    return True


def _registered(programme: Programme, statuses: Any = HOLDS_SEAT) -> Any:
    return Registration.objects.filter(programme=programme, status__in=statuses).select_related(
        "account", "child"
    )


def _tell(registration: Registration, kind: str, **context: Any) -> None:
    account = registration.account
    if not account.is_active:
        return
    notify(
        kind=kind,
        recipient=account,
        context={
            "registration": registration,
            "programme": registration.programme,
            "participant": registration.participant,
            "position": waitlist_position(registration),
            **context,
        },
        url=reverse("activities:mine"),
    )


# --- Organisers -------------------------------------------------------------------------------


def record_participants_view(
    *, programme: Programme, actor: User, what: str = "list", request: HttpRequest | None = None
) -> None:
    """Every look at who takes part is audited (children's data)."""
    audit.record(
        action="activity.participants_viewed",
        actor=actor,
        target=programme,
        request=request,
        details={"what": what},
    )


def _require_organiser(programme: Programme, actor: User) -> None:
    if not sees_participants(actor, programme):
        raise ActivityError(_("Only the programme's organisers may do this."))


@transaction.atomic
def record_attendance(
    *,
    session: Session,
    present: set[int],
    actor: User,
    request: HttpRequest | None = None,
) -> int:
    """The organiser's register for one session: ``present`` are registration ids; everyone
    else with a place is marked absent. Ids not of this programme are ignored."""
    programme = session.programme
    _require_organiser(programme, actor)
    if session.cancelled:
        raise ActivityError(_("This session was cancelled."))
    if session.starts_at > timezone.now() + dt.timedelta(hours=1):
        raise ActivityError(_("Attendance is taken when the session takes place."))
    places = list(
        Registration.objects.filter(
            programme=programme, status=RegistrationStatus.CONFIRMED
        ).values_list("pk", flat=True)
    )
    count = 0
    for pk in places:
        Attendance.objects.update_or_create(
            session=session, registration_id=pk, defaults={"present": pk in present}
        )
        count += pk in present
    audit.record(
        action="activity.attendance_taken",
        actor=actor,
        target=programme,
        request=request,
        details={"session": session.pk, "present": count, "of": len(places)},
    )
    return count


@transaction.atomic
def cancel_session(
    *, session: Session, reason: str, actor: User, request: HttpRequest | None = None
) -> Session:
    """Cancel one session; everyone with a place is told."""
    session = (
        Session.objects.select_for_update(of=("self",))
        .select_related("programme")
        .get(pk=session.pk)
    )
    if not can_manage(actor, session.programme):
        raise ActivityError(_("Only the programme's organisers may do this."))
    if session.cancelled:
        raise ActivityError(_("This session is already cancelled."))
    if session.ends_at <= timezone.now():
        raise ActivityError(_("This session has already taken place."))
    session.status = SessionStatus.CANCELLED
    session.note = reason.strip()[:300]
    session.save(update_fields=["status", "note"])
    for registration in _registered(session.programme):
        _tell(registration, "activities.session_changed", session=session, reason=session.note)
    audit.record(
        action="activity.session_cancelled",
        actor=actor,
        target=session.programme,
        request=request,
        details={"session": session.pk},
    )
    return session


@transaction.atomic
def move_session(
    *,
    session: Session,
    starts_at: dt.datetime,
    reason: str,
    actor: User,
    request: HttpRequest | None = None,
) -> Session:
    """Move one session to another time; everyone with a place is told, and reminded again."""
    session = (
        Session.objects.select_for_update(of=("self",))
        .select_related("programme")
        .get(pk=session.pk)
    )
    programme = session.programme
    if not can_manage(actor, programme):
        raise ActivityError(_("Only the programme's organisers may do this."))
    if session.cancelled:
        raise ActivityError(_("This session was cancelled."))
    if starts_at <= timezone.now():
        raise ActivityError(_("Choose a time in the future."))
    length = session.ends_at - session.starts_at
    session.moved_from = session.moved_from or session.starts_at
    session.starts_at = starts_at
    session.ends_at = starts_at + length
    session.reminded_at = None
    session.note = reason.strip()[:300]
    session.save()
    programme.ends_at = max(s.ends_at for s in programme.sessions.all())
    programme.save(update_fields=["ends_at", "updated_at"])
    for registration in _registered(programme):
        _tell(registration, "activities.session_changed", session=session, reason=session.note)
    _plan_tasks(programme)
    audit.record(
        action="activity.session_moved",
        actor=actor,
        target=programme,
        request=request,
        details={"session": session.pk, "to": starts_at.isoformat()},
    )
    return session


@transaction.atomic
def message_participants(
    *,
    programme: Programme,
    message: str,
    actor: User,
    include_waitlist: bool = False,
    request: HttpRequest | None = None,
) -> int:
    """The organiser writes to the families (and adults) registered; answers how many."""
    _require_organiser(programme, actor)
    message = message.strip()
    if not message:
        raise ActivityError(_("Write the message."))
    statuses = ACTIVE if include_waitlist else HOLDS_SEAT
    accounts: dict[int, Registration] = {}
    for registration in _registered(programme, statuses):
        accounts.setdefault(registration.account_id, registration)
    for registration in accounts.values():
        _tell(registration, "activities.message", message=message, sender=programme.organiser_name)
    audit.record(
        action="activity.messaged",
        actor=actor,
        target=programme,
        request=request,
        details={"recipients": len(accounts)},
    )
    return len(accounts)


@transaction.atomic
def check_in(*, code: str, actor: User, request: HttpRequest | None = None) -> Registration:
    """Check a participant in at the door by the code of their QR ticket."""
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("programme", "account", "child")
        .filter(check_in_code=code.strip())
        .first()
    )
    if registration is None or not can_manage(actor, registration.programme):
        raise ActivityError(_("No ticket has this code."))
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ActivityError(_("This ticket has no confirmed place."))
    if registration.checked_in_at is not None:
        raise ActivityError(_("Already checked in."))
    registration.checked_in_at = timezone.now()
    registration.save(update_fields=["checked_in_at"])
    audit.record(action="activity.checked_in", actor=actor, target=registration, request=request)
    return registration


@transaction.atomic
def add_material(
    *,
    programme: Programme,
    title: str,
    actor: User,
    url: str = "",
    file: UploadedFile | None = None,
    after_session: bool = False,
    request: HttpRequest | None = None,
) -> Material:
    if not can_manage(actor, programme):
        raise ActivityError(_("Only the programme's organisers may do this."))
    if not url and file is None:
        raise ActivityError(_("Give a link or a file."))
    material = Material(
        programme=programme, title=title.strip()[:200], url=url, after_session=after_session
    )
    if file is not None:
        material.file.save(file.name or "material", file, save=False)
    material.save()
    audit.record(action="activity.material_added", actor=actor, target=programme, request=request)
    return material


def export_rows(programme: Programme) -> list[list[str]]:
    """The organiser's list, as rows (header first): participant, year of birth, guardian's
    email, status, place in line, team, sessions attended."""
    rows = [["participant", "birth_year", "contact", "status", "position", "team", "attended"]]
    attended = dict(
        Registration.objects.filter(programme=programme)
        .annotate(n=Count("attendance", filter=Q(attendance__present=True)))
        .values_list("pk", "n")
    )
    position = 0
    for r in _registered(programme, ACTIVE).order_by("status", "pk"):
        if r.status == RegistrationStatus.WAITLISTED:
            position += 1
        rows.append(
            [
                r.participant,
                str(r.child.birth_year) if r.child else "",
                r.account.email,
                r.status,
                str(position) if r.status == RegistrationStatus.WAITLISTED else "",
                r.team_name,
                str(attended.get(r.pk, 0)),
            ]
        )
    return rows


def export_csv(*, programme: Programme, actor: User, request: HttpRequest | None = None) -> str:
    _require_organiser(programme, actor)
    record_participants_view(programme=programme, actor=actor, what="export", request=request)
    out = io.StringIO()
    writer = csv.writer(out)
    for row in export_rows(programme):
        # A cell a spreadsheet would run as a formula is written as text.
        writer.writerow(["'" + c if c[:1] in ("=", "+", "-", "@") else c for c in row])
    return out.getvalue()


# --- Reminders and retention (the tasks call these) -------------------------------------------


def send_reminders(*, programme_id: int) -> int:
    """Remind everyone with a place of each session starting within ``REMINDER_HOURS`` not
    reminded yet (the email carries the link), then plan the next reminder."""
    now = timezone.now()
    sent = 0
    with transaction.atomic():
        programme = Programme.objects.filter(pk=programme_id).first()
        if programme is None or programme.status != ProgrammeStatus.PUBLISHED:
            return 0
        due = Session.objects.select_for_update().filter(
            programme=programme,
            status=SessionStatus.SCHEDULED,
            reminded_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + dt.timedelta(hours=conf.REMINDER_HOURS),
        )
        for session in due:
            for registration in _registered(programme, (RegistrationStatus.CONFIRMED,)):
                if registration.account.is_active:
                    notify(
                        kind="activities.reminder",
                        recipient=registration.account,
                        context={
                            "programme": programme,
                            "session": session,
                            "participant": registration.participant,
                        },
                        url=reverse("activities:detail", args=[programme.pk]),
                        private_url=programme.video_url if programme.online else "",
                    )
                    sent += 1
            session.reminded_at = now
            session.save(update_fields=["reminded_at"])
        _plan_tasks_after_reminders(programme, now)
    return sent


def _plan_tasks_after_reminders(programme: Programme, now: dt.datetime) -> None:
    from dimos.activities import tasks
    from dimos.core.tasks import enqueue_on_commit

    upcoming = (
        programme.sessions.filter(
            status=SessionStatus.SCHEDULED, reminded_at__isnull=True, starts_at__gt=now
        )
        .order_by("starts_at")
        .first()
    )
    if upcoming is not None:
        when = upcoming.starts_at - dt.timedelta(hours=conf.REMINDER_HOURS)
        enqueue_on_commit(
            tasks.send_reminders, programme.pk, run_after=max(when, now + dt.timedelta(minutes=1))
        )


def erase_participants(*, programme_id: int, now: dt.datetime | None = None) -> bool:
    """Retention: once ``RETENTION_DAYS`` have passed since the programme's last session, its
    participants' data goes; the anonymous counts stay on the programme."""
    now = now or timezone.now()
    with transaction.atomic():
        programme = Programme.objects.select_for_update().filter(pk=programme_id).first()
        if (
            programme is None
            or programme.participants_erased_at is not None
            or programme.ends_at is None
            or programme.ends_at + dt.timedelta(days=conf.RETENTION_DAYS) > now
        ):
            return False
        registrations = Registration.objects.filter(programme=programme)
        counts = {
            status: registrations.filter(status=status).count()
            for status in RegistrationStatus.values
        }
        counts["attended"] = registrations.filter(attendance__present=True).distinct().count()
        counts["sessions"] = programme.sessions.filter(status=SessionStatus.SCHEDULED).count()
        counts["children"] = registrations.filter(child__isnull=False).count()
        programme.kept_counts = counts
        programme.participants_erased_at = now
        programme.save(update_fields=["kept_counts", "participants_erased_at", "updated_at"])
        registrations.delete()
        audit.record(action="activity.participants_erased", target=programme, details=counts)
    return True


def erase_due(*, now: dt.datetime | None = None) -> int:
    """Every programme past its retention: a safety net for tasks that were lost (callable from
    ``dimos shell``, and by the tests)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=conf.RETENTION_DAYS)
    ids = Programme.objects.filter(
        participants_erased_at__isnull=True, ends_at__lte=cutoff
    ).values_list("pk", flat=True)
    return sum(erase_participants(programme_id=pk, now=now) for pk in list(ids))
