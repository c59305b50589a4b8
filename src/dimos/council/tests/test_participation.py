"""Residents follow bodies and keywords, are told once when a matching agenda is published, and
ask questions on upcoming items (signed in, rate-limited, idempotent, shown once approved)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client

from dimos.accounts.models import User
from dimos.core.models import Notification
from dimos.core.workflow import Refused
from dimos.council import participation
from dimos.council.models import Follow, Meeting, MeetingState, Question
from dimos.council.signals import agenda_published
from dimos.council.tests import visitor_data
from dimos.council.tests.visitor_data import Council
from dimos.testing.personas import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed_council(municipality: Any) -> Council:
    return visitor_data.council()


def _publish(meeting: Meeting, changed: bool = False) -> None:
    agenda_published.send(sender=Meeting, meeting=meeting, changed=changed)


def test_follower_of_the_body_is_told_when_its_agenda_is_published(
    citizen: User, followed_council: Council
) -> None:
    participation.follow_body(user=citizen, organization=followed_council.body)
    _publish(followed_council.upcoming)
    told = Notification.objects.get(kind="council.agenda", recipient=citizen)
    assert "2/" in told.subject
    assert told.url == followed_council.upcoming.get_absolute_url()


def test_keyword_follower_is_told_when_the_agenda_has_the_word_in_any_form(
    citizen: User, other_citizen: User, followed_council: Council
) -> None:
    participation.follow_keyword(user=citizen, keyword="ΠΛΑΤΕΙΑ")
    participation.follow_keyword(user=other_citizen, keyword="σχολείο")
    _publish(followed_council.upcoming)
    assert Notification.objects.filter(kind="council.agenda", recipient=citizen).count() == 1
    assert not Notification.objects.filter(kind="council.agenda", recipient=other_citizen).exists()
    assert "ΠΛΑΤΕΙΑ" in Notification.objects.get(recipient=citizen, kind="council.agenda").body


def test_one_message_per_person_however_many_follows_match(
    citizen: User, followed_council: Council
) -> None:
    participation.follow_body(user=citizen, organization=followed_council.body)
    participation.follow_keyword(user=citizen, keyword="πλατεία")
    participation.follow_keyword(user=citizen, keyword="ανάπλαση")
    _publish(followed_council.upcoming, changed=True)
    assert Notification.objects.filter(kind="council.agenda", recipient=citizen).count() == 1


def test_a_cancelled_meeting_tells_no_follower(citizen: User, followed_council: Council) -> None:
    participation.follow_body(user=citizen, organization=followed_council.body)
    Meeting.objects.filter(pk=followed_council.upcoming.pk).update(
        state=MeetingState.CANCELLED, cancel_reason="Αναβολή."
    )
    _publish(followed_council.upcoming)
    assert not Notification.objects.filter(kind="council.agenda").exists()


def test_following_twice_is_one_follow(citizen: User, followed_council: Council) -> None:
    client = login(citizen)
    for _ in range(2):
        client.post("/council/follows/new/", {"body": "dimotiko-symvoulio"})
        client.post("/council/follows/new/", {"keyword": "Σχολείο"})
    participation.follow_keyword(user=citizen, keyword="σχολειο")
    assert Follow.objects.filter(user=citizen).count() == 2


def test_body_page_offers_follow_and_then_says_it_is_followed(
    citizen: User, followed_council: Council
) -> None:
    client = login(citizen)
    assert (
        "Παρακολούθηση με email"
        in client.get("/council/bodies/dimotiko-symvoulio/").content.decode()
    )
    client.post("/council/follows/new/", {"body": "dimotiko-symvoulio"})
    html = client.get("/council/bodies/dimotiko-symvoulio/").content.decode()
    assert "Λαμβάνετε email όταν δημοσιεύεται" in html


def test_an_empty_keyword_is_a_field_error(citizen: User, followed_council: Council) -> None:
    page = login(citizen).post("/council/follows/new/", {"keyword": " ... "})
    assert page.status_code == 400
    assert "govgr-error-summary" in page.content.decode()
    assert not Follow.objects.exists()


def test_a_faction_cannot_be_followed(citizen: User, followed_council: Council) -> None:
    assert login(citizen).post("/council/follows/new/", {"body": "proodos"}).status_code == 404


def test_unfollow_removes_only_ones_own(
    citizen: User, other_citizen: User, followed_council: Council
) -> None:
    mine = participation.follow_keyword(user=citizen, keyword="πλατεία")
    login(other_citizen).post(f"/council/follows/{mine.pk}/stop/")
    assert Follow.objects.filter(pk=mine.pk).exists()
    login(citizen).post(f"/council/follows/{mine.pk}/stop/")
    assert not Follow.objects.filter(pk=mine.pk).exists()


def test_following_needs_an_account_and_a_post(client: Client, followed_council: Council) -> None:
    assert client.post("/council/follows/new/", {"body": "dimotiko-symvoulio"}).status_code == 302
    assert not Follow.objects.exists()
    assert client.get("/council/follows/").status_code == 302


def _ask(client: Client, item_pk: int, key: str, text: str = "Πότε ξεκινούν τα έργα;") -> Any:
    return client.post(f"/council/items/{item_pk}/ask/", {"text": text, "key": key})


def test_a_question_sent_twice_is_stored_once(citizen: User, followed_council: Council) -> None:
    item = followed_council.upcoming.agenda_items.get()
    client = login(citizen)
    form = client.get(f"/council/items/{item.pk}/ask/")
    assert form.status_code == 200
    key = str(uuid.uuid4())
    assert _ask(client, item.pk, key).status_code == 302
    assert _ask(client, item.pk, key).status_code == 302
    question = Question.objects.get()
    assert question.status == Question.Status.PENDING
    assert question.user == citizen


def test_a_pending_question_is_not_shown_an_approved_one_is(
    citizen: User, client: Client, followed_council: Council
) -> None:
    item = followed_council.upcoming.agenda_items.get()
    question = participation.ask_question(
        user=citizen, item=item, text="Πόσο θα κοστίσει;", key=uuid.uuid4()
    )
    url = followed_council.upcoming.get_absolute_url()
    assert "Πόσο θα κοστίσει;" not in client.get(url).content.decode()
    question.status = Question.Status.APPROVED
    question.save()  # as moderation does: the cached page is drawn again
    assert "Πόσο θα κοστίσει;" in client.get(url).content.decode()


def test_no_question_on_a_meeting_already_held(citizen: User, followed_council: Council) -> None:
    page = _ask(login(citizen), followed_council.budget.pk, str(uuid.uuid4()))
    assert page.status_code == 409
    with pytest.raises(Refused):
        participation.ask_question(
            user=citizen, item=followed_council.budget, text=";", key=uuid.uuid4()
        )
    assert not Question.objects.exists()


def test_an_empty_question_is_a_field_error(citizen: User, followed_council: Council) -> None:
    item = followed_council.upcoming.agenda_items.get()
    page = _ask(login(citizen), item.pk, str(uuid.uuid4()), text="   ")
    assert page.status_code == 400
    assert "govgr-error-summary" in page.content.decode()


def test_asking_needs_an_account(client: Client, followed_council: Council) -> None:
    item = followed_council.upcoming.agenda_items.get()
    assert _ask(client, item.pk, str(uuid.uuid4())).status_code == 302
    assert not Question.objects.exists()


def test_questions_are_rate_limited(
    citizen: User, settings: Any, followed_council: Council
) -> None:
    settings.DIMOS_COUNCIL_QUESTION_RATE = "2/h"
    item = followed_council.upcoming.agenda_items.get()
    client = login(citizen)
    for _ in range(2):
        assert _ask(client, item.pk, str(uuid.uuid4())).status_code == 302
    assert _ask(client, item.pk, str(uuid.uuid4())).status_code == 429
    assert Question.objects.count() == 2


def test_my_account_panel_lists_follows_and_questions(
    citizen: User, followed_council: Council
) -> None:
    participation.follow_keyword(user=citizen, keyword="πλατεία")
    item = followed_council.upcoming.agenda_items.get()
    participation.ask_question(user=citizen, item=item, text="Ερώτηση;", key=uuid.uuid4())
    html = login(citizen).get("/my/").content.decode()
    assert "«πλατεία»" in html
    assert "Σε αναμονή ελέγχου" in html
