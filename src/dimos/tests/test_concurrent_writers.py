"""Issuing a certificate blocks no other service's writer (issue 11, item 5): while the PDF is
signed, a resident files a report. Across two apps, so a test of the platform."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client

from dimos.certificates import services, signing
from dimos.certificates.models import (
    CertificateRequest,
    DocumentStatus,
    IssuedDocument,
    ProtocolCounter,
    Status,
)

# The certificates app's fixtures: the demo key in private files, a type, a resident, an issuer.
from dimos.certificates.tests.conftest import (  # noqa: F401
    _private_files,
    demo_pem,
    issuer,
    make_request,
    residence,
    resident,
    types,
)
from dimos.reports.services import Location, submit_report
from dimos.reports.tests.factories import CategoryFactory

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
    residence: Any,  # noqa: F811 - the fixtures imported above
    resident: Any,  # noqa: F811
    issuer: Any,  # noqa: F811
    municipality: Any,
) -> None:
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
