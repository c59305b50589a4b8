"""Reads of the ideas app: competitions, their ideas with public vote counts, a person's own
ideas and votes, the moderation queues. Who voted for what is never read for a public page."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Now, TruncDate

from dimos.ideas.models import (
    Award,
    Comment,
    CommentStatus,
    Competition,
    EntryStatus,
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


def totals(competition: Competition) -> dict[str, int]:
    """The public figures: published ideas, votes counted, apps entered."""
    published = Idea.objects.filter(competition=competition, status=IdeaStatus.PUBLISHED)
    return {
        "ideas": published.count(),
        "votes": published.aggregate(n=Sum("votes_count"))["n"] or 0,
        "apps": competition.entries.filter(status=EntryStatus.ACCEPTED).count(),
    }


def published_awards(competition: Competition) -> QuerySet[Award]:
    return (
        Award.objects.filter(prize__competition=competition, is_published=True)
        .select_related("prize", "entry")
        .order_by("prize__rank")
    )


def votes_per_theme(competition: Competition) -> list[tuple[Theme, int, int]]:
    """(theme, published ideas, votes) for each theme, in the themes' order."""
    themes = competition.themes.annotate(
        ideas_n=Count("ideas", filter=Q(ideas__status=IdeaStatus.PUBLISHED)),
        votes_n=Sum("ideas__votes_count", filter=Q(ideas__status=IdeaStatus.PUBLISHED)),
    )
    return [(t, t.ideas_n, t.votes_n or 0) for t in themes]


def votes_per_day(competition: Competition) -> list[tuple[Any, int]]:
    """(day, votes cast that day and still counted) over the voting phase."""
    rows = (
        Vote.objects.filter(competition=competition, idea__status=IdeaStatus.PUBLISHED)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    return [(row["day"], row["n"]) for row in rows]


def published_for_staff() -> QuerySet[Idea]:
    """Published ideas of competitions still voting or before: a moderator may still reject
    or merge them."""
    return (
        Idea.objects.filter(status=IdeaStatus.PUBLISHED, competition__voting_closes__gt=Now())
        .select_related("competition", "theme")
        .order_by("-published_at", "-pk")
    )
