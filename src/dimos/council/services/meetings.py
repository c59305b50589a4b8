"""Preparing a meeting (numbered per body and year, never overlapping another of its body),
changing and moving it, and its workflow: the invitation, held, cancelled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from dimos.core.workflow import Move, Transition, Workflow
from dimos.council import video
from dimos.council.models import (
    AgendaItem,
    ItemResult,
    Location,
    Meeting,
    MeetingEvent,
    MeetingKind,
    MeetingMode,
    MeetingState,
    Organization,
)
from dimos.council.services.common import (
    CHANGE,
    CouncilError,
    _actor,
    _audit,
    _event,
    _not_closed,
    _publish_later,
    _tell_members,
    _when,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from dimos.accounts.models import User


# --- Preparing a meeting ------------------------------------------------------------------


def next_meeting_number(organization: Organization, year: int) -> int:
    """The number the body's next meeting of ``year`` takes."""
    top = (
        Meeting.objects.live()
        .filter(organization=organization, year=year)
        .aggregate(top=Max("number"))["top"]
    )
    return (top or 0) + 1


def check_overlap(
    organization: Organization, start: datetime, end: datetime, *, exclude: int | None = None
) -> None:
    """Refuse a time when the body already meets (a cancelled meeting does not count)."""
    if end <= start:
        raise CouncilError(_("The meeting must end after it starts."), code="times")
    clash = (
        Meeting.objects.live()
        .filter(organization=organization, start__lt=end, end__gt=start)
        .exclude(state=MeetingState.CANCELLED)
        .exclude(pk=exclude)
        .order_by("start")
        .first()
    )
    if clash is not None:
        raise CouncilError(
            _(
                "%(body)s already meets at that time: meeting %(number)s/%(year)s, from "
                "%(start)s to %(end)s. Choose another time."
            )
            % {
                "body": organization.name,
                "number": clash.number,
                "year": clash.year,
                "start": _when(clash.start),
                "end": formats.date_format(timezone.localtime(clash.end), "H:i"),
            },
            code="overlap",
        )


def last_meeting(organization: Organization) -> Meeting | None:
    """The body's latest meeting not cancelled: what a new one may be prepared from."""
    return (
        Meeting.objects.live()
        .filter(organization=organization)
        .exclude(state=MeetingState.CANCELLED)
        .select_related("location")
        .order_by("-start", "-pk")
        .first()
    )


def standing_items(meeting: Meeting) -> list[AgendaItem]:
    """The items a next meeting carries over: those taken note of without a vote (the
    announcements, the minutes to approve — on every agenda) and those postponed."""
    return list(
        meeting.agenda_items.live()
        .filter(result__in=(ItemResult.NOTED, ItemResult.POSTPONED))
        .order_by("order", "pk")
    )


@dataclass(frozen=True)
class MeetingPlan:
    """What the secretary chose for a new meeting; empty times come from the template."""

    organization: Organization
    day: date
    start_time: time | None = None
    end_time: time | None = None
    kind: str = MeetingKind.REGULAR
    mode: str = ""
    location: Location | None = None
    title_el: str = ""
    title_en: str = ""
    from_last: bool = True


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def prepare_meeting(
    *, plan: MeetingPlan, actor: User, request: HttpRequest | None = None
) -> Meeting:
    """A new planned meeting of a body, numbered next in its year, from the body's last
    meeting (its place, way of meeting, times and standing items) or blank."""
    organization = plan.organization
    if not organization.meets:
        raise CouncilError(_("A faction does not hold meetings: choose a body."), code="body")
    template = last_meeting(organization) if plan.from_last else None
    start_time = plan.start_time or (
        timezone.localtime(template.start).time() if template else time(18, 0)
    )
    if plan.end_time is not None:
        end_time = plan.end_time
    elif template is not None:
        end_time = timezone.localtime(template.end).time()
    else:
        end_time = (datetime.combine(plan.day, start_time) + timedelta(hours=3)).time()
    start = _aware(plan.day, start_time)
    end = _aware(plan.day, end_time)
    if end <= start:
        raise CouncilError(_("The meeting must end after it starts."), code="times")
    try:
        with transaction.atomic():
            # The body's row is the lock that numbers its meetings one at a time.
            Organization.objects.select_for_update().get(pk=organization.pk)
            check_overlap(organization, start, end)
            meeting = Meeting.objects.create(
                organization=organization,
                year=plan.day.year,
                number=next_meeting_number(organization, plan.day.year),
                kind=plan.kind,
                mode=plan.mode or (template.mode if template else MeetingMode.IN_PERSON),
                start=start,
                end=end,
                location=plan.location or (template.location if template else None),
                title_el=plan.title_el.strip(),
                title_en=plan.title_en.strip(),
            )
            carried = standing_items(template) if template is not None else []
            for order, item in enumerate(carried):
                AgendaItem.objects.create(
                    meeting=meeting,
                    order=order,
                    number=str(order + 1),
                    title_el=item.title_el,
                    title_en=item.title_en,
                    rapporteur=item.rapporteur,
                    public=item.public,
                    report_el=item.report_el if item.result == ItemResult.POSTPONED else "",
                    report_en=item.report_en if item.result == ItemResult.POSTPONED else "",
                )
            MeetingEvent.objects.create(
                meeting=meeting,
                actor=_actor(actor),
                action="prepare",
                to_state=meeting.state,
                note=str(template) if template else "",
            )
            _audit(
                "meeting_created",
                actor=actor,
                target=meeting,
                request=request,
                template=template.pk if template else None,
                items=len(carried),
            )
    except IntegrityError as exc:
        # Only a number taken at the same instant by another secretary can get here.
        raise CouncilError(
            _("Another meeting was just given this number. Try again."), code="number"
        ) from exc
    return meeting


@transaction.atomic
def change_meeting(
    *,
    meeting: Meeting,
    kind: str,
    mode: str,
    location: Location | None,
    title_el: str,
    title_en: str,
    invitation_text: str,
    stream_url: str,
    actor: User,
    request: HttpRequest | None = None,
) -> Meeting:
    """The meeting's kind, way, place, title, invitation text and live stream."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _not_closed(meeting)
    video.validate_video_url(stream_url)
    meeting.kind = kind
    meeting.mode = mode
    meeting.location = location
    meeting.title_el = title_el.strip()
    meeting.title_en = title_en.strip()
    meeting.invitation_text = invitation_text.strip()
    meeting.stream_url = stream_url.strip()
    meeting.save(
        update_fields=[
            "kind",
            "mode",
            "location",
            "title_el",
            "title_en",
            "invitation_text",
            "stream_url",
        ]
    )
    _audit("meeting_changed", actor=actor, target=meeting, request=request)
    return meeting


def move_meeting(
    *,
    meeting: Meeting,
    start: datetime,
    end: datetime,
    reason: str,
    actor: User,
    request: HttpRequest | None = None,
) -> Meeting:
    """Move (postpone or bring forward) a meeting not yet held: its new start and end. Once
    the invitation is out a reason is needed, and the members and followers are told."""
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update().select_related("organization").get(pk=meeting.pk)
        )
        _not_closed(meeting)
        reason = reason.strip()
        if meeting.state == MeetingState.INVITED and not reason:
            raise CouncilError(
                _("The invitation is out: say why the meeting moves."), code="reason"
            )
        check_overlap(meeting.organization, start, end, exclude=meeting.pk)
        before = (meeting.start, meeting.end)
        meeting.start, meeting.end = start, end
        meeting.save(update_fields=["start", "end"])
        note = _("From %(before)s to %(after)s.") % {
            "before": _when(before[0]),
            "after": _when(start),
        }
        _event(meeting, "move", actor=actor, note=f"{note} {reason}".strip())
        _audit(
            "meeting_moved",
            actor=actor,
            target=meeting,
            request=request,
            start=start.isoformat(),
            end=end.isoformat(),
            previous_start=before[0].isoformat(),
            reason=reason[:500],
        )
        if meeting.state == MeetingState.INVITED:
            _tell_members(meeting, change="moved")
            _publish_later(meeting, changed=True)
    return meeting


# --- The workflow: invitation, held, cancelled ----------------------------------------------


def _inviting(move: Move) -> None:
    meeting = move.case
    if not meeting.agenda_items.live().exists():
        raise CouncilError(_("Add the agenda's items before publishing the invitation."))
    if move.previous == MeetingState.PLANNED:
        move.set("invited_at", move.now)


def _invited(move: Move) -> None:
    _tell_members(move.case, change="changed" if move.previous == MeetingState.INVITED else "")
    _publish_later(move.case, changed=move.previous == MeetingState.INVITED)


def _cancelling(move: Move) -> None:
    if not move.note:
        raise CouncilError(_("Say why the meeting is cancelled."), code="reason")
    move.set("cancel_reason", move.note)


def _cancelled(move: Move) -> None:
    if move.previous == MeetingState.INVITED:
        _tell_members(move.case, change="cancelled")
        _publish_later(move.case, changed=True)


def _holding(move: Move) -> None:
    if move.case.start > move.now:
        raise CouncilError(_("The meeting has not started yet."), code="early")


WORKFLOW = Workflow(
    model=Meeting,
    field="state",
    error=CouncilError,
    timeline=MeetingEvent,
    transitions={
        "invite": Transition(
            sources=(MeetingState.PLANNED,),
            target=MeetingState.INVITED,
            permission=CHANGE,
            effect=_inviting,
            after=_invited,
            audit_action="council.meeting_invited",
        ),
        "republish": Transition(
            sources=(MeetingState.INVITED,),
            target=MeetingState.INVITED,
            permission=CHANGE,
            effect=_inviting,
            after=_invited,
            audit_action="council.agenda_republished",
        ),
        "hold": Transition(
            sources=(MeetingState.INVITED,),
            target=MeetingState.HELD,
            permission=CHANGE,
            effect=_holding,
            audit_action="council.meeting_held",
        ),
        "cancel": Transition(
            sources=(MeetingState.PLANNED, MeetingState.INVITED),
            target=MeetingState.CANCELLED,
            permission=CHANGE,
            stamp=("cancelled_at",),
            effect=_cancelling,
            after=_cancelled,
            audit_action="council.meeting_cancelled",
            details=lambda move: {"reason": move.note[:500]},
        ),
    },
    select_related=("organization",),
)


def publish_invitation(
    *, meeting: Meeting, actor: User, request: HttpRequest | None = None
) -> Meeting:
    """Publish the invitation and agenda (again, after a change: the members and followers
    are told it changed)."""
    action = "republish" if meeting.state == MeetingState.INVITED else "invite"
    return WORKFLOW.apply(meeting, action, actor=actor, request=request).case  # type: ignore[no-any-return]


def mark_held(*, meeting: Meeting, actor: User, request: HttpRequest | None = None) -> Meeting:
    return WORKFLOW.apply(meeting, "hold", actor=actor, request=request).case  # type: ignore[no-any-return]


def cancel_meeting(
    *, meeting: Meeting, reason: str, actor: User, request: HttpRequest | None = None
) -> Meeting:
    return WORKFLOW.apply(meeting, "cancel", actor=actor, note=reason, request=request).case  # type: ignore[no-any-return]
