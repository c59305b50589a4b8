"""What the Advocate holds about a person: their complaints, messages and documents.

Erasing the account anonymises each of their complaints (identity, texts and files removed,
``erased_at`` set): the case stays, without a person, for the annual figures the law asks for.
Complaints filed with the account's email address before logging in count as theirs too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from dimos.advocate.models import Attachment, Complaint
from dimos.core.registry import ExportFile

if TYPE_CHECKING:
    from dimos.accounts.models import User


def _theirs(user: User) -> QuerySet[Complaint]:
    mine = Q(user=user)
    if user.email:
        mine |= Q(email__iexact=user.email)
    return Complaint.objects.filter(mine, erased_at__isnull=True)


def _path(item: Attachment) -> str:
    extension = item.file.name.rsplit(".", 1)[-1] if "." in item.file.name else "bin"
    return f"advocate/document-{item.pk}.{extension}"


def export_for(user: User) -> list[dict[str, Any]] | None:
    found = list(_theirs(user).select_related("body"))
    if not found:
        return None
    return [
        {
            "reference": c.reference,
            "as": c.kind,
            "name": c.name,
            "business_name": c.business_name,
            "tax_number": c.tax_number,
            "email": c.email,
            "phone": c.phone,
            "share_identity": c.share_identity,
            "service": str(c.body.name),
            "category": c.category,
            "happened_on": c.happened_on.isoformat() if c.happened_on else None,
            "description": c.description,
            "earlier_steps": c.earlier_steps,
            "earlier_protocol": c.earlier_protocol,
            "request": c.request,
            "status": c.status,
            "submitted_at": c.submitted_at.isoformat() if c.submitted_at else None,
            "answer": c.answer,
            "messages": [
                {"from": m.direction, "text": m.text, "at": m.created_at.isoformat()}
                for m in c.messages.all()
            ],
            "history": [
                {
                    "kind": e.kind,
                    "status": e.status,
                    "message": e.message,
                    "at": e.created_at.isoformat(),
                }
                for e in c.events.filter(public=True)
            ],
            "documents": [
                {"name": a.original_name, "file": _path(a)}
                for a in c.attachments.filter(from_complainant=True)
            ],
        }
        for c in found
    ]


def files_for(user: User) -> Iterator[ExportFile]:
    for item in Attachment.objects.filter(complaint__in=_theirs(user), from_complainant=True):
        yield ExportFile(_path(item), _reader(item.file))


def _reader(field: Any) -> Any:
    def read() -> bytes:
        with field.open("rb") as handle:
            return bytes(handle.read())

    return read


def erase_for(user: User) -> None:
    from dimos.advocate.services import anonymise

    for complaint in _theirs(user):
        anonymise(complaint)
