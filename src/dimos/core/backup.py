"""A whole site in one archive: ``dimos backup`` and ``dimos restore`` (ADR 0018).

The archive is a tar file (gzip-compressed when its name ends in ``.gz`` or ``.tgz``):

- ``database/dimos.sqlite3`` (SQLite's online backup: consistent while Dimos runs) or
  ``database/postgresql.dump`` (``pg_dump --format=custom``: one snapshot, consistent while
  Dimos runs, with the audit log's triggers, sequences and constraints, which a ``dumpdata``
  of the rows would lose);
- ``media/…``: the uploaded files (``STORAGES["default"]``), read through the storage API, so
  from local disk or a bucket alike;
- ``private/…``: the private files (``STORAGES["private"]``): residents' documents, issued
  PDFs, the development signing key;
- ``secrets/secret_key``, ``secrets/signing.p12`` and ``secrets/signing.json`` (the PKCS#12
  password): what sessions, reset links, sealed links and signatures depend on; left out
  with ``--without-secrets``;
- ``manifest.json`` last: versions, the database's migrations, and every member's size and
  SHA-256, checked on restore.

The database is copied first and the files after it, so every file the database names is in
the archive (a file named but missing is listed in the manifest and reported).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import connection

import dimos

FORMAT = "dimos-backup"
VERSION = 1
CHUNK = 1024 * 1024
# Copies of files being archived stay in memory up to this size, then spill to a temp file.
SPOOL = 8 * 1024 * 1024
STORAGE_FOLDERS = {"media": "default", "private": "private"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class Manifest:
    created_at: str = ""
    dimos: str = dimos.__version__
    django: str = ""
    database: dict[str, Any] = field(default_factory=dict)
    storages: dict[str, dict[str, Any]] = field(default_factory=dict)
    secrets: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_json(self) -> bytes:
        data = {"format": FORMAT, "version": VERSION, **self.__dict__}
        return json.dumps(data, indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        data = json.loads(raw)
        if data.get("format") != FORMAT:
            raise BackupError("This is not a Dimos backup (its manifest.json is not ours).")
        if data.get("version") != VERSION:
            raise BackupError(
                f"This backup has format version {data.get('version')}; "
                f"this release reads version {VERSION}."
            )
        data.pop("format")
        data.pop("version")
        return cls(**data)


# --- Storages -------------------------------------------------------------------------------


def _walk(storage: Storage, path: str = "", skip: frozenset[str] = frozenset()) -> Iterator[str]:
    """Every file name in a storage, through its API (local disk or a bucket alike)."""
    try:
        folders, files = storage.listdir(path)
    except FileNotFoundError:  # a local storage whose folder was never created
        return
    for name in sorted(files):
        yield f"{path}{name}"
    for folder in sorted(folders):
        if f"{path}{folder}" not in skip:
            yield from _walk(storage, f"{path}{folder}/", skip)


def _nested_private_folder() -> frozenset[str]:
    """The folder of the uploaded files' storage that holds the private files, if any (by
    default both are in ``S3_BUCKET``, the private ones under ``private/``): not copied twice."""
    media, private = storages["default"], storages["private"]
    media_bucket = getattr(media, "bucket_name", None)
    if media_bucket != getattr(private, "bucket_name", None):
        return frozenset()
    if media_bucket:  # one bucket: locations are key prefixes
        outer = PurePosixPath(str(getattr(media, "location", "") or "").strip("/") or ".")
        inner = PurePosixPath(str(getattr(private, "location", "") or "").strip("/") or ".")
    else:  # local folders
        outer = PurePosixPath(Path(getattr(media, "location", "")).resolve())
        inner = PurePosixPath(Path(getattr(private, "location", "")).resolve())
    if str(outer) == "." and str(inner) != ".":
        return frozenset({str(inner)})
    if outer in inner.parents:
        return frozenset({str(inner.relative_to(outer))})
    return frozenset()


def referenced_files() -> dict[str, set[str]]:
    """The file names the database refers to, per storage folder of the archive."""
    from django.apps import apps
    from django.db.models import FileField

    from dimos.core.storage import private_storage

    named: dict[str, set[str]] = {"media": set(), "private": set()}
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            if not isinstance(model_field, FileField):
                continue
            private = getattr(model_field, "_storage_callable", None) is private_storage
            names = model._base_manager.exclude(**{model_field.name: ""}).values_list(
                model_field.name, flat=True
            )
            named["private" if private else "media"].update(n for n in names if n)
    return named


def _storage_label(storage: Storage) -> str:
    bucket = getattr(storage, "bucket_name", None)
    if bucket:
        return f"s3://{bucket}/{getattr(storage, 'location', '')}".rstrip("/")
    return str(getattr(storage, "location", type(storage).__name__))


# --- Database -------------------------------------------------------------------------------


def _vendor() -> str:
    return connection.vendor


def _pg_env() -> dict[str, str]:
    db: dict[str, Any] = dict(connection.settings_dict)
    env = {**os.environ, "PGDATABASE": str(db["NAME"])}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[variable] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(db["OPTIONS"]["sslmode"])
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"{name} was not found: install the PostgreSQL client tools (the server's major "
            f"version or newer), e.g. apt install postgresql-client."
        )
    return path


def _dump_database(target: Path) -> str:
    """Copy the database to ``target``; the archive member name it goes under."""
    if _vendor() == "sqlite":
        if connection.in_atomic_block:
            # SQLite answers "locked" for ever to a backup from a connection that is writing.
            raise BackupError("A backup cannot be taken inside a database transaction.")
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)  # type: ignore[union-attr]
        finally:
            copy.close()
        return "database/dimos.sqlite3"
    if _vendor() == "postgresql":
        result = subprocess.run(  # noqa: S603 - the PostgreSQL tool, our own arguments
            [
                _pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={target}",
            ],
            env=_pg_env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return "database/postgresql.dump"
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {_vendor()}.")


def _applied_migrations() -> dict[str, list[str]]:
    from django.db.migrations.recorder import MigrationRecorder

    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def _restore_database(
    archive: tarfile.TarFile, member: str, manifest: Manifest, force: bool
) -> None:
    vendor = manifest.database["vendor"]
    if vendor != _vendor():
        raise BackupError(
            f"The backup holds a {vendor} database, but this site is configured for "
            f"{_vendor()} (DATABASE_URL). Restore into the same kind of database."
        )
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "database"
        _extract_checked(archive, member, manifest, dump)
        if vendor == "sqlite":
            name = Path(connection.settings_dict["NAME"])
            connection.close()
            name.parent.mkdir(parents=True, exist_ok=True)
            staged = name.with_name(name.name + ".restoring")
            shutil.copyfile(dump, staged)
            staged.chmod(0o600)  # personal data: readable by the Dimos user only
            for extra in ("-wal", "-shm"):
                name.with_name(name.name + extra).unlink(missing_ok=True)
            os.replace(staged, name)
            return
        command = [
            _pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
        ]
        if force:
            command += ["--clean", "--if-exists"]
        connection.close()
        result = subprocess.run(  # noqa: S603 - the PostgreSQL tool, our own arguments
            [*command, str(dump)], env=_pg_env(), capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


# --- Secrets --------------------------------------------------------------------------------


def _signing_certificate(p12: bytes, password: str) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

    _key, certificate, _chain = pkcs12.load_key_and_certificates(
        p12, password.encode() if password else None
    )
    if certificate is None:
        raise BackupError("The signing PKCS#12 file holds no certificate.")
    return certificate.public_bytes(Encoding.DER)


# --- Writing --------------------------------------------------------------------------------


class _Writer:
    def __init__(self, archive: tarfile.TarFile, manifest: Manifest) -> None:
        self.archive = archive
        self.manifest = manifest

    def add(self, member: str, source: IO[bytes]) -> None:
        digest = hashlib.sha256()
        with tempfile.SpooledTemporaryFile(max_size=SPOOL) as copy:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                copy.write(chunk)
            info = tarfile.TarInfo(member)
            info.size = copy.tell()
            info.mode = 0o600
            info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
            copy.seek(0)
            self.archive.addfile(info, copy)
        self.manifest.members[member] = {"size": info.size, "sha256": digest.hexdigest()}

    def add_bytes(self, member: str, data: bytes) -> None:
        self.add(member, io.BytesIO(data))

    def add_path(self, member: str, path: Path) -> None:
        """A file on disk, added as it is (no second copy of a large database dump)."""
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
        info = self.archive.gettarinfo(str(path), arcname=member)
        info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
        with path.open("rb") as handle:
            self.archive.addfile(info, handle)
        self.manifest.members[member] = {"size": info.size, "sha256": digest.hexdigest()}


def create_backup(
    destination: Path, *, secrets: bool = True, say: Callable[[str], None] = print
) -> Manifest:
    """Write the archive to ``destination`` (through a temporary name, mode 0600)."""
    from django import get_version

    manifest = Manifest(created_at=dt.datetime.now(dt.UTC).isoformat(), django=get_version())
    compress = destination.name.endswith((".gz", ".tgz"))
    partial = destination.with_name(destination.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with (
            os.fdopen(fd, "wb") as raw,
            tarfile.open(fileobj=raw, mode="w:gz" if compress else "w") as archive,
        ):
            writer = _Writer(archive, manifest)
            with tempfile.TemporaryDirectory() as folder:
                dump = Path(folder) / "database"
                member = _dump_database(dump)
                manifest.database = {
                    "vendor": _vendor(),
                    "member": member,
                    "migrations": _applied_migrations(),
                }
                named = referenced_files()
                writer.add_path(member, dump)
            say(f"database: {_vendor()}, {manifest.members[member]['size']} bytes")
            skip = {"media": _nested_private_folder(), "private": frozenset[str]()}
            for folder_name, alias in STORAGE_FOLDERS.items():
                storage = storages[alias]
                count = 0
                copied: set[str] = set()
                for name in _walk(storage, skip=skip[folder_name]):
                    with storage.open(name, "rb") as handle:
                        writer.add(f"{folder_name}/{name}", handle)
                    copied.add(name)
                    count += 1
                missing = sorted(named[folder_name] - copied)
                manifest.missing += [f"{folder_name}/{name}" for name in missing]
                manifest.storages[folder_name] = {
                    "storage": _storage_label(storage),
                    "files": count,
                }
                say(f"{folder_name}: {count} files from {_storage_label(storage)}")
            if secrets:
                writer.add_bytes("secrets/secret_key", settings.SECRET_KEY.encode())
                manifest.secrets["secret_key"] = True
                p12 = settings.DIMOS_SIGNING_PKCS12
                if p12:
                    writer.add_bytes("secrets/signing.p12", Path(p12).read_bytes())
                    writer.add_bytes(
                        "secrets/signing.json",
                        json.dumps(
                            {"path": p12, "password": settings.DIMOS_SIGNING_PKCS12_PASSWORD}
                        ).encode(),
                    )
                manifest.secrets["signing_pkcs12"] = p12 or None
                say("secrets: SECRET_KEY" + (", the signing key and its password" if p12 else ""))
            writer.add_bytes("manifest.json", manifest.as_json())
            del manifest.members["manifest.json"]  # it cannot list its own checksum
        os.replace(partial, destination)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    for name in manifest.missing:
        say(f"warning: the database names {name}, which is not in the storage")
    return manifest


# --- Reading --------------------------------------------------------------------------------


def read_manifest(archive: tarfile.TarFile) -> Manifest:
    try:
        handle = archive.extractfile("manifest.json")
    except KeyError:
        handle = None
    if handle is None:
        raise BackupError("The archive has no manifest.json: it is not a complete Dimos backup.")
    manifest = Manifest.from_json(handle.read())
    return manifest


def _open_member(archive: tarfile.TarFile, member: str, manifest: Manifest) -> IO[bytes]:
    """A member's content, checked against the manifest's size and SHA-256 before use."""
    expected = manifest.members.get(member)
    info = archive.getmember(member)
    handle = archive.extractfile(info) if info.isfile() else None
    if expected is None or handle is None:
        raise BackupError(f"{member} is in the archive but not in its manifest.")
    copy = tempfile.SpooledTemporaryFile(max_size=SPOOL)  # noqa: SIM115 - the caller closes it
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        copy.write(chunk)
    if copy.tell() != expected["size"] or digest.hexdigest() != expected["sha256"]:
        copy.close()
        raise BackupError(f"{member} is damaged: its checksum does not match the manifest.")
    copy.seek(0)
    return copy  # type: ignore[return-value]


def _extract_checked(
    archive: tarfile.TarFile, member: str, manifest: Manifest, target: Path
) -> None:
    with _open_member(archive, member, manifest) as source, target.open("wb") as out:
        shutil.copyfileobj(source, out, CHUNK)


def verify_archive(archive: tarfile.TarFile, manifest: Manifest) -> None:
    """Every member the manifest lists is present and intact; nothing else is there."""
    names = {m.name for m in archive.getmembers() if m.isfile()} - {"manifest.json"}
    listed = set(manifest.members) - {"manifest.json"}
    if names != listed:
        extra, lost = sorted(names - listed), sorted(listed - names)
        raise BackupError(
            f"The archive does not match its manifest (missing: {lost[:5]}, unlisted: {extra[:5]})."
        )
    for member in sorted(listed):
        _open_member(archive, member, manifest).close()


def verify_backup(source: Path) -> Manifest:
    """Check an archive without restoring it: its manifest and every member's checksum."""
    try:
        with tarfile.open(source, mode="r:*") as archive:
            manifest = read_manifest(archive)
            verify_archive(archive, manifest)
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        raise BackupError(f"{source} cannot be read as a backup archive ({exc}).") from exc
    return manifest


# --- Restoring ------------------------------------------------------------------------------


@dataclass
class Target:
    """What a restore would overwrite in this site."""

    database_tables: int
    files: dict[str, int]

    @property
    def empty(self) -> bool:
        return not self.database_tables and not any(self.files.values())


def inspect_target() -> Target:
    skip = {"media": _nested_private_folder(), "private": frozenset[str]()}
    files = {}
    for folder_name, alias in STORAGE_FOLDERS.items():
        files[folder_name] = sum(1 for _ in _walk(storages[alias], skip=skip[folder_name]))
    return Target(database_tables=len(connection.introspection.table_names()), files=files)


def _check_secrets(
    archive: tarfile.TarFile, manifest: Manifest, keep_current_keys: bool
) -> list[str]:
    """Refuse (before anything is written) an environment whose keys differ from the
    backup's: sessions, links and signatures made before would stop working."""
    problems = []
    if "secrets/secret_key" in manifest.members:
        with _open_member(archive, "secrets/secret_key", manifest) as handle:
            backed_up = handle.read().decode()
        if os.environ.get("SECRET_KEY") and os.environ["SECRET_KEY"] != backed_up:
            problems.append(
                "SECRET_KEY differs from the backup's: sessions, password-reset links and "
                "sealed notification links made before would stop working. Set SECRET_KEY "
                "to the backup's (tar -xOf ARCHIVE secrets/secret_key)."
            )
    if "secrets/signing.p12" in manifest.members and settings.DIMOS_SIGNING_PKCS12:
        current = Path(settings.DIMOS_SIGNING_PKCS12)
        if current.exists():
            with _open_member(archive, "secrets/signing.p12", manifest) as handle:
                theirs = handle.read()
            with _open_member(archive, "secrets/signing.json", manifest) as handle:
                password = json.loads(handle.read())["password"]
            ours = _signing_certificate(
                current.read_bytes(), settings.DIMOS_SIGNING_PKCS12_PASSWORD
            )
            if ours != _signing_certificate(theirs, password):
                problems.append(
                    f"The signing key at DIMOS_SIGNING_PKCS12={current} is not the backup's: "
                    "certificates issued before would verify as signature-invalid. Point "
                    "DIMOS_SIGNING_PKCS12 at a path without a file to have the backup's "
                    "written there."
                )
    if problems and not keep_current_keys:
        raise BackupError(" ".join(problems) + " (--keep-current-keys restores anyway.)")
    return problems


def _restore_secrets(
    archive: tarfile.TarFile, manifest: Manifest, say: Callable[[str], None]
) -> None:
    var_dir = Path(settings.VAR_DIR)
    if "secrets/secret_key" in manifest.members and not os.environ.get("SECRET_KEY"):
        var_dir.mkdir(parents=True, exist_ok=True)
        target = var_dir / "secret_key"
        target.unlink(missing_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with (
            os.fdopen(fd, "wb") as out,
            _open_member(archive, "secrets/secret_key", manifest) as source,
        ):
            out.write(source.read())
        say(f"secret key: written to {target}")
    if "secrets/signing.p12" not in manifest.members:
        return
    configured = settings.DIMOS_SIGNING_PKCS12
    target = Path(configured) if configured else var_dir / "signing.p12"
    if target.exists():
        say(f"signing key: {target} is the backup's")
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with (
        os.fdopen(fd, "wb") as out,
        _open_member(archive, "secrets/signing.p12", manifest) as source,
    ):
        shutil.copyfileobj(source, out)
    say(f"signing key: written to {target}")
    if not configured:
        say(
            f"  set DIMOS_SIGNING_PKCS12={target} and DIMOS_SIGNING_PKCS12_PASSWORD (the "
            "backup's is in secrets/signing.json) before starting Dimos"
        )


def restore_backup(
    source: Path,
    *,
    force: bool = False,
    keep_current_keys: bool = False,
    say: Callable[[str], None] = print,
) -> Manifest:
    """Put an archive back into this (empty, or with ``force`` overwritten) site."""
    from django.core.cache import cache

    with tarfile.open(source, mode="r:*") as archive:
        manifest = read_manifest(archive)
        verify_archive(archive, manifest)
        _check_secrets(archive, manifest, keep_current_keys)
        target = inspect_target()
        if not target.empty and not force:
            raise BackupError(
                f"This site is not empty ({target.database_tables} database tables, "
                f"{target.files['media']} uploaded and {target.files['private']} private "
                "files): restore into an empty DIMOS_VAR_DIR, database and bucket, or pass "
                "--force to overwrite it (stop Dimos first)."
            )
        _restore_database(archive, manifest.database["member"], manifest, force)
        say(f"database: {manifest.database['vendor']} restored")
        for folder_name, alias in STORAGE_FOLDERS.items():
            storage = storages[alias]
            prefix = f"{folder_name}/"
            count = 0
            for member in sorted(m for m in manifest.members if m.startswith(prefix)):
                name = member.removeprefix(prefix)
                if force and storage.exists(name):
                    storage.delete(name)
                with _open_member(archive, member, manifest) as handle:
                    saved = storage.save(name, File(handle, name=name))
                if saved != name:
                    raise BackupError(f"{member} could not be written under its own name.")
                count += 1
            say(f"{folder_name}: {count} files to {_storage_label(storage)}")
        _restore_secrets(archive, manifest, say)
    cache.clear()
    say("cache: cleared")
    return manifest
