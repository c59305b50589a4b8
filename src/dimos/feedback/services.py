"""Writes of the feedback app: invitations on completed transactions, ratings, "Is this page
useful?" answers and their triage. One transaction each, an audit entry for staff actions."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core import audit
from dimos.core.cached import Version
from dimos.core.notifications import notify
from dimos.core.registry import Completion, registry
from dimos.core.workflow import Refused
from dimos.feedback.conf import conf
from dimos.feedback.models import Invitation, PageFeedback, Rating, Score, Theme

if TYPE_CHECKING:
    from django.http import HttpRequest

    from dimos.accounts.models import User

SALT = "dimos.feedback.rate"
# Ratings and page answers change what the performance pages and the catalogue show.
RATINGS = Version("feedback-ratings")


class FeedbackError(Refused):
    pass


class AlreadyRated(FeedbackError):
    code = "already_rated"


# --- Invitations -------------------------------------------------------------------------------


def token_for(invitation: Invitation) -> str:
    """The invitation's key, signed: the same link every time it is shown (the email and the
    completion page), good for ``DIMOS_FEEDBACK_RATE_DAYS`` after the completion."""
    return signing.Signer(salt=SALT).sign_object(invitation.pk, compress=True)


def rate_path(invitation: Invitation) -> str:
    return reverse("feedback:rate", args=[token_for(invitation)])


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link names; refuses a changed, expired or unknown link."""
    try:
        pk = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError) as exc:
        raise FeedbackError(
            _("This link is not valid. Copy the whole link from the message we sent you."),
            "bad_link",
        ) from exc
    invitation = Invitation.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if invitation is None:
        raise FeedbackError(_("This link is not valid."), "bad_link")
    if invitation.completed_at < timezone.now() - timedelta(days=conf.RATE_DAYS):
        raise FeedbackError(
            _("This link to rate the service has expired. Thank you all the same."), "expired"
        )
    return invitation


def on_completed(completion: Completion) -> None:
    """A transaction completed (a listener of ``dimos.core.transactions``): invite the person,
    once, on the completion page and by email."""
    invitation, created = Invitation.objects.get_or_create(
        kind=completion.kind,
        object_id=completion.object_id,
        defaults={
            "service": completion.service,
            "user": completion.user,
            "email": completion.email[:254],
            "language": completion.language[:10],
            "online": completion.online,
            "url": completion.url[:300],
            "completed_at": completion.completed_at or timezone.now(),
        },
    )
    if not created or not (invitation.user_id or invitation.email):
        return
    declared = registry.transactions[completion.kind]
    entry = registry.catalogue.get(declared.service)
    notify(
        kind="feedback.invitation",
        recipient=invitation.user,
        email="" if invitation.user_id else invitation.email,
        language=invitation.language,
        context={"service": entry.name if entry else declared.title},
        private_url=rate_path(invitation),
    )
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())


def invitation_url(kind: str, object_id: str) -> str:
    """The rating link for the completion page, while the transaction is not rated."""
    invitation = Invitation.objects.filter(kind=kind, object_id=object_id).first()
    if invitation is None or Rating.objects.filter(invitation=invitation).exists():
        return ""
    return rate_path(invitation)


# --- Ratings -----------------------------------------------------------------------------------


def rate(*, invitation: Invitation, score: int, improve: str = "") -> tuple[Rating, bool]:
    """Store the person's rating; answers ``(rating, created)``.

    The database keeps one rating per transaction. The same answer sent again (a retry, a
    second click) answers the stored rating, not created; a different second answer is
    refused.
    """
    if score not in Score.values:
        raise FeedbackError(_("Choose how satisfied you are."), "score")
    improve = improve.strip()[:2000]
    existing = Rating.objects.filter(invitation=invitation).first()
    if existing is None:
        try:
            with transaction.atomic():
                existing = Rating.objects.create(
                    invitation=invitation,
                    service=invitation.service,
                    score=score,
                    improve=improve,
                    online=invitation.online,
                )
                RATINGS.changed()
                return existing, True
        except IntegrityError:
            existing = Rating.objects.get(invitation=invitation)
    if existing.score == score and existing.improve == improve:
        return existing, False
    raise AlreadyRated(_("You have already rated this service. Thank you."))


# --- Is this page useful? ----------------------------------------------------------------------


def page_feedback(
    *,
    path: str,
    useful: bool,
    what_wrong: str = "",
    email: str = "",
    user: User | None = None,
    language: str = "",
) -> PageFeedback:
    if not path.startswith("/") or path.startswith("//"):
        raise FeedbackError(_("Which page is this about?"), "path")
    return PageFeedback.objects.create(
        path=path[:300],
        useful=useful,
        what_wrong="" if useful else what_wrong.strip()[:2000],
        email=email.strip()[:254],
        user=user if user is not None and user.is_authenticated else None,
        language=language[:10],
    )


# --- Triage ------------------------------------------------------------------------------------


def contact_of(item: Rating | PageFeedback) -> tuple[Any, str]:
    """Who may be answered: (account, email) or (None, "")."""
    if isinstance(item, Rating):
        return item.invitation.user, "" if item.invitation.user_id else item.invitation.email
    return item.user, "" if item.user_id else item.email


def triage(
    *,
    item: Rating | PageFeedback,
    themes: list[Theme],
    issue_url: str,
    publish: bool,
    reply: str,
    actor: User,
    request: HttpRequest | None = None,
) -> bool:
    """Tag a piece of feedback, link the issue it led to, and send a reply once when the
    person gave a way to reach them. Answers whether a reply was sent."""
    reply = reply.strip()
    user, email = contact_of(item)
    sent = False
    with transaction.atomic():
        item.themes.set(themes)
        item.issue_url = issue_url.strip()
        item.publish = publish
        item.state = item.State.DONE
        item.triaged_by = actor
        if reply and not item.replied_at:
            if user is None and not email:
                raise FeedbackError(_("This person left no way to reach them."), "no_contact")
            item.reply = reply[:4000]
            item.replied_at = timezone.now()
            notify(
                kind="feedback.reply",
                recipient=user,
                email=email,
                context={"reply": item.reply, "their_text": _text_of(item)},
            )
            sent = True
        item.save()
        audit.record(
            action="feedback.triaged",
            actor=actor,
            target=item,
            request=request,
            details={
                "themes": [t.name_el for t in themes],
                "replied": sent,
                "issue": item.issue_url,
                "publish": publish,
            },
        )
        RATINGS.changed()
    return sent


def _text_of(item: Rating | PageFeedback) -> str:
    return item.improve if isinstance(item, Rating) else item.what_wrong


def add_theme(*, name_el: str, name_en: str, actor: User) -> Theme:
    name_el = name_el.strip()
    if not name_el:
        raise FeedbackError(_("Give the theme a name."), "name")
    theme, _created = Theme.objects.get_or_create(
        name_el=name_el[:80], defaults={"name_en": name_en.strip()[:80]}
    )
    audit.record(action="feedback.theme_added", actor=actor, target=theme)
    return theme
