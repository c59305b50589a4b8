"""Certificates issued online, per type and month (counts only), for the open-data catalogue."""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import TruncMonth

from dimos.certificates.models import IssuedDocument
from dimos.core.registry import Table

COLUMNS = ("month", "certificate_type", "name", "name_en", "issued")


def table() -> Table:
    counts = (
        IssuedDocument.objects.issued()
        .annotate(month=TruncMonth("issued_at"))
        .values(
            "month",
            "certificate_type__code",
            "certificate_type__name_el",
            "certificate_type__name_en",
        )
        .annotate(n=Count("pk"))
        .order_by("month", "certificate_type__code")
    )
    rows = (
        [
            row["month"].strftime("%Y-%m"),
            row["certificate_type__code"],
            row["certificate_type__name_el"],
            row["certificate_type__name_en"] or row["certificate_type__name_el"],
            row["n"],
        ]
        for row in counts
    )
    return Table(columns=COLUMNS, rows=rows)
