"""What the certificates app holds about a person: exported on request, erased with the account.

A request the person filed (or that was filed for them from their account) is theirs: the
holder's details, the answers (a tax number among them), the contacts, the documents they
uploaded and the history. Erasing the account withdraws open requests and clears all of it,
files included. An *issued* certificate is a record the municipality must keep (GDPR art.
17(3)(b)): its registry row and the request's holder details printed on the document stay,
unlinked from the account and without contacts or uploads (ADR 0005).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from dimos.certificates.models import (
    OPEN_STATUSES,
    Attachment,
    CertificateRequest,
    DocumentStatus,
    IssuedDocument,
    RequestEvent,
    Status,
)
from dimos.core.registry import ExportFile

if TYPE_CHECKING:
    from dimos.accounts.models import User


def _requests(user: User) -> Any:
    return CertificateRequest.objects.filter(applicant=user)


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name)[:80] or "file"


def attachment_path(attachment: Attachment) -> str:
    return (
        f"certificates/request-{attachment.request_id}/"
        f"{attachment.pk}-{_safe(attachment.original_name)}"
    )


def document_path(document: IssuedDocument) -> str:
    return f"certificates/request-{document.request_id}/certificate-{document.code}.pdf"


def export_for(user: User) -> list[dict[str, Any]]:
    rows = []
    requests = (
        _requests(user)
        .select_related("certificate_type")
        .prefetch_related("attachments", "documents", "events")
    )
    for req in requests:
        rows.append(
            {
                "id": req.pk,
                "certificate": req.certificate_type.name_el,
                "status": req.status,
                "submitted_at": req.submitted_at.isoformat(),
                "requested_for": req.requester,
                "relationship": req.relationship,
                "holder": {
                    "name": req.holder_name,
                    "father_name": req.holder_father_name,
                    "birth_date": (
                        req.holder_birth_date.isoformat() if req.holder_birth_date else None
                    ),
                    "address": req.holder_address,
                },
                "answers": req.data,
                "identity_checked": {
                    "how": req.identity_check,
                    "document": req.identity_document,
                    "number_ends_in": req.identity_document_digits,
                    "at": (
                        req.identity_checked_at.isoformat() if req.identity_checked_at else None
                    ),
                },
                "contact": {"email": req.contact_email, "phone": req.contact_phone},
                "home_delivery": req.home_delivery,
                "delivery_address": req.delivery_address,
                "protocol_number": req.protocol_number,
                "history": [
                    {"at": e.created_at.isoformat(), "kind": e.kind, "message": e.message}
                    for e in req.events.all()
                    if e.public
                ],
                "attachments": [
                    {
                        "document": a.label or a.kind,
                        "name": a.original_name,
                        "type": a.content_type,
                        "size": a.size,
                        "uploaded_at": a.created_at.isoformat(),
                        "file": attachment_path(a),
                    }
                    for a in req.attachments.all()
                ],
                "documents": [
                    {
                        "code": d.code,
                        "status": d.status,
                        "issued_at": d.issued_at.isoformat(),
                        "file": document_path(d),
                    }
                    for d in req.documents.issued()
                ],
            }
        )
    return rows


def files_for(user: User) -> Iterator[ExportFile]:
    for attachment in Attachment.objects.filter(request__applicant=user):
        yield ExportFile(attachment_path(attachment), _reader(attachment.file))
    for document in IssuedDocument.objects.issued().filter(request__applicant=user):
        yield ExportFile(document_path(document), _reader(document.pdf))


def _reader(field: Any) -> Any:
    def read() -> bytes:
        with field.open("rb") as handle:
            return bytes(handle.read())

    return read


def retained_for(user: User) -> list[tuple[str, Any]]:
    """The rows whose holder details an erasure keeps by law: issued certificates (registry
    rows) and the requests behind them. Contacts and uploads go even from these."""
    issued = list(
        _requests(user).filter(documents__isnull=False).distinct().values_list("pk", flat=True)
    )
    documents = IssuedDocument.objects.filter(request__in=issued).values_list("pk", flat=True)
    return [("certificates.certificaterequest", pk) for pk in issued] + [
        ("certificates.issueddocument", pk) for pk in documents
    ]


def erase_for(user: User) -> None:
    """Withdraw open requests; clear everything about the person except issued certificates."""
    now = timezone.now()
    mine = _requests(user)
    for attachment in Attachment.objects.filter(request__in=mine):
        attachment.file.delete(save=False)
    Attachment.objects.filter(request__in=mine).delete()
    RequestEvent.objects.filter(request__in=mine).update(message="")
    # A certificate whose signing failed is never issued now, as when a request is rejected:
    # the void row keeps its reserved protocol number explained.
    IssuedDocument.objects.filter(request__in=mine, status=DocumentStatus.PENDING).update(
        status=DocumentStatus.VOID, issue_error=""
    )
    # Only a signed certificate keeps the details it printed (the registry answers for it).
    issued = mine.filter(documents__in=IssuedDocument.objects.issued()).values("pk")
    mine.exclude(pk__in=issued).update(
        holder_name="",
        holder_father_name="",
        holder_birth_date=None,
        holder_address="",
        relationship="",
        data={},
        identity_notes="",
        identity_document_digits="",
        info_request="",
        rejection_reason="",
    )
    mine.filter(status__in=OPEN_STATUSES).update(
        status=Status.REJECTED, rejection_reason="account erased"
    )
    mine.update(
        contact_email="",
        contact_phone="",
        delivery_address="",
        applicant=None,
        updated_at=now,
    )
