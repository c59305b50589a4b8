"""Background work of the reports app."""

from __future__ import annotations

from django_tasks import task


@task()
def attach_media_url(report_id: int, url: str) -> None:
    """Fetch the photo an Open311 client linked to and attach it to the report."""
    from dimos.reports.models import Report
    from dimos.reports.services import attach_photo_from_url

    report = Report.objects.filter(pk=report_id).first()
    if report is not None:
        attach_photo_from_url(report=report, url=url)
