"""What residents do with the council: follow a body or a keyword, and ask a question on an
upcoming agenda item; and the email that tells followers when an agenda they follow is out.

A keyword matches an agenda when each of its words is found in the agenda's items (titles and
reports, Greek or English), the way the search matches (:mod:`dimos.core.fulltext`: folded,
a word of three letters or more also as the start of a word) — «σχολ» follows every school.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core import fulltext
from dimos.core.notifications import notify
from dimos.core.workflow import Refused
from dimos.council.models import (
    AgendaItem,
    Follow,
    Meeting,
    MeetingState,
    Organization,
    Question,
)
from dimos.council.signals import agenda_published

if TYPE_CHECKING:
    from dimos.accounts.models import User

KEYWORD_MAX = 100
QUESTION_MAX = 2000


# --- Follows ---------------------------------------------------------------------------------


def follow_body(*, user: User, organization: Organization) -> Follow:
    """Follow a body's agendas (following it again changes nothing)."""
    if not organization.meets or organization.deleted:
        raise Refused(_("Only a council body that meets can be followed."), code="body")
    follow, _created = Follow.objects.get_or_create(user=user, organization=organization)
    return follow


def clean_keyword(keyword: str) -> str:
    """The keyword as kept: its words with single spaces; refused when it has no word."""
    cleaned = " ".join(keyword.split())
    if not fulltext.words(cleaned):
        raise Refused(_("Write a word to follow, e.g. «σχολείο» or «budget»."), code="keyword")
    if len(cleaned) > KEYWORD_MAX:
        raise Refused(
            _("A keyword is at most %(count)s characters.") % {"count": KEYWORD_MAX},
            code="keyword",
        )
    return cleaned


def follow_keyword(*, user: User, keyword: str) -> Follow:
    """Follow a keyword in every body's agendas (the same keyword twice is one follow, whatever
    its accents or capitals)."""
    cleaned = clean_keyword(keyword)
    folded = fulltext.folded_document(cleaned)
    for follow in Follow.objects.filter(user=user, organization__isnull=True):
        if fulltext.folded_document(follow.keyword) == folded:
            return follow
    try:
        with transaction.atomic():
            return Follow.objects.create(user=user, keyword=cleaned)
    except IntegrityError:  # the same keyword, sent twice at once
        return Follow.objects.get(user=user, keyword=cleaned)


def unfollow(*, user: User, follow_id: int) -> bool:
    """Stop a follow of the user's own; answers whether there was one."""
    deleted, _rows = Follow.objects.filter(user=user, pk=follow_id).delete()
    return bool(deleted)


# --- Questions -------------------------------------------------------------------------------


def may_ask(item: AgendaItem) -> bool:
    """Questions are taken on the public items of a meeting whose invitation is out and which
    has not ended."""
    meeting = item.meeting
    return (
        item.public
        and not item.deleted
        and not meeting.deleted
        and meeting.state == MeetingState.INVITED
        and meeting.end > timezone.now()
    )


def ask_question(*, user: User, item: AgendaItem, text: str, key: uuid.UUID) -> Question:
    """Send a question on an upcoming item, to be published once the secretariat approves it.

    ``key`` is the form's: the same form sent twice stores one question.
    """
    existing = Question.objects.filter(key=key).first()
    if existing is not None:
        if existing.user_id != user.pk:
            raise Refused(_("This form was already used. Open the page again."), code="key")
        return existing
    if not may_ask(item):
        raise Refused(
            _("Questions are taken only on public items of a meeting not yet held."),
            code="closed",
        )
    cleaned = text.strip()
    if not cleaned:
        raise Refused(_("Write your question."), code="required")
    if len(cleaned) > QUESTION_MAX:
        raise Refused(
            _("A question is at most %(count)s characters.") % {"count": QUESTION_MAX},
            code="max_length",
        )
    try:
        with transaction.atomic():
            return Question.objects.create(agenda_item=item, user=user, key=key, text=cleaned)
    except IntegrityError:  # the same form, sent twice at once
        return Question.objects.get(key=key, user=user)


# --- Telling followers -----------------------------------------------------------------------


def _matches(keyword: str, agenda_words: set[str]) -> bool:
    terms = fulltext.terms_of(keyword)
    return bool(terms) and all(
        any(word.startswith(term) for word in agenda_words)
        if len(term) >= fulltext.PREFIX_FROM
        else term in agenda_words
        for term in terms
    )


def followers_of(meeting: Meeting) -> dict[int, tuple[Any, bool, list[str]]]:
    """Who follows this meeting's agenda: user id → (user, follows the body, keywords found)."""
    items = meeting.agenda_items.live()
    agenda_words = set(
        fulltext.folded_document(
            *(
                text
                for item in items
                for text in (item.title_el, item.title_en, item.report_el, item.report_en)
            )
        ).split()
    )
    found: dict[int, tuple[Any, bool, list[str]]] = {}
    follows = Follow.objects.filter(user__is_active=True).select_related("user")
    for follow in follows.filter(organization=meeting.organization):
        found[follow.user_id] = (follow.user, True, [])
    for follow in follows.filter(organization__isnull=True):
        if _matches(follow.keyword, agenda_words):
            user, body, keywords = found.get(follow.user_id, (follow.user, False, []))
            found[follow.user_id] = (user, body, [*keywords, follow.keyword])
    return found


def notify_followers(sender: Any, meeting: Meeting, changed: bool = False, **kwargs: Any) -> int:
    """The receiver of ``agenda_published``: one message to each person who follows the body
    or a keyword found in the agenda, however many of their follows match."""
    meeting = Meeting.objects.select_related("organization", "location").get(pk=meeting.pk)
    if meeting.deleted or meeting.cancelled:
        return 0
    sent = 0
    with transaction.atomic():
        for user, follows_body, keywords in followers_of(meeting).values():
            notify(
                kind="council.agenda",
                recipient=user,
                context={
                    "meeting": meeting,
                    "follows_body": follows_body,
                    "keywords": keywords,
                    "changed": changed,
                },
                url=meeting.get_absolute_url(),
            )
            sent += 1
    return sent


def connect() -> None:
    """Connect the followers' receiver (the app's ``ready()``)."""
    agenda_published.connect(notify_followers, dispatch_uid="dimos.council.participation")
