"""Public verification: by code (QR link), by PDF upload, through the API, rate-limited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dimos.certificates import services
from dimos.certificates.models import IssuedDocument, format_code
from dimos.certificates.selectors import mask_name
from dimos.certificates.tests.conftest import make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(residence: Any, resident: Any, issuer: Any, municipality: Any) -> IssuedDocument:
    req = make_request(residence, resident, holder_name="Αλίκη Παπαδοπούλου")
    return services.issue(req=req, actor=issuer)


@pytest.fixture
def en(client: Client) -> Client:
    client.cookies["dimos_language"] = "en"
    return client


def _bytes(document: IssuedDocument) -> bytes:
    with document.pdf.open("rb") as handle:
        return handle.read()


def test_mask_name() -> None:
    assert mask_name("Αλίκη Παπαδοπούλου") == "Α*** Π***"
    assert mask_name("  ") == ""


def test_the_qr_link_shows_status_type_date_and_masked_holder(
    en: Client, document: IssuedDocument
) -> None:
    response = en.get(reverse("certificates:verify_code", args=[document.code]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Valid: the municipality issued a certificate with this code." in body
    assert "Α*** Π***" in body and "Παπαδοπούλου" not in body
    assert "Certificate of permanent residence" in body


def test_the_code_as_typed_with_dashes_and_lower_case(en: Client, document: IssuedDocument) -> None:
    response = en.get(reverse("certificates:verify"), {"code": format_code(document.code).lower()})
    assert response.status_code == 302
    assert "Valid" in en.get(response["Location"]).content.decode()


def test_unknown_codes_and_bad_input(en: Client, db: Any) -> None:
    assert en.get(reverse("certificates:verify_code", args=["NOPE"])).status_code == 404
    assert en.get(reverse("certificates:verify_code", args=["x" * 100])).status_code == 404
    assert en.get(reverse("certificates:verify"), {"code": ""}).status_code == 200
    assert en.get(reverse("certificates:verify")).status_code == 200


def test_upload_genuine_tampered_and_revoked(
    en: Client, document: IssuedDocument, issuer: Any
) -> None:
    url = reverse("certificates:verify")
    content = _bytes(document)
    genuine = en.post(url, {"pdf": SimpleUploadedFile("c.pdf", content)})
    assert "Genuine: the file is the certificate" in genuine.content.decode()
    tampered = bytearray(content)
    tampered[len(tampered) // 2] ^= 0x01
    fake = en.post(url, {"pdf": SimpleUploadedFile("c.pdf", bytes(tampered))})
    assert "Not a certificate issued by this municipality" in fake.content.decode()
    not_pdf = en.post(url, {"pdf": SimpleUploadedFile("c.pdf", b"hello")})
    assert not_pdf.status_code == 400
    assert en.post(url, {}).status_code == 400
    services.revoke(document=document, reason="Issued by mistake", actor=issuer)
    revoked = en.post(url, {"pdf": SimpleUploadedFile("c.pdf", content)})
    assert "Revoked: this certificate is no longer valid." in revoked.content.decode()
    by_code = en.get(reverse("certificates:verify_code", args=[document.code]))
    assert "Revoked" in by_code.content.decode()


def test_api_verify_by_code_and_upload(
    client: Client, document: IssuedDocument, issuer: Any
) -> None:
    data = client.get(f"/api/v1/certificates/verify/{document.code}").json()
    assert data["found"] and data["genuine"] and data["status"] == "valid"
    assert data["holder"] == "Α*** Π***"
    assert client.get("/api/v1/certificates/verify/NOPE").json()["error"]["code"] == "not_found"
    content = _bytes(document)
    upload = client.post(
        "/api/v1/certificates/verify", {"pdf": SimpleUploadedFile("c.pdf", content)}
    )
    assert upload.json()["genuine"] is True and upload.json()["hash_matches"] is True
    changed = client.post(
        "/api/v1/certificates/verify", {"pdf": SimpleUploadedFile("c.pdf", content + b"%x\n")}
    )
    assert changed.json()["genuine"] is False and changed.json()["found"] is False
    assert changed.json()["message"].startswith("Δεν είναι πιστοποιητικό που εξέδωσε αυτός ο δήμος")
    bad = client.post("/api/v1/certificates/verify", {"pdf": SimpleUploadedFile("c.txt", b"no")})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "not_pdf"
    missing = client.post("/api/v1/certificates/verify", {})
    assert missing.status_code in (400, 422) and "error" in missing.json()
    services.revoke(document=document, reason="Mistake", actor=issuer)
    assert client.get(f"/api/v1/certificates/verify/{document.code}").json()["status"] == "revoked"
    types = client.get("/api/v1/certificates/types").json()
    assert {t["code"] for t in types} >= {"permanent-residence", "no-debt"}


def test_verification_is_rate_limited(settings: Any, en: Client, document: IssuedDocument) -> None:
    settings.DIMOS_VERIFY_RATE = "3/m"
    url = reverse("certificates:verify_code", args=[document.code])
    assert [en.get(url).status_code for _ in range(3)] == [200, 200, 200]
    limited = en.get(url)
    assert limited.status_code == 429 and limited["Retry-After"] == "60"
    assert en.get(f"/api/v1/certificates/verify/{document.code}").status_code == 429


def test_the_cached_page_shows_a_revocation_at_once(
    en: Client, document: IssuedDocument, issuer: Any
) -> None:
    url = reverse("certificates:verify_code", args=[document.code])
    first, second = en.get(url), en.get(url)
    assert "Valid:" in second.content.decode()
    assert first.content.decode().count("Valid:") == second.content.decode().count("Valid:")
    services.revoke(document=document, reason="Mistake", actor=issuer)
    assert "Revoked:" in en.get(url).content.decode()
    assert en.get(f"/api/v1/certificates/verify/{document.code}").json()["status"] == "revoked"
