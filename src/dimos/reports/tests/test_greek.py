"""The reports' Greek: one report's status in the singular, many in the plural."""

from __future__ import annotations

from django.utils import translation

from dimos.reports.models import Status


def test_one_reports_status_is_singular_in_greek() -> None:
    with translation.override("el"):
        assert str(Status.OPEN.label) == "Ανοιχτή"
        assert translation.gettext("Open") == "Ανοιχτές"  # over many: filters, counts
