"""The whole certificate journey in a real browser, checked by axe-core on every page.

A resident asks for a residence certificate, a clerk asks for a document, the resident uploads
it, the clerk issues the signed PDF, the resident downloads it, and the public verification
page says the file is genuine, a tampered copy is not, and after revocation that it is revoked.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from dimos.accounts.models import User
from dimos.certificates.tests.conftest import PDF_BYTES
from dimos.portal.tests.test_browser import assert_no_violations, log_in_as, seed, use_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff_page(browser: Any, live_server: Any) -> Iterator[Page]:
    context: BrowserContext = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_request_ask_upload_issue_download_verify_tamper_revoke(
    page: Page,
    staff_page: Page,
    live_server: Any,
    citizen: User,
    issuer: User,
    tmp_path: Path,
) -> None:
    from dimos.certificates.demo import seed_types
    from dimos.certificates.models import CertificateRequest, IssuedDocument

    seed()
    seed_types()
    citizen.identity_verified = True
    citizen.save()
    url = live_server.url
    resident, clerk = page.context, staff_page.context
    for context in (resident, clerk):
        use_language(context, live_server, "en")
    log_in_as(resident, live_server, citizen)
    log_in_as(clerk, live_server, issuer)

    # The resident asks for a certificate of permanent residence.
    page.goto(url + "/certificates/")
    assert_no_violations(page)
    page.get_by_role("link", name="Certificate of permanent residence").click()
    assert_no_violations(page)
    page.locator("#id_holder_name").fill("Alice Resident")
    page.locator("#id_holder_father_name").fill("Nikos")
    page.locator("#id_holder_address").fill("Merarchias 12, Serres")
    page.locator("#id_f_years").fill("12")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator("#request-status")).to_have_text("New")
    assert_no_violations(page)
    request_url = page.url
    req = CertificateRequest.objects.get()

    # The clerk asks for a document.
    staff_page.goto(f"{url}/staff/certificates/{req.pk}/")
    assert_no_violations(staff_page)
    staff_page.locator("#id_message").fill("Please upload a utility bill with your address.")
    staff_page.get_by_role("button", name="Ask the resident").click()
    expect(staff_page.locator("#request-status")).to_have_text("Waiting for the resident")

    # The resident uploads it.
    page.goto(request_url)
    expect(
        page.get_by_text("Please upload a utility bill with your address.").first
    ).to_be_visible()
    assert_no_violations(page)
    page.locator("#id_message").fill("Here is my electricity bill.")
    page.locator("#id_document").set_input_files(
        {"name": "bill.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_role("button", name="Send the answer").click()
    expect(page.locator("#request-status")).to_have_text("In review")

    # The clerk issues the signed certificate.
    staff_page.goto(f"{url}/staff/certificates/{req.pk}/")
    expect(staff_page.get_by_role("link", name="Answer to the clerk")).to_be_visible()
    staff_page.get_by_role("button", name="Issue the signed certificate").click()
    expect(staff_page.locator("#request-status")).to_have_text("Issued")
    assert_no_violations(staff_page)
    document = IssuedDocument.objects.get()

    # The resident downloads it.
    page.goto(request_url)
    assert_no_violations(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the signed PDF").click()
    pdf = tmp_path / "certificate.pdf"
    download_info.value.save_as(pdf)
    content = pdf.read_bytes()
    assert content.startswith(b"%PDF-")

    # Anyone verifies the file: genuine.
    anonymous = page.context.browser.new_context()  # type: ignore[union-attr]
    use_language(anonymous, live_server, "en")
    public = anonymous.new_page()
    public.goto(url + "/verify/")
    assert_no_violations(public)
    public.locator("#id_pdf").set_input_files(str(pdf))
    public.get_by_role("button", name="Check the file").click()
    expect(public.get_by_role("heading", name="Genuine", exact=False)).to_be_visible()
    assert_no_violations(public)

    # A tampered copy: not genuine.
    tampered = bytearray(content)
    tampered[len(tampered) // 2] ^= 0x01
    fake = tmp_path / "tampered.pdf"
    fake.write_bytes(bytes(tampered))
    public.locator("#id_pdf").set_input_files(str(fake))
    public.get_by_role("button", name="Check the file").click()
    expect(public.get_by_role("heading", name="Not genuine", exact=False)).to_be_visible()
    assert_no_violations(public)

    # The clerk revokes it; the QR code's page says revoked.
    staff_page.goto(f"{url}/staff/certificates/{req.pk}/")
    staff_page.locator("#id_reason").first.fill("Issued with a wrong address.")
    staff_page.get_by_role("button", name="Revoke").click()
    expect(staff_page.get_by_text("The certificate was revoked.")).to_be_visible()
    public.goto(f"{url}/verify/{document.code}/")
    expect(public.get_by_role("heading", name="Revoked", exact=False)).to_be_visible()
    expect(public.locator("#verify-status")).to_have_text("revoked")
    assert_no_violations(public)
    anonymous.close()
