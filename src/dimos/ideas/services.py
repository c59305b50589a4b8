"""Every write of the ideas app: ideas and their moderation, comments, votes and anomalies.

Refusals raise :class:`IdeaError` with a ``code`` (for the API) and a message for the person.
Votes follow ADR 0030: one row per (idea, person) and a slot 1…limit per (competition, person),
both unique in the database, the idea's public count moved in the same transaction. Votes are
not written to the audit log: who voted for what is nobody's business, staff included.
"""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core import audit
from dimos.core.cached import Version
from dimos.core.notifications import notify
from dimos.ideas import images
from dimos.ideas.conf import conf
from dimos.ideas.models import (
    Comment,
    CommentStatus,
    Competition,
    Idea,
    IdeaStatus,
    Theme,
    Vote,
    VoteAnomaly,
)

MODERATE = "ideas.moderate_idea"
# The public pages' version for anonymous visitors' page cache: moderation bumps it; votes do
# not (a count on a cached page is at most the cache's minute old).
PAGES = Version("ideas-pages")
EDITABLE = (IdeaStatus.DRAFT, IdeaStatus.SUBMITTED, IdeaStatus.PUBLISHED)
WITHDRAWABLE = (IdeaStatus.DRAFT, IdeaStatus.SUBMITTED, IdeaStatus.PUBLISHED)


class IdeaError(Exception):
    """A refusal, with a code for the API and a message for the person."""

    def __init__(self, code: str, message: Any) -> None:
        self.code = code
        self.message = message
        super().__init__(str(message))

    def __str__(self) -> str:
        return str(self.message)


# --- Who may take part ----------------------------------------------------------------------


def has_confirmed_email(user: Any) -> bool:
    return bool(
        user.is_authenticated
        and user.emailaddress_set.filter(verified=True, email__iexact=user.email).exists()
    )


def verification_problem(user: Any) -> IdeaError | None:
    """Why this person may not submit or vote yet, or None. Verified means a confirmed email
    and, where the municipality enables it (``DIMOS_IDEAS_REQUIRE_EID``), a national eID login."""
    if not user.is_authenticated:
        return IdeaError("login_required", _("Log in to take part."))
    if not has_confirmed_email(user):
        return IdeaError(
            "email_unconfirmed",
            _("Confirm your email address first: follow the link in the email we sent you."),
        )
    if conf.REQUIRE_EID and not user.identity_verified:
        return IdeaError(
            "eid_required",
            _("Log in once with your national eID (Taxisnet) to take part in this competition."),
        )
    return None


def _require_verified(user: Any) -> None:
    problem = verification_problem(user)
    if problem is not None:
        raise problem


# --- Ideas ----------------------------------------------------------------------------------


def _check_point(lat: float | None, lon: float | None) -> None:
    if (lat is None) != (lon is None):
        raise IdeaError("bad_point", _("Give both the latitude and the longitude, or neither."))
    if lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise IdeaError("bad_point", _("This point is not on the map."))


def _attach_image(idea: Idea, image: IO[bytes] | None) -> list[Any]:
    """Store a cleaned copy of ``image`` on the idea; answers the old files to delete."""
    if image is None:
        return []
    try:
        cleaned = images.clean(image)
    except images.ImageError as exc:
        raise IdeaError("bad_image", exc.message) from exc
    old = [idea.image, idea.thumbnail] if idea.image else []
    full, thumb = cleaned.files()
    idea.image.save(full.name, full, save=False)
    idea.thumbnail.save(thumb.name, thumb, save=False)
    return old


def submit_idea(
    *,
    author: Any,
    competition: Competition,
    theme: Theme,
    title: str,
    description: str,
    lat: float | None = None,
    lon: float | None = None,
    place_name: str = "",
    image: IO[bytes] | None = None,
    image_alt: str = "",
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> Idea:
    """A resident's idea, sent for moderation. The same title twice by the same person in a
    competition is refused by the database (a double click sends nothing twice)."""
    _require_verified(author)
    if not competition.is_published or not competition.openness(now).submitting:
        raise IdeaError("closed", _("Ideas are not being accepted in this competition now."))
    if theme.competition_id != competition.pk:
        raise IdeaError("bad_theme", _("Choose one of this competition's themes."))
    _check_point(lat, lon)
    if image is not None and not image_alt.strip():
        raise IdeaError("alt_required", _("Say in a few words what the image shows."))
    moment = now or timezone.now()
    idea = Idea(
        competition=competition,
        theme=theme,
        author=author,
        title=title.strip(),
        description=description.strip(),
        lat=lat,
        lon=lon,
        place_name=place_name.strip(),
        image_alt=image_alt.strip(),
        status=IdeaStatus.SUBMITTED,
        submitted_at=moment,
    )
    if Idea.objects.filter(
        competition=competition,
        author=author,
        title_key=" ".join(idea.title.split()).casefold(),
        status__in=EDITABLE,
    ).exists():
        raise IdeaError("duplicate", _("You have already proposed an idea with this title."))
    _attach_image(idea, image)
    try:
        with transaction.atomic():
            idea.save()
            audit.record(action="idea.submitted", actor=author, target=idea, request=request)
    except IntegrityError as exc:
        for file in (idea.image, idea.thumbnail):
            if file:
                file.delete(save=False)
        raise IdeaError(
            "duplicate", _("You have already proposed an idea with this title.")
        ) from exc
    return idea


def can_edit(user: Any, idea: Idea, now: dt.datetime | None = None) -> bool:
    return (
        user.is_authenticated
        and idea.author_id == user.pk
        and idea.status in EDITABLE
        and idea.competition.openness(now).editing
    )


def edit_idea(
    *,
    idea: Idea,
    actor: Any,
    theme: Theme,
    title: str,
    description: str,
    lat: float | None = None,
    lon: float | None = None,
    place_name: str = "",
    image: IO[bytes] | None = None,
    image_alt: str = "",
    remove_image: bool = False,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> Idea:
    """The author changes their idea until voting starts. A published idea goes back to
    moderation, so what the public sees is always what staff read."""
    if idea.author_id != getattr(actor, "pk", None):
        raise IdeaError("not_yours", _("Only the author may change an idea."))
    if idea.status not in EDITABLE:
        raise IdeaError("not_editable", _("This idea can no longer be changed."))
    if not idea.competition.openness(now).editing:
        raise IdeaError("closed", _("Ideas can be changed only until voting starts."))
    if theme.competition_id != idea.competition_id:
        raise IdeaError("bad_theme", _("Choose one of this competition's themes."))
    _check_point(lat, lon)
    old_files: list[Any] = []
    if remove_image and idea.image:
        old_files = [idea.image, idea.thumbnail]
        idea.image = ""  # type: ignore[assignment]
        idea.thumbnail = ""  # type: ignore[assignment]
    old_files += _attach_image(idea, image)
    if idea.image and not image_alt.strip():
        raise IdeaError("alt_required", _("Say in a few words what the image shows."))
    idea.theme = theme
    idea.title = title.strip()
    idea.description = description.strip()
    idea.lat, idea.lon = lat, lon
    idea.place_name = place_name.strip()
    idea.image_alt = image_alt.strip() if idea.image else ""
    if idea.status == IdeaStatus.PUBLISHED:
        idea.status = IdeaStatus.SUBMITTED
        idea.submitted_at = now or timezone.now()
    try:
        with transaction.atomic():
            idea.save()
            PAGES.changed()
            audit.record(action="idea.edited", actor=actor, target=idea, request=request)
    except IntegrityError as exc:
        raise IdeaError(
            "duplicate", _("You have already proposed an idea with this title.")
        ) from exc
    for file in old_files:
        if file:
            file.storage.delete(file.name)
    return idea


def _drop_votes(idea: Idea) -> None:
    """Remove an idea's votes (its voters get their votes back) and zero its count."""
    Vote.objects.filter(idea=idea).delete()
    Idea.objects.filter(pk=idea.pk).update(votes_count=0)
    idea.votes_count = 0


def withdraw_idea(
    *, idea: Idea, actor: Any, request: HttpRequest | None = None, now: dt.datetime | None = None
) -> Idea:
    """The author withdraws their idea while voting is not over. Its votes, if any, are given
    back to the voters, who may vote for other ideas."""
    moment = now or timezone.now()
    with transaction.atomic():
        locked = Idea.objects.select_for_update().select_related("competition").get(pk=idea.pk)
        if locked.author_id != getattr(actor, "pk", None):
            raise IdeaError("not_yours", _("Only the author may withdraw an idea."))
        if locked.status == IdeaStatus.WITHDRAWN:
            return locked  # already done: a resent form changes nothing
        if locked.status not in WITHDRAWABLE:
            raise IdeaError("not_withdrawable", _("This idea can no longer be withdrawn."))
        if moment >= locked.competition.voting_closes:
            raise IdeaError("closed", _("Voting is over: the idea is part of the results now."))
        _drop_votes(locked)
        locked.status = IdeaStatus.WITHDRAWN
        locked.withdrawn_at = moment
        locked.save(update_fields=["status", "withdrawn_at", "votes_count", "updated_at"])
        PAGES.changed()
        audit.record(action="idea.withdrawn", actor=actor, target=locked, request=request)
    return locked


def _tell_author(idea: Idea) -> None:
    if idea.author is None or not idea.author.is_active:
        return
    notify(
        kind="ideas.moderated",
        recipient=idea.author,
        context={"idea": idea, "competition": idea.competition},
        url=reverse("ideas:mine") + f"#idea-{idea.pk}",
    )


def _moderated(idea: Idea, actor: Any, reason: str, now: dt.datetime) -> None:
    idea.moderation_reason = reason
    idea.moderated_by = actor
    idea.moderated_at = now


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise IdeaError("reason_required", _("Write the reason the author will read."))
    return reason


def publish_idea(
    *, idea: Idea, actor: Any, reason: str, request: HttpRequest | None = None
) -> Idea:
    reason = _reason(reason)
    now = timezone.now()
    with transaction.atomic():
        locked = Idea.objects.select_for_update().get(pk=idea.pk)
        if locked.status == IdeaStatus.PUBLISHED:
            return locked
        if locked.status != IdeaStatus.SUBMITTED:
            raise IdeaError(
                "not_waiting", _("Only an idea waiting for moderation can be published.")
            )
        _moderated(locked, actor, reason, now)
        locked.status = IdeaStatus.PUBLISHED
        locked.published_at = locked.published_at or now
        locked.save()
        PAGES.changed()
        audit.record(action="idea.published", actor=actor, target=locked, request=request)
        _tell_author(locked)
    return locked


def reject_idea(*, idea: Idea, actor: Any, reason: str, request: HttpRequest | None = None) -> Idea:
    """Not published (or no longer): the reason is shown to the author; votes it had are given
    back to the voters."""
    reason = _reason(reason)
    now = timezone.now()
    with transaction.atomic():
        locked = Idea.objects.select_for_update().get(pk=idea.pk)
        if locked.status == IdeaStatus.REJECTED:
            return locked
        if locked.status not in (IdeaStatus.SUBMITTED, IdeaStatus.PUBLISHED):
            raise IdeaError("not_waiting", _("This idea cannot be rejected now."))
        _drop_votes(locked)
        _moderated(locked, actor, reason, now)
        locked.status = IdeaStatus.REJECTED
        locked.save()
        PAGES.changed()
        audit.record(action="idea.rejected", actor=actor, target=locked, request=request)
        _tell_author(locked)
    return locked


def merge_idea(
    *,
    idea: Idea,
    into: Idea,
    actor: Any,
    reason: str,
    request: HttpRequest | None = None,
) -> Idea:
    """A duplicate joins a published idea of the same competition. Its votes move to that
    idea, except from people who voted for both (they get the vote back): nothing is counted
    twice."""
    reason = _reason(reason)
    if into.pk == idea.pk:
        raise IdeaError("bad_merge", _("An idea cannot be merged into itself."))
    now = timezone.now()
    with transaction.atomic():
        # Lock both rows in one order, so two merges cannot deadlock.
        rows = {
            i.pk: i
            for i in Idea.objects.select_for_update()
            .filter(pk__in=[idea.pk, into.pk])
            .order_by("pk")
        }
        locked, target = rows[idea.pk], rows[into.pk]
        if locked.status == IdeaStatus.MERGED and locked.merged_into_id == target.pk:
            return locked
        if locked.status not in (IdeaStatus.SUBMITTED, IdeaStatus.PUBLISHED):
            raise IdeaError("not_waiting", _("This idea cannot be merged now."))
        if target.competition_id != locked.competition_id or target.status != IdeaStatus.PUBLISHED:
            raise IdeaError("bad_merge", _("Merge into a published idea of the same competition."))
        both = Vote.objects.filter(idea=target).values("person")
        Vote.objects.filter(idea=locked, person__in=both).delete()
        moved = Vote.objects.filter(idea=locked).update(idea=target)
        Idea.objects.filter(pk=target.pk).update(
            votes_count=Vote.objects.filter(idea=target).count()
        )
        _moderated(locked, actor, reason, now)
        locked.status = IdeaStatus.MERGED
        locked.merged_into = target
        locked.votes_count = 0
        locked.save()
        PAGES.changed()
        audit.record(
            action="idea.merged",
            actor=actor,
            target=locked,
            request=request,
            details={"into": target.pk, "votes_moved": moved},
        )
        _tell_author(locked)
    return locked


# --- Comments -------------------------------------------------------------------------------


def comment(
    *,
    idea: Idea,
    author: Any,
    body: str,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> Comment:
    """A comment on a published idea, shown once a moderator publishes it."""
    _require_verified(author)
    if idea.status != IdeaStatus.PUBLISHED:
        raise IdeaError("not_published", _("Only published ideas take comments."))
    if not idea.competition.openness(now).commenting:
        raise IdeaError("closed", _("Comments are closed in this competition."))
    body = body.strip()
    if not body:
        raise IdeaError("empty", _("Write your comment."))
    recent = Comment.objects.filter(
        idea=idea, author=author, body=body, created_at__gte=timezone.now() - dt.timedelta(hours=1)
    ).first()
    if recent is not None:
        return recent  # the same comment sent twice is kept once
    return Comment.objects.create(idea=idea, author=author, body=body)


def moderate_comment(
    *,
    comment: Comment,
    actor: Any,
    publish: bool,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Comment:
    """Publish a comment, or hide it with a reason its author reads."""
    if not publish:
        reason = _reason(reason)
    with transaction.atomic():
        locked = Comment.objects.select_for_update().select_related("idea").get(pk=comment.pk)
        locked.status = CommentStatus.PUBLISHED if publish else CommentStatus.HIDDEN
        locked.moderation_reason = reason.strip()
        locked.moderated_by = actor
        locked.moderated_at = timezone.now()
        locked.save()
        PAGES.changed()
        audit.record(
            action="idea.comment_published" if publish else "idea.comment_hidden",
            actor=actor,
            target=locked,
            request=request,
        )
        if locked.author is not None and locked.author.is_active:
            notify(
                kind="ideas.comment_moderated",
                recipient=locked.author,
                context={"comment": locked, "idea": locked.idea},
                url=locked.idea.get_absolute_url(),
            )
    return locked


# --- Votes ----------------------------------------------------------------------------------


def _vote_refusal(idea: Idea, now: dt.datetime | None) -> IdeaError | None:
    if idea.status == IdeaStatus.WITHDRAWN:
        return IdeaError(
            "withdrawn", _("This idea was withdrawn by its author: it takes no votes.")
        )
    if idea.status == IdeaStatus.MERGED:
        return IdeaError(
            "merged", _("This idea was merged with another: vote for that one instead.")
        )
    if idea.status != IdeaStatus.PUBLISHED or not idea.competition.is_published:
        return IdeaError("not_published", _("This idea takes no votes."))
    openness = idea.competition.openness(now)
    if not openness.voting:
        moment = now or timezone.now()
        if moment < idea.competition.voting_opens:
            return IdeaError("not_yet", _("Voting has not started yet."))
        return IdeaError("voting_closed", _("Voting is over."))
    return None


def vote(*, idea: Idea, person: Any, now: dt.datetime | None = None) -> Vote:
    """One vote of a verified person for a published idea while voting is open, within the
    competition's limit. Refusals: already voted, over the limit, outside the phase, a
    withdrawn or merged idea."""
    _require_verified(person)
    refusal = _vote_refusal(idea, now)
    if refusal is not None:
        raise refusal
    competition = idea.competition
    limit = competition.votes_per_person
    for _attempt in range(limit + 2):
        taken = dict(
            Vote.objects.filter(competition=competition, person=person).values_list(
                "idea_id", "slot"
            )
        )
        if idea.pk in taken:
            raise IdeaError("already_voted", _("You have already voted for this idea."))
        free = [slot for slot in range(1, limit + 1) if slot not in taken.values()]
        if not free:
            raise IdeaError(
                "limit",
                _(
                    "You have used all %(limit)s of your votes in this competition. Take one "
                    "back to vote for this idea."
                )
                % {"limit": limit},
            )
        try:
            with transaction.atomic():
                cast = Vote.objects.create(
                    competition=competition, idea=idea, person=person, slot=free[0]
                )
                Idea.objects.filter(pk=idea.pk).update(votes_count=F("votes_count") + 1)
        except IntegrityError:
            continue  # another request of this person took the slot or the idea: look again
        _watch_for_anomaly(idea, person, cast.created_at)
        return cast
    raise IdeaError("already_voted", _("You have already voted for this idea."))


def unvote(*, idea: Idea, person: Any, now: dt.datetime | None = None) -> bool:
    """Take a vote back while voting is open; answers whether there was one."""
    if not person.is_authenticated:
        raise IdeaError("login_required", _("Log in to take part."))
    if not idea.competition.openness(now).voting:
        raise IdeaError("voting_closed", _("Votes can be taken back only while voting is open."))
    with transaction.atomic():
        deleted, _rows = Vote.objects.filter(idea=idea, person=person).delete()
        if deleted:
            Idea.objects.filter(pk=idea.pk).update(votes_count=F("votes_count") - deleted)
    return bool(deleted)


def _watch_for_anomaly(idea: Idea, person: Any, at: dt.datetime) -> VoteAnomaly | None:
    """Flag a burst for staff: many votes for one idea within a window, from accounts created
    shortly before. Only a vote from a new account starts the count, so most votes cost
    nothing more."""
    new_after = at - dt.timedelta(days=conf.ANOMALY_ACCOUNT_DAYS)
    if person.date_joined < new_after:
        return None
    minutes = conf.ANOMALY_MINUTES
    start = at - dt.timedelta(minutes=minutes)
    recent = Vote.objects.filter(idea=idea, created_at__gt=start, created_at__lte=at)
    new = recent.filter(
        person__date_joined__gte=F("created_at") - dt.timedelta(days=conf.ANOMALY_ACCOUNT_DAYS)
    ).count()
    if new < conf.ANOMALY_VOTES:
        return None
    # One flag per idea and window: the window is the clock's slot of ANOMALY_MINUTES.
    epoch = int(at.timestamp()) // (minutes * 60) * (minutes * 60)
    window_start = dt.datetime.fromtimestamp(epoch, tz=dt.UTC)
    window_end = window_start + dt.timedelta(minutes=minutes)
    try:
        with transaction.atomic():
            anomaly, created = VoteAnomaly.objects.get_or_create(
                idea=idea,
                window_start=window_start,
                defaults={
                    "window_end": window_end,
                    "votes": recent.count(),
                    "new_accounts": new,
                },
            )
            if not created:
                VoteAnomaly.objects.filter(pk=anomaly.pk).update(
                    votes=recent.count(), new_accounts=new
                )
    except IntegrityError:
        return VoteAnomaly.objects.filter(idea=idea, window_start=window_start).first()
    return anomaly


def review_anomaly(
    *, anomaly: VoteAnomaly, actor: Any, note: str, request: HttpRequest | None = None
) -> VoteAnomaly:
    note = (note or "").strip()
    if not note:
        raise IdeaError("reason_required", _("Write what you found."))
    anomaly.reviewed_by = actor
    anomaly.reviewed_at = timezone.now()
    anomaly.review_note = note
    anomaly.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    audit.record(action="idea.anomaly_reviewed", actor=actor, target=anomaly, request=request)
    return anomaly
