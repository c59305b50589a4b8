"""During and after the meeting: the roll call, the votes, the decisions and their ADA, the
recording and its time-codes, the minutes, and what a meeting held still lacks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core.workflow import Refused
from dimos.council import documents, video
from dimos.council.models import (
    AgendaItem,
    Attendance,
    Decision,
    ItemResult,
    Meeting,
    MeetingState,
    Organization,
    Vote,
    VoteChoice,
    validate_ada,
)
from dimos.council.services.common import (
    CouncilError,
    _audit,
    _event,
    meeting_members,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from dimos.accounts.models import User


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
            field="ada",
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
                raise CouncilError(_("Write the decision's text."), code="text", field="text_el")
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
                    field="number",
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
    for name, value in (("start", start), ("end", end)):
        if value is not None and value > limit:
            raise CouncilError(
                _("Item %(number)s: %(value)s is beyond the end of the video (%(length)s).")
                % {
                    "number": item.number,
                    "value": format_timecode(value),
                    "length": format_timecode(limit),
                },
                code="beyond",
                field=f"{name}_{item.pk}",
            )
    if start is not None and end is not None and end <= start:
        raise CouncilError(
            _("Item %(number)s: the end must come after the start.") % {"number": item.number},
            code="order",
            field=f"end_{item.pk}",
        )
    if start is None and end is not None:
        raise CouncilError(
            _("Item %(number)s: give the start too.") % {"number": item.number},
            code="start",
            field=f"start_{item.pk}",
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
