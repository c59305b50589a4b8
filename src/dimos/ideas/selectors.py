"""Reads of the ideas app: competitions, their ideas with public vote counts, a person's own
ideas and votes, the moderation queues. Who voted for what is never read for a public page."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

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

SORTS = {"votes": ("-votes_count", "-published_at", "-pk"), "newest": ("-published_at", "-pk")}


def competitions() -> QuerySet[Competition]:
    return Competition.objects.published().annotate(
        published_ideas=Count("ideas", filter=Q(ideas__status=IdeaStatus.PUBLISHED))
    )


def competition(slug: str) -> Competition | None:
    return Competition.objects.published().filter(slug=slug).first()


def themes_of(competition: Competition) -> QuerySet[Theme]:
    return competition.themes.annotate(
        published_ideas=Count("ideas", filter=Q(ideas__status=IdeaStatus.PUBLISHED))
    )


def public_ideas(
    competition: Competition, *, theme: int | None = None, sort: str = "votes"
) -> QuerySet[Idea]:
    ideas = Idea.objects.filter(competition=competition, status=IdeaStatus.PUBLISHED)
    if theme is not None:
        ideas = ideas.filter(theme_id=theme)
    return ideas.select_related("theme").order_by(*SORTS.get(sort, SORTS["votes"]))


def public_idea(competition: Competition, pk: int) -> Idea | None:
    """A published idea, or a merged one (its page points to the idea it joined)."""
    return (
        Idea.objects.filter(
            competition=competition,
            pk=pk,
            status__in=(IdeaStatus.PUBLISHED, IdeaStatus.MERGED),
        )
        .select_related("theme", "merged_into", "competition")
        .first()
    )


def published_comments(idea: Idea) -> QuerySet[Comment]:
    return idea.comments.filter(status=CommentStatus.PUBLISHED).select_related("author")


def ideas_of(user: Any) -> QuerySet[Idea]:
    if not user.is_authenticated:
        return Idea.objects.none()
    return (
        Idea.objects.filter(author=user)
        .select_related("competition", "theme", "merged_into")
        .order_by("-created_at", "-pk")
    )


def voted_idea_ids(user: Any, competition: Competition) -> set[int]:
    """The ideas this person voted for in the competition: shown only to themselves."""
    if not user.is_authenticated:
        return set()
    return set(
        Vote.objects.filter(competition=competition, person=user).values_list("idea_id", flat=True)
    )


def votes_of(user: Any) -> QuerySet[Vote]:
    if not user.is_authenticated:
        return Vote.objects.none()
    return Vote.objects.filter(person=user).select_related("idea", "competition")


def votes_left(user: Any, competition: Competition) -> int:
    used = len(voted_idea_ids(user, competition))
    return max(0, competition.votes_per_person - used)


def ideas_to_moderate() -> QuerySet[Idea]:
    return (
        Idea.objects.filter(status=IdeaStatus.SUBMITTED)
        .select_related("competition", "theme", "author")
        .order_by("submitted_at", "pk")
    )


def comments_to_moderate() -> QuerySet[Comment]:
    return (
        Comment.objects.filter(status=CommentStatus.PENDING)
        .select_related("idea", "idea__competition", "author")
        .order_by("created_at", "pk")
    )


def open_anomalies() -> QuerySet[VoteAnomaly]:
    return (
        VoteAnomaly.objects.filter(reviewed_at__isnull=True)
        .select_related("idea", "idea__competition")
        .order_by("-detected_at", "pk")
    )
