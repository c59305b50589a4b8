"""Issuance holds no lock while it signs (issue 11, item 5): reserve the protocol number in a
short transaction, render/sign/timestamp outside any, finish in another; a failure leaves a
pending certificate that staff retry, never a half-issued one or an unexplained gap."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from dimos.certificates import services, signing
from dimos.certificates.models import (
    CertificateRequest,
    DocumentStatus,
    IssuedDocument,
    ProtocolCounter,
    Status,
)
from dimos.certificates.tests.conftest import make_request
from dimos.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def file_database(transactional_db: Any, tmp_path: Path) -> Iterator[None]:
    """On SQLite, a file database as in production (WAL, BEGIN IMMEDIATE): the test database
    is in memory with a shared cache, where a second writer fails at once instead of waiting.
    It is copied to a file for the test and restored afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    settings_dict = connection.settings_dict
    memory_name = settings_dict["NAME"]
    connection.ensure_connection()
    target = sqlite3.connect(tmp_path / "issue.sqlite3")
    connection.connection.backup(target)
    target.close()
    keeper = sqlite3.connect(memory_name, uri=True)  # keeps the in-memory database alive
    settings_dict["NAME"] = str(tmp_path / "issue.sqlite3")
    connection.close()
    try:
        yield
    finally:
        connection.close()
        settings_dict["NAME"] = memory_name
        connection.ensure_connection()
        keeper.close()


class HeldSigning:
    """``signing.sign_pdf`` that says when it starts and waits to be released."""

    def __init__(self, monkeypatch: Any) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        real = signing.sign_pdf

        def held(*args: Any, **kwargs: Any) -> bytes:
            self.started.set()
            assert self.release.wait(60), "the test never released the signing"
            return real(*args, **kwargs)

        monkeypatch.setattr(signing, "sign_pdf", held)


@pytest.mark.django_db(transaction=True)
def test_signing_blocks_no_other_writer(
    file_database: None,
    monkeypatch: Any,
    residence: Any,
    resident: Any,
    issuer: Any,
    municipality: Any,
) -> None:
    from dimos.reports.services import Location, submit_report
    from dimos.reports.tests.factories import CategoryFactory

    category = CategoryFactory.create()
    req = make_request(residence, resident)
    held = HeldSigning(monkeypatch)
    outcome: dict[str, Any] = {}

    def issuing() -> None:
        try:
            outcome["document"] = services.issue(req=req, actor=issuer)
        except Exception as exc:
            outcome["error"] = repr(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=issuing)
    thread.start()
    try:
        assert held.started.wait(60), outcome.get("error")
        # While the PDF is being signed (as long as a timestamp authority may take): another
        # connection writes — a resident files a report. A held write lock would make this
        # wait and fail with "database is locked"; a short busy timeout keeps that quick.
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA busy_timeout = 2000")
        report, created = submit_report(
            category=category,
            location=Location(lat=41.10, lon=23.56, address="Μεραρχίας 1"),
            reporter=resident,
        )
        assert created and report.pk
        if connection.features.has_select_for_update_nowait:
            # Neither the protocol counter nor the request is locked meanwhile.
            with transaction.atomic():
                ProtocolCounter.objects.select_for_update(nowait=True).get()
                CertificateRequest.objects.select_for_update(nowait=True).get(pk=req.pk)
        assert not held.release.is_set() and thread.is_alive()  # still signing
        pending = IssuedDocument.objects.get(request=req)
        assert pending.status == DocumentStatus.PENDING
        # Nobody outside sees a certificate being signed.
        assert Client().get(f"/api/v1/certificates/verify/{pending.code}").status_code == 404
    finally:
        held.release.set()
        thread.join(60)
    assert "error" not in outcome, outcome["error"]
    document = outcome["document"]
    assert document.status == DocumentStatus.VALID and document.sha256 and document.size
    req.refresh_from_db()
    assert req.status == Status.ISSUED and req.protocol_number == document.protocol_number


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
