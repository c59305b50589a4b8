"""Reads of reports for pages, other apps and the API."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from dimos.reports.models import Report, ReportUpdate


def public_report(pk: int) -> Report:
    """A report as the public sees it, with its public timeline; 404 when hidden."""
    return get_object_or_404(
        Report.objects.public()
        .select_related("category", "category__group", "district", "duplicate_of")
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=ReportUpdate.objects.filter(is_public=True).order_by("created_at", "pk"),
                to_attr="public_updates",
            )
        ),
        pk=pk,
    )


def reports_of(user_id: int) -> QuerySet[Report]:
    return Report.objects.filter(reporter_id=user_id).select_related("category")
