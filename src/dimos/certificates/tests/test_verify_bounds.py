"""Uploads to the public verification are bounded (issue 9, item 1): a PDF the municipality
did not issue is answered from the registry without being parsed; a registered one is checked
in a child process that is stopped at the time and memory limits."""

from __future__ import annotations

import hashlib
import os
import random
import struct
import subprocess
import zlib
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dimos.certificates import services, signing
from dimos.certificates.models import IssuedDocument
from dimos.certificates.tests.conftest import make_request

pytestmark = pytest.mark.django_db


def bomb(expanded_mb: int, *, noise_kb: int = 0) -> bytes:
    """A small PDF whose one object stream (FlateDecode) expands to ``expanded_mb`` megabytes.

    Its AcroForm points into the object stream, so reading the signatures decodes it.
    ``noise_kb`` of incompressible bytes make the compressed stream longer, which raises the
    expansion that a parser limiting the ratio of decoded to encoded size (pyHanko does) allows.
    """
    deflate = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    noise = random.Random(9).randbytes(noise_kb * 1024)
    data = b"".join(
        [deflate.compress(noise)]
        + [deflate.compress(chunk) for _ in range(expanded_mb)]
        + [deflate.flush()]
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(data)
        + data
        + b"\nendstream",
    ]
    out = b"%PDF-1.7\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    rows = b"\x00" + struct.pack(">I", 0) + b"\xff\xff"
    rows += b"".join(b"\x01" + struct.pack(">I", offset) + b"\x00\x00" for offset in offsets)
    rows += b"\x02" + struct.pack(">I", 3) + b"\x00\x00"  # object 4: in object stream 3
    rows += b"\x01" + struct.pack(">I", xref_at) + b"\x00\x00"
    out += (
        b"5 0 obj\n<< /Type /XRef /Size 6 /Root 1 0 R /W [1 4 2] /Length %d >>\nstream\n"
        % len(rows)
        + rows
        + b"\nendstream\nendobj\n"
    )
    return out + b"startxref\n%d\n%%%%EOF\n" % xref_at


@pytest.fixture
def en(client: Client) -> Client:
    client.cookies["dimos_language"] = "en"
    return client


class Spy:
    """Records child processes started and PDFs opened by pyHanko in this process."""

    def __init__(self, monkeypatch: Any) -> None:
        import pyhanko.pdf_utils.reader as reader

        self.children: list[int] = []
        self.parsed = 0
        real_popen, real_reader = subprocess.Popen, reader.PdfFileReader
        spy = self

        class Popen(real_popen):  # type: ignore[misc,valid-type]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                spy.children.append(self.pid)

        class Reader(real_reader):  # type: ignore[misc,valid-type]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                spy.parsed += 1
                super().__init__(*args, **kwargs)

        monkeypatch.setattr(subprocess, "Popen", Popen)
        monkeypatch.setattr(reader, "PdfFileReader", Reader)


@pytest.fixture
def spy(monkeypatch: Any) -> Spy:
    return Spy(monkeypatch)


def _register(req: Any, content: bytes, issuer: Any) -> IssuedDocument:
    """A registry row for ``content`` (as if the municipality had issued that file)."""
    document = IssuedDocument(
        request=req,
        certificate_type=req.certificate_type,
        holder_name=req.holder_name,
        protocol_number="2026/999999",
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        issued_by=issuer,
    )
    document.pdf.save(f"{document.code}.pdf", ContentFile(content), save=False)
    document.save(force_insert=True)
    return document


@pytest.fixture
def registered_bomb(residence: Any, resident: Any, issuer: Any) -> bytes:
    content = bomb(60, noise_kb=700)
    _register(make_request(residence, resident), content, issuer)
    return content


def test_a_pdf_bomb_not_in_the_registry_is_answered_without_parsing(
    en: Client, spy: Spy, db: Any
) -> None:
    content = bomb(300)
    assert len(content) < 400_000
    page = en.post(reverse("certificates:verify"), {"pdf": SimpleUploadedFile("c.pdf", content)})
    assert page.status_code == 200
    assert "Not a certificate issued by this municipality" in page.content.decode()
    api = en.post("/api/v1/certificates/verify", {"pdf": SimpleUploadedFile("c.pdf", content)})
    assert api.status_code == 200
    assert api.json()["found"] is False and api.json()["genuine"] is False
    assert api.json()["message"].startswith("Not a certificate issued by this municipality")
    assert spy.children == [] and spy.parsed == 0


def test_a_registered_file_whose_check_passes_the_time_limit_is_stopped(
    en: Client, spy: Spy, settings: Any, registered_bomb: bytes
) -> None:
    settings.DIMOS_VERIFY_TIMEOUT = 0.05
    upload = {"pdf": SimpleUploadedFile("c.pdf", registered_bomb)}
    api = en.post("/api/v1/certificates/verify", upload)
    assert api.status_code == 422
    assert api.json()["error"]["code"] == "not_checked"
    assert len(spy.children) == 1
    with pytest.raises(ProcessLookupError):  # killed and reaped: no worker left waiting
        os.kill(spy.children[0], 0)
    page = en.post(
        reverse("certificates:verify"), {"pdf": SimpleUploadedFile("c.pdf", registered_bomb)}
    )
    assert page.status_code == 422
    assert "The file could not be checked." in page.content.decode()
    assert spy.parsed == 0  # never in the web process


def test_a_registered_file_whose_check_needs_more_memory_is_stopped(
    en: Client, spy: Spy, settings: Any, registered_bomb: bytes
) -> None:
    settings.DIMOS_VERIFY_TIMEOUT = 60
    settings.DIMOS_VERIFY_MEMORY_MB = 150
    with pytest.raises(signing.CheckNotPossible, match="memory"):
        signing.validate_pdf(registered_bomb)
    api = en.post(
        "/api/v1/certificates/verify", {"pdf": SimpleUploadedFile("c.pdf", registered_bomb)}
    )
    assert api.status_code == 422 and api.json()["error"]["code"] == "not_checked"
    assert spy.parsed == 0


def test_a_genuine_certificate_still_verifies_within_the_same_limits(
    en: Client,
    spy: Spy,
    settings: Any,
    residence: Any,
    resident: Any,
    issuer: Any,
    municipality: Any,
) -> None:
    settings.DIMOS_VERIFY_MEMORY_MB = 150
    document = services.issue(req=make_request(residence, resident), actor=issuer)
    with document.pdf.open("rb") as handle:
        content = handle.read()
    api = en.post("/api/v1/certificates/verify", {"pdf": SimpleUploadedFile("c.pdf", content)})
    assert api.json()["genuine"] is True and api.json()["signature_valid"] is True
    assert len(spy.children) == 1 and spy.parsed == 0


def test_a_file_over_the_upload_limit_is_refused_before_anything(
    en: Client, spy: Spy, settings: Any, db: Any
) -> None:
    settings.DIMOS_CERTIFICATES_UPLOAD_MAX_BYTES = 1000
    api = en.post(
        "/api/v1/certificates/verify", {"pdf": SimpleUploadedFile("c.pdf", bomb(1, noise_kb=2))}
    )
    assert api.status_code == 400 and api.json()["error"]["code"] == "too_large"
    with pytest.raises(signing.CheckNotPossible):
        signing.validate_pdf(b"%PDF-" + b" " * 2000)
    assert spy.children == [] and spy.parsed == 0
