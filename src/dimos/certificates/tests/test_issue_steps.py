"""Issuance holds no lock while it signs (issue 11, item 5): reserve the protocol number in a
short transaction, render/sign/timestamp outside any, finish in another; a failure leaves a
pending certificate that staff retry, never a half-issued one or an unexplained gap.

That another service writes meanwhile (a resident files a report) is a test of the platform:
``dimos/tests/test_concurrent_writers.py``."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dimos.certificates import services, signing
from dimos.certificates.models import (
    DocumentStatus,
    IssuedDocument,
    Status,
)
from dimos.certificates.tests.conftest import make_request
from dimos.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _fail_signing(monkeypatch: Any) -> None:
    def unreachable(*args: Any, **kwargs: Any) -> bytes:
        raise TimeoutError("the timestamp authority did not answer")

    monkeypatch.setattr(signing, "sign_pdf", unreachable)


def test_a_failed_signing_stays_pending_and_a_retry_issues_it(
    monkeypatch: Any,
    residence: Any,
    resident: Any,
    issuer: Any,
    issuer_client: Client,
    municipality: Any,
) -> None:
    req = make_request(residence, resident)
    _fail_signing(monkeypatch)
    response = issuer_client.post(
        reverse("certificates_staff:act", args=[req.pk, "issue"]), {"language": "el"}, follow=True
    )
    assert "could not be signed (TimeoutError)" in response.content.decode()
    pending = IssuedDocument.objects.get()
    assert pending.status == DocumentStatus.PENDING
    assert pending.protocol_number.endswith("/000001")
    assert "timestamp authority" in pending.issue_error
    assert not pending.pdf
    req.refresh_from_db()
    assert req.status == Status.NEW and req.protocol_number == ""
    assert AuditEntry.objects.filter(action="certificate.signing_failed").exists()
    # Not a certificate for anyone outside the back office.
    assert issuer_client.get(f"/api/v1/certificates/verify/{pending.code}").status_code == 404
    assert (
        issuer_client.get(reverse("certificates:verify_code", args=[pending.code])).status_code
        == 404
    )
    page = issuer_client.get(reverse("certificates_staff:detail", args=[req.pk])).content.decode()
    assert "Signing failed:" in page and "Retry the signing" in page
    # The queue flags it, so it is not left pending unnoticed.
    queue = issuer_client.get(reverse("certificates_staff:queue")).content.decode()
    assert "1 certificate could not be signed" in queue and "signing failed" in queue
    # A second issue is refused while one is pending: the retry is the way.
    with pytest.raises(services.CertificateError, match="already being issued"):
        services.issue(req=req, actor=issuer)

    monkeypatch.undo()
    retried = issuer_client.post(reverse("certificates_staff:retry", args=[pending.code]))
    assert retried.status_code == 302
    document = IssuedDocument.objects.get()
    assert document.status == DocumentStatus.VALID and document.issue_error == ""
    assert document.code == pending.code and document.protocol_number == pending.protocol_number
    assert signing.validate_pdf(document.pdf.read()).ok
    req.refresh_from_db()
    assert req.status == Status.ISSUED
    after = issuer_client.get(reverse("certificates_staff:queue", query={"status": "all"}))
    assert "could not be signed" not in after.content.decode()
    # The sequence goes on without a gap.
    second = services.issue(req=make_request(residence, resident), actor=issuer)
    assert second.protocol_number.endswith("/000002")


def test_rejecting_a_request_with_a_failed_signing_voids_its_number(
    monkeypatch: Any, residence: Any, resident: Any, issuer: Any, cert_clerk: Any, municipality: Any
) -> None:
    req = make_request(residence, resident)
    _fail_signing(monkeypatch)
    with pytest.raises(services.CertificateError):
        services.issue(req=req, actor=issuer)
    with pytest.raises(services.CertificateError, match="being issued"):
        services.ask_for_information(req=req, message="ID?", actor=cert_clerk)
    services.reject(req=req, reason="Not a resident of the municipality", actor=cert_clerk)
    void = IssuedDocument.objects.get()
    assert void.status == DocumentStatus.VOID  # the protocol number stays, explained
    entry = AuditEntry.objects.get(action="certificate.voided")
    assert entry.details["protocol"] == void.protocol_number
    with pytest.raises(services.CertificateError, match="not waiting"):
        services.retry_issue(document=void, actor=issuer)


def test_erasing_the_account_voids_a_failed_signing_and_clears_the_request(
    monkeypatch: Any, residence: Any, resident: Any, issuer: Any, municipality: Any
) -> None:
    from dimos.certificates import personal_data

    req = make_request(residence, resident)
    _fail_signing(monkeypatch)
    with pytest.raises(services.CertificateError):
        services.issue(req=req, actor=issuer)
    assert IssuedDocument.objects.get().status == DocumentStatus.PENDING
    personal_data.erase_for(resident)
    pending = IssuedDocument.objects.get()
    assert pending.status == DocumentStatus.VOID and pending.issue_error == ""
    req.refresh_from_db()
    # Never issued, so nothing of the person is kept for a registry entry.
    assert req.holder_name == "" and req.data == {} and req.status == Status.REJECTED
