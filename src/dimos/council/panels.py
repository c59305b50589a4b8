"""What the council contributes to "My account" and the staff home."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from dimos.core.registry import QueueCounts
from dimos.council.models import (
    AgendaItem,
    Follow,
    ItemResult,
    Meeting,
    MeetingState,
    Question,
)

# A meeting held this many days ago without its minutes counts as overdue in the queue.
MINUTES_DUE_DAYS = 60


def lacking() -> Any:
    """The meetings held that still lack something: the list's "what is missing" column
    (:func:`dimos.council.services.missing_of`) as one query."""
    items = (
        AgendaItem.objects.live()
        .filter(meeting=OuterRef("pk"))
        .exclude(result=ItemResult.WITHDRAWN)
    )
    no_decision = (ItemResult.WITHDRAWN, ItemResult.NOTED, ItemResult.POSTPONED)
    return (
        Meeting.objects.live()
        .filter(state=MeetingState.HELD)
        .filter(
            Q(minutes__isnull=True)
            | Exists(items.filter(start_seconds__isnull=True))
            | Exists(
                items.exclude(result__in=no_decision).filter(
                    Q(decision__isnull=True) | Q(decision__deleted=True)
                )
            )
            | Exists(items.filter(decision__deleted=False, decision__ada=""))
        )
    )


def queue_counts(user: Any) -> QueueCounts:
    """Questions waiting for moderation and meetings held that lack something; overdue: held
    more than MINUTES_DUE_DAYS ago and still without minutes."""
    pending = Question.objects.filter(status=Question.Status.PENDING).count()
    held = lacking()
    late = held.filter(
        minutes__isnull=True, end__lt=timezone.now() - timedelta(days=MINUTES_DUE_DAYS)
    ).count()
    return QueueCounts(open=pending + held.count(), overdue=late)


def my_panel(request: Any) -> dict[str, Any]:
    follows = list(Follow.objects.filter(user=request.user).select_related("organization"))
    questions = list(
        Question.objects.filter(user=request.user)
        .select_related("agenda_item__meeting__organization")
        .order_by("-created_at")[:5]
    )
    return {"follows": follows, "questions": questions}
