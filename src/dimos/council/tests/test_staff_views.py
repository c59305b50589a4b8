"""The secretariat's pages: who may open them, and each form through the page (field errors
in the person's language, one row per resubmission, an audit entry per action)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dimos.core.models import AuditEntry
from dimos.council import services
from dimos.council.models import Decision, Meeting, MeetingState, Question, Vote, VoteChoice
from dimos.council.tests.secretariat import (
    council,
    held,
    meeting_with_agenda,
    pdf_bytes,
    secretary,
    upload,
)
from dimos.testing.personas import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def body(municipality: Any) -> Any:
    return council()


@pytest.fixture
def actor(db: Any) -> Any:
    return secretary()


@pytest.fixture
def desk(actor: Any) -> Client:
    client = login(actor)
    client.cookies["dimos_language"] = "en"
    return client


@pytest.fixture
def meeting(body: Any, actor: Any) -> Meeting:
    return meeting_with_agenda(body, actor)


def _act(meeting: Meeting, action: str) -> str:
    return reverse("council_staff:act", args=[meeting.pk, action])


def _item_act(meeting: Meeting, action: str, number: str = "1") -> str:
    item = meeting.agenda_items.get(number=number)
    return reverse("council_staff:item_act", args=[meeting.pk, item.pk, action])


def test_residents_and_staff_without_the_role_get_403(
    citizen_client: Client, clerk_client: Client, meeting: Meeting
) -> None:
    item = meeting.agenda_items.first()
    pages = [
        reverse("council_staff:home"),
        reverse("council_staff:prepare"),
        reverse("council_staff:questions"),
        reverse("council_staff:meeting", args=[meeting.pk]),
        reverse("council_staff:item", args=[meeting.pk, item.pk]),
        reverse("council_staff:timecodes", args=[meeting.pk]),
    ]
    for client in (citizen_client, clerk_client):
        for url in pages:
            assert client.get(url).status_code == 403, url
        assert client.post(_act(meeting, "invite")).status_code == 403
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PLANNED


def test_the_list_filters_and_says_what_is_missing(desk: Client, body: Any, actor: Any) -> None:
    done = held(meeting_with_agenda(body, actor), actor)
    meeting_with_agenda(body, actor, day=timezone.localdate() + timedelta(days=20))
    page = desk.get(reverse("council_staff:home"), {"state": "held"})
    assert page.status_code == 200
    html = page.content.decode()
    assert f"{done.number}/{done.year}" in html
    assert "2 decisions" in html and "minutes" in html
    assert html.count('class="govgr-table__row"') == 2  # the header and the one held
    bad = desk.get(reverse("council_staff:home"), {"year": "nineteen"})
    assert bad.status_code == 200
    assert "Enter a whole number." in bad.content.decode()


def test_preparing_twice_stores_one_meeting(desk: Client, body: Any) -> None:
    day = (timezone.localdate() + timedelta(days=10)).isoformat()
    data = {
        "organization": body.pk,
        "day": day,
        "start_time": "18:00",
        "end_time": "21:00",
        "kind": "regular",
        "template": "blank",
    }
    first = desk.post(reverse("council_staff:prepare"), data)
    assert first.status_code == 302
    again = desk.post(reverse("council_staff:prepare"), data)
    assert again.status_code == 400
    assert "already meets at that time" in again.content.decode()
    assert Meeting.objects.count() == 1
    assert AuditEntry.objects.filter(action="council.meeting_created").count() == 1


def test_the_prepare_form_speaks_greek(body: Any, actor: Any) -> None:
    client = login(actor)
    page = client.post(reverse("council_staff:prepare"), {"template": "last"})
    assert page.status_code == 400
    assert "Αυτό το πεδίο είναι απαραίτητο." in page.content.decode()


def test_an_item_added_after_the_invitation_without_a_note_shows_the_error(
    desk: Client, meeting: Meeting
) -> None:
    assert desk.post(_act(meeting, "invite")).status_code == 302
    page = desk.post(_act(meeting, "add-item"), {"item-title_el": "Έκτακτο θέμα"})
    assert page.status_code == 400
    assert "write a note that says why the agenda changes" in page.content.decode()
    assert meeting.agenda_items.count() == 2
    moved = desk.post(_item_act(meeting, "down"), {"back": "meeting"})
    assert moved.status_code == 400
    assert "write a note" in moved.content.decode()
    ok = desk.post(
        _item_act(meeting, "down"),
        {
            "back": "meeting",
            f"note{meeting.agenda_items.get(number='1').pk}-change_note": "Αίτημα εισηγητή",
        },
    )
    assert ok.status_code == 302
    assert AuditEntry.objects.filter(action="council.item_moved").count() == 1


def test_all_for_records_the_present_for_and_the_absent_absent(
    desk: Client, meeting: Meeting, body: Any
) -> None:
    desk.post(_act(meeting, "invite"))
    people = list(body.memberships.order_by("person__family_name").values_list("person", flat=True))
    roll = {f"roll-person_{pk}": "present" for pk in people}
    roll[f"roll-person_{people[0]}"] = "excused"
    assert desk.post(_act(meeting, "attendance"), roll).status_code == 302
    assert desk.post(_item_act(meeting, "votes"), {"shortcut": "all_for"}).status_code == 302
    votes = dict(Vote.objects.values_list("person", "choice"))
    assert votes[people[0]] == VoteChoice.ABSENT
    assert sorted(votes.values()).count(VoteChoice.FOR) == 4
    assert AuditEntry.objects.filter(action="council.votes_recorded").count() == 1


def test_a_decision_with_a_wrong_ada_shows_a_field_error(desk: Client, meeting: Meeting) -> None:
    desk.post(_act(meeting, "invite"))
    data = {
        "decision-result": "adopted",
        "decision-text_el": "Εγκρίνει τον προϋπολογισμό",
        "decision-ada": "ABC-123",
    }
    page = desk.post(_item_act(meeting, "decision"), data)
    assert page.status_code == 400
    assert "Greek capitals and digits" in page.content.decode()
    assert not Decision.objects.exists()
    data["decision-ada"] = "ψ4ω2ωξα-8αβ"
    assert desk.post(_item_act(meeting, "decision"), data).status_code == 302
    assert Decision.objects.get().ada == "Ψ4Ω2ΩΞΑ-8ΑΒ"


def test_only_the_time_codes_page_lets_the_player_in(
    desk: Client, meeting: Meeting, actor: Any
) -> None:
    meeting = held(meeting, actor)
    services.set_meeting_recording(
        meeting=meeting,
        url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        seconds=7200,
        actor=actor,
    )
    page = desk.get(reverse("council_staff:timecodes", args=[meeting.pk]))
    assert "frame-src https://www.youtube-nocookie.com" in page["Content-Security-Policy"]
    workspace = desk.get(reverse("council_staff:meeting", args=[meeting.pk]))
    assert "youtube-nocookie" not in workspace["Content-Security-Policy"]
    assert "<iframe" not in page.content.decode()  # loaded only when asked


def test_time_codes_are_typed_and_one_beyond_the_video_is_refused(
    desk: Client, meeting: Meeting, actor: Any
) -> None:
    meeting = held(meeting, actor)
    services.set_meeting_recording(
        meeting=meeting, url="https://youtu.be/dQw4w9WgXcQ", seconds=3600, actor=actor
    )
    first, second = meeting.agenda_items.order_by("order")
    data = {
        f"tc-start_{first.pk}": "0:30",
        f"tc-end_{first.pk}": "12:00",
        f"tc-start_{second.pk}": "12:00",
        f"tc-end_{second.pk}": "1:10:00",
    }
    page = desk.post(_act(meeting, "save-timecodes"), data)
    assert page.status_code == 400, page.content.decode()[-3000:]
    assert "beyond the end of the video" in page.content.decode()
    data[f"tc-end_{second.pk}"] = "soon"
    page = desk.post(_act(meeting, "save-timecodes"), data)
    assert "Write a time in the video like 1:23:45" in page.content.decode()
    data[f"tc-end_{second.pk}"] = "55:00"
    assert desk.post(_act(meeting, "save-timecodes"), data).status_code == 302
    second.refresh_from_db()
    assert (second.start_seconds, second.end_seconds) == (720, 3300)


def test_documents_and_minutes_are_uploaded_through_the_page(
    desk: Client, meeting: Meeting, actor: Any
) -> None:
    bad = desk.post(
        _act(meeting, "document"),
        {"document-name_el": "Κακό", "document-document": upload(b"MZ\x90", "virus.pdf")},
    )
    assert bad.status_code == 400
    assert "This file type is not accepted" in bad.content.decode()
    good = desk.post(
        _act(meeting, "document"),
        {"document-name_el": "Πρόσκληση", "document-document": upload(pdf_bytes())},
    )
    assert good.status_code == 302
    meeting = held(meeting, actor)
    minutes = desk.post(_act(meeting, "minutes"), {"minutes-document": upload(pdf_bytes())})
    assert minutes.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_published_at is not None


def test_questions_are_moderated_from_the_queue(
    desk: Client, meeting: Meeting, citizen: Any
) -> None:
    question = Question.objects.create(
        agenda_item=meeting.agenda_items.get(number="1"),
        user=citizen,
        key=uuid.uuid4(),
        text="Γιατί;",
    )
    queue = desk.get(reverse("council_staff:questions"))
    assert "Γιατί;" in queue.content.decode()
    url = reverse("council_staff:question_act", args=[question.pk, "moderate"])
    refused = desk.post(url, {f"q{question.pk}-decision": "reject"})
    assert refused.status_code == 400
    assert "Say why the question is not published." in refused.content.decode()
    assert desk.post(url, {f"q{question.pk}-decision": "approve"}).status_code == 302
    question.refresh_from_db()
    assert question.status == Question.Status.APPROVED
    assert AuditEntry.objects.filter(action="council.question_approved").count() == 1
    assert desk.post(url, {f"q{question.pk}-decision": "approve"}).status_code == 302


def test_cancelling_through_the_page_needs_a_reason(desk: Client, meeting: Meeting) -> None:
    page = desk.post(_act(meeting, "cancel"), {"cancel-reason": ""})
    assert page.status_code == 400
    assert desk.post(_act(meeting, "cancel"), {"cancel-reason": "Πένθος"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CANCELLED
