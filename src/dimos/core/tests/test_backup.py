"""``dimos backup`` and ``dimos restore``: damaged archives, keys, secrets.

The whole-site round trip (a site issues a certificate, is backed up and restored, and serves
it again) is a test of the platform: ``dimos/tests/test_backup_roundtrip.py``.
"""

from __future__ import annotations

import io
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from dimos.core.backup import BackupError, create_backup, restore_backup, verify_backup
from dimos.testing.processes import write_signing_p12


@pytest.fixture
def site_files(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DIMOS_PRIVATE_DIR = tmp_path / "private"
    (tmp_path / "private" / "certificates").mkdir(parents=True)
    (tmp_path / "private" / "certificates" / "a.pdf").write_bytes(b"%PDF-1.4 private")
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "logo.png").write_bytes(b"\x89PNG public")


def _tamper(source: Path, target: Path, member: str) -> None:
    with tarfile.open(source) as old, tarfile.open(target, "w") as new:
        for info in old.getmembers():
            data = old.extractfile(info).read()  # type: ignore[union-attr]
            if info.name == member:
                data = data.replace(b"private", b"PRIVATE")
            new.addfile(info, io.BytesIO(data))


@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_is_refused_before_anything_is_written(
    site_files: None, tmp_path: Path
) -> None:
    archive = tmp_path / "b.tar"
    manifest = create_backup(archive, say=lambda _line: None)
    assert manifest.members["private/certificates/a.pdf"]["size"] == len(b"%PDF-1.4 private")
    assert manifest.storages["private"]["files"] == 1
    damaged = tmp_path / "damaged.tar"
    _tamper(archive, damaged, "private/certificates/a.pdf")
    assert verify_backup(archive).members == manifest.members
    with pytest.raises(BackupError, match="damaged"):
        verify_backup(damaged)
    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(archive.read_bytes()[:5000])
    with pytest.raises(BackupError):
        verify_backup(truncated)
    with pytest.raises(BackupError, match="damaged"):
        restore_backup(damaged, say=lambda _line: None)
    assert (settings.DIMOS_PRIVATE_DIR / "certificates" / "a.pdf").read_bytes() == (
        b"%PDF-1.4 private"
    )


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_another_secret_key_or_signing_key(
    site_files: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    theirs = write_signing_p12(tmp_path / "theirs.p12", "one")
    settings.DIMOS_SIGNING_PKCS12, settings.DIMOS_SIGNING_PKCS12_PASSWORD = str(theirs), "one"
    archive = tmp_path / "b.tar"
    create_backup(archive, say=lambda _line: None)

    monkeypatch.setenv("SECRET_KEY", "another-" + "k" * 60)
    with pytest.raises(BackupError, match="SECRET_KEY differs from the backup's"):
        restore_backup(archive, say=lambda _line: None)
    monkeypatch.delenv("SECRET_KEY")
    ours = write_signing_p12(tmp_path / "ours.p12", "two")
    settings.DIMOS_SIGNING_PKCS12, settings.DIMOS_SIGNING_PKCS12_PASSWORD = str(ours), "two"
    with pytest.raises(BackupError, match="is not the backup's"):
        restore_backup(archive, say=lambda _line: None)
    # Past the keys, the (test) database is not empty: still nothing overwritten.
    with pytest.raises(BackupError, match="not empty"):
        restore_backup(archive, keep_current_keys=True, say=lambda _line: None)


@pytest.mark.django_db(transaction=True)
def test_a_backup_without_secrets_leaves_the_keys_out(site_files: None, tmp_path: Path) -> None:
    archive = tmp_path / "b.tar"
    manifest = create_backup(archive, secrets=False, say=lambda _line: None)
    with tarfile.open(archive) as tar:
        assert not [n for n in tar.getnames() if n.startswith("secrets/")]
    assert manifest.secrets == {}
