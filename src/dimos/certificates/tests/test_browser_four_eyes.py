"""Four eyes in a real browser (ADR 0019): a clerk with the issuer role files a request for a
caller, recording the identity document checked; the request page shows that evidence and,
to the same clerk, why they may not issue it; a second issuer issues it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from dimos.testing.browser import (
    check_visible,
    click_visible,
    fill_visible,
    log_in_as,
    look,
    use_language,
)
from dimos.testing.data import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEY = "certificate-four-eyes"


def test_the_clerk_who_filed_for_a_caller_cannot_issue_it(
    page: Page, live_server: Any, new_context: Callable[..., BrowserContext]
) -> None:
    from dimos.certificates.demo import seed_types
    from dimos.certificates.models import CertificateRequest
    from dimos.testing.personas import staff

    seed()
    seed_types()
    filer = staff("filer@example.org", "certificates_issuer")
    second = staff("second@example.org", "certificates_issuer")
    url = live_server.url
    use_language(page.context, live_server, "en")
    log_in_as(page.context, live_server, filer)

    page.goto(f"{url}/staff/certificates/new/?type=permanent-residence")
    check_visible(page.get_by_label("myself"))
    fill_visible(page.locator("#id_holder_name"), "Kostas Georgiou")
    fill_visible(page.locator("#id_holder_father_name"), "Ioannis")
    fill_visible(page.locator("#id_holder_address"), "Ethnikis Antistaseos 5, Serres")
    fill_visible(page.locator("#id_f_years"), "60")
    check_visible(page.get_by_label("called back on the number in the municipal registry"))
    check_visible(page.get_by_label("passport", exact=True))
    fill_visible(page.locator("#id_identity_document_digits"), "48a")
    fill_visible(page.locator("#id_identity_notes"), "Called back on the registry number")
    click_visible(page.get_by_role("button", name="File the request"))
    expect(
        page.get_by_text("Give the last four digits of the document's number.").first
    ).to_be_visible()
    look(page, JOURNEY, "01-phone-intake-digits-missing")
    fill_visible(page.locator("#id_identity_document_digits"), "4821")
    click_visible(page.get_by_role("button", name="File the request"))
    expect(page.locator("#identity-evidence")).to_contain_text(
        "Document checked: passport, number ending in 4821"
    )
    expect(page.locator("#issue-refusal")).to_contain_text(
        "You filed this request on the person's behalf"
    )
    expect(page.get_by_role("button", name="Issue the signed certificate")).to_have_count(0)
    look(page, JOURNEY, "02-filer-may-not-issue")

    other = new_context()
    use_language(other, live_server, "en")
    log_in_as(other, live_server, second)
    second_page = other.new_page()
    req = CertificateRequest.objects.get()
    second_page.goto(f"{url}/staff/certificates/{req.pk}/")
    click_visible(second_page.get_by_role("button", name="Issue the signed certificate"))
    expect(second_page.locator("#request-status")).to_have_text("Issued")
    look(second_page, JOURNEY, "03-issued-by-another")
