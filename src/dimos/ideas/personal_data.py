"""What the ideas app holds about a person: the ideas they proposed (with their image), their
comments, their votes, the app entries of teams they belong to, the team invitations sent to
their address, and — as a juror — the scores they gave and the conflicts they declared.

Erasing the account deletes the ideas nobody else could see (drafts, waiting, not published,
withdrawn) with their images, and every comment. Published and merged ideas stay — others voted
for them and apps were built on them — with no author. Votes stay counted as anonymous votes
(ADR 0030): the public counts remain true and the vote is linked to nobody. The person leaves
the teams they were in; an entry whose contact address was theirs keeps another member's.
Invitations to their address are deleted. A juror's scores and conflicts stay with the results
they made (ADR 0030), linked to the anonymous account.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.db import transaction

from dimos.core.registry import ExportFile
from dimos.ideas.models import (
    AppEntry,
    Comment,
    ConflictOfInterest,
    EntryInvitation,
    EntryMember,
    Idea,
    IdeaStatus,
    Score,
    Vote,
)

if TYPE_CHECKING:
    from dimos.accounts.models import User

KEPT = (IdeaStatus.PUBLISHED, IdeaStatus.MERGED)


def _image_name(idea: Idea) -> str:
    return f"ideas/idea-{idea.pk}.jpg"


def export_for(user: User) -> dict[str, Any] | None:
    ideas = list(Idea.objects.filter(author=user).select_related("competition", "theme"))
    comments = list(Comment.objects.filter(author=user).select_related("idea"))
    votes = list(Vote.objects.filter(person=user).select_related("idea", "competition"))
    entries = list(
        AppEntry.objects.filter(memberships__account=user)
        .select_related("competition")
        .prefetch_related("memberships", "ideas", "datasets", "screenshots")
    )
    invitations = list(
        EntryInvitation.objects.filter(email__iexact=user.email).select_related("entry")
        if user.email
        else []
    )
    scores = list(
        Score.objects.filter(juror__account=user).select_related(
            "entry", "criterion", "juror__competition"
        )
    )
    conflicts = list(ConflictOfInterest.objects.filter(juror__account=user).select_related("entry"))
    if not (ideas or comments or votes or entries or invitations or scores or conflicts):
        return None
    return {
        "ideas": [
            {
                "competition": i.competition.title_el,
                "theme": i.theme.name_el,
                "title": i.title,
                "description": i.description,
                "place": i.place_name,
                "lat": i.lat,
                "lon": i.lon,
                "image": _image_name(i) if i.image else None,
                "image_alt": i.image_alt,
                "status": i.status,
                "moderation_reason": i.moderation_reason,
                "created_at": i.created_at.isoformat(),
                "submitted_at": i.submitted_at.isoformat() if i.submitted_at else None,
            }
            for i in ideas
        ],
        "comments": [
            {
                "idea": c.idea.title,
                "body": c.body,
                "status": c.status,
                "moderation_reason": c.moderation_reason,
                "created_at": c.created_at.isoformat(),
            }
            for c in comments
        ],
        "votes": [
            {
                "competition": v.competition.title_el,
                "idea": v.idea.title,
                "voted_at": v.created_at.isoformat(),
            }
            for v in votes
        ],
        "app_entries": [
            {
                "competition_id": e.competition_id,
                "team": e.team_name,
                "app": e.name,
                "contact_email": e.contact_email,
                "is_contact": any(
                    m.account_id == user.pk and m.is_contact for m in e.memberships.all()
                ),
                "status": e.status,
                "status_reason": e.status_reason,
                "description": e.description,
                "ideas": [i.title for i in e.ideas.all()],
                "datasets": [d.slug for d in e.datasets.all()],
                "links": [u for u in (e.web_url, e.store_url, e.source_url) if u],
                "licence": e.licence,
                "screenshots": [s.alt for s in e.screenshots.all()],
                "submitted_at": e.submitted_at.isoformat(),
            }
            for e in entries
        ],
        "team_invitations": [
            {
                "app": i.entry.name,
                "email": i.email,
                "sent_at": i.created_at.isoformat(),
                "accepted_at": i.accepted_at.isoformat() if i.accepted_at else None,
            }
            for i in invitations
        ],
        "jury_scores": [
            {
                "competition": s.juror.competition.title_el,
                "app": s.entry.name,
                "criterion": s.criterion.name_el,
                "score": s.value,
                "note": s.comment,
                "given_at": s.created_at.isoformat(),
            }
            for s in scores
        ],
        "jury_conflicts_of_interest": [
            {"app": c.entry.name, "reason": c.reason, "declared_at": c.declared_at.isoformat()}
            for c in conflicts
        ],
    }


def files_for(user: User) -> Iterator[ExportFile]:
    for idea in Idea.objects.filter(author=user).exclude(image=""):

        def read(idea: Idea = idea) -> bytes:
            with idea.image.open("rb") as handle:
                return bytes(handle.read())

        yield ExportFile(_image_name(idea), read)


def erase_for(user: User) -> None:
    files: list[Any] = []
    with transaction.atomic():
        gone = Idea.objects.filter(author=user).exclude(status__in=KEPT)
        for idea in gone.exclude(image=""):
            files += [idea.image, idea.thumbnail]
        # Ideas merged into one of the person's gone ideas cannot be: only published ideas
        # take merges, and published ideas are kept.
        gone.delete()
        Idea.objects.filter(author=user).update(author=None)
        Comment.objects.filter(author=user).delete()
        Vote.objects.filter(person=user).update(person=None)
        if user.email:
            EntryInvitation.objects.filter(email__iexact=user.email).delete()
        EntryInvitation.objects.filter(invited_by=user).update(invited_by=None)
        entries = list(AppEntry.objects.filter(memberships__account=user))
        EntryMember.objects.filter(account=user).delete()
        for entry in entries:
            if entry.contact_email.lower() == user.email.lower():
                other = entry.memberships.select_related("account").order_by("-is_contact").first()
                entry.contact_email = other.account.email if other else ""
                entry.save(update_fields=["contact_email", "updated_at"])
            if entry.created_by_id == user.pk:
                AppEntry.objects.filter(pk=entry.pk).update(created_by=None)
    for file in files:
        if file:
            file.delete(save=False)
