"""What the council contributes to "My account" and the staff home."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from dimos.core.registry import QueueCounts
from dimos.council.models import Follow, Meeting, MeetingState, Question

# A meeting held this many days ago without its minutes counts as overdue in the queue.
MINUTES_DUE_DAYS = 60


def queue_counts(user: Any) -> QueueCounts:
    pending = Question.objects.filter(status=Question.Status.PENDING).count()
    held = Meeting.objects.live().filter(state=MeetingState.HELD, minutes__isnull=True)
    late = held.filter(end__lt=timezone.now() - timedelta(days=MINUTES_DUE_DAYS)).count()
    return QueueCounts(open=pending + held.count(), overdue=late)


def my_panel(request: Any) -> dict[str, Any]:
    follows = list(Follow.objects.filter(user=request.user).select_related("organization"))
    questions = list(
        Question.objects.filter(user=request.user)
        .select_related("agenda_item__meeting__organization")
        .order_by("-created_at")[:5]
    )
    return {"follows": follows, "questions": questions}
