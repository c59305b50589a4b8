"""The residents' questions: published or not (with a reason), the asker told."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core.notifications import notify
from dimos.council.models import (
    AgendaItem,
    Question,
)
from dimos.council.services.common import (
    CouncilError,
    _actor,
    _audit,
    public_url,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from dimos.accounts.models import User


# --- Residents' questions -----------------------------------------------------------------


@transaction.atomic
def moderate_question(
    *,
    question: Question,
    approve: bool,
    reason: str = "",
    actor: User,
    request: HttpRequest | None = None,
) -> Question:
    """Publish a resident's question, or not (with a reason the asker is told)."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.status != Question.Status.PENDING:
        raise CouncilError(_("This question was already moderated."), code="moderated")
    reason = reason.strip()
    if not approve and not reason:
        raise CouncilError(_("Say why the question is not published."), code="reason")
    question.status = Question.Status.APPROVED if approve else Question.Status.REJECTED
    question.reason = "" if approve else reason
    question.moderated_at = timezone.now()
    question.moderated_by = _actor(actor)
    question.save(update_fields=["status", "reason", "moderated_at", "moderated_by"])
    item = AgendaItem.objects.select_related("meeting__organization").get(
        pk=question.agenda_item_id
    )
    _audit(
        "question_approved" if approve else "question_rejected",
        actor=actor,
        target=question,
        request=request,
        meeting=item.meeting_id,
        reason=question.reason[:500],
    )
    if question.user is not None and question.user.is_active:
        notify(
            kind="council.question",
            recipient=question.user,
            context={"question": question, "item": item, "meeting": item.meeting},
            url=public_url(item.meeting),
        )
    return question
