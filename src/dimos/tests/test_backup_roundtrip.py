"""``dimos backup`` and ``dimos restore``: a whole site, certificates included, round trip.

The round trip runs real ``dimos`` processes: a site issues a signed certificate, is backed
up, and the archive is restored into a new ``DIMOS_VAR_DIR`` and a new database (and, for
the object-store case, new buckets on a local S3-compatible server). The restored site then
serves the same PDF to the same logged-in session, and it verifies as genuine.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from dimos.testing.processes import Site, write_signing_p12
from dimos.testing.s3server import ACCESS_KEY, REGION, SECRET_KEY, S3Bucket

ROUNDTRIP = "from dimos.tests.roundtrip import check, prepare"


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

    state = json.loads(process_site.shell("from dimos.tests.roundtrip import prepare; prepare()"))
    assert state["demo"] is (where == "object-store-and-demo-key")
    archive = tmp_path / "site.tar.gz"
    backup = _dimos(process_site, "backup", str(archive))
    assert backup.returncode == 0, backup.stdout + backup.stderr
    # The notice and the council's documents; private files are not copied twice (own line).
    assert re.search(r"^media: \d+ files", backup.stdout, re.M), backup.stdout
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
            f"from dimos.tests.roundtrip import check; check({json.dumps(json.dumps(state))})"
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
