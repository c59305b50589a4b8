"""The PDF and its PAdES signature, validated by pyHanko against the demo certificate."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest

from dimos.certificates import signing
from dimos.certificates.models import IssuedDocument, Status
from dimos.certificates.tests.conftest import make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(residence: Any, resident: Any, issuer: Any, municipality: Any) -> IssuedDocument:
    from dimos.certificates import services

    req = make_request(residence, resident, holder_name="Αλίκη Παπαδοπούλου")
    return services.issue(req=req, actor=issuer)


def _pdf(document: IssuedDocument) -> bytes:
    with document.pdf.open("rb") as handle:
        return handle.read()


def test_the_issued_pdf_validates_against_the_demo_certificate_as_trust_root(
    issued: IssuedDocument,
) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    content = _pdf(issued)
    assert hashlib.sha256(content).hexdigest() == issued.sha256
    reader = PdfFileReader(io.BytesIO(content))
    (signature,) = reader.embedded_signatures
    root = signing.identity().certificate
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))
    assert status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    assert "/ETSI.CAdES.detached" in str(signature.sig_object["/SubFilter"])  # PAdES
    assert issued.demo is True
    assert issued.request.status == Status.ISSUED
    assert issued.protocol_number.endswith("/000001")


def test_the_pdf_embeds_the_font_and_marks_the_demo(issued: IssuedDocument) -> None:
    content = _pdf(issued)
    assert b"DejaVuSans" in content  # the embedded (subset) font
    assert b"/Keywords (DEMO" in content  # the document information says it is a demo


def test_tampered_and_appended_copies_do_not_validate(issued: IssuedDocument) -> None:
    content = _pdf(issued)
    assert signing.validate_pdf(content).ok
    tampered = bytearray(content)
    middle = len(tampered) // 3
    tampered[middle] = (tampered[middle] + 1) % 256
    assert not signing.validate_pdf(bytes(tampered)).ok
    assert not signing.validate_pdf(content + b"\n% appended\n").ok
    assert not signing.validate_pdf(b"%PDF-1.4 not really").present


def test_a_pkcs12_from_configuration_signs_without_the_demo_mark(
    settings: Any, tmp_path: Any, residence: Any, resident: Any, issuer: Any
) -> None:
    from cryptography.hazmat.primitives.serialization import (
        BestAvailableEncryption,
        load_pem_private_key,
        pkcs12,
    )
    from cryptography.x509 import load_pem_x509_certificate

    from dimos.certificates import services

    pem = signing.generate_demo_pem()
    key = load_pem_private_key(pem, None)
    cert = load_pem_x509_certificate(pem[pem.index(b"-----BEGIN CERTIFICATE") :])
    p12 = tmp_path / "municipality.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"municipality",
            key,
            cert,
            None,
            BestAvailableEncryption(b"s3cret"),  # type: ignore[arg-type]
        )
    )
    settings.DIMOS_SIGNING_PKCS12 = str(p12)
    settings.DIMOS_SIGNING_PKCS12_PASSWORD = "s3cret"
    try:
        document = services.issue(req=make_request(residence, resident), actor=issuer)
        content = _pdf(document)
        assert document.demo is False
        assert b"/Keywords (DEMO" not in content
        assert signing.validate_pdf(content).ok
    finally:
        settings.DIMOS_SIGNING_PKCS12 = ""
        signing.reset()


def test_the_demo_key_is_kept_private_in_the_private_storage(settings: Any, tmp_path: Any) -> None:
    settings.DIMOS_PRIVATE_DIR = tmp_path / "fresh"
    signing.reset()
    generated = signing.identity()
    key_path = settings.DIMOS_PRIVATE_DIR / signing.DEMO_NAME
    assert oct(key_path.stat().st_mode & 0o777) == "0o600"
    assert oct(key_path.parent.stat().st_mode & 0o777) == "0o700"
    assert str(settings.MEDIA_ROOT) not in str(key_path)
    assert b"PRIVATE KEY" in key_path.read_bytes()
    signing.reset()  # another process of the same installation: the same key
    assert signing.identity().certificate.dump() == generated.certificate.dump()


def test_a_demo_key_of_an_earlier_release_in_the_var_dir_is_taken_over(
    settings: Any, tmp_path: Any, demo_pem: bytes
) -> None:
    split = demo_pem.index(b"-----BEGIN CERTIFICATE")
    (tmp_path / "var" / "signing").mkdir(parents=True)
    (tmp_path / "var" / "signing" / "demo-key.pem").write_bytes(demo_pem[:split])
    (tmp_path / "var" / "signing" / "demo-cert.pem").write_bytes(demo_pem[split:])
    settings.VAR_DIR = tmp_path / "var"
    settings.DIMOS_PRIVATE_DIR = tmp_path / "fresh"
    signing.reset()
    assert signing.identity().demo
    assert (settings.DIMOS_PRIVATE_DIR / signing.DEMO_NAME).read_bytes() == demo_pem
