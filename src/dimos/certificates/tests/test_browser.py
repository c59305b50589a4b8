"""The whole certificate journey in a real browser, checked by axe-core on every page.

A resident asks for a residence certificate, a clerk asks for a document, the resident uploads
it, the clerk issues the signed PDF, the resident downloads it, and the public verification
page says the file is genuine, a tampered copy is not, and after revocation that it is revoked.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from dimos.accounts.models import User
from dimos.certificates.tests.conftest import PDF_BYTES
from dimos.testing.browser import (
    click_visible,
    fill_visible,
    log_in_as,
    look,
    upload_visible,
    use_language,
)
from dimos.testing.data import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


JOURNEY = "certificate"


@pytest.fixture
def staff_page(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context().new_page()


def test_request_ask_upload_issue_download_verify_tamper_revoke(
    page: Page,
    staff_page: Page,
    live_server: Any,
    citizen: User,
    issuer: User,
    tmp_path: Path,
    new_context: Callable[..., BrowserContext],
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
    look(page, JOURNEY, "01-catalogue")
    click_visible(page.get_by_role("link", name="Certificate of permanent residence"))
    look(page, JOURNEY, "02-request-form")
    fill_visible(page.locator("#id_holder_name"), "Alice Resident")
    fill_visible(page.locator("#id_holder_father_name"), "Nikos")
    fill_visible(page.locator("#id_holder_address"), "Merarchias 12, Serres")
    fill_visible(page.locator("#id_f_years"), "12")
    click_visible(page.get_by_role("button", name="Send the request"))
    expect(page.locator("#request-status")).to_have_text("New")
    look(page, JOURNEY, "03-request-sent")
    request_url = page.url
    req = CertificateRequest.objects.get()

    # The clerk asks for a document.
    staff_page.goto(f"{url}/staff/certificates/{req.pk}/")
    look(staff_page, JOURNEY, "04-staff-request")
    fill_visible(
        staff_page.locator("#id_message"), "Please upload a utility bill with your address."
    )
    click_visible(staff_page.get_by_role("button", name="Ask the resident"))
    expect(staff_page.locator("#request-status")).to_have_text("Waiting for the resident")

    # The resident uploads it.
    page.goto(request_url)
    expect(
        page.get_by_text("Please upload a utility bill with your address.").first
    ).to_be_visible()
    look(page, JOURNEY, "05-asked-for-a-document")
    fill_visible(page.locator("#id_message"), "Here is my electricity bill.")
    upload_visible(
        page,
        page.locator("#id_document"),
        {"name": "bill.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES},
    )
    click_visible(page.get_by_role("button", name="Send the answer"))
    expect(page.locator("#request-status")).to_have_text("In review")

    # The clerk issues the signed certificate.
    staff_page.goto(f"{url}/staff/certificates/{req.pk}/")
    expect(staff_page.get_by_role("link", name="Answer to the clerk")).to_be_visible()
    click_visible(staff_page.get_by_role("button", name="Issue the signed certificate"))
    expect(staff_page.locator("#request-status")).to_have_text("Issued")
    look(staff_page, JOURNEY, "06-staff-issued")
    document = IssuedDocument.objects.get()

    # The resident downloads it.
    page.goto(request_url)
    look(page, JOURNEY, "07-resident-download")
    with page.expect_download() as download_info:
        click_visible(page.get_by_role("link", name="Download the signed PDF"))
    pdf = tmp_path / "certificate.pdf"
    download_info.value.save_as(pdf)
    content = pdf.read_bytes()
    assert content.startswith(b"%PDF-")

    # Anyone verifies the file: genuine.
    anonymous = new_context()
    use_language(anonymous, live_server, "en")
    public = anonymous.new_page()
    public.goto(url + "/verify/")
    look(public, JOURNEY, "08-verify")
    upload_visible(public, public.locator("#id_pdf"), str(pdf))
    click_visible(public.get_by_role("button", name="Check the file"))
    expect(public.get_by_role("heading", name="Genuine", exact=False)).to_be_visible()
    look(public, JOURNEY, "09-verify-genuine")

    # A tampered copy: not a certificate the municipality issued (its hash is unknown).
    tampered = bytearray(content)
    tampered[len(tampered) // 2] ^= 0x01
    fake = tmp_path / "tampered.pdf"
    fake.write_bytes(bytes(tampered))
    upload_visible(public, public.locator("#id_pdf"), str(fake))
    click_visible(public.get_by_role("button", name="Check the file"))
    expect(
        public.get_by_role(
            "heading", name="Not a certificate issued by this municipality", exact=False
        )
    ).to_be_visible()
    look(public, JOURNEY, "10-verify-tampered")

    # The clerk revokes it; the QR code's page says revoked.
    staff_page.goto(f"{url}/staff/certificates/{req.pk}/")
    fill_visible(staff_page.locator("#id_reason").first, "Issued with a wrong address.")
    click_visible(staff_page.get_by_role("button", name="Revoke"))
    expect(staff_page.get_by_text("The certificate was revoked.")).to_be_visible()
    public.goto(f"{url}/verify/{document.code}/")
    expect(public.get_by_role("heading", name="Revoked", exact=False)).to_be_visible()
    expect(public.locator("#verify-status")).to_have_text("revoked")
    look(public, JOURNEY, "11-verify-revoked")
