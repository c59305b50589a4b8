"""Residents' uploads and issued PDFs live in the private storage (``STORAGES["private"]``):
a folder of their own on disk, or a private bucket; never a URL, only access-checked views."""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
from typing import Any

import pytest
from django.urls import reverse

from dimos.certificates import services, signing
from dimos.certificates.models import Attachment, IssuedDocument
from dimos.certificates.tests.conftest import PDF_BYTES, make_request
from dimos.core.storage import private_storage
from dimos.testing.processes import run_dimos
from dimos.testing.s3server import S3Bucket

pytestmark = pytest.mark.django_db


def _upload() -> dict[str, tuple[str, services.CheckedUpload]]:
    upload = services.CheckedUpload(PDF_BYTES, "application/pdf", ".pdf", "lease.pdf")
    return {"lease": ("Lease", upload)}


def test_uploads_and_issued_pdfs_are_in_the_private_folder_readable_only_by_dimos(
    settings: Any, residence: Any, resident: Any, issuer: Any
) -> None:
    req = make_request(residence, resident, files=_upload())
    document = services.issue(req=req, actor=issuer)
    attachment = Attachment.objects.get(request=req)
    assert attachment.file.name.startswith("certificates/uploads/")
    assert document.pdf.name.startswith("certificates/issued/")
    for name in (attachment.file.name, document.pdf.name):
        path = settings.DIMOS_PRIVATE_DIR / name
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        assert oct(path.parent.stat().st_mode & 0o777) == "0o700"
    assert not str(settings.DIMOS_PRIVATE_DIR).startswith(str(settings.MEDIA_ROOT))


def test_private_files_have_no_url(residence: Any, resident: Any, issuer: Any) -> None:
    document = services.issue(req=make_request(residence, resident), actor=issuer)
    with pytest.raises(NotImplementedError, match="no URL"):
        document.pdf.url
    with pytest.raises(NotImplementedError):
        private_storage().url("certificates/issued/x.pdf")


def test_an_issued_pdf_in_the_private_bucket_downloads_through_the_checked_view_only(
    private_s3: S3Bucket,
    settings: Any,
    residence: Any,
    resident: Any,
    resident_client: Any,
    other_client: Any,
    issuer: Any,
) -> None:
    signing.reset()
    req = make_request(residence, resident, files=_upload())
    document = services.issue(req=req, actor=issuer)
    attachment = Attachment.objects.get(request=req)
    keys = private_s3.keys()
    pdf_key = f"private/{document.pdf.name}"
    assert pdf_key in keys
    assert f"private/{attachment.file.name}" in keys
    assert f"private/{signing.DEMO_NAME}" in keys  # the demo key is shared through the bucket
    stored = private_s3.read(pdf_key)
    assert hashlib.sha256(stored).hexdigest() == document.sha256
    # Nothing of it on this machine's disk.
    assert not (settings.DIMOS_PRIVATE_DIR / "certificates").exists()

    url = reverse("certificates:download", args=[req.pk, document.code])
    response = resident_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored
    assert response["Cache-Control"] == "private, no-store"
    assert other_client.get(url).status_code == 404
    assert signing.validate_pdf(stored).ok

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(private_s3.object_url(pdf_key), timeout=5)
    assert refused.value.code == 403
    with pytest.raises(NotImplementedError):
        document.pdf.url
    signing.reset()


def test_the_environment_configures_the_private_bucket(tmp_path: Any) -> None:
    code = (
        "from django.conf import settings as s; p = s.STORAGES['private']; o = p['OPTIONS']; "
        "print(p['BACKEND'], o['bucket_name'], o['location'], o['endpoint_url'], "
        "o['default_acl'], o['querystring_auth'], o['file_overwrite'])"
    )
    env = {"DIMOS_VAR_DIR": str(tmp_path), "S3_ENDPOINT_URL": "http://s3.internal:9000"}
    own = run_dimos(
        {**env, "DIMOS_PRIVATE_S3_BUCKET": "dimos-private", "DIMOS_PRIVATE_S3_PREFIX": "/docs/"},
        "shell",
        "-c",
        code,
    )
    assert own.returncode == 0, own.stderr
    assert own.stdout.splitlines()[-1].split() == [
        "dimos.core.s3.PrivateS3Storage",
        "dimos-private",
        "docs",
        "http://s3.internal:9000",
        "None",
        "True",
        "False",
    ]
    shared = run_dimos({**env, "S3_BUCKET": "dimos-serres"}, "shell", "-c", code)
    assert shared.stdout.splitlines()[-1].split()[1:3] == ["dimos-serres", "private"]
    local = run_dimos(
        env, "shell", "-c", "from django.conf import settings as s; print(s.STORAGES)"
    )
    assert "dimos.core.storage.PrivateFileSystemStorage" in local.stdout


def test_the_deprecated_certificates_folder_still_names_the_private_folder(tmp_path: Any) -> None:
    code = "from django.conf import settings as s; print(s.DIMOS_PRIVATE_DIR)"
    old = tmp_path / "private" / "certificates"
    kept = run_dimos(
        {"DIMOS_VAR_DIR": str(tmp_path), "DIMOS_CERTIFICATES_FILES_DIR": str(old)}, "check"
    )
    assert kept.returncode == 0, kept.stderr
    assert "dimos.W020" in kept.stderr
    shown = run_dimos(
        {"DIMOS_VAR_DIR": str(tmp_path), "DIMOS_CERTIFICATES_FILES_DIR": str(old)},
        "shell",
        "-c",
        code,
    )
    assert shown.stdout.splitlines()[-1] == str(tmp_path / "private")
    elsewhere = run_dimos(
        {"DIMOS_VAR_DIR": str(tmp_path), "DIMOS_CERTIFICATES_FILES_DIR": str(tmp_path / "pdfs")},
        "check",
    )
    assert elsewhere.returncode != 0
    assert "DIMOS_CERTIFICATES_FILES_DIR is replaced by DIMOS_PRIVATE_DIR" in elsewhere.stderr


def test_the_migration_names_earlier_files_from_the_private_folder(
    residence: Any, resident: Any, issuer: Any
) -> None:
    from importlib import import_module

    from django.apps import apps

    migration = import_module("dimos.certificates.migrations.0007_file_names_in_private_storage")
    req = make_request(residence, resident, files=_upload())
    document = services.issue(req=req, actor=issuer)
    attachment = Attachment.objects.get(request=req)
    new_names = (document.pdf.name, attachment.file.name)
    old_names = tuple(name.removeprefix("certificates/") for name in new_names)
    IssuedDocument.objects.filter(pk=document.pk).update(pdf=old_names[0])
    Attachment.objects.filter(pk=attachment.pk).update(file=old_names[1])

    migration.add_prefix(apps, None)
    migration.add_prefix(apps, None)  # run twice: names already moved stay as they are
    document.refresh_from_db()
    attachment.refresh_from_db()
    assert (document.pdf.name, attachment.file.name) == new_names
    with document.pdf.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == document.sha256

    migration.drop_prefix(apps, None)
    document.refresh_from_db()
    assert document.pdf.name == old_names[0]
