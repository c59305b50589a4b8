"""The council secretariat's pages, at /staff/council/: the meetings, one meeting's workspace
(details, agenda, roll call, recording, minutes, the workflow's actions), one item's page
(votes, decision and ADA, papers, documents), time-codes while watching, and the residents'
questions to moderate."""

from __future__ import annotations

from typing import Any, cast

from csp.decorators import csp_update
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from dimos.core.permissions import staff_required
from dimos.core.workflow import Action, StaffActionView, calls
from dimos.council import services, video
from dimos.council.forms import (
    AdaForm,
    AttendanceForm,
    ChangeNoteForm,
    DecisionForm,
    DocumentForm,
    FilterForm,
    ItemForm,
    MeetingForm,
    MinutesForm,
    ModerationForm,
    MoveForm,
    PaperForm,
    PrepareForm,
    ReasonForm,
    RecordingForm,
    TimecodesForm,
    VotesForm,
)
from dimos.council.models import (
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    Question,
    Vote,
    VoteChoice,
)

VIEW = "council.view_meeting"
CHANGE = "council.change_meeting"
MODERATE = "council.change_question"


# --- The list -------------------------------------------------------------------------------


@staff_required(perm=VIEW)
def home(request: HttpRequest) -> HttpResponse:
    """The meetings, newest first, filtered by body, state and year, with what each held
    meeting still lacks (decisions, ADAs, time-codes, minutes)."""
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    meetings = (
        Meeting.objects.live()
        .select_related("organization")
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.live().select_related("decision"),
            )
        )
        .order_by("-start", "-pk")
    )
    if data.get("body"):
        meetings = meetings.filter(organization=data["body"])
    if data.get("state"):
        meetings = meetings.filter(state=data["state"])
    if data.get("year"):
        meetings = meetings.filter(year=data["year"])
    page = Paginator(meetings, 30).get_page(request.GET.get("page"))
    rows = [(meeting, services.missing_of(meeting)) for meeting in page]
    return render(
        request,
        "council/staff/home.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": request.GET.copy(),
            "pending_questions": Question.objects.filter(status=Question.Status.PENDING).count(),
        },
    )


@staff_required(perm=CHANGE)
def prepare(request: HttpRequest) -> HttpResponse:
    """Prepare a new meeting from the body's last one or blank."""
    form = PrepareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.prepare_meeting(
                plan=form.plan(),
                actor=request.user,  # type: ignore[arg-type]
                request=request,
            )
        except services.CouncilError as exc:
            fields = {"overlap": "start_time", "times": "end_time", "body": "organization"}
            form.add_error(fields.get(exc.code), str(exc.message))
        else:
            messages.success(
                request,
                str(
                    _("Meeting %(number)s/%(year)s prepared.")
                    % {"number": meeting.number, "year": meeting.year}
                ),
            )
            return redirect("council_staff:meeting", pk=meeting.pk)
    status = 400 if form.errors else 200
    return render(request, "council/staff/prepare.html", {"form": form}, status=status)


# --- One meeting ----------------------------------------------------------------------------


def _meeting(pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.live().select_related("organization", "location", "minutes"), pk=pk
    )


def _agenda(meeting: Meeting) -> list[AgendaItem]:
    return list(
        meeting.agenda_items.live()
        .select_related("rapporteur", "decision")
        .prefetch_related("auxiliary_files")
        .order_by("order", "pk")
    )


def _attendance_form(meeting: Meeting, data: Any = None) -> AttendanceForm:
    current = dict(Attendance.objects.filter(meeting=meeting).values_list("person_id", "status"))
    return AttendanceForm(
        data, members=services.meeting_members(meeting), initial_status=current, prefix="roll"
    )


def _bits(item: AgendaItem) -> list[str]:
    """What the agenda on the workspace says under an item: result, decision, ADA, video."""
    bits = [str(item.get_result_display())] if item.result else []
    decision = getattr(item, "decision", None)
    if decision is not None and not decision.deleted:
        bits.append(str(_("decision %(ref)s") % {"ref": decision.reference}))
        bits.append(f"{_('ADA')} {decision.ada}" if decision.ada else str(_("no ADA yet")))
    if item.start_seconds is not None:
        bits.append(f"{_('in the video from')} {services.format_timecode(item.start_seconds)}")
    if item.change_note:
        bits.append(f"{_('Note on the change')}: {item.change_note}")
    return bits


def _workspace(
    meeting: Meeting, *, failed_note: tuple[int, Any] | None = None, **forms: Any
) -> dict[str, Any]:
    items = _agenda(meeting)
    for item in items:
        item.staff_bits = _bits(item)  # type: ignore[attr-defined]
    recorded = Attendance.objects.filter(meeting=meeting)
    notes = {i.pk: ChangeNoteForm(prefix=f"note{i.pk}") for i in items}
    if failed_note is not None:
        notes[failed_note[0]] = failed_note[1]
    context: dict[str, Any] = {
        "meeting": meeting,
        "items": items,
        "note_forms": list(notes.items()),
        "missing": services.missing_of(meeting),
        "events": [
            (e, services.EVENT_LABELS.get(e.action, e.action))
            for e in meeting.events.select_related("actor")
        ],
        "documents": meeting.auxiliary_files.live(),
        "public_url": services.public_url(meeting),
        "present": recorded.filter(status=Attendance.Status.PRESENT).count(),
        "roll_called": recorded.exists(),
        "workflow": services.WORKFLOW,
        "details_form": MeetingForm(instance=meeting, prefix="details"),
        "move_form": MoveForm(
            prefix="move",
            initial={
                "day": meeting.start.astimezone().date(),
                "start_time": meeting.start.astimezone().time(),
                "end_time": meeting.end.astimezone().time(),
            },
        ),
        "cancel_form": ReasonForm(prefix="cancel"),
        "item_form": ItemForm(prefix="item"),
        "attendance_form": _attendance_form(meeting),
        "recording_form": RecordingForm(
            prefix="recording",
            initial={
                "url": meeting.recording_url,
                "length": services.format_timecode(meeting.recording_seconds),
            },
        ),
        "minutes_form": MinutesForm(prefix="minutes"),
        "document_form": DocumentForm(prefix="document"),
    }
    context.update(forms)
    return context


@staff_required(perm=VIEW)
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "council/staff/meeting.html", _workspace(_meeting(pk)))


def _remember(name: str, factory: Any) -> Any:
    """An action's form factory that keeps the bound form on the request, so a refusal from
    the service is shown on the form it came from."""

    def make(request: HttpRequest, case: Any) -> Any:
        form = factory(request, case)
        request.council_form = (name, form)  # type: ignore[attr-defined]
        return form

    return make


class _CouncilAction(StaffActionView):
    """Shows the page again with the form's errors (and the service's refusal on the form)."""

    error = services.CouncilError

    def page(self, request: HttpRequest, case: Any, forms: dict[str, Any]) -> HttpResponse:
        raise NotImplementedError

    def form_invalid(self, request: HttpRequest, case: Any, action: str, form: Any) -> HttpResponse:
        name, _form = getattr(request, "council_form", (f"{action}_form", form))
        return self.page(request, case, {name: form})

    def refused(self, request: HttpRequest, case: Any, exc: Exception) -> HttpResponse:
        bound = getattr(request, "council_form", None)
        message = str(getattr(exc, "message", exc))
        if bound is None:
            messages.error(request, message)
            return self.done(request, case)
        name, form = bound
        field = getattr(exc, "field", "")
        form.add_error(field if field in form.fields else None, message)
        return self.page(request, case, {name: form})


class MeetingAction(_CouncilAction):
    """POST /staff/council/<pk>/<action>/: the workspace's actions."""

    actions = {
        "details": Action(
            form=_remember(
                "details_form",
                lambda r, m: MeetingForm(r.POST, instance=m, prefix="details"),
            ),
            run=calls(
                services.change_meeting,
                "meeting",
                kind="kind",
                mode="mode",
                location="location",
                title_el="title_el",
                title_en="title_en",
                invitation_text="invitation_text",
                stream_url="stream_url",
            ),
        ),
        "move": Action(
            form=_remember("move_form", lambda r, m: MoveForm(r.POST, prefix="move")),
            run=calls(services.move_meeting, "meeting", start="start", end="end", reason="reason"),
            success=_("The meeting was moved."),
        ),
        "invite": Action(
            run=calls(services.publish_invitation, "meeting"),
            success=_("The invitation and agenda are published."),
        ),
        "hold": Action(
            run=calls(services.mark_held, "meeting"), success=_("The meeting is marked held.")
        ),
        "cancel": Action(
            form=_remember("cancel_form", lambda r, m: ReasonForm(r.POST, prefix="cancel")),
            run=calls(services.cancel_meeting, "meeting", reason="reason"),
            success=_("The meeting was cancelled."),
        ),
        "add-item": Action(
            form=_remember("item_form", lambda r, m: ItemForm(r.POST, prefix="item")),
            run=calls(
                services.add_item,
                "meeting",
                text=lambda r, f: f.text(),
                change_note="change_note",
            ),
            success=_("The item was added to the agenda."),
        ),
        "attendance": Action(
            form=_remember("attendance_form", lambda r, m: _attendance_form(m, r.POST)),
            run=calls(services.record_attendance, "meeting", statuses=lambda r, f: f.statuses()),
            success=_("The roll call is recorded."),
        ),
        "recording": Action(
            form=_remember(
                "recording_form", lambda r, m: RecordingForm(r.POST, prefix="recording")
            ),
            run=calls(services.set_meeting_recording, "meeting", url="url", seconds="length"),
            success=_("The recording is set."),
        ),
        "minutes": Action(
            form=_remember(
                "minutes_form", lambda r, m: MinutesForm(r.POST, r.FILES, prefix="minutes")
            ),
            run=calls(services.publish_minutes, "meeting", upload="document"),
            success=_("The minutes are published."),
        ),
        "document": Action(
            form=_remember(
                "document_form", lambda r, m: DocumentForm(r.POST, r.FILES, prefix="document")
            ),
            run=calls(
                services.attach_document,
                "meeting",
                item=lambda r, f: None,
                name_el="name_el",
                name_en="name_en",
                upload="document",
            ),
            success=_("The document is attached."),
        ),
        "save-timecodes": Action(
            form=_remember(
                "timecodes_form",
                lambda r, m: TimecodesForm(r.POST, items=_timed_items(m), prefix="tc"),
            ),
            run=calls(services.set_timecodes, "meeting", times=lambda r, f: f.times()),
            success=_("The time-codes are saved."),
        ),
    }

    def get_case(self, request: HttpRequest, **kwargs: Any) -> Meeting:
        return _meeting(kwargs["pk"])

    def done(self, request: HttpRequest, case: Meeting) -> HttpResponse:
        return redirect("council_staff:meeting", pk=case.pk)

    def page(self, request: HttpRequest, case: Meeting, forms: dict[str, Any]) -> HttpResponse:
        if "timecodes_form" in forms:
            return _timecodes_page(request, case, forms["timecodes_form"], status=400)
        return render(request, "council/staff/meeting.html", _workspace(case, **forms), status=400)


meeting_act = require_POST(staff_required(perm=CHANGE)(MeetingAction.as_view()))


# --- One agenda item --------------------------------------------------------------------------


def _item(pk: int, item_pk: int) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.live().select_related("meeting__organization", "rapporteur", "decision"),
        pk=item_pk,
        meeting_id=pk,
        meeting__deleted=False,
    )


def _votes_form(item: AgendaItem, data: Any = None) -> VotesForm:
    meeting = item.meeting
    current = dict(Vote.objects.filter(agenda_item=item).values_list("person_id", "choice"))
    return VotesForm(
        data,
        voters=services.meeting_members(meeting, voting=True),
        away=services.absent_at_roll_call(meeting),
        current=current,
        prefix="votes",
    )


def _decision_initial(item: AgendaItem) -> dict[str, Any]:
    decision: Decision | None = getattr(item, "decision", None)
    if decision is not None:
        return {
            "number": decision.number,
            "result": decision.result,
            "text_el": decision.text_el,
            "text_en": decision.text_en,
            "ada": decision.ada,
        }
    meeting = item.meeting
    return {
        "number": services.next_decision_number(meeting.organization, meeting.year),
        "result": item.result or "",
    }


def _item_context(item: AgendaItem, **forms: Any) -> dict[str, Any]:
    votes = list(Vote.objects.filter(agenda_item=item).values_list("choice", flat=True))
    decision = getattr(item, "decision", None)
    context: dict[str, Any] = {
        "meeting": item.meeting,
        "item": item,
        "decision": decision,
        "tally": {choice: votes.count(choice) for choice in VoteChoice.values},
        "papers": [c.paper for c in item.consultations.live().select_related("paper__main_file")],
        "documents": item.auxiliary_files.live(),
        "edit_form": ItemForm(instance=item, prefix="edit"),
        "votes_form": _votes_form(item),
        "decision_form": DecisionForm(prefix="decision", initial=_decision_initial(item)),
        "ada_form": AdaForm(prefix="ada"),
        "paper_form": PaperForm(prefix="paper"),
        "document_form": DocumentForm(prefix="document"),
        "withdrawn": item.result == "withdrawn",
    }
    context.update(forms)
    return context


@staff_required(perm=VIEW)
def item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    return render(request, "council/staff/item.html", _item_context(_item(pk, item_pk)))


class ItemAction(_CouncilAction):
    """POST /staff/council/<pk>/items/<item_pk>/<action>/."""

    actions = {
        "edit": Action(
            form=_remember(
                "edit_form",
                lambda r, i: ItemForm(r.POST, instance=i, prefix="edit"),
            ),
            run=calls(
                services.change_item, "item", text=lambda r, f: f.text(), change_note="change_note"
            ),
        ),
        "up": Action(
            form=_remember("note_form", lambda r, i: ChangeNoteForm(r.POST, prefix=f"note{i.pk}")),
            run=calls(services.move_item, "item", up=lambda r, f: True, change_note="change_note"),
            success=_("The item was moved."),
        ),
        "down": Action(
            form=_remember("note_form", lambda r, i: ChangeNoteForm(r.POST, prefix=f"note{i.pk}")),
            run=calls(services.move_item, "item", up=lambda r, f: False, change_note="change_note"),
            success=_("The item was moved."),
        ),
        "withdraw": Action(
            form=_remember("note_form", lambda r, i: ChangeNoteForm(r.POST, prefix=f"note{i.pk}")),
            run=calls(services.withdraw_item, "item", change_note="change_note"),
            success=_("The item was withdrawn."),
        ),
        "votes": Action(
            form=_remember("votes_form", lambda r, i: _votes_form(i, r.POST)),
            run=calls(services.record_votes, "item", choices=lambda r, f: f.choices()),
            success=_("The votes are recorded."),
        ),
        "decision": Action(
            form=_remember("decision_form", lambda r, i: DecisionForm(r.POST, prefix="decision")),
            run=calls(
                services.record_decision,
                "item",
                number="number",
                text_el="text_el",
                text_en="text_en",
                result="result",
                ada="ada",
            ),
            success=_("The decision is recorded."),
        ),
        "ada": Action(
            form=_remember("ada_form", lambda r, i: AdaForm(r.POST, prefix="ada")),
            run=lambda r, i, f: _set_ada(r, i, f),
            success=_("The ADA is recorded."),
        ),
        "paper": Action(
            form=_remember("paper_form", lambda r, i: PaperForm(r.POST, r.FILES, prefix="paper")),
            run=calls(
                services.attach_paper,
                "item",
                reference="reference",
                name_el="name_el",
                name_en="name_en",
                paper_type="paper_type",
                day="date",
                upload="document",
            ),
            success=_("The paper is attached."),
        ),
        "document": Action(
            form=_remember(
                "document_form", lambda r, i: DocumentForm(r.POST, r.FILES, prefix="document")
            ),
            run=lambda r, i, f: _attach_to_item(r, i, f),
            success=_("The document is attached."),
        ),
    }

    def get_case(self, request: HttpRequest, **kwargs: Any) -> AgendaItem:
        return _item(kwargs["pk"], kwargs["item_pk"])

    def done(self, request: HttpRequest, case: AgendaItem) -> HttpResponse:
        if request.POST.get("back") == "meeting":
            return redirect("council_staff:meeting", pk=case.meeting_id)
        return redirect("council_staff:item", pk=case.meeting_id, item_pk=case.pk)

    def page(self, request: HttpRequest, case: AgendaItem, forms: dict[str, Any]) -> HttpResponse:
        if request.POST.get("back") == "meeting":
            failed = (case.pk, forms["note_form"]) if "note_form" in forms else None
            return render(
                request,
                "council/staff/meeting.html",
                _workspace(case.meeting, failed_note=failed),
                status=400,
            )
        return render(request, "council/staff/item.html", _item_context(case, **forms), status=400)


def _set_ada(request: HttpRequest, item: AgendaItem, form: Any) -> None:
    decision = getattr(item, "decision", None)
    if decision is None:
        raise services.CouncilError(_("Record the decision first."), code="decision")
    services.set_ada(
        decision=decision,
        ada=form.cleaned_data["ada"],
        actor=request.user,  # type: ignore[arg-type]
        request=request,
    )


def _attach_to_item(request: HttpRequest, item: AgendaItem, form: Any) -> None:
    services.attach_document(
        meeting=item.meeting,
        item=item,
        name_el=form.cleaned_data["name_el"],
        name_en=form.cleaned_data["name_en"],
        upload=form.cleaned_data["document"],
        actor=request.user,  # type: ignore[arg-type]
        request=request,
    )


item_act = require_POST(staff_required(perm=CHANGE)(ItemAction.as_view()))


# --- Time-codes while watching --------------------------------------------------------------


def _timed_items(meeting: Meeting) -> list[AgendaItem]:
    return [i for i in _agenda(meeting) if i.result != "withdrawn"]


def _timecodes_page(
    request: HttpRequest, meeting: Meeting, form: TimecodesForm | None = None, status: int = 200
) -> HttpResponse:
    items = _timed_items(meeting)
    form = form or TimecodesForm(items=items, prefix="tc")
    player = video.video_of(meeting.recording_url)
    rows = [(i, form[f"start_{i.pk}"], form[f"end_{i.pk}"]) for i in items]
    response = render(
        request,
        "council/staff/timecodes.html",
        {
            "meeting": meeting,
            "form": form,
            "rows": rows,
            "player": player,
            "length": services.format_timecode(meeting.recording_seconds),
        },
        status=status,
    )
    # Only this page embeds the player: its origins join the CSP's frame-src here alone.
    embedding = csp_update({"frame-src": video.frame_origins()})(lambda _request: response)
    return cast(HttpResponse, embedding(request))


@staff_required(perm=VIEW)
def timecodes(request: HttpRequest, pk: int) -> HttpResponse:
    """The recording with a button per item to mark where it starts and ends (or type it)."""
    return _timecodes_page(request, _meeting(pk))


# --- Residents' questions ---------------------------------------------------------------------


@staff_required(perm=MODERATE)
def questions(request: HttpRequest) -> HttpResponse:
    """The questions waiting for moderation, oldest first."""
    pending = (
        Question.objects.filter(status=Question.Status.PENDING)
        .select_related("agenda_item__meeting__organization")
        .order_by("created_at", "pk")
    )
    page = Paginator(pending, 30).get_page(request.GET.get("page"))
    failed = getattr(request, "council_failed", None)
    forms = {q.pk: ModerationForm(prefix=f"q{q.pk}") for q in page}
    if failed is not None:
        forms[failed[0]] = failed[1]
    return render(
        request,
        "council/staff/questions.html",
        {"page": page, "rows": [(q, forms[q.pk]) for q in page], "query": request.GET.copy()},
        status=400 if failed is not None else 200,
    )


class QuestionAction(_CouncilAction):
    actions = {
        "moderate": Action(
            form=_remember("form", lambda r, q: ModerationForm(r.POST, prefix=f"q{q.pk}")),
            run=calls(
                services.moderate_question,
                "question",
                approve=lambda r, f: f.cleaned_data["decision"] == "approve",
                reason="reason",
            ),
            success=_("The question is moderated."),
        ),
    }

    def get_case(self, request: HttpRequest, **kwargs: Any) -> Question:
        return get_object_or_404(Question, pk=kwargs["pk"])

    def done(self, request: HttpRequest, case: Question) -> HttpResponse:
        return redirect("council_staff:questions")

    def page(self, request: HttpRequest, case: Question, forms: dict[str, Any]) -> HttpResponse:
        if case.status != Question.Status.PENDING:
            messages.error(request, str(_("This question was already moderated.")))
            return self.done(request, case)
        request.council_failed = (case.pk, forms["form"])  # type: ignore[attr-defined]
        request.method = "GET"
        return questions(request)


question_act = require_POST(staff_required(perm=MODERATE)(QuestionAction.as_view()))
