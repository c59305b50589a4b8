"""The secretariat's services: preparing, the agenda, the invitation, roll call and votes,
decisions and ADAs, the recording and time-codes, documents, moderation — and each refusal
of the issue's "bad input" list."""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from dimos.core.models import AuditEntry, Notification
from dimos.council import documents, panels, services, signals
from dimos.council.models import (
    AgendaItem,
    Attendance,
    CouncilFile,
    Decision,
    ItemResult,
    Meeting,
    MeetingState,
    Person,
    Question,
    Vote,
    VoteChoice,
)
from dimos.council.tests.secretariat import (
    aware,
    chamber,
    council,
    held,
    meeting_with_agenda,
    pdf_bytes,
    plan,
    secretary,
    upload,
)

pytestmark = pytest.mark.django_db

NEXT_WEEK = date.today() + timedelta(days=7)


@pytest.fixture(autouse=True)
def _english(settings: Any, tmp_path: Any) -> Any:
    from django.utils import translation

    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("en"):
        yield


@pytest.fixture
def body(municipality: Any) -> Any:
    return council()


@pytest.fixture
def actor(db: Any) -> Any:
    return secretary()


def _audited(action: str) -> int:
    return AuditEntry.objects.filter(action=f"council.{action}").count()


# --- Preparing -------------------------------------------------------------------------------


def test_meetings_are_numbered_per_body_and_year(body: Any, actor: Any) -> None:
    first = services.prepare_meeting(plan=plan(body, date(2026, 3, 2)), actor=actor)
    second = services.prepare_meeting(plan=plan(body, date(2026, 3, 9)), actor=actor)
    next_year = services.prepare_meeting(plan=plan(body, date(2027, 1, 11)), actor=actor)
    assert (first.number, second.number, next_year.number) == (1, 2, 1)
    assert _audited("meeting_created") == 3
    assert first.events.get().action == "prepare"


def test_a_meeting_prepared_from_the_last_keeps_its_place_times_and_standing_items(
    body: Any, actor: Any
) -> None:
    place = chamber()
    last = services.prepare_meeting(
        plan=plan(
            body, date(2026, 3, 2), start_time=time(19, 0), end_time=time(22, 30), location=place
        ),
        actor=actor,
    )
    for title, result in (
        ("Ανακοινώσεις", ItemResult.NOTED),
        ("Προϋπολογισμός", ItemResult.ADOPTED),
        ("Αδελφοποίηση", ItemResult.POSTPONED),
    ):
        item = services.add_item(meeting=last, text=services.ItemText(title_el=title), actor=actor)
        AgendaItem.objects.filter(pk=item.pk).update(result=result)
    new = services.prepare_meeting(
        plan=services.MeetingPlan(organization=body, day=date(2026, 3, 16)), actor=actor
    )
    assert new.location == place
    assert timezone.localtime(new.start).time() == time(19, 0)
    assert timezone.localtime(new.end).time() == time(22, 30)
    carried = list(new.agenda_items.values_list("number", "title_el"))
    assert carried == [("1", "Ανακοινώσεις"), ("2", "Αδελφοποίηση")]


def test_a_blank_meeting_carries_nothing_over(body: Any, actor: Any) -> None:
    meeting_with_agenda(body, actor, day=date(2026, 3, 2))
    new = services.prepare_meeting(plan=plan(body, date(2026, 3, 16), from_last=False), actor=actor)
    assert not new.agenda_items.exists()
    assert new.location is None


def test_overlapping_meetings_of_one_body_are_refused(body: Any, actor: Any) -> None:
    services.prepare_meeting(plan=plan(body, date(2026, 3, 2)), actor=actor)
    with pytest.raises(services.CouncilError) as refused:
        services.prepare_meeting(
            plan=plan(body, date(2026, 3, 2), start_time=time(20, 0), end_time=time(23, 0)),
            actor=actor,
        )
    assert refused.value.code == "overlap"
    assert "already meets at that time: meeting 1/2026" in str(refused.value.message)
    assert Meeting.objects.count() == 1


def test_a_cancelled_meeting_leaves_its_time_free(body: Any, actor: Any) -> None:
    first = services.prepare_meeting(plan=plan(body, date(2026, 3, 2)), actor=actor)
    services.cancel_meeting(meeting=first, reason="Έλλειψη απαρτίας", actor=actor)
    again = services.prepare_meeting(plan=plan(body, date(2026, 3, 2)), actor=actor)
    assert again.number == 2


def test_a_meeting_that_ends_before_it_starts_is_refused(body: Any, actor: Any) -> None:
    with pytest.raises(services.CouncilError):
        services.prepare_meeting(
            plan=plan(body, date(2026, 3, 2), start_time=time(20, 0), end_time=time(19, 0)),
            actor=actor,
        )
    assert not Meeting.objects.exists()


# --- The agenda ---------------------------------------------------------------------------


def test_items_are_numbered_in_order_and_sub_items_take_dotted_numbers(
    body: Any, actor: Any
) -> None:
    meeting = meeting_with_agenda(body, actor, items=2)
    sub = services.add_item(
        meeting=meeting, text=services.ItemText(title_el="Υποθέμα", number="2.1"), actor=actor
    )
    after = services.add_item(
        meeting=meeting, text=services.ItemText(title_el="Τρίτο"), actor=actor
    )
    assert (sub.number, after.number) == ("2.1", "3")
    with pytest.raises(services.CouncilError):
        services.add_item(
            meeting=meeting, text=services.ItemText(title_el="Ξανά", number="2.1"), actor=actor
        )
    with pytest.raises(services.CouncilError):
        services.add_item(
            meeting=meeting, text=services.ItemText(title_el="Κακό", number="2a"), actor=actor
        )


def test_after_the_invitation_an_item_moved_without_a_note_is_refused(
    body: Any, actor: Any
) -> None:
    meeting = meeting_with_agenda(body, actor, items=2)
    services.publish_invitation(meeting=meeting, actor=actor)
    second = meeting.agenda_items.get(number="2")
    with pytest.raises(services.CouncilError) as refused:
        services.move_item(item=second, up=True, actor=actor)
    assert refused.value.code == "change_note"
    assert list(meeting.agenda_items.order_by("order").values_list("number", flat=True)) == [
        "1",
        "2",
    ]
    services.move_item(item=second, up=True, change_note="Επείγει", actor=actor)
    assert list(meeting.agenda_items.order_by("order").values_list("number", flat=True)) == [
        "2",
        "1",
    ]
    assert meeting.agenda_items.get(number="2").change_note == "Επείγει"
    assert _audited("item_moved") == 1


def test_after_the_invitation_adding_or_withdrawing_needs_a_note(body: Any, actor: Any) -> None:
    meeting = meeting_with_agenda(body, actor, items=1)
    services.publish_invitation(meeting=meeting, actor=actor)
    with pytest.raises(services.CouncilError):
        services.add_item(meeting=meeting, text=services.ItemText(title_el="Νέο"), actor=actor)
    item = meeting.agenda_items.get()
    with pytest.raises(services.CouncilError):
        services.withdraw_item(item=item, actor=actor)
    services.withdraw_item(item=item, change_note="Δεν ωρίμασε", actor=actor)
    item.refresh_from_db()
    assert (item.result, item.deleted) == (ItemResult.WITHDRAWN, False)


def test_before_the_invitation_a_withdrawn_item_simply_goes(body: Any, actor: Any) -> None:
    meeting = meeting_with_agenda(body, actor, items=1)
    services.withdraw_item(item=meeting.agenda_items.get(), actor=actor)
    assert not meeting.agenda_items.live().exists()


# --- The invitation -------------------------------------------------------------------------


def test_the_invitation_tells_members_with_an_account_and_followers_on_commit(
    body: Any, actor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    sent: list[tuple[int, bool]] = []

    def receiver(sender: Any, meeting: Meeting, changed: bool, **kwargs: Any) -> None:
        sent.append((meeting.pk, changed))

    signals.agenda_published.connect(receiver)
    try:
        meeting = meeting_with_agenda(body, actor)
        with django_capture_on_commit_callbacks(execute=True):
            services.publish_invitation(meeting=meeting, actor=actor)
        meeting.refresh_from_db()
        assert meeting.state == MeetingState.INVITED
        assert meeting.invited_at is not None
        invitations = Notification.objects.filter(kind="council.invitation")
        assert invitations.count() == 2  # two of the five members have an account
        assert "Invitation to meeting 1/" in invitations.first().subject  # type: ignore[union-attr]
        assert sent == [(meeting.pk, False)]
        services.add_item(
            meeting=meeting,
            text=services.ItemText(title_el="Έκτακτο"),
            change_note="Κατεπείγον",
            actor=actor,
        )
        with django_capture_on_commit_callbacks(execute=True):
            services.publish_invitation(meeting=meeting, actor=actor)
        assert sent[-1] == (meeting.pk, True)
        assert _audited("agenda_republished") == 1
    finally:
        signals.agenda_published.disconnect(receiver)


def test_an_invitation_without_an_agenda_is_refused(body: Any, actor: Any) -> None:
    meeting = services.prepare_meeting(plan=plan(body, NEXT_WEEK, from_last=False), actor=actor)
    with pytest.raises(services.CouncilError):
        services.publish_invitation(meeting=meeting, actor=actor)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PLANNED
    assert not Notification.objects.exists()


def test_cancelling_needs_a_reason_and_tells_the_members(body: Any, actor: Any) -> None:
    meeting = meeting_with_agenda(body, actor)
    services.publish_invitation(meeting=meeting, actor=actor)
    with pytest.raises(services.CouncilError):
        services.cancel_meeting(meeting=meeting, reason="  ", actor=actor)
    services.cancel_meeting(meeting=meeting, reason="Απεργία", actor=actor)
    meeting.refresh_from_db()
    assert (meeting.state, meeting.cancel_reason) == (MeetingState.CANCELLED, "Απεργία")
    assert Notification.objects.filter(subject__contains="is cancelled").count() == 2
    assert _audited("meeting_cancelled") == 1


def test_moving_an_invited_meeting_needs_a_reason_and_is_kept(body: Any, actor: Any) -> None:
    meeting = meeting_with_agenda(body, actor)
    services.publish_invitation(meeting=meeting, actor=actor)
    later = NEXT_WEEK + timedelta(days=2)
    with pytest.raises(services.CouncilError):
        services.move_meeting(
            meeting=meeting, start=aware(later, 18), end=aware(later, 21), reason="", actor=actor
        )
    services.move_meeting(
        meeting=meeting,
        start=aware(later, 18),
        end=aware(later, 21),
        reason="Σύμπτωση με εορτή",
        actor=actor,
    )
    meeting.refresh_from_db()
    assert timezone.localdate(meeting.start) == later
    event = meeting.events.get(action="move")
    assert "Σύμπτωση με εορτή" in event.note
    assert _audited("meeting_moved") == 1
    assert Notification.objects.filter(subject__contains="has moved").count() == 2


# --- Roll call, votes, decisions ------------------------------------------------------------


def _people(body: Any) -> list[Person]:
    return list(Person.objects.filter(memberships__organization=body).order_by("family_name"))


def test_votes_are_recorded_per_member_and_the_absent_are_absent(body: Any, actor: Any) -> None:
    meeting = meeting_with_agenda(body, actor)
    services.publish_invitation(meeting=meeting, actor=actor)
    people = _people(body)
    statuses = {p.pk: Attendance.Status.PRESENT for p in people}
    statuses[people[4].pk] = Attendance.Status.ABSENT
    assert services.record_attendance(meeting=meeting, statuses=statuses, actor=actor) == 4
    item = meeting.agenda_items.first()
    totals = services.record_votes(
        item=item,
        choices={
            people[0].pk: VoteChoice.FOR,
            people[1].pk: VoteChoice.FOR,
            people[2].pk: VoteChoice.AGAINST,
            people[3].pk: VoteChoice.ABSTAIN,
        },
        actor=actor,
    )
    assert totals == {"for": 2, "against": 1, "abstain": 1, "absent": 1}
    assert Vote.objects.get(person=people[4]).choice == VoteChoice.ABSENT
    with pytest.raises(services.CouncilError) as refused:
        services.record_votes(item=item, choices={people[4].pk: VoteChoice.FOR}, actor=actor)
    assert refused.value.code == "absent"
    assert _audited("votes_recorded") == 1


def test_votes_beyond_the_members_are_refused(body: Any, actor: Any) -> None:
    meeting = meeting_with_agenda(body, actor)
    services.publish_invitation(meeting=meeting, actor=actor)
    stranger = Person.objects.create(slug="stranger", given_name="Ξένος", family_name="Ξένου")
    choices = {p.pk: VoteChoice.FOR for p in _people(body)}
    choices[stranger.pk] = VoteChoice.FOR
    with pytest.raises(services.CouncilError) as refused:
        services.record_votes(item=meeting.agenda_items.first(), choices=choices, actor=actor)
    assert refused.value.code == "members"
    assert "more than the 5 members" in str(refused.value.message)
    assert not Vote.objects.exists()


def test_votes_before_the_invitation_are_refused(body: Any, actor: Any) -> None:
    meeting = meeting_with_agenda(body, actor)
    with pytest.raises(services.CouncilError):
        services.record_votes(
            item=meeting.agenda_items.first(),
            choices={_people(body)[0].pk: VoteChoice.FOR},
            actor=actor,
        )


def test_decisions_take_the_next_number_of_the_body_and_year(body: Any, actor: Any) -> None:
    meeting = meeting_with_agenda(body, actor)
    services.publish_invitation(meeting=meeting, actor=actor)
    first, second = meeting.agenda_items.order_by("order")
    one = services.record_decision(
        item=first,
        number=None,
        text_el="Εγκρίνει",
        text_en="",
        result=ItemResult.ADOPTED,
        ada="",
        actor=actor,
    )
    assert one.number == 1
    assert services.next_decision_number(body, meeting.year) == 2
    with pytest.raises(services.CouncilError) as refused:
        services.record_decision(
            item=second,
            number=1,
            text_el="Απορρίπτει",
            text_en="",
            result=ItemResult.REJECTED,
            ada="",
            actor=actor,
        )
    assert "next free number is 2" in str(refused.value.message)
    first.refresh_from_db()
    assert first.result == ItemResult.ADOPTED


def test_an_ada_in_the_wrong_format_or_taken_is_refused(body: Any, actor: Any) -> None:
    meeting = meeting_with_agenda(body, actor)
    services.publish_invitation(meeting=meeting, actor=actor)
    first, second = meeting.agenda_items.order_by("order")
    decision = services.record_decision(
        item=first,
        number=None,
        text_el="Εγκρίνει",
        text_en="",
        result=ItemResult.ADOPTED,
        ada="",
        actor=actor,
    )
    for wrong in ("ABC123-XYZ", "Ψ4Ω2ΩΞΑ8ΑΒ", "Ψ4Ω2ΩΞΑ-8ΑΒΓ"):
        with pytest.raises(services.CouncilError) as refused:
            services.set_ada(decision=decision, ada=wrong, actor=actor)
        assert refused.value.code == "ada"
    services.set_ada(decision=decision, ada="Ψ4Ω2ΩΞΑ-8ΑΒ", actor=actor)
    other = services.record_decision(
        item=second,
        number=None,
        text_el="Εγκρίνει",
        text_en="",
        result=ItemResult.ADOPTED,
        ada="",
        actor=actor,
    )
    with pytest.raises(services.CouncilError) as refused:
        services.set_ada(decision=other, ada="Ψ4Ω2ΩΞΑ-8ΑΒ", actor=actor)
    assert refused.value.code == "ada_taken"
    assert Decision.objects.get(pk=decision.pk).ada == "Ψ4Ω2ΩΞΑ-8ΑΒ"
    assert _audited("ada_set") == 1


# --- The recording and time-codes -----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "seconds"),
    [("1:23:45", 5025), ("83:45", 5025), ("5025", 5025), ("0:07", 7), ("2:00:00", 7200)],
)
def test_time_codes_are_typed_three_ways(typed: str, seconds: int) -> None:
    assert services.parse_timecode(typed) == seconds


@pytest.mark.parametrize("typed", ["1:61:00", "12:75", "abc", "1:2:3:4", "-5"])
def test_time_codes_that_are_not_times_are_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        services.parse_timecode(typed)


def test_a_time_code_beyond_the_video_is_refused(body: Any, actor: Any) -> None:
    meeting = held(meeting_with_agenda(body, actor), actor)
    services.set_meeting_recording(
        meeting=meeting, url="https://youtu.be/dQw4w9WgXcQ", seconds=3600, actor=actor
    )
    first, second = meeting.agenda_items.order_by("order")
    with pytest.raises(services.CouncilError) as refused:
        services.set_timecodes(
            meeting=meeting, times={first.pk: (60, 900), second.pk: (900, 3700)}, actor=actor
        )
    assert refused.value.code == "beyond"
    assert "beyond the end of the video (1:00:00)" in str(refused.value.message)
    first.refresh_from_db()
    assert first.start_seconds is None  # all or nothing
    with pytest.raises(services.CouncilError) as refused:
        services.set_timecodes(meeting=meeting, times={first.pk: (900, 60)}, actor=actor)
    assert refused.value.code == "order"
    changed = services.set_timecodes(
        meeting=meeting, times={first.pk: (60, 900), second.pk: (900, 3500)}, actor=actor
    )
    assert changed == 2
    assert _audited("timecodes_set") == 1
    assert _audited("recording_set") == 1


def test_time_codes_need_the_recording_first(body: Any, actor: Any) -> None:
    meeting = held(meeting_with_agenda(body, actor), actor)
    item = meeting.agenda_items.first()
    with pytest.raises(services.CouncilError) as refused:
        services.set_timecodes(meeting=meeting, times={item.pk: (0, 10)}, actor=actor)
    assert refused.value.code == "recording"


def test_a_meeting_not_started_cannot_be_marked_held(body: Any, actor: Any) -> None:
    meeting = meeting_with_agenda(body, actor)
    services.publish_invitation(meeting=meeting, actor=actor)
    with pytest.raises(services.CouncilError):
        services.mark_held(meeting=meeting, actor=actor)


# --- Documents -----------------------------------------------------------------------------


def test_a_pdf_is_stored_with_its_checksum_size_type_and_text(body: Any, actor: Any) -> None:
    import hashlib

    meeting = meeting_with_agenda(body, actor)
    content = pdf_bytes()
    checked = documents.check_upload(upload(content, "Εισήγηση.pdf", "text/plain"))
    stored = services.attach_document(
        meeting=meeting, item=None, name_el="Εισήγηση", name_en="", upload=checked, actor=actor
    )
    assert stored.mime_type == "application/pdf"
    assert stored.size == len(content)
    assert stored.sha512 == hashlib.sha512(content).hexdigest()
    assert "budget 2026" in stored.text
    assert meeting.auxiliary_files.get() == stored
    assert _audited("document_attached") == 1


def test_a_broken_pdf_is_kept_without_text(body: Any) -> None:
    checked = documents.check_upload(upload(b"%PDF-1.7\n this is not really a pdf"))
    assert checked.mime_type == "application/pdf"
    assert checked.text == ""


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00 an executable", "report.pdf"),
        (b"<html><script>alert(1)</script></html>", "report.html"),
        (b"\x89PNG\r\n\x1a\n not really a png", "photo.png"),
        (b"", "empty.pdf"),
    ],
)
def test_files_that_are_not_documents_are_refused(content: bytes, name: str) -> None:
    with pytest.raises(documents.DocumentRefused):
        documents.check_upload(upload(content, name))


def test_a_file_too_large_is_refused(settings: Any) -> None:
    from dimos.council.conf import conf

    with pytest.raises(documents.DocumentRefused) as refused:
        documents.check_upload(upload(b"%PDF-" + b"0" * (conf.UPLOAD_MAX_BYTES + 1)))
    assert refused.value.code == "too_large"


def test_an_office_document_is_recognised_by_its_content() -> None:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    checked = documents.check_upload(upload(out.getvalue(), "apofasi.docx"))
    assert checked.extension == ".docx"


def test_a_paper_is_put_to_an_item_with_its_consultation(body: Any, actor: Any) -> None:
    meeting = meeting_with_agenda(body, actor)
    item = meeting.agenda_items.first()
    paper = services.attach_paper(
        item=item,
        reference="ΔΟΥ-12/2026",
        name_el="Εισήγηση οικονομικής υπηρεσίας",
        name_en="",
        paper_type="report",
        day=date(2026, 2, 20),
        upload=documents.check_upload(upload(pdf_bytes())),
        actor=actor,
    )
    assert paper.consultations.get().agenda_item == item
    assert paper.main_file is not None and paper.main_file.sha512
    with pytest.raises(services.CouncilError):
        services.attach_paper(
            item=item,
            reference="ΔΟΥ-12/2026",
            name_el="Ξανά",
            name_en="",
            paper_type="report",
            day=date(2026, 2, 20),
            upload=None,
            actor=actor,
        )


def test_minutes_are_published_for_a_meeting_held(body: Any, actor: Any) -> None:
    meeting = meeting_with_agenda(body, actor)
    with pytest.raises(services.CouncilError):
        services.publish_minutes(
            meeting=meeting, upload=documents.check_upload(upload(pdf_bytes())), actor=actor
        )
    meeting = held(meeting, actor)
    services.publish_minutes(
        meeting=meeting, upload=documents.check_upload(upload(pdf_bytes())), actor=actor
    )
    meeting.refresh_from_db()
    assert meeting.minutes is not None and meeting.minutes_published_at is not None
    assert CouncilFile.objects.live().filter(pk=meeting.minutes_id).exists()


# --- Questions ---------------------------------------------------------------------------


def _question(meeting: Meeting, asker: Any) -> Question:
    return Question.objects.create(
        agenda_item=meeting.agenda_items.get(number="1"), user=asker, key=uuid.uuid4(), text="Πότε;"
    )


def test_a_question_not_published_needs_a_reason_and_the_asker_is_told(
    body: Any, actor: Any, citizen: Any
) -> None:
    meeting = meeting_with_agenda(body, actor)
    question = _question(meeting, citizen)
    with pytest.raises(services.CouncilError):
        services.moderate_question(question=question, approve=False, reason="", actor=actor)
    services.moderate_question(
        question=question, approve=False, reason="Προσβλητική διατύπωση", actor=actor
    )
    question.refresh_from_db()
    assert question.status == Question.Status.REJECTED
    told = Notification.objects.get(kind="council.question", recipient=citizen)
    assert "Προσβλητική διατύπωση" in told.body
    assert _audited("question_rejected") == 1
    with pytest.raises(services.CouncilError):
        services.moderate_question(question=question, approve=True, actor=actor)


def test_an_approved_question_is_published(body: Any, actor: Any, citizen: Any) -> None:
    meeting = meeting_with_agenda(body, actor)
    question = services.moderate_question(
        question=_question(meeting, citizen), approve=True, actor=actor
    )
    assert question.status == Question.Status.APPROVED
    assert question.moderated_by == actor
    assert Notification.objects.filter(kind="council.question").count() == 1


# --- What is missing, and the staff queue --------------------------------------------------


def test_the_queue_counts_what_the_list_says_is_missing(body: Any, actor: Any) -> None:
    meeting = held(meeting_with_agenda(body, actor), actor)
    first, second = meeting.agenda_items.order_by("order")
    missing = services.missing_of(meeting)
    assert (missing.decisions, missing.adas, missing.timecodes, missing.minutes) == (
        2,
        0,
        2,
        True,
    )
    assert panels.queue_counts(actor).open == 1
    services.record_decision(
        item=first,
        number=None,
        text_el="Εγκρίνει",
        text_en="",
        result=ItemResult.ADOPTED,
        ada="Ψ4Ω2ΩΞΑ-8ΑΒ",
        actor=actor,
    )
    services.record_decision(
        item=second,
        number=None,
        text_el="Εγκρίνει",
        text_en="",
        result=ItemResult.ADOPTED,
        ada="",
        actor=actor,
    )
    services.set_meeting_recording(
        meeting=meeting, url="https://youtu.be/dQw4w9WgXcQ", seconds=3600, actor=actor
    )
    services.set_timecodes(
        meeting=meeting, times={first.pk: (0, 100), second.pk: (100, 200)}, actor=actor
    )
    services.publish_minutes(
        meeting=meeting, upload=documents.check_upload(upload(pdf_bytes())), actor=actor
    )
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert services.missing_of(meeting).adas == 1
    assert panels.queue_counts(actor).open == 1
    services.set_ada(decision=second.decision, ada="6ΖΣΚΩΞΑ-ΓΡ1", actor=actor)
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert not services.missing_of(meeting)
    assert panels.queue_counts(actor).open == 0
