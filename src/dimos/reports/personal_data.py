"""What the reports app holds about a person: their reports, photos, words and follows.

The reports stay on the map after an erasure (a problem in the street is not personal data),
without the person: no name, email or phone. They point at the account's anonymous stub,
which holds nothing personal either (and keeps every report's "has a contact" rule true).
What the person wrote on a report as a resident (why they reopened it) is cleared; what they
follow is deleted.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone

from dimos.core.registry import ExportFile
from dimos.reports.models import Report, ReportPhoto, ReportUpdate, Subscription
from dimos.reports.services import report_url

if TYPE_CHECKING:
    from dimos.accounts.models import User


def _mine(user: User) -> Q:
    return Q(reporter=user) | (Q(reporter__isnull=True) & Q(reporter_email__iexact=user.email))


def photo_path(photo: ReportPhoto) -> str:
    extension = os.path.splitext(photo.image.name)[1] or ".jpg"
    return f"reports/report-{photo.report_id}/photo-{photo.pk}{extension}"


def export_for(user: User) -> dict[str, Any]:
    """The person's reports (filed logged in, or without an account from their email), their
    photos and words on reports, and what they follow."""
    reports = Report.objects.filter(_mine(user)).select_related("category").order_by("pk")
    subscriptions = Subscription.objects.filter(user=user).select_related("report", "district")
    return {
        "reports": [
            {
                "id": r.pk,
                "url": report_url(r),
                "category": r.category.code,
                "status": r.status,
                "created_at": r.created_at.isoformat(),
                "description": r.description,
                "address": r.address,
                "lat": r.lat,
                "lon": r.lon,
                "name": r.reporter_name,
                "email": r.reporter_email,
                "phone": r.reporter_phone,
                "show_name": r.show_name,
            }
            for r in reports
        ],
        "photos": [
            {"report": p.report_id, "taken_in": p.created_at.isoformat(), "file": photo_path(p)}
            for p in ReportPhoto.objects.filter(uploaded_by=user)
        ],
        "updates": [
            {
                "report": u.report_id,
                "at": u.created_at.isoformat(),
                "kind": u.kind,
                "text": u.text,
                "details": u.details,
            }
            for u in ReportUpdate.objects.filter(actor=user).order_by("pk")
        ],
        "following": [
            {
                "report": s.report_id,
                "district": s.district.code if s.district else None,
                "since": s.created_at.isoformat(),
            }
            for s in subscriptions
        ],
    }


def files_for(user: User) -> Iterator[ExportFile]:
    for photo in ReportPhoto.objects.filter(uploaded_by=user):

        def read(photo: ReportPhoto = photo) -> bytes:
            with photo.image.open("rb") as handle:
                return bytes(handle.read())

        yield ExportFile(photo_path(photo), read)


def erase_for(user: User) -> None:
    now = timezone.now()
    Report.objects.filter(_mine(user)).update(
        reporter=user,
        reporter_email="",
        reporter_name="",
        reporter_phone="",
        show_name=False,
        updated_at=now,  # cached public pages may have shown the name
    )
    ReportPhoto.objects.filter(uploaded_by=user).update(uploaded_by=None)
    if not user.is_staff:
        # A resident's words (why they reopened a report); staff updates are the
        # municipality's work and stay, pointing at the stub.
        ReportUpdate.objects.filter(actor=user).update(text="")
    Subscription.objects.filter(user=user).delete()
    Subscription.objects.filter(user__isnull=True, email__iexact=user.email).delete()
