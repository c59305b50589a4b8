"""The gas-leak notice is a warning whose emergency number is a call link (docs/glossary.md)."""

from __future__ import annotations

import pytest
from django.test import Client

from dimos.reports.demo import seed_categories


@pytest.mark.django_db
def test_the_gas_leak_notice_is_a_warning_with_a_call_link(municipality: object) -> None:
    seed_categories()
    html = Client(headers={"accept-language": "el"}).get("/reports/new/gas-smell/")
    text = html.content.decode()
    assert 'class="govgr-warning-text dimos-notice" role="alert"' in text
    assert "govgr-warning-text__icon" in text
    assert '<a class="govgr-link" href="tel:199">199</a>' in text
