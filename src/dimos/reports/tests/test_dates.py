"""A report's page and its emails show Greek dates with the month in the genitive, as the
portal's pages do (``portal/tests/test_dates.py``)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from dimos.portal.demo import seed_news
from dimos.reports.models import Status
from dimos.reports.services import change_status
from dimos.reports.tests.factories import ReportFactory
from dimos.testing.greek import DAY_AND_NOMINATIVE, MONTHS_GENITIVE


@pytest.mark.django_db
def test_pages_and_emails_show_greek_dates_in_the_genitive(
    municipality: object, django_capture_on_commit_callbacks: Any
) -> None:
    seed_news()
    report = ReportFactory.create(
        reporter_email="someone@example.org", status=Status.OPEN, expected_on=date(2026, 12, 2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        change_status(report=report, to=Status.ACKNOWLEDGED, actor=None, note="Το είδαμε.")
    client = Client(headers={"accept-language": "el"})
    pages: dict[str, str] = {p: client.get(p).content.decode() for p in ("/", "/news/")}
    pages[f"/reports/{report.pk}/"] = client.get(f"/reports/{report.pk}/").content.decode()
    emails: dict[str, str] = {str(m.subject): str(m.body) for m in mail.outbox}
    assert emails, "the status change sent no email"
    for where, text in {**pages, **emails}.items():
        assert not DAY_AND_NOMINATIVE.search(text), (where, DAY_AND_NOMINATIVE.search(text))
    genitive = re.compile(rf"\b\d{{1,2}} ({MONTHS_GENITIVE}) \d{{4}}")
    assert genitive.search(pages[f"/reports/{report.pk}/"])
    assert any(genitive.search(body) for body in emails.values()), emails
