"""What the volunteers app holds about a person: their volunteer profile, its history, the
documents seen while vetting and the hours they gave.

Erasing the account removes all of it (the row and everything hanging from it, and the
documents' files); the audit log keeps its entries, which name no one. The volunteers' figures
lose the erased person's hours: they were the person's own record.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from dimos.core.registry import ExportFile
from dimos.volunteers.models import Volunteer, VolunteerDocument, slots_of

if TYPE_CHECKING:
    from dimos.accounts.models import User


def _path(item: VolunteerDocument) -> str:
    extension = item.file.name.rsplit(".", 1)[-1] if "." in item.file.name else "bin"
    return f"volunteers/document-{item.pk}.{extension}"


def export_for(user: User) -> dict[str, Any] | None:
    volunteer = (
        Volunteer.objects.filter(user=user)
        .select_related("conduct", "identity_checked_by")
        .prefetch_related("skills", "districts")
        .first()
    )
    if volunteer is None:
        return None
    return {
        "status": volunteer.status,
        "status_reason": volunteer.status_reason,
        "phone": volunteer.phone,
        "languages": volunteer.languages,
        "skills": [s.code for s in volunteer.skills.all()],
        "has_car": volunteer.has_car,
        "districts": [d.code for d in volunteer.districts.all()],
        "availability": [{"day": d, "period": p} for d, p in slots_of(volunteer.availability)],
        "about": volunteer.about,
        "applied_at": volunteer.applied_at.isoformat(),
        "approved_at": volunteer.approved_at.isoformat() if volunteer.approved_at else None,
        "code_of_conduct": [
            {"version": a.conduct.version, "accepted_at": a.accepted_at.isoformat()}
            for a in volunteer.conduct_acceptances.select_related("conduct")
        ],
        "identity_checked": {
            "how": volunteer.identity_method,
            "notes": volunteer.identity_notes,
            "at": volunteer.identity_checked_at.isoformat()
            if volunteer.identity_checked_at
            else None,
        },
        "history": [
            {
                "kind": e.kind,
                "status": e.status,
                "message": e.message,
                "at": e.created_at.isoformat(),
            }
            for e in volunteer.events.filter(public=True)
        ],
        "documents": [
            {"what": d.label, "name": d.original_name, "file": _path(d)}
            for d in volunteer.documents.all()
        ],
        "hours": [
            {"date": h.date.isoformat(), "hours": str(h.hours), "what": h.description}
            for h in volunteer.hours.all()
        ],
    }


def files_for(user: User) -> Iterator[ExportFile]:
    for item in VolunteerDocument.objects.filter(volunteer__user=user):
        yield ExportFile(_path(item), _reader(item.file))


def _reader(field: Any) -> Any:
    def read() -> bytes:
        with field.open("rb") as handle:
            return bytes(handle.read())

    return read


def erase_for(user: User) -> None:
    for item in VolunteerDocument.objects.filter(volunteer__user=user):
        item.file.delete(save=False)
    Volunteer.objects.filter(user=user).delete()
