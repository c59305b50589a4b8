"""The agenda: items added, changed, moved and withdrawn (after the invitation only with a
note), and the papers and documents attached."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.council import documents
from dimos.council.models import (
    AgendaItem,
    Consultation,
    ItemResult,
    Meeting,
    MeetingState,
    Paper,
    Person,
)
from dimos.council.services.common import (
    CouncilError,
    _audit,
    _not_closed,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from dimos.accounts.models import User


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
            raise CouncilError(_("Give the item's title."), code="title", field="title_el")
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
            raise CouncilError(_("Give the item's title."), code="title", field="title_el")
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
