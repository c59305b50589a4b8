"""Background work of the reports app."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def attach_media_url(report_id: int, url: str) -> None:
    """Fetch the photo an Open311 client linked to and attach it to the report."""
    from dimos.reports.models import Report
    from dimos.reports.services import attach_photo_from_url

    report = Report.objects.filter(pk=report_id).first()
    if report is not None:
        attach_photo_from_url(report=report, url=url)


@task()
def refresh_clusters(
    key: str, latest: str, zoom: int, aligned: list[float], filters: dict[str, str]
) -> None:
    """Compute a map answer that changed, while visitors get the last one."""
    from dimos.reports.clusters import rebuild

    rebuild(key, latest, zoom, aligned, filters)


@task()
def refresh_figures(
    user_id: int, filters: dict[str, Any], language: str, key: str, last: str
) -> None:
    """Compute the dashboard's figures again after a change, while staff see the last ones."""
    from django.utils import translation

    from dimos.accounts.models import User
    from dimos.reports.dashboard import _filters_from, compute_figures

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    with translation.override(language):
        compute_figures(user, _filters_from(filters), key, last)
