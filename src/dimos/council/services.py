"""The council secretariat's writes. Each runs in one transaction and leaves an audit entry.

A meeting's states (the table :data:`WORKFLOW`, applied by the workflow kit)::

    planned ──► invited ──► held
       │           │  ▲
       │           └──┘ (the changed agenda published again)
       └─────┬─────┘
             ▼
         cancelled (a reason)

Moving a meeting (``move_meeting``: a new start and end, with a reason once invited) keeps
its state and writes a :class:`MeetingEvent` too. After the invitation, the agenda changes
(an item added, moved or withdrawn) only with a ``change_note`` that says why.

Members with an account are told of the invitation, a move and a cancellation
(``council.invitation``); the residents who follow the body learn of it through
:data:`dimos.council.signals.agenda_published`, sent once the transaction commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from dimos.core import audit
from dimos.core.notifications import notify
from dimos.core.workflow import Move, Refused, Transition, Workflow
from dimos.council import documents, signals, video
from dimos.council.models import (
    AgendaItem,
    Attendance,
    Consultation,
    Decision,
    ItemResult,
    Location,
    Meeting,
    MeetingEvent,
    MeetingKind,
    MeetingMode,
    MeetingState,
    Membership,
    Organization,
    Paper,
    Person,
    Question,
    Vote,
    VoteChoice,
    validate_ada,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from dimos.accounts.models import User

CHANGE = "council.change_meeting"
ADD = "council.add_meeting"


class CouncilError(Refused):
    """What a meeting's state (or the input) does not allow; shown to the secretary."""


def _actor(actor: Any) -> Any:
    return actor if actor is not None and actor.pk else None


def public_url(meeting: Meeting) -> str:
    """The meeting's public page (the council's front page while that page is not mounted)."""
    try:
        return meeting.get_absolute_url()
    except NoReverseMatch:
        return reverse("council:index")


def _when(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "j E Y, H:i")


def _event(meeting: Meeting, action: str, *, actor: Any, note: str = "") -> MeetingEvent:
    return MeetingEvent.objects.create(
        meeting=meeting,
        actor=_actor(actor),
        action=action,
        from_state=meeting.state,
        to_state=meeting.state,
        note=note,
    )


def _audit(action: str, *, actor: Any, target: Any, request: Any, **details: Any) -> None:
    audit.record(
        action=f"council.{action}",
        actor=actor,
        target=target,
        request=request,
        details=details or None,
    )


# How the history on the workspace names each step (MeetingEvent.action).
EVENT_LABELS = {
    "prepare": _("Prepared"),
    "invite": _("Invitation published"),
    "republish": _("Changed agenda published"),
    "hold": _("Held"),
    "cancel": _("Cancelled"),
    "move": _("Moved"),
    "recording": _("Recording set"),
    "minutes": _("Minutes published"),
}


# --- Who sits in a body ------------------------------------------------------------------------


def members_of(organization: Organization, day: date) -> QuerySet[Membership]:
    """The memberships of a body current on ``day`` (one row per person)."""
    return (
        Membership.objects.live()
        .filter(organization=organization, start_date__lte=day, person__deleted=False)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("person", "on_behalf_of")
        .order_by("person__family_name", "person__given_name", "pk")
    )


def meeting_members(meeting: Meeting, *, voting: bool = False) -> list[Person]:
    """The people who sit in the meeting's body on its day (with a vote, if ``voting``)."""
    rows = members_of(meeting.organization, timezone.localdate(meeting.start))
    if voting:
        rows = rows.filter(voting_right=True)
    seen: dict[int, Person] = {}
    for membership in rows:
        seen.setdefault(membership.person_id, membership.person)
    return list(seen.values())


def _tell_members(meeting: Meeting, change: str = "") -> None:
    """Tell the body's members with an account (an invitation, a move, a cancellation)."""
    for person in meeting_members(meeting):
        if person.user is not None and person.user.is_active:
            notify(
                kind="council.invitation",
                recipient=person.user,
                context={"meeting": meeting, "person": person, "change": change},
                url=public_url(meeting),
            )


def _publish_later(meeting: Meeting, *, changed: bool) -> None:
    """Send ``agenda_published`` once the write is committed (a rolled-back one tells nobody)."""
    pk = meeting.pk

    def send() -> None:
        fresh = Meeting.objects.select_related("organization").get(pk=pk)
        signals.agenda_published.send(sender=Meeting, meeting=fresh, changed=changed)

    transaction.on_commit(send)


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


def _not_closed(meeting: Meeting) -> None:
    if meeting.state in (MeetingState.HELD, MeetingState.CANCELLED):
        raise CouncilError(
            _("This cannot be done while it is “%(state)s”.")
            % {"state": meeting.get_state_display()},
            code="state",
        )


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


# --- The agenda -------------------------------------------------------------------------------

NUMBER_RE = re.compile(r"^[1-9][0-9]{0,3}(\.[1-9][0-9]{0,2}){0,2}$")


def _lock_agenda(meeting: Meeting) -> Meeting:
    locked: Meeting = (
        Meeting.objects.select_for_update().select_related("organization").get(pk=meeting.pk)
    )
    _not_closed(locked)
    return locked


def _note_after_invitation(meeting: Meeting, change_note: str) -> str:
    note = change_note.strip()
    if meeting.state == MeetingState.INVITED and not note:
        raise CouncilError(
            _(
                "The invitation is out: write a note that says why the agenda changes "
                "(it is published with the item)."
            ),
            code="change_note",
        )
    return note


def _check_number(meeting: Meeting, number: str, *, exclude: int | None = None) -> str:
    number = number.strip()
    if not NUMBER_RE.fullmatch(number):
        raise CouncilError(
            _("An item's number is a number, or numbers with dots like 10.1."), code="number"
        )
    if meeting.agenda_items.live().filter(number=number).exclude(pk=exclude).exists():
        raise CouncilError(
            _("Item %(number)s is already on the agenda.") % {"number": number}, code="number"
        )
    return number


def next_item_number(meeting: Meeting) -> str:
    """The next whole number after the agenda's items (items "10.1" count as 10)."""
    numbers = meeting.agenda_items.live().values_list("number", flat=True)
    tops = [int(n.split(".", 1)[0]) for n in numbers if n.split(".", 1)[0].isdigit()]
    return str(max(tops, default=0) + 1)


@dataclass(frozen=True)
class ItemText:
    """What the secretary writes for an agenda item."""

    title_el: str
    title_en: str = ""
    number: str = ""
    rapporteur: Person | None = None
    public: bool = True
    report_el: str = ""
    report_en: str = ""


def add_item(
    *,
    meeting: Meeting,
    text: ItemText,
    change_note: str = "",
    actor: User,
    request: HttpRequest | None = None,
) -> AgendaItem:
    """Add an item at the end of the agenda (after the invitation: with a note)."""
    with transaction.atomic():
        meeting = _lock_agenda(meeting)
        note = _note_after_invitation(meeting, change_note)
        if not text.title_el.strip():
            raise CouncilError(_("Give the item's title."), code="title")
        number = _check_number(meeting, text.number or next_item_number(meeting))
        top = meeting.agenda_items.live().aggregate(top=Max("order"))["top"]
        item = AgendaItem.objects.create(
            meeting=meeting,
            order=0 if top is None else top + 1,
            number=number,
            title_el=text.title_el.strip(),
            title_en=text.title_en.strip(),
            rapporteur=text.rapporteur,
            public=text.public,
            report_el=text.report_el.strip(),
            report_en=text.report_en.strip(),
            change_note=note,
        )
        _audit(
            "item_added",
            actor=actor,
            target=meeting,
            request=request,
            item=item.pk,
            number=number,
            note=note[:500],
        )
    return item


def _lock_item(item: AgendaItem) -> tuple[Meeting, AgendaItem]:
    meeting = _lock_agenda(item.meeting)
    locked = AgendaItem.objects.select_for_update().get(pk=item.pk, meeting=meeting)
    if locked.deleted or locked.result == ItemResult.WITHDRAWN:
        raise CouncilError(_("This item was withdrawn."), code="withdrawn")
    return meeting, locked


def change_item(
    *,
    item: AgendaItem,
    text: ItemText,
    change_note: str = "",
    actor: User,
    request: HttpRequest | None = None,
) -> AgendaItem:
    """Correct an item's title, report, rapporteur or session; renumbering it once the
    invitation is out needs a note, like a move."""
    with transaction.atomic():
        meeting, item = _lock_item(item)
        if not text.title_el.strip():
            raise CouncilError(_("Give the item's title."), code="title")
        number = _check_number(meeting, text.number or item.number, exclude=item.pk)
        fields = ["title_el", "title_en", "rapporteur", "public", "report_el", "report_en"]
        if number != item.number:
            item.change_note = _note_after_invitation(meeting, change_note)
            item.number = number
            fields += ["number", "change_note"]
        item.title_el = text.title_el.strip()
        item.title_en = text.title_en.strip()
        item.rapporteur = text.rapporteur
        item.public = text.public
        item.report_el = text.report_el.strip()
        item.report_en = text.report_en.strip()
        item.save(update_fields=fields)
        _audit("item_changed", actor=actor, target=meeting, request=request, item=item.pk)
    return item


def move_item(
    *,
    item: AgendaItem,
    up: bool,
    change_note: str = "",
    actor: User,
    request: HttpRequest | None = None,
) -> AgendaItem:
    """Swap an item with the one before (``up``) or after it; numbers stay with the items
    (the secretary renumbers if the order should read differently)."""
    with transaction.atomic():
        meeting, item = _lock_item(item)
        note = _note_after_invitation(meeting, change_note)
        items = list(meeting.agenda_items.live().select_for_update().order_by("order", "pk"))
        at = next(i for i, other in enumerate(items) if other.pk == item.pk)
        to = at - 1 if up else at + 1
        if not 0 <= to < len(items):
            raise CouncilError(
                _("The item is already first.") if up else _("The item is already last."),
                code="edge",
            )
        items[at], items[to] = items[to], items[at]
        for order, row in enumerate(items):
            if row.order != order or row.pk == item.pk:
                row.order = order
                if row.pk == item.pk and note:
                    row.change_note = note
                row.save(update_fields=["order", "change_note"])
        _audit(
            "item_moved",
            actor=actor,
            target=meeting,
            request=request,
            item=item.pk,
            position=to + 1,
            note=note[:500],
        )
    item.refresh_from_db()
    return item


def withdraw_item(
    *,
    item: AgendaItem,
    change_note: str = "",
    actor: User,
    request: HttpRequest | None = None,
) -> AgendaItem:
    """Withdraw an item: before the invitation it simply goes; after, it stays on the agenda
    marked withdrawn, with the note that says why."""
    with transaction.atomic():
        meeting, item = _lock_item(item)
        note = _note_after_invitation(meeting, change_note)
        if meeting.state == MeetingState.PLANNED:
            item.soft_delete()
        else:
            item.result = ItemResult.WITHDRAWN
            item.change_note = note
            item.save(update_fields=["result", "change_note"])
        _audit(
            "item_withdrawn",
            actor=actor,
            target=meeting,
            request=request,
            item=item.pk,
            note=note[:500],
        )
    return item


# --- Papers and documents -----------------------------------------------------------------


@transaction.atomic
def attach_paper(
    *,
    item: AgendaItem,
    reference: str,
    name_el: str,
    name_en: str,
    paper_type: str,
    day: date,
    upload: documents.CheckedUpload | None,
    actor: User,
    request: HttpRequest | None = None,
) -> Paper:
    """Put a paper (a proposal, a report) to an agenda item: the paper, its main document if
    one is given, and the consultation that links it to the item."""
    meeting, item = _lock_item(item)
    reference = reference.strip()
    if not reference or not name_el.strip():
        raise CouncilError(_("Give the paper's reference and title."), code="paper")
    if Paper.objects.filter(reference=reference).exists():
        raise CouncilError(
            _("A paper with reference %(reference)s already exists.") % {"reference": reference},
            code="reference",
        )
    main = documents.store(upload, name_el=name_el, name_en=name_en, day=day) if upload else None
    paper = Paper.objects.create(
        reference=reference,
        name_el=name_el.strip(),
        name_en=name_en.strip(),
        paper_type=paper_type,
        date=day,
        main_file=main,
    )
    paper.originator_organizations.add(meeting.organization)
    Consultation.objects.create(paper=paper, agenda_item=item, authoritative=True)
    _audit(
        "paper_attached",
        actor=actor,
        target=meeting,
        request=request,
        item=item.pk,
        paper=paper.pk,
    )
    return paper


@transaction.atomic
def attach_document(
    *,
    meeting: Meeting,
    item: AgendaItem | None,
    name_el: str,
    name_en: str,
    upload: documents.CheckedUpload,
    actor: User,
    request: HttpRequest | None = None,
) -> Any:
    """Attach a document to the meeting (or to one of its items)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.state == MeetingState.CANCELLED:
        raise CouncilError(_("The meeting was cancelled."), code="state")
    if item is not None and item.meeting_id != meeting.pk:
        raise CouncilError(_("This item is not on this meeting's agenda."), code="item")
    stored = documents.store(
        upload, name_el=name_el, name_en=name_en, day=timezone.localdate(meeting.start)
    )
    if item is not None:
        item.auxiliary_files.add(stored)
    else:
        meeting.auxiliary_files.add(stored)
    meeting.save(update_fields=["modified"])
    _audit(
        "document_attached",
        actor=actor,
        target=meeting,
        request=request,
        file=stored.pk,
        item=item.pk if item else None,
        sha512=stored.sha512,
    )
    return stored


# --- During the meeting: roll call, votes ---------------------------------------------------


def _during(meeting: Meeting) -> None:
    if meeting.state not in (MeetingState.INVITED, MeetingState.HELD):
        raise CouncilError(
            _("Attendance and votes are recorded once the invitation is out."), code="state"
        )


@transaction.atomic
def record_attendance(
    *,
    meeting: Meeting,
    statuses: dict[int, str],
    actor: User,
    request: HttpRequest | None = None,
) -> int:
    """The roll call: present, absent or absent with leave, per member of the body."""
    meeting = Meeting.objects.select_for_update().select_related("organization").get(pk=meeting.pk)
    _during(meeting)
    members = {p.pk for p in meeting_members(meeting)}
    strangers = set(statuses) - members
    if strangers:
        raise CouncilError(
            _("Only the members of %(body)s are on its roll call.")
            % {"body": meeting.organization.name},
            code="member",
        )
    if any(status not in Attendance.Status.values for status in statuses.values()):
        raise CouncilError(_("Choose present or absent for each member."), code="status")
    for person_id, status in statuses.items():
        Attendance.objects.update_or_create(
            meeting=meeting, person_id=person_id, defaults={"status": status}
        )
    present = sum(1 for s in statuses.values() if s == Attendance.Status.PRESENT)
    _audit(
        "attendance_recorded",
        actor=actor,
        target=meeting,
        request=request,
        present=present,
        recorded=len(statuses),
    )
    return present


def absent_at_roll_call(meeting: Meeting) -> set[int]:
    return set(
        Attendance.objects.filter(meeting=meeting)
        .exclude(status=Attendance.Status.PRESENT)
        .values_list("person_id", flat=True)
    )


@transaction.atomic
def record_votes(
    *,
    item: AgendaItem,
    choices: dict[int, str],
    actor: User,
    request: HttpRequest | None = None,
) -> dict[str, int]:
    """How each member with a vote voted on one item. A member absent at the roll call is
    recorded absent; a member not chosen for is recorded absent too. Answers the totals."""
    meeting = (
        Meeting.objects.select_for_update().select_related("organization").get(pk=item.meeting_id)
    )
    _during(meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.deleted or item.result == ItemResult.WITHDRAWN:
        raise CouncilError(_("This item was withdrawn."), code="withdrawn")
    voters = {p.pk: p for p in meeting_members(meeting, voting=True)}
    if len(choices) > len(voters) or set(choices) - set(voters):
        raise CouncilError(
            _(
                "The votes add up to more than the %(count)s members of %(body)s with a vote: "
                "only they vote."
            )
            % {"count": len(voters), "body": meeting.organization.name},
            code="members",
        )
    if any(choice not in VoteChoice.values for choice in choices.values()):
        raise CouncilError(_("Choose a vote for each member."), code="choice")
    away = absent_at_roll_call(meeting)
    for person_id in away:
        if person_id in voters and choices.get(person_id, VoteChoice.ABSENT) != VoteChoice.ABSENT:
            raise CouncilError(
                _("%(name)s was absent at the roll call: record them present first.")
                % {"name": voters[person_id].name},
                code="absent",
            )
    totals = {choice: 0 for choice in VoteChoice.values}
    for person_id in voters:
        choice = choices.get(person_id) or VoteChoice.ABSENT
        Vote.objects.update_or_create(
            agenda_item=item, person_id=person_id, defaults={"choice": choice}
        )
        totals[choice] += 1
    item.save(update_fields=["modified"])
    _audit("votes_recorded", actor=actor, target=meeting, request=request, item=item.pk, **totals)
    return totals


# --- Decisions and their ADA ----------------------------------------------------------------


def next_decision_number(organization: Organization, year: int) -> int:
    top = (
        Decision.objects.live()
        .filter(organization=organization, year=year)
        .aggregate(top=Max("number"))["top"]
    )
    return (top or 0) + 1


def _check_ada(ada: str, *, exclude: int | None = None) -> str:
    ada = ada.strip().upper()
    if not ada:
        return ""
    try:
        validate_ada(ada)
    except Exception as exc:  # a ValidationError: its message is the one to show
        raise CouncilError(_validation_message(exc), code="ada") from exc
    if Decision.objects.filter(ada=ada).exclude(pk=exclude).exists():
        raise CouncilError(
            _("The ADA %(ada)s is already recorded on another decision.") % {"ada": ada},
            code="ada_taken",
        )
    return ada


def _validation_message(exc: Exception) -> Any:
    messages = getattr(exc, "messages", None)
    return messages[0] if messages else str(exc)


def record_decision(
    *,
    item: AgendaItem,
    number: int | None,
    text_el: str,
    text_en: str,
    result: str,
    ada: str,
    actor: User,
    request: HttpRequest | None = None,
) -> Decision:
    """The decision on an item: its number in the body's year (the next one when not given),
    text, result and, once posted on Diavgeia, its ADA. Recorded again, it is corrected."""
    try:
        with transaction.atomic():
            meeting = (
                Meeting.objects.select_for_update()
                .select_related("organization")
                .get(pk=item.meeting_id)
            )
            _during(meeting)
            item = AgendaItem.objects.select_for_update().get(pk=item.pk)
            if item.deleted or item.result == ItemResult.WITHDRAWN:
                raise CouncilError(_("This item was withdrawn."), code="withdrawn")
            if result not in ItemResult.values or result == ItemResult.WITHDRAWN:
                raise CouncilError(_("Choose the decision's result."), code="result")
            if not text_el.strip():
                raise CouncilError(_("Write the decision's text."), code="text")
            existing = Decision.objects.filter(agenda_item=item).first()
            organization = meeting.organization
            Organization.objects.select_for_update().get(pk=organization.pk)
            year = meeting.year
            if number is None:
                number = existing.number if existing else next_decision_number(organization, year)
            if number < 1:
                raise CouncilError(_("A decision's number starts at 1."), code="number")
            taken = (
                Decision.objects.live()
                .filter(organization=organization, year=year, number=number)
                .exclude(pk=existing.pk if existing else None)
                .exists()
            )
            if taken:
                raise CouncilError(
                    _(
                        "Decision %(number)s/%(year)s of %(body)s already exists; the next "
                        "free number is %(next)s."
                    )
                    % {
                        "number": number,
                        "year": year,
                        "body": organization.name,
                        "next": next_decision_number(organization, year),
                    },
                    code="decision_number",
                )
            ada = _check_ada(ada, exclude=existing.pk if existing else None)
            decision = existing or Decision(agenda_item=item, organization=organization)
            decision.year = year
            decision.number = number
            decision.text_el = text_el.strip()
            decision.text_en = text_en.strip()
            decision.result = result
            decision.ada = ada
            decision.deleted = False
            decision.save()
            item.result = result
            item.save(update_fields=["result"])
            _audit(
                "decision_recorded",
                actor=actor,
                target=meeting,
                request=request,
                item=item.pk,
                decision=decision.pk,
                number=f"{number}/{year}",
                ada=ada,
            )
    except IntegrityError as exc:
        raise CouncilError(
            _("Another decision was just given this number or ADA. Try again."), code="taken"
        ) from exc
    return decision


def set_ada(
    *, decision: Decision, ada: str, actor: User, request: HttpRequest | None = None
) -> Decision:
    """The ADA Diavgeia gave the decision once it was posted."""
    try:
        with transaction.atomic():
            decision = Decision.objects.select_for_update().get(pk=decision.pk)
            value = _check_ada(ada, exclude=decision.pk)
            if not value:
                raise CouncilError(_("Give the ADA Diavgeia gave the decision."), code="ada")
            decision.ada = value
            decision.save(update_fields=["ada"])
            _audit(
                "ada_set",
                actor=actor,
                target=decision.agenda_item.meeting,
                request=request,
                decision=decision.pk,
                ada=value,
            )
    except IntegrityError as exc:
        raise CouncilError(
            _("The ADA %(ada)s is already recorded on another decision.") % {"ada": ada},
            code="ada_taken",
        ) from exc
    return decision


# --- After the meeting: the recording, time-codes, minutes ----------------------------------


TIMECODE_RE = re.compile(r"^(?:(\d{1,2}):)?(\d{1,3}):(\d{2})$")


def parse_timecode(value: str) -> int:
    """Seconds from ``1:23:45``, ``83:45`` or ``5025``; a ValueError for anything else."""
    value = value.strip()
    if value.isdigit():
        return int(value)
    match = TIMECODE_RE.fullmatch(value)
    if match is None:
        raise ValueError(value)
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    if seconds > 59 or (match.group(1) is not None and minutes > 59):
        raise ValueError(value)
    return hours * 3600 + minutes * 60 + seconds


def format_timecode(seconds: int | None) -> str:
    """``1:23:45`` (or ``23:45`` under an hour); "" for none."""
    if seconds is None:
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _held(meeting: Meeting) -> None:
    if meeting.state != MeetingState.HELD:
        raise CouncilError(_("Mark the meeting held first."), code="state")


def set_meeting_recording(
    *,
    meeting: Meeting,
    url: str,
    seconds: int | None,
    actor: User,
    request: HttpRequest | None = None,
) -> Meeting:
    """The recording's address and length, once it is up."""
    with transaction.atomic():
        _held(Meeting.objects.select_for_update().get(pk=meeting.pk))
        if url and not seconds:
            raise CouncilError(
                _("Give the recording's length: the items' time-codes must fall within it."),
                code="length",
            )
        try:
            meeting = video.set_recording(meeting, url.strip(), seconds)
        except Refused as exc:
            raise CouncilError(exc.message, code=exc.code) from exc
        _event(meeting, "recording", actor=actor, note=url.strip())
        _audit(
            "recording_set",
            actor=actor,
            target=meeting,
            request=request,
            url=url.strip(),
            seconds=seconds,
        )
    return meeting


def _check_timecodes(
    meeting: Meeting, item: AgendaItem, start: int | None, end: int | None
) -> None:
    limit = meeting.recording_seconds
    if not meeting.recording_url or limit is None:
        raise CouncilError(_("Set the meeting's recording and its length first."), code="recording")
    for value in (start, end):
        if value is not None and value > limit:
            raise CouncilError(
                _("Item %(number)s: %(value)s is beyond the end of the video (%(length)s).")
                % {
                    "number": item.number,
                    "value": format_timecode(value),
                    "length": format_timecode(limit),
                },
                code="beyond",
            )
    if start is not None and end is not None and end <= start:
        raise CouncilError(
            _("Item %(number)s: the end must come after the start.") % {"number": item.number},
            code="order",
        )
    if start is None and end is not None:
        raise CouncilError(
            _("Item %(number)s: give the start too.") % {"number": item.number}, code="start"
        )


def set_timecodes(
    *,
    meeting: Meeting,
    times: dict[int, tuple[int | None, int | None]],
    actor: User,
    request: HttpRequest | None = None,
) -> int:
    """Where each item starts and ends in the recording (seconds); all or none are saved.
    Answers how many items changed."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _held(meeting)
        items = {
            i.pk: i
            for i in meeting.agenda_items.live().select_for_update().filter(pk__in=list(times))
        }
        if set(times) - set(items):
            raise CouncilError(_("This item is not on this meeting's agenda."), code="item")
        changed = 0
        for pk, (start, end) in times.items():
            item = items[pk]
            _check_timecodes(meeting, item, start, end)
            if (item.start_seconds, item.end_seconds) != (start, end):
                item.start_seconds, item.end_seconds = start, end
                item.save(update_fields=["start_seconds", "end_seconds"])
                changed += 1
        _audit(
            "timecodes_set",
            actor=actor,
            target=meeting,
            request=request,
            items={str(pk): list(pair) for pk, pair in times.items()},
        )
    return changed


@transaction.atomic
def publish_minutes(
    *,
    meeting: Meeting,
    upload: documents.CheckedUpload,
    actor: User,
    request: HttpRequest | None = None,
) -> Meeting:
    """Publish the approved minutes of a meeting held (again: a corrected copy replaces it)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _held(meeting)
    previous = meeting.minutes
    meeting.minutes = documents.store(
        upload,
        name_el=f"Πρακτικά της συνεδρίασης {meeting.number}/{meeting.year}",
        name_en=f"Minutes of meeting {meeting.number}/{meeting.year}",
        day=timezone.localdate(),
    )
    meeting.minutes_published_at = timezone.now()
    meeting.save(update_fields=["minutes", "minutes_published_at"])
    if previous is not None:
        previous.soft_delete()
    _event(meeting, "minutes", actor=actor)
    _audit(
        "minutes_published",
        actor=actor,
        target=meeting,
        request=request,
        file=meeting.minutes.pk,
        sha512=meeting.minutes.sha512,
    )
    return meeting


# --- Residents' questions -----------------------------------------------------------------


@transaction.atomic
def moderate_question(
    *,
    question: Question,
    approve: bool,
    reason: str = "",
    actor: User,
    request: HttpRequest | None = None,
) -> Question:
    """Publish a resident's question, or not (with a reason the asker is told)."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.status != Question.Status.PENDING:
        raise CouncilError(_("This question was already moderated."), code="moderated")
    reason = reason.strip()
    if not approve and not reason:
        raise CouncilError(_("Say why the question is not published."), code="reason")
    question.status = Question.Status.APPROVED if approve else Question.Status.REJECTED
    question.reason = "" if approve else reason
    question.moderated_at = timezone.now()
    question.moderated_by = _actor(actor)
    question.save(update_fields=["status", "reason", "moderated_at", "moderated_by"])
    item = AgendaItem.objects.select_related("meeting__organization").get(
        pk=question.agenda_item_id
    )
    _audit(
        "question_approved" if approve else "question_rejected",
        actor=actor,
        target=question,
        request=request,
        meeting=item.meeting_id,
        reason=question.reason[:500],
    )
    if question.user is not None and question.user.is_active:
        notify(
            kind="council.question",
            recipient=question.user,
            context={"question": question, "item": item, "meeting": item.meeting},
            url=public_url(item.meeting),
        )
    return question


# --- What a held meeting still lacks ------------------------------------------------------


@dataclass(frozen=True)
class Missing:
    """What the secretariat still owes a meeting held: the queue's and the list's column."""

    decisions: int = 0
    adas: int = 0
    timecodes: int = 0
    minutes: bool = False

    def __bool__(self) -> bool:
        return bool(self.decisions or self.adas or self.timecodes or self.minutes)


def missing_of(meeting: Meeting) -> Missing:
    """Counted from the prefetched ``agenda_items`` (with their ``decision``) when there."""
    if meeting.state != MeetingState.HELD:
        return Missing()
    items = [i for i in meeting.agenda_items.all() if not i.deleted]
    no_decision = (ItemResult.WITHDRAWN, ItemResult.NOTED, ItemResult.POSTPONED)
    decisions = 0
    adas = 0
    for item in items:
        decision = getattr(item, "decision", None)
        if decision is None or decision.deleted:
            if item.result not in no_decision:
                decisions += 1
        elif not decision.ada:
            adas += 1
    timecodes = sum(
        1 for i in items if i.result != ItemResult.WITHDRAWN and i.start_seconds is None
    )
    return Missing(
        decisions=decisions, adas=adas, timecodes=timecodes, minutes=meeting.minutes_id is None
    )
