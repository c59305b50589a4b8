"""``dimos backup`` and ``dimos restore``: a whole site, certificates included, round trip.

The round trip runs real ``dimos`` processes: a site issues a signed certificate, is backed
up, and the archive is restored into a new ``DIMOS_VAR_DIR`` and a new database (and, for
the object-store case, new buckets on a local S3-compatible server). The restored site then
serves the same PDF to the same logged-in session, and it verifies as genuine.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from dimos.core.backup import BackupError, create_backup, restore_backup, verify_backup
from dimos.core.tests.processes import Site, write_signing_p12
from dimos.core.tests.s3server import ACCESS_KEY, REGION, SECRET_KEY, S3Bucket

ROUNDTRIP = "from dimos.core.tests.roundtrip import check, prepare"


def _dimos(site: Site, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dimos.cli", *args],
        env=site.env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _s3_env(endpoint: str, bucket: str) -> dict[str, str]:
    S3Bucket(endpoint, bucket, "").client().create_bucket(Bucket=bucket)
    return {
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": REGION,
        "S3_ACCESS_KEY_ID": ACCESS_KEY,
        "S3_SECRET_ACCESS_KEY": SECRET_KEY,
    }


def _move_to_bucket(site: Site, bucket: S3Bucket) -> None:
    """The demo data's files, from the site's folders to its bucket (as an operator would)."""
    client = bucket.client()
    for folder, prefix in (("media", ""), ("private", "private/")):
        root = site.var_dir / folder
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            key = prefix + path.relative_to(root).as_posix()
            client.put_object(Bucket=bucket.bucket, Key=key, Body=path.read_bytes())
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def fresh_database() -> Any:
    """A new, empty database for the restored site: "" on SQLite (its var dir's file)."""
    if connection.vendor != "postgresql":
        yield ""
        return
    import psycopg

    db = connection.settings_dict
    name = f"{db['NAME']}_restored"
    server = f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} user={db['USER']}"
    with psycopg.connect(f"{server} dbname=postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    with psycopg.connect(f"{server} dbname=postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("where", ["local-disk-and-pkcs12", "object-store-and-demo-key"])
def test_a_restored_site_serves_and_verifies_the_certificates_issued_before(
    where: str, process_site: Site, tmp_path: Path, fresh_database: str, request: Any
) -> None:
    restored = Site(tmp_path / "restored", fresh_database)
    restored.var_dir.mkdir()
    if where == "object-store-and-demo-key":
        endpoint = request.getfixturevalue("s3_server")
        process_site.env.update(_s3_env(endpoint, f"site-{tmp_path.name[-8:].lower()}"))
        _move_to_bucket(process_site, S3Bucket(endpoint, process_site.env["S3_BUCKET"], ""))
        restored.env.update(_s3_env(endpoint, f"restored-{tmp_path.name[-8:].lower()}"))
    else:
        keys = tmp_path / "keys"
        keys.mkdir()
        signing = {"DIMOS_SIGNING_PKCS12_PASSWORD": "s3cret"}
        p12 = write_signing_p12(keys / "signing.p12", "s3cret")
        process_site.env.update(signing, DIMOS_SIGNING_PKCS12=str(p12))
        # A new machine with the same environment file, before the key file is put back.
        restored.env.update(signing, DIMOS_SIGNING_PKCS12=str(restored.var_dir / "signing.p12"))

    state = json.loads(
        process_site.shell("from dimos.core.tests.roundtrip import prepare; prepare()")
    )
    assert state["demo"] is (where == "object-store-and-demo-key")
    archive = tmp_path / "site.tar.gz"
    backup = _dimos(process_site, "backup", str(archive))
    assert backup.returncode == 0, backup.stdout + backup.stderr
    assert "media: 1 files" in backup.stdout  # the notice; private files are not copied twice
    if where == "object-store-and-demo-key":
        # Nothing but the cache and the secret key on this machine's disk.
        assert not (process_site.var_dir / "media").exists()
        assert not (process_site.var_dir / "private").exists()
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "secrets/secret_key", "media/roundtrip/notice.txt"} <= names
    assert any(n.startswith("private/certificates/issued/") for n in names)
    assert ("secrets/signing.p12" in names) is (where == "local-disk-and-pkcs12")

    restore = _dimos(restored, "restore", str(archive))
    assert restore.returncode == 0, restore.stdout + restore.stderr
    checked = json.loads(
        restored.shell(
            f"from dimos.core.tests.roundtrip import check; check({json.dumps(json.dumps(state))})"
        )
    )
    assert checked == {
        "download_status": 200,
        "sha256": state["sha256"],
        "signature_ok": True,
        "demo": state["demo"],
        "attachment_sha256": state["attachment_sha256"],
        "token_valid": True,
        "media_same": True,
    }
    again = _dimos(restored, "restore", str(archive))
    assert again.returncode != 0
    assert "This site is not empty" in again.stderr


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
