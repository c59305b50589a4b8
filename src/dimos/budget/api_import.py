"""Importing a snapshot through the platform API: ``POST /api/v1/budget/snapshots``.

The same import as the staff pages and ``dimos budget-import``: a file with any problem changes
nothing and is answered 400 with every problem and its line number in ``details``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from dimos.api.api import Error, error_response, token_or_session
from dimos.budget.conf import conf
from dimos.budget.importer import ImportRefused, RowError, file_too_big
from dimos.budget.services import import_snapshot

router = Router(tags=["budget"])

PERMISSION = "budget.add_snapshot"


class SnapshotOut(Schema):
    id: int
    year: int
    as_of: date
    file_name: str
    sha256: str
    rows: int
    imported_at: datetime

    @staticmethod
    def resolve_year(obj: Any) -> int:
        return int(obj.year.year)


def _refused(request: HttpRequest, errors: list[RowError]) -> Any:
    return error_response(
        request, 400, "invalid_file", ImportRefused(errors).summary, [e.as_dict() for e in errors]
    )


@router.post(
    "/snapshots",
    response={201: SnapshotOut, 400: Error, 401: Error, 403: Error, 422: Error},
    auth=token_or_session,
    summary="Import a budget or execution file as a year's snapshot",
)
def import_snapshot_api(
    request: HttpRequest,
    year: Form[int],
    as_of: Form[date],
    file: File[UploadedFile],
) -> Any:
    """Upload a CSV (UTF-8, Windows-1253 or UTF-16; `;` or `,`) or XLSX file with the standard's
    Greek columns. Answered 201 with the snapshot, or 400 `invalid_file` with `details`: one
    `{line, message}` per problem (`line` null for the whole file). Needs the
    `budget.add_snapshot` permission (a budget officer's token)."""
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perm(PERMISSION)):
        raise HttpError(403, _("Only budget officers may import budget files."))
    if not 1900 <= year <= 2999:
        return _refused(request, [RowError(None, _("The year is not valid."))])
    if (file.size or 0) > conf.IMPORT_MAX_BYTES:
        return _refused(request, file_too_big(file.size or 0).errors)
    try:
        snapshot = import_snapshot(
            year=year,
            as_of=as_of,
            file_name=file.name or "budget",
            data=file.read(),
            actor=user,  # type: ignore[arg-type]
            request=request,
        )
    except ImportRefused as refused:
        return _refused(request, refused.errors)
    return 201, snapshot
