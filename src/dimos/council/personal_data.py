"""What the council holds about a person with an account: the bodies and keywords they follow
and the questions they sent. Erasing the account deletes both, published questions too (a
question may name its author or their street).

A council member's public record (their :class:`~dimos.council.models.Person`, memberships and
votes) is not personal data of their account: it is the council's, kept by law; erasing the
account unlinks it and
forgets their email address.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dimos.council import freshness
from dimos.council.models import Follow, Person, Question

if TYPE_CHECKING:
    from dimos.accounts.models import User


def export_for(user: User) -> dict[str, Any] | None:
    follows = [
        {"body": f.organization.name_el if f.organization else None, "keyword": f.keyword}
        for f in Follow.objects.filter(user=user).select_related("organization")
    ]
    questions = [
        {
            "meeting": str(q.agenda_item.meeting),
            "item": q.agenda_item.number,
            "question": q.text,
            "status": q.status,
            "reason": q.reason,
            "answer": q.answer,
            "sent": q.created_at.isoformat(),
        }
        for q in Question.objects.filter(user=user).select_related("agenda_item__meeting")
    ]
    person = Person.objects.filter(user=user).first()
    member = (
        {"name": person.name, "role": person.role_el, "email": person.email} if person else None
    )
    if not follows and not questions and member is None:
        return None
    return {"follows": follows, "questions": questions, "council_member": member}


def erase_for(user: User) -> None:
    Follow.objects.filter(user=user).delete()
    Question.objects.filter(user=user).delete()
    # The member's public record stays (the law keeps it); their account and private email go.
    Person.objects.filter(user=user).update(user=None, email="", email_public=False)
    freshness.changed()  # an update sends no signal: no kept page or OParl answer shows it
